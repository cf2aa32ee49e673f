import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The import worker starts for every file previewed, so what it loads at start is part of every
// import's time: zod alone took 38 ms to load, exceljs 242 ms (and 27 MB). Checked on the
// worker's bundle as scripts/build.mjs makes it (packages left external). xlsx files are read
// without exceljs (xlsx-reader.ts); htmlparser2 loads for HTML ".xls" and a workbook's small parts.

const entry = fileURLToPath(new URL('./import-worker.ts', import.meta.url));

describe('the import worker at start', () => {
  it('loads neither zod nor exceljs, and htmlparser2 only when a file needs it', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      outdir: path.join(path.dirname(entry), 'out'),
    });
    const [output] = Object.values(result.metafile.outputs);
    const imports = (output?.imports ?? []).map((i) => `${i.path}${i.kind === 'dynamic-import' ? ' (lazy)' : ''}`);
    expect(imports).toContain('iconv-lite');
    expect(imports).not.toContain('zod');
    expect(imports.filter((i) => i.startsWith('exceljs'))).toEqual([]);
    expect(imports).not.toContain('htmlparser2');
    expect(imports).toContain('htmlparser2 (lazy)');
  });
});
