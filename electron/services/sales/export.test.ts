import fs from 'node:fs';

import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { SalesKit } from '../../../test/support/sales/test-kit';
import { cst, fixture, makeSalesKit, seedShow } from '../../../test/support/sales/test-kit';

let kit: SalesKit;
let seed: Awaited<ReturnType<typeof seedShow>>;
beforeEach(async () => {
  kit = await makeSalesKit();
  seed = await seedShow(kit);
  const p = await kit.call('sales:import-preview', { source: { kind: 'path', path: fixture('douyin-utf8-bom.csv') } });
  await kit.call('sales:import-commit', { previewId: p.previewId });
  await kit.call('sales:record', { productId: seed.orange.id, orderedAt: cst('20:10'), note: '=HYPERLINK("x")' });
});
afterEach(async () => {
  await kit.close();
  fs.rmSync(kit.dir, { recursive: true, force: true });
});

describe('sales export', () => {
  it('writes a show as CSV (UTF-8 BOM) into the exports folder, in the show’s time zone', async () => {
    const result = await kit.call('sales:export', { scope: { kind: 'show', showId: seed.show.id }, format: 'csv' });
    expect(result.path).not.toBeNull();
    expect(result.rows).toBe(7);
    const bytes = fs.readFileSync(result.path ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<string[]>(bytes.toString('utf8').slice(1).trim()).data;
    const header = rows[0] ?? [];
    const col = (name: string) => header.indexOf(name);
    const byOrder = rows.find((r) => r[col('平台订单号')] === '\t6917926768823643801');
    // Long ids keep every digit in Excel thanks to the tab, as the platforms do it.
    expect(byOrder).toBeDefined();
    expect(byOrder?.[col('下单时间')]).toBe('2026-04-15 20:31:00');
    expect(byOrder?.[col('金额(元)')]).toBe('1170.00');
    expect(byOrder?.[col('嘉宾')]).toBe('张县长');
    // A formula-looking note is neutralised for spreadsheets.
    expect(rows.some((r) => r[col('备注')] === '\'=HYPERLINK("x")')).toBe(true);
  });

  it('writes XLSX with numeric amounts and a per-segment sheet, and English headers on request', async () => {
    const target = `${kit.dir}/out/sales.xlsx`;
    const result = await kit.call('sales:export', {
      scope: { kind: 'show', showId: seed.show.id },
      format: 'xlsx',
      path: target,
      language: 'en',
    });
    expect(result.path).toBe(target);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(target);
    const sheet = workbook.getWorksheet('Sales');
    expect(sheet?.getRow(1).getCell(10).value).toBe('Amount (CNY)');
    let totalFen = 0;
    sheet?.eachRow((row, n) => {
      if (n > 1 && row.getCell(14).value === 'Paid') totalFen += Math.round(Number(row.getCell(10).value) * 100);
    });
    const analytics = await kit.call('sales:analytics-show', { showId: seed.show.id });
    expect(totalFen).toBe(analytics.totals.gmvFen);
    expect(workbook.getWorksheet('Segments')?.rowCount).toBe(4);
  });

  it('a path that names a folder, runs through a file, or is relative answers app/save-path and writes nothing', async () => {
    const out = `${kit.dir}/out`;
    fs.mkdirSync(`${out}/sales.csv`, { recursive: true });
    fs.writeFileSync(`${out}/notes.txt`, 'x');
    for (const target of [`${out}/sales.csv`, `${out}/notes.txt/sales.csv`, 'sales.csv']) {
      await expect(
        kit.call('sales:export', { scope: { kind: 'show', showId: seed.show.id }, format: 'csv', path: target }),
      ).rejects.toMatchObject({ code: 'app/save-path', params: { path: target } });
    }
    expect(fs.readdirSync(out).sort()).toEqual(['notes.txt', 'sales.csv']);
    expect(fs.readdirSync(`${out}/sales.csv`)).toEqual([]);
    expect(fs.readFileSync(`${out}/notes.txt`, 'utf8')).toBe('x');
    // An earlier export at the path is replaced whole, with nothing left beside it.
    fs.writeFileSync(`${out}/old.csv`, 'old');
    const result = await kit.call('sales:export', {
      scope: { kind: 'show', showId: seed.show.id },
      format: 'csv',
      path: `${out}/old.csv`,
    });
    expect(result.rows).toBe(7);
    expect(fs.readFileSync(`${out}/old.csv`, 'utf8')).toContain('平台订单号');
    expect(fs.readdirSync(out).sort()).toEqual(['notes.txt', 'old.csv', 'sales.csv']);
  });

  it('exports a product or a time range, and as bytes for a browser download', async () => {
    const product = await kit.call('sales:export', {
      scope: { kind: 'product', productId: seed.honey.id },
      format: 'csv',
      target: 'bytes',
    });
    expect(product.path).toBeNull();
    expect(product.rows).toBe(3);
    expect(Buffer.from(product.base64 ?? '', 'base64').toString('utf8')).toContain('百花蜂蜜');
    const range = await kit.call('sales:export', {
      scope: { kind: 'range', from: cst('21:00'), to: cst('22:00') },
      format: 'csv',
      target: 'bytes',
    });
    expect(range.rows).toBe(3);
  });

  it('neutralises formula-looking text in every CSV and XLSX cell, product names included', async () => {
    const hostile = ["=cmd|' /C calc'!A0", '+SUM(A1:A9)', '-2+3', '@SUM(1)', '\t=1+1', '\r=1+1'];
    const product = await kit.call('products:save', { name: hostile[0] ?? '', sku: 'Z9', unit: '箱', priceFen: 100 });
    for (const note of hostile.slice(1)) {
      await kit.call('sales:record', { productId: product.id, orderedAt: cst('21:10'), note });
    }
    const csv = await kit.call('sales:export', {
      scope: { kind: 'product', productId: product.id },
      format: 'csv',
      target: 'bytes',
    });
    const rows = Papa.parse<string[]>(
      Buffer.from(csv.base64 ?? '', 'base64')
        .toString('utf8')
        .slice(1)
        .trim(),
    ).data;
    const cells = rows.slice(1).flat();
    expect(
      cells.filter((c) => /^[=+\-@\t\r]/u.test(c) && !/^-?\d+(\.\d+)?$/u.test(c) && !/^\t\d{12,}$/u.test(c)),
    ).toEqual([]);
    for (const text of hostile) expect(cells).toContain(`'${text}`);

    const target = `${kit.dir}/out/hostile.xlsx`;
    await kit.call('sales:export', { scope: { kind: 'product', productId: product.id }, format: 'xlsx', path: target });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(target);
    const texts: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          if (typeof cell.value === 'string') texts.push(cell.value);
          expect(cell.formula).toBeUndefined();
        });
      }),
    );
    expect(texts.filter((c) => /^[=+\-@\t\r]/u.test(c) && !/^-?\d+(\.\d+)?$/u.test(c))).toEqual([]);
    // XML reading turns a stored CR into LF; the apostrophe in front is what matters.
    for (const text of hostile) expect(texts).toContain(`'${text}`.replace('\r', '\n'));
  });
});
