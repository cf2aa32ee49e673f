import { describe, expect, it } from 'vitest';

import type { ImportProgress } from '../../../shared/api/sales';
import { importPercent } from './import-progress';

const progress = (p: Partial<ImportProgress>): ImportProgress => ({
  previewId: 'p1',
  phase: 'reading',
  bytesRead: 0,
  totalBytes: 0,
  rows: 0,
  ...p,
});
const preview = { previewId: 'p1', okRows: 1_000_000, repeatedRows: 0 };

describe('import progress bar', () => {
  it('reading: bytes of the file, unknown before the first progress or without a size', () => {
    expect(importPercent('reading', null, null)).toBeUndefined();
    expect(importPercent('reading', progress({ totalBytes: 0 }), null)).toBeUndefined();
    expect(importPercent('reading', progress({ bytesRead: 50, totalBytes: 200 }), null)).toBe(25);
    expect(importPercent('reading', progress({ bytesRead: 300, totalBytes: 200 }), null)).toBe(100);
  });

  it('writing: staged lines of the previewed file, never another import’s progress or the reading’s', () => {
    expect(importPercent('committing', progress({ phase: 'committing', rows: 400_000 }), preview)).toBe(40);
    // The reading's last progress (the bar at 100 %) does not carry over into writing.
    expect(importPercent('committing', progress({ bytesRead: 9, totalBytes: 9 }), preview)).toBeUndefined();
    expect(importPercent('committing', progress({ phase: 'committing', previewId: 'p2', rows: 5 }), preview)).toBe(
      undefined,
    );
    // Lines repeated in the file are staged once: the last range still ends at 100 %.
    const repeated = { ...preview, okRows: 1_000, repeatedRows: 200 };
    expect(importPercent('committing', progress({ phase: 'committing', rows: 800 }), repeated)).toBe(100);
    expect(importPercent('committing', progress({ phase: 'committing', rows: 900 }), repeated)).toBe(100);
    expect(importPercent('committing', progress({ phase: 'committing', rows: 1 }), { ...preview, okRows: 0 })).toBe(
      undefined,
    );
  });
});
