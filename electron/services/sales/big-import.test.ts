import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { StudioError } from '../../../shared/api/result';
import { douyinHeaders } from '../../../test/fixtures/orders/make-fixtures';
import type { SalesKit } from './test-kit';
import { makeSalesKit } from './test-kit';

// A 200 MB 抖店 export streams through preview and commit with bounded memory: rows go to the
// worker in batches of 2,000 and are staged on disk, so resident memory must not grow with the file.

let kit: SalesKit;
let file: string;
let rows = 0;

beforeAll(async () => {
  kit = await makeSalesKit();
  file = path.join(kit.dir, 'big-douyin.csv');
  const out = fs.createWriteStream(file);
  out.write(`\uFEFF${douyinHeaders.join(',')}\r\n`);
  const template = douyinHeaders.map(() => '-');
  const col = (name: string) => douyinHeaders.indexOf(name);
  const target = 200 * 1024 * 1024;
  let bytes = 0;
  const start = Date.UTC(2026, 3, 15, 12);
  while (bytes < target) {
    let chunk = '';
    for (let i = 0; i < 5000; i++, rows++) {
      const cells = [...template];
      const id = String(7_100_000_000_000_000_000n + BigInt(rows));
      cells[col('主订单编号')] = `"\t${id}"`;
      cells[col('子订单编号')] = `"\t${id}1"`;
      cells[col('选购商品')] = `赣南脐橙 5斤装 第${rows % 97}批-(A01)`;
      cells[col('商品数量')] = String(1 + (rows % 3));
      cells[col('商家编码')] = 'A01';
      cells[col('商品单价')] = '59.90';
      cells[col('订单应付金额')] = `"¥${(59.9 * (1 + (rows % 3))).toFixed(2)}"`;
      const t = new Date(start + (rows % 7200) * 1000 + 8 * 3600_000);
      cells[col('订单提交时间')] = t.toISOString().replace('T', ' ').slice(0, 19);
      cells[col('订单状态')] = '已支付';
      cells[col('详细地址')] = '##8c3a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1';
      chunk += `${cells.join(',')}\r\n`;
    }
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
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
    const error = await kit.call('sales:import-preview', { source: { kind: 'path', path: huge } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('sales/import-too-large');
  });
});
