import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';

import type { ImportPreview } from '../../../shared/api/sales';
import { expectCode, stagingFiles } from '../../../test/support/sales/import-checks';
import type { SalesKit, SeededShow } from '../../../test/support/sales/test-kit';
import { cst, fixture, kitPerTest } from '../../../test/support/sales/test-kit';
import { rollupInsertSql } from './migrations';

let kit: SalesKit;
let seed: SeededShow;
kitPerTest((k, s) => {
  kit = k;
  seed = s;
});

const preview = (name: string, extra: Record<string, unknown> = {}) =>
  kit.call('sales:import-preview', { source: { kind: 'path', path: fixture(name) }, ...extra } as never);

describe('sales imports', () => {
  it('reads a 抖店 UTF-8 BOM export: tab-prefixed ids, sub-orders, ¥1,234 amounts, attribution with grace', async () => {
    const p = await preview('douyin-utf8-bom.csv');
    expect(p).toMatchObject({
      platform: 'douyin',
      isDetected: true,
      encoding: 'utf-8-bom',
      kind: 'csv',
      headerLine: 1,
      totalRows: 6,
      okRows: 6,
      badRowCount: 0,
      duplicateRows: 0,
      orders: 5,
      unmatchedProducts: 0,
    });
    expect(p.columns).toHaveLength(74);
    expect(p.sample[0]).toMatchObject({ orderId: '6917926768823643751', lineId: '6917926768823643752', quantity: 2 });
    expect(p.sample[0]?.amountFen).toBe(11980);
    expect(p.sample[0]?.orderedAt).toBe(cst('20:05:10'));
    expect(p.sample[2]?.amountFen).toBe(117000);
    expect(p.sample[4]?.status).toBe('refunded');
    expect(p.sample[5]?.status).toBe('cancelled');

    const result = await kit.call('sales:import-commit', { previewId: p.previewId });
    expect(result).toMatchObject({ imported: 6, duplicates: 0, attributed: 6, offAir: 1, amountFen: 136780 });

    const { sales } = await kit.call('sales:list', { showId: seed.show.id });
    const byLine = new Map(sales.map((s) => [s.externalOrderId + '/' + s.productTitle, s]));
    const [a, b, c] = seed.segments;
    // The honey line of an orange-segment order: same segment, flagged off-air.
    expect(byLine.get('6917926768823643751/百花蜂蜜 500g-(B02)')).toMatchObject({ segmentId: a?.id, isOffAir: true });
    // Ordered 40 s after the honey segment ended, for honey: the grace window keeps it there.
    expect(byLine.get('6917926768823643901/百花蜂蜜 500g-(B02)')).toMatchObject({
      segmentId: b?.id,
      attribution: 'grace',
      isOffAir: false,
    });
    expect(byLine.get('6917926768823644001/临安山核桃 250g-(C03)')).toMatchObject({
      segmentId: c?.id,
      status: 'refunded',
    });

    const analytics = await kit.call('sales:analytics-show', { showId: seed.show.id });
    expect(analytics.totals).toMatchObject({ gmvFen: 136780, orders: 3, refundedFen: 4550, refundedOrders: 1 });
    expect(analytics.segments.map((s) => s.totals.gmvFen)).toEqual([11980 + 3900, 117000 + 3900, 0]);
    expect(kit.events.some((e) => e.name === 'sales:changed')).toBe(true);
    expect(kit.events.filter((e) => e.name === 'sales:import-progress').at(-1)?.payload).toMatchObject({
      phase: 'done',
    });
  });

  it('importing the same file twice adds nothing', async () => {
    const first = await preview('douyin-utf8-bom.csv');
    await kit.call('sales:import-commit', { previewId: first.previewId });
    const second = await preview('douyin-utf8-bom.csv');
    expect(second.duplicateRows).toBe(6);
    const result = await kit.call('sales:import-commit', { previewId: second.previewId });
    expect(result).toMatchObject({ imported: 0, duplicates: 6 });
    const { sales } = await kit.call('sales:list', { limit: 1000 });
    expect(sales).toHaveLength(6);
  });

  it('two previews of one file pending at once: the first commit adds it, the second only finds duplicates', async () => {
    const first = await preview('douyin-utf8-bom.csv');
    const second = await preview('douyin-utf8-bom.csv');
    const other = await preview('taobao-gbk.csv');
    expect(second.duplicateRows).toBe(0);
    expect(await kit.call('sales:import-commit', { previewId: first.previewId })).toMatchObject({
      imported: 6,
      amountFen: 136780,
    });
    // The roll-up of the second commit counts only what it added: nothing.
    expect(await kit.call('sales:import-commit', { previewId: second.previewId })).toMatchObject({
      imported: 0,
      duplicates: 6,
      amountFen: 0,
    });
    const analytics = await kit.call('sales:analytics-show', { showId: seed.show.id });
    expect(analytics.totals).toMatchObject({ gmvFen: 136780, orders: 3 });
    expect(stagingFiles(kit.dir)).toHaveLength(1); // the taobao preview is still staged
    expect(await kit.call('sales:import-commit', { previewId: other.previewId })).toMatchObject({ imported: 3 });
    // The scratch file is renamed away at once and removed in the background.
    expect(stagingFiles(kit.dir).filter((f) => !f.endsWith('.old'))).toEqual([]);
    await vi.waitFor(() => expect(stagingFiles(kit.dir)).toEqual([]), { timeout: 5000, interval: 20 });
  });

  it('the roll-up summed while staging equals the roll-up grouped from the sales table', async () => {
    for (const name of ['douyin-utf8-bom.csv', 'taobao-gbk.csv', 'pinduoduo-gb18030.csv', 'xiaohongshu.xlsx']) {
      const p = await preview(name);
      await kit.call('sales:import-commit', { previewId: p.previewId });
    }
    const file = (fs.readdirSync(kit.dir, { recursive: true }) as string[]).find((f) => f.endsWith('sales.db'));
    // Group every sale in the log again, into a scratch database, and compare.
    const db = new Database(':memory:');
    try {
      db.prepare('ATTACH DATABASE ? AS log').run(path.join(kit.dir, file ?? 'sales.db'));
      db.exec('CREATE TABLE sales_minute AS SELECT * FROM log.sales_minute WHERE false');
      db.exec('CREATE UNIQUE INDEX sales_minute_key ON sales_minute (show_id, segment_id, product_id, minute)');
      db.exec(rollupInsertSql('true'));
      const order = 'ORDER BY show_id, segment_id, product_id, minute';
      const stored = db.prepare(`SELECT * FROM log.sales_minute ${order}`).all();
      const grouped = db.prepare(`SELECT * FROM main.sales_minute ${order}`).all();
      expect(stored.length).toBeGreaterThan(3);
      expect(stored).toEqual(grouped);
    } finally {
      db.close();
    }
  });

  it('reads a GBK 淘宝 export with ="…" ids, full-width commas in the status, and drops the 合计 row', async () => {
    const p = await preview('taobao-gbk.csv');
    expect(p).toMatchObject({ platform: 'taobao', encoding: 'gb18030', okRows: 3, skippedRows: 1, badRowCount: 0 });
    expect(p.sample.map((s) => s.orderId)).toEqual([
      '3456789012345678901',
      '3456789012345678902',
      '3456789012345678903',
    ]);
    expect(p.sample.map((s) => s.amountFen)).toEqual([11980, 3900, 123450]);
    expect(p.sample.map((s) => s.status)).toEqual(['paid', 'paid', 'paid']);
    // Matched by name inside the platform title.
    expect(p.sample.map((s) => s.productId)).toEqual([seed.orange.id, seed.honey.id, seed.walnut.id]);
    expect(p.sample[1]?.orderedAt).toBe(cst('20:40:00'));
    expect(p.amountFen).toBe(11980 + 3900 + 123450);
  });

  it('reads GB18030 拼多多 with tab-padded cells and a 快手 xlsx with a title row and the A1 dimension bug', async () => {
    const pdd = await preview('pinduoduo-gb18030.csv');
    expect(pdd).toMatchObject({ platform: 'pinduoduo', encoding: 'gb18030', okRows: 2 });
    expect(pdd.sample[0]).toMatchObject({ orderId: '260415-662941284701219', amountFen: 5590, status: 'paid' });
    expect(pdd.sample[1]).toMatchObject({ status: 'refunded', quantity: 2, productId: seed.walnut.id });

    const ks = await preview('kuaishou-title-row.xlsx');
    expect(ks).toMatchObject({ platform: 'kuaishou', kind: 'xlsx', headerLine: 2, okRows: 3, badRowCount: 0 });
    expect(ks.sample.map((s) => s.orderedAt)).toEqual([cst('20:20:10'), cst('20:45:00'), cst('21:40:00')]);
    expect(ks.sample.map((s) => s.amountFen)).toEqual([11980, 3900, 4550]);
    expect(ks.sample[2]?.status).toBe('cancelled');
  });

  it('reads 视频号 and 小红书 xlsx with one row per SKU without double-counting order amounts', async () => {
    const wx = await preview('weixin.xlsx');
    expect(wx).toMatchObject({ platform: 'weixin', okRows: 2, orders: 1 });
    // Line amounts (商品实际价格(总共)) per SKU row.
    expect(wx.sample.map((s) => s.amountFen)).toEqual([5990, 3900]);

    const xhs = await preview('xiaohongshu.xlsx');
    expect(xhs).toMatchObject({ platform: 'xiaohongshu', sheet: '订单信息', okRows: 2, orders: 1 });
    // Each SKU row's own 用户应付金额 (what the buyer paid for it), summed over the rows: 119.80 + 39.00.
    // Counting it once per order (the first row only) lost every further SKU of an order.
    expect(xhs.sample.map((s) => s.amountFen)).toEqual([11980, 3900]);
    expect(xhs.amountFen).toBe(15880);
    expect(xhs.gmv).toEqual({ column: '用户应付金额(元)', field: 'lineAmount', meaning: 'buyer-paid' });
    expect(wx.gmv).toEqual({ column: '商品实际价格(总共)', field: 'lineAmount', meaning: 'buyer-paid' });
    expect(xhs.sample.map((s) => s.orderId)).toEqual(['P800347296683184211', 'P800347296683184211']);
  });

  it('reads the HTML-table .xls in GBK', async () => {
    const p = await preview('taobao-html.xls');
    expect(p).toMatchObject({ kind: 'html', encoding: 'gb18030', platform: 'taobao', okRows: 2 });
    expect(p.sample[0]).toMatchObject({ amountFen: 7800, quantity: 2, productId: seed.honey.id });
  });

  it('reports bad rows with line numbers and reasons, and imports all-or-nothing unless told to skip them', async () => {
    const p = await preview('bad-rows.csv');
    expect(p.badRowCount).toBe(4);
    expect(p.badRows.map((b) => [b.line, b.code])).toEqual([
      [3, 'missing-order-id'],
      [4, 'order-id-scientific'],
      [5, 'bad-time'],
      [6, 'bad-amount'],
    ]);
    expect(p.badRows[1]).toMatchObject({ column: '主订单编号', value: '6.91793E+18' });
    expect(p.okRows).toBe(2);
    await expectCode(kit.call('sales:import-commit', { previewId: p.previewId }), 'sales/import-bad-rows');
    expect((await kit.call('sales:list', {})).sales).toHaveLength(0);
    const result = await kit.call('sales:import-commit', { previewId: p.previewId, skipBadRows: true });
    expect(result).toMatchObject({ imported: 2, skippedBadRows: 4 });
  });

  it('maps a generic file with a user mapping, saves it, and reuses it next time', async () => {
    const first = await preview('generic.csv');
    expect(first).toMatchObject({ needsMapping: true, platform: 'generic' });
    expect(first.columns).toEqual(['单号', '成交时间', '品名', '件数', '成交额', '备注']);
    const mapping = {
      name: '合作社台账',
      platform: 'other' as const,
      columns: { orderId: '单号', orderedAt: '成交时间', productTitle: '品名', quantity: '件数', lineAmount: '成交额' },
    };
    const mapped = await preview('generic.csv', { platform: 'generic', mapping });
    expect(mapped).toMatchObject({ needsMapping: false, okRows: 3, amountFen: 17970 + 3900 + 9100 });
    await kit.call('sales:import-commit', { previewId: mapped.previewId, saveMapping: true });
    expect((await kit.call('sales:mapping-list')).map((m) => m.name)).toEqual(['合作社台账']);
    const again = await preview('generic.csv');
    expect(again).toMatchObject({ needsMapping: false, platform: 'generic', duplicateRows: 3 });
    expect(again.mapping.name).toBe('合作社台账');
  });

  it('refuses an empty file, a header-only file, a picture renamed .csv, and an encoding it cannot read', async () => {
    await expectCode(preview('empty.csv'), 'sales/import-empty');
    await expectCode(preview('header-only.csv'), 'sales/import-empty');
    const picture = await expectCode(preview('picture-renamed.csv'), 'sales/import-not-a-table');
    expect(picture.detail).toBe('png');
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 256;
    await expectCode(
      kit.call('sales:import-preview', {
        source: { kind: 'bytes', name: 'orders.csv', base64: random.toString('base64') },
      }),
      'sales/import-not-a-table',
    );
    // Shift-JIS text: neither UTF-8 nor GB18030 turns it into a readable table.
    const sjis = Buffer.from('82a082a282a4', 'hex');
    const bytes = Buffer.concat(
      Array.from({ length: 400 }, () => Buffer.concat([sjis, Buffer.from([0x80, 0xff, 0x2c, 0x0a])])),
    );
    await expectCode(
      kit.call('sales:import-preview', { source: { kind: 'bytes', name: 'x.csv', base64: bytes.toString('base64') } }),
      'sales/import-encoding',
    );
    await expectCode(preview('does-not-exist.csv'), 'sales/import-unreadable');
  });

  it('tells a password-protected xlsx from an old .xls: both are compound files', async () => {
    // A compound file: its header (magic, 512-byte sectors, directory from sector 3) and, for the
    // protected workbook, the EncryptedPackage stream named in that directory, past the first 64 KB.
    const compound = (streams: string[]): Buffer => {
      const file = Buffer.alloc(80 * 1024);
      Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(file, 0);
      file.writeUInt16LE(9, 0x1e);
      file.writeUInt32LE(150, 0x30);
      streams.forEach((name, i) => Buffer.from(name, 'utf16le').copy(file, 151 * 512 + i * 128));
      return file;
    };
    const upload = (name: string, bytes: Buffer) =>
      kit.call('sales:import-preview', { source: { kind: 'bytes', name, base64: bytes.toString('base64') } });
    const locked = await expectCode(
      upload('快手订单.xlsx', compound(['Root Entry', 'EncryptionInfo', 'EncryptedPackage'])),
      'sales/import-encrypted',
    );
    expect(locked.params).toMatchObject({ file: '快手订单.xlsx' });
    await expectCode(upload('订单.xls', compound(['Root Entry', 'Workbook'])), 'sales/import-old-xls');
  });

  it('accepts uploaded bytes (browser mode) the same as a path', async () => {
    const base64 = fs.readFileSync(fixture('taobao-gbk.csv')).toString('base64');
    const p = await kit.call('sales:import-preview', {
      source: { kind: 'bytes', name: 'ExportOrderList.csv', base64 },
    });
    expect(p).toMatchObject({ fileName: 'ExportOrderList.csv', platform: 'taobao', okRows: 3 });
  });

  it('a preview is gone after its commit', async () => {
    const p: ImportPreview = await preview('weixin.xlsx');
    await kit.call('sales:import-commit', { previewId: p.previewId });
    await expectCode(kit.call('sales:import-commit', { previewId: p.previewId }), 'sales/import-expired');
  });

  it('keeps all columns of a file in a non-default folder name with spaces', async () => {
    const dir = path.join(kit.dir, '订单 导出');
    fs.mkdirSync(dir);
    fs.copyFileSync(fixture('douyin-utf8-bom.csv'), path.join(dir, '1791430000_订单.csv'));
    const p = await kit.call('sales:import-preview', {
      source: { kind: 'path', path: path.join(dir, '1791430000_订单.csv') },
    });
    expect(p.okRows).toBe(6);
  });
});
