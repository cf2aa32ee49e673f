import { describe, expect, it } from 'vitest';

import type { Rundown } from './rundown';
import {
  duplicateRundown,
  moveSegment,
  plannedOffsetsSec,
  plannedTotalSec,
  rundownProblems,
  rundownSchema,
  rundownTexts,
  summarize,
} from './rundown';

function rundown(): Rundown {
  const seg = (id: string, plannedSec: number, script = '') => ({
    id,
    productId: `p-${id}`,
    presetId: 'preset-a',
    host: '小王',
    guest: '',
    plannedSec,
    script,
    notes: '',
  });
  return rundownSchema.parse({
    id: 'show-1',
    title: '秋收专场',
    segments: [seg('a', 60, '大家好'), seg('b', 120), seg('c', 300)],
    runs: [{ runId: 'run-1', salesShowId: '7', startedAt: 1000, endedAt: 2000 }],
    createdAt: 1,
    updatedAt: 2,
  });
}

describe('rundown', () => {
  it('moves a segment forward and back, clamping out-of-range targets', () => {
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id).join('');
    const segs = rundown().segments;
    expect(ids(moveSegment(segs, 0, 2))).toBe('bca');
    expect(ids(moveSegment(segs, 2, 0))).toBe('cab');
    expect(ids(moveSegment(segs, 1, 99))).toBe('acb');
    expect(ids(moveSegment(segs, 5, 0))).toBe('abc');
    expect(ids(segs)).toBe('abc');
  });

  it('sums planned lengths and offsets', () => {
    const segs = rundown().segments;
    expect(plannedTotalSec(segs)).toBe(480);
    expect(plannedOffsetsSec(segs)).toEqual([0, 60, 180]);
    expect(summarize(rundown())).toMatchObject({ segmentCount: 3, plannedSec: 480, lastRunAt: 1000 });
  });

  it('duplicates a past show as a new plan: new ids, same content, no runs', () => {
    let n = 0;
    const copy = duplicateRundown(rundown(), {
      id: 'show-2',
      title: '秋收专场 第二场',
      now: 5,
      newSegmentId: () => `n${++n}`,
    });
    expect(copy.id).toBe('show-2');
    expect(copy.runs).toEqual([]);
    expect(copy.copiedFrom).toBe('show-1');
    expect(copy.segments.map((s) => s.id)).toEqual(['n1', 'n2', 'n3']);
    expect(copy.segments.map((s) => s.productId)).toEqual(rundown().segments.map((s) => s.productId));
    expect(copy.segments[0]?.script).toBe('大家好');
  });

  it('lists texts for the guard and problems that block going live', () => {
    const r = rundown();
    expect(rundownTexts(r)).toEqual([{ field: 'segments.0.script', text: '大家好' }]);
    expect(rundownProblems(r)).toEqual([]);
    const broken = { segments: [{ ...r.segments[0]!, presetId: null }] };
    expect(rundownProblems(broken)).toEqual([{ index: 0, problem: 'no-preset' }]);
  });

  it('refuses ids that could name another file', () => {
    expect(rundownSchema.safeParse({ ...rundown(), id: '../etc' }).success).toBe(false);
    expect(rundownSchema.safeParse({ ...rundown(), id: 'A' }).success).toBe(false);
  });
});
