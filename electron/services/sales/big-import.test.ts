import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { douyinHeaders, writeDouyinOrders } from '../../../test/fixtures/orders/make-fixtures';
import { expectCode } from '../../../test/support/sales/import-checks';
import type { SalesKit } from '../../../test/support/sales/test-kit';
import { makeSalesKit } from '../../../test/support/sales/test-kit';

// A 200 MB 抖店 export streams through preview and commit with bounded memory: rows go to the
// worker in batches of 2,000 and are staged on disk, so resident memory must not grow with the file.

let kit: SalesKit;
let file: string;
let rows = 0;

beforeAll(async () => {
  kit = await makeSalesKit();
  file = path.join(kit.dir, 'big-douyin.csv');
  rows = await writeDouyinOrders(file, { bytes: 200 * 1024 * 1024 });
}, 120_000);

afterAll(async () => {
  await kit.close();
  fs.rmSync(kit.dir, { recursive: true, force: true });
});

describe('large imports', () => {
  it('streams a 200 MB export with bounded memory', async () => {
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThanOrEqual(200 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    // Peak RSS while reading the first quarter of the file, and after it: bounded memory means
    // the second does not keep growing with the rows read.
    let bytesRead = 0;
    let peakEarly = before;
    let peakLate = before;
    const sample = () => {
      const rss = process.memoryUsage().rss;
      if (bytesRead < size / 4) peakEarly = Math.max(peakEarly, rss);
      else peakLate = Math.max(peakLate, rss);
    };
    const sampler = setInterval(sample, 50);
    const firstEvent = kit.events.length;
    try {
      const started = performance.now();
      const progress = kit.next('sales:import-progress', (p) => {
        bytesRead = p.bytesRead;
        return p.phase === 'done';
      });
      const preview = await kit.call('sales:import-preview', { source: { kind: 'path', path: file } });
      const previewMs = performance.now() - started;
      expect(preview).toMatchObject({ platform: 'douyin', okRows: rows, badRowCount: 0, totalRows: rows });
      bytesRead = size;
      const committed = performance.now();
      const result = await kit.call('sales:import-commit', { previewId: preview.previewId });
      const commitMs = performance.now() - committed;
      await progress;
      expect(result.imported).toBe(rows);
      sample();
      const progressEvents = kit.events.slice(firstEvent).filter((e) => e.name === 'sales:import-progress').length;
      const mb = (n: number) => Math.round(n / 1024 ** 2);
      process.stderr.write(
        `200 MB import: ${rows} rows, preview ${Math.round(previewMs)} ms, commit ${Math.round(commitMs)} ms, ` +
          `RSS +${mb(peakEarly - before)} MB in the first quarter, +${mb(peakLate - before)} MB at most in the other three quarters\n`,
      );
      // The whole file as a JS string would be 400 MB (two-byte text); the rows parsed, several GB.
      expect(peakLate - before).toBeLessThan(size);
      expect(peakLate - peakEarly).toBeLessThan(64 * 1024 ** 2);
      expect(progressEvents).toBeGreaterThan(5);
    } finally {
      clearInterval(sampler);
    }
  }, 600_000);

  it('refuses a file beyond the size limit without reading it', async () => {
    const huge = path.join(kit.dir, 'huge.csv');
    fs.writeFileSync(huge, `${douyinHeaders.join(',')}\r\n`);
    fs.truncateSync(huge, 5 * 1024 ** 3); // sparse: costs no disk
    await expectCode(
      kit.call('sales:import-preview', { source: { kind: 'path', path: huge } }),
      'sales/import-too-large',
    );
  });
});
