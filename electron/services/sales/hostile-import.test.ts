import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { douyinHeaders } from '../../../test/fixtures/orders/make-fixtures';
import { rejection } from '../../../test/support/sales/import-checks';
import type { SalesKit } from '../../../test/support/sales/test-kit';
import { fixture, makeSalesKit, seedShow } from '../../../test/support/sales/test-kit';

// Hostile and nonsensical input through the real import path (import worker, database worker,
// real SQLite files): every case ends in a coded error or a bad row, never a crash, a freeze or
// a stored value that makes no sense.

let kit: SalesKit;

beforeEach(async () => {
  kit = await makeSalesKit();
  await seedShow(kit);
});
afterEach(async () => {
  await kit.close();
  fs.rmSync(kit.dir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await rejection(promise)).code;
}

const previewFile = (name: string, data: Buffer | string) => {
  const file = path.join(kit.dir, name);
  fs.writeFileSync(file, data);
  return kit.call('sales:import-preview', { source: { kind: 'path', path: file } });
};

/** A 抖店 CSV of the given rows (column name → value), other cells `-`. */
function douyinCsv(rows: Record<string, string>[]): string {
  const lines = [douyinHeaders.join(',')];
  for (const r of rows) lines.push(douyinHeaders.map((h) => r[h] ?? '-').join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const order = (id: string, at: string, amount = '59.90', qty = '1') => ({
  主订单编号: id,
  子订单编号: `${id}1`,
  选购商品: '赣南脐橙 5斤装-(A01)',
  商品数量: qty,
  商品单价: '59.90',
  订单应付金额: amount,
  订单提交时间: at,
  订单状态: '已支付',
});

/** A zip record of `bytes` bytes: its little-endian fields as [offset, value, width]. */
function zipRecord(bytes: number, fields: readonly (readonly [number, number, 2 | 4])[]): Buffer {
  const record = Buffer.alloc(bytes);
  for (const [at, value, width] of fields) {
    if (width === 4) record.writeUInt32LE(value, at);
    else record.writeUInt16LE(value, at);
  }
  return record;
}

/** A minimal zip (deflated entries) with sizes as given, or as they really are. */
function zip(entries: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const packed = zlib.deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    // Version 2.0, deflate, compressed and inflated sizes, name length; the central one also the offset.
    const local = zipRecord(30, [
      [0, 0x04034b50, 4],
      [4, 20, 2],
      [8, 8, 2],
      [18, packed.length, 4],
      [22, size, 4],
      [26, name.length, 2],
    ]);
    const central = zipRecord(46, [
      [0, 0x02014b50, 4],
      [6, 20, 2],
      [10, 8, 2],
      [20, packed.length, 4],
      [24, size, 4],
      [28, name.length, 2],
      [42, offset, 4],
    ]);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = zipRecord(22, [
    [0, 0x06054b50, 4],
    [8, entries.length, 2],
    [10, entries.length, 2],
    [12, dir.length, 4],
    [16, offset, 4],
  ]);
  return Buffer.concat([...locals, dir, end]);
}

describe('hostile and nonsensical import input', () => {
  it('reads an HTML ".xls" whose rows and cells never close, in one linear pass', async () => {
    const rows = 60_000;
    const parts = [
      '<html><body><table><tr><th>订单编号<th>订单创建时间<th>宝贝标题<th>宝贝总数量<th>买家实际支付金额<th>订单状态',
    ];
    for (let i = 0; i < rows; i++) {
      parts.push(
        `<tr><td>34567890123${String(i).padStart(8, '0')}<td>2026-04-15 20:50:00<td>百花蜂蜜 500g<td>1<td>39.00<td>交易成功`,
      );
    }
    // No </td>, </tr>, </table>: a regular expression over this backtracked for minutes.
    const p = await previewFile('unclosed.xls', iconv.encode(parts.join('\n'), 'gbk'));
    expect(p).toMatchObject({ kind: 'html', platform: 'taobao', okRows: rows, badRowCount: 0 });
    expect(p.amountFen).toBe(rows * 3900);
  });

  it('refuses impossible and implausible dates, amounts and quantities as bad rows', async () => {
    const thisYear = new Date().getFullYear();
    const p = await previewFile(
      'nonsense.csv',
      douyinCsv([
        order('7100000000000000001', `${thisYear}-01-15 20:00:00`),
        order('7100000000000000002', '2026-02-30 20:00:00'),
        order('7100000000000000003', '2012-04-15 20:00:00'),
        order('7100000000000000004', `${thisYear + 3}-04-15 20:00:00`),
        order('7100000000000000005', `${thisYear}-01-15 20:00:00`, '99999999999.00'),
        order('7100000000000000006', `${thisYear}-01-15 20:00:00`, '59.90', '5000000'),
        order('7100000000000000007', '2026-13-01 20:00:00'),
      ]),
    );
    expect(p.okRows).toBe(1);
    expect(p.badRows.map((b) => [b.line, b.code])).toEqual([
      [3, 'bad-time'],
      [4, 'time-out-of-range'],
      [5, 'time-out-of-range'],
      [6, 'amount-out-of-range'],
      [7, 'amount-out-of-range'],
      [8, 'bad-time'],
    ]);
  });

  it('refuses xlsx zip bombs: an entry inflating past what it declares, and one declaring a huge inflation', async () => {
    const types = { name: '[Content_Types].xml', data: Buffer.from('<Types/>') };
    const sheet = Buffer.from(
      `<worksheet><sheetData>${'<row r="1"><c r="A1" t="inlineStr"><is><t>订单号</t></is></c></row>'.repeat(20_000)}</sheetData></worksheet>`,
    );
    const lying = zip([types, { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: 100 }]);
    expect(await codeOf(previewFile('lying.xlsx', lying))).toBe('sales/import-zip-bomb');
    const inflating = zip([types, { name: 'xl/sharedStrings.xml', data: Buffer.alloc(64 * 1024 ** 2, 0x20) }]);
    expect(await codeOf(previewFile('inflating.xlsx', inflating))).toBe('sales/import-zip-bomb');
    // A real export still reads.
    const real = await previewFile('real.xlsx', fs.readFileSync(fixture('kuaishou-title-row.xlsx')));
    expect(real).toMatchObject({ kind: 'xlsx', platform: 'kuaishou', okRows: 3 });
  });

  it('refuses a CSV with an unclosed quote swallowing the file, an over-long cell, and too many columns', async () => {
    const head = douyinHeaders.join(',');
    const unclosed = `${head}\r\n"7100000000000000001,${'x'.repeat(3 * 1024 ** 2)}\r\n`;
    expect(await codeOf(previewFile('unclosed.csv', unclosed))).toBe('sales/import-record-too-long');
    const longCell = `${head}\r\n7100000000000000001,1,"${'脐'.repeat(40_000)}"\r\n`;
    expect(await codeOf(previewFile('long-cell.csv', longCell))).toBe('sales/import-cell-too-long');
    const wide = `${head}\r\n${Array.from({ length: 1500 }, () => '1').join(',')}\r\n`;
    expect(await codeOf(previewFile('wide.csv', wide))).toBe('sales/import-record-too-long');
  });

  it('refuses orderedAt 1e300 and times outside ten years on every entry, storing nothing', async () => {
    const before = await kit.call('sales:list', {});
    const feed = {
      source: 'test',
      platform: 'douyin',
      orderId: 'F1',
      productTitle: '赣南脐橙',
      amountFen: 5990,
    } as const;
    expect(await codeOf(kit.call('sales:feed-push', { ...feed, orderedAt: 1e300 }))).not.toBe('app/internal');
    expect(await codeOf(kit.call('sales:feed-push', { ...feed, orderedAt: 8e15 }))).toBe('sales/invalid-time');
    expect(await codeOf(kit.call('sales:feed-push', { ...feed, orderedAt: '2012-04-15T20:00:00+08:00' }))).toBe(
      'sales/invalid-time',
    );
    expect(await codeOf(kit.call('sales:feed-push', { ...feed, orderedAt: '2026-02-30T20:00:00+08:00' }))).toBe(
      'sales/invalid-time',
    );
    expect(await codeOf(kit.call('sales:record', { quantity: 1, orderedAt: Date.UTC(2012, 3, 15) } as never))).toBe(
      'sales/invalid-time',
    );
    expect((await kit.call('sales:list', {})).sales).toHaveLength(before.sales.length);
  });
});
