import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { useTempDirs } from '../../../test/support/temp-dirs';
import { scanFile } from './import-scan';
import { stageBatchLines } from './staged-columns';

const tempDir = useTempDirs('harvest-scan-');

/** A 抖店-style CSV of `rows` one-line orders. */
function ordersFile(rows: number): string {
  const file = path.join(tempDir(), 'orders.csv');
  const lines = ['主订单编号,子订单编号,选购商品,商品数量,订单应付金额,订单提交时间,订单状态'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${6_900_000 + i},${69_000_000 + i},赣南脐橙 5斤装,1,59.90,2026-04-15 20:01:02,已支付`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('file scan', () => {
  it('hands the database worker small batches while its staging code is cold, then full ones', async () => {
    const rows = stageBatchLines.warmAfter + 3 * stageBatchLines.warm + 7;
    const sizes: number[] = [];
    const result = await scanFile(
      {
        source: { kind: 'path', path: ordersFile(rows) },
        platform: 'auto',
        timeZone: 'Asia/Shanghai',
        savedMappings: [],
      },
      {
        begin: () => Promise.resolve(),
        batch: (columns) => {
          sizes.push(columns.count);
          return Promise.resolve();
        },
        progress: () => undefined,
      },
    );
    expect(result.kind === 'staged' && result.counts.ok).toBe(rows);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(rows);
    expect(sizes[0]).toBeLessThan(stageBatchLines.warm);
    let sent = 0;
    for (const size of sizes) {
      expect(size).toBeLessThanOrEqual(sent < stageBatchLines.warmAfter ? stageBatchLines.cold : stageBatchLines.warm);
      sent += size;
    }
    expect(sizes.filter((s) => s === stageBatchLines.warm)).toHaveLength(3);
  });
});
