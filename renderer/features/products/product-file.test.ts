import { describe, expect, it } from 'vitest';

import type { Fen } from '../../../shared/money';
import type { ProductRow } from './product-file';
import { parseProductFile, productsToCsv, productsToJson } from './product-file';

const rows: ProductRow[] = [
  {
    name: '赣南脐橙 5斤装',
    sku: '123456789012',
    unit: '箱',
    priceFen: 123450 as Fen,
    origin: '江西赣州',
    certifications: ['地理标志', '绿色食品'],
    story: '山坡上的果园，"日照"足，逗号,也不怕',
    shopLinks: { douyin: 'https://example.com/a?x=1,2', taobao: 'https://example.com/t' },
  },
  {
    name: '土蜂蜜',
    sku: '',
    unit: '瓶',
    priceFen: 6800 as Fen,
    origin: '',
    certifications: [],
    story: '',
    shopLinks: {},
  },
];

describe('products file', () => {
  it('CSV round trip keeps every field, with a BOM for Excel and prices in yuan', () => {
    const csv = productsToCsv(rows);
    expect(csv.startsWith('\uFEFF名称,SKU,单位,价格（元）')).toBe(true);
    expect(csv).toContain('1234.50');
    const back = parseProductFile('products.csv', csv);
    expect(back.errors).toEqual([]);
    expect(back.rows).toEqual(rows);
  });

  it('JSON round trip', () => {
    expect(parseProductFile('p.json', productsToJson(rows))).toEqual({ rows, errors: [] });
  });

  it('reports bad rows with their line and keeps the good ones', () => {
    const csv = '名称,价格（元）,单位\n苹果,¥12.50,斤\n,3,个\n梨,abc,斤\n' + `${'长'.repeat(61)},1,个\n`;
    const parsed = parseProductFile('x.csv', csv);
    expect(parsed.rows.map((r) => [r.name, r.priceFen])).toEqual([['苹果', 1250]]);
    expect(parsed.errors).toEqual([
      { line: 3, reason: 'no-name' },
      { line: 4, reason: 'bad-price' },
      { line: 5, reason: 'too-long' },
    ]);
    expect(parseProductFile('x.json', '{oops').errors).toEqual([{ line: 0, reason: 'bad-file' }]);
  });
});
