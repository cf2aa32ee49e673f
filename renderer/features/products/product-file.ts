import Papa from 'papaparse';

import type { Product, SalesPlatform } from '../../../shared/api/sales';
import { salesPlatformSchema } from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';
import { formatFen, parseYuanToFen } from '../../../shared/money';

/** A product as the products file carries it (the contract's `Product` fields, plus its story). */
export type ProductRow = Pick<
  Product,
  'name' | 'sku' | 'unit' | 'priceFen' | 'origin' | 'certifications' | 'shopLinks'
> & { story: string };

export interface ParsedProducts {
  rows: ProductRow[];
  /** Rows that could not be read, by line (1 = the header in CSV, the array index + 1 in JSON). */
  errors: { line: number; reason: 'no-name' | 'bad-price' | 'too-long' | 'bad-file' }[];
}

/** Columns of the CSV, in order; the first name is written, every name is read. */
const columns = {
  name: ['名称', 'name', '商品名称'],
  sku: ['SKU', 'sku', '货号'],
  unit: ['单位', 'unit'],
  price: ['价格（元）', 'price', '价格', '单价'],
  origin: ['产地', 'origin'],
  certifications: ['认证', 'certifications'],
  story: ['故事', 'story'],
} as const;

const platformColumns: Record<SalesPlatform, string> = {
  douyin: '抖音链接',
  taobao: '淘宝链接',
  kuaishou: '快手链接',
  pinduoduo: '拼多多链接',
  weixin: '视频号链接',
  xiaohongshu: '小红书链接',
  other: '其他链接',
};

const splitList = (text: string) =>
  text
    .split(/[,，、;；/]+/u)
    .map((x) => x.trim())
    .filter((x) => x !== '');

function checkRow(raw: Record<string, unknown>): ProductRow | ParsedProducts['errors'][number]['reason'] {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
  const name = text(raw.name);
  if (name === '') return 'no-name';
  const priceFen =
    typeof raw.priceFen === 'number' && Number.isSafeInteger(raw.priceFen) && raw.priceFen >= 0
      ? (raw.priceFen as Fen)
      : parseYuanToFen(text(raw.price));
  if (priceFen === undefined || priceFen < 0) return 'bad-price';
  const certifications = Array.isArray(raw.certifications)
    ? raw.certifications.map(text)
    : splitList(text(raw.certifications));
  const row: ProductRow = {
    name,
    sku: text(raw.sku),
    unit: text(raw.unit),
    priceFen,
    origin: text(raw.origin),
    certifications: certifications.filter((c) => c !== ''),
    story: text(raw.story),
    shopLinks: {},
  };
  const links = (raw.shopLinks ?? {}) as Record<string, unknown>;
  for (const p of salesPlatformSchema.options) {
    const url = text(links[p]);
    if (url !== '') row.shopLinks[p] = url;
  }
  if (
    Array.from(row.name).length > 60 ||
    row.sku.length > 64 ||
    row.unit.length > 20 ||
    row.origin.length > 60 ||
    row.certifications.length > 6 ||
    row.certifications.some((c) => c.length > 20) ||
    row.story.length > 2000
  ) {
    return 'too-long';
  }
  return row;
}

/** Reads a products file: our JSON export, or a CSV with the columns of `productsToCsv`. */
export function parseProductFile(fileName: string, text: string): ParsedProducts {
  const out: ParsedProducts = { rows: [], errors: [] };
  const body = text.replace(/^\uFEFF/, '');
  let records: Record<string, unknown>[];
  let firstLine: number;
  if (/\.json$/i.test(fileName) || body.trimStart().startsWith('[')) {
    try {
      const json: unknown = JSON.parse(body);
      const list = Array.isArray(json) ? json : (json as { products?: unknown }).products;
      if (!Array.isArray(list)) throw new Error('not a list');
      records = list.map((x) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {}));
      firstLine = 1;
    } catch {
      return { rows: [], errors: [{ line: 0, reason: 'bad-file' }] };
    }
  } else {
    const parsed = Papa.parse<Record<string, string>>(body, { header: true, skipEmptyLines: 'greedy' });
    const lookup = (row: Record<string, string>, names: readonly string[]) => {
      for (const n of names) if (row[n] !== undefined) return row[n];
      return '';
    };
    records = parsed.data.map((row) => {
      const shopLinks: Record<string, string> = {};
      for (const [p, column] of Object.entries(platformColumns)) shopLinks[p] = row[column] ?? row[p] ?? '';
      return {
        name: lookup(row, columns.name),
        sku: lookup(row, columns.sku),
        unit: lookup(row, columns.unit),
        price: lookup(row, columns.price),
        origin: lookup(row, columns.origin),
        certifications: lookup(row, columns.certifications),
        story: lookup(row, columns.story),
        shopLinks,
      };
    });
    firstLine = 2;
  }
  records.forEach((raw, i) => {
    const checked = checkRow(raw);
    if (typeof checked === 'string') out.errors.push({ line: i + firstLine, reason: checked });
    else out.rows.push(checked);
  });
  return out;
}

/** CSV that Excel and WPS open right (UTF-8 with BOM), with prices in yuan. */
export function productsToCsv(rows: readonly ProductRow[]): string {
  const header = [
    columns.name[0],
    columns.sku[0],
    columns.unit[0],
    columns.price[0],
    columns.origin[0],
    columns.certifications[0],
    columns.story[0],
    ...salesPlatformSchema.options.map((p) => platformColumns[p]),
  ];
  const data = rows.map((r) => [
    r.name,
    // Excel would turn a long digit string into 1.23E+12; a tab keeps it text and is trimmed on import.
    /^\d{11,}$/.test(r.sku) ? `\t${r.sku}` : r.sku,
    r.unit,
    formatFen(r.priceFen, { symbol: false }).replace(/,/g, ''),
    r.origin,
    r.certifications.join('、'),
    r.story,
    ...salesPlatformSchema.options.map((p) => r.shopLinks[p] ?? ''),
  ]);
  return `\uFEFF${Papa.unparse({ fields: header, data }, { newline: '\r\n' })}`;
}

/** The JSON export: everything, prices in fen. */
export function productsToJson(rows: readonly ProductRow[]): string {
  return JSON.stringify({ format: 'harvest-products', version: 1, products: rows }, null, 2);
}
