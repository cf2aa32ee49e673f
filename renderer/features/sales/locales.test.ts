import { describe, expect, it } from 'vitest';

import {
  badRowCodeSchema,
  importFieldSchema,
  importPlatformSchema,
  salesErrorCodes,
  saleStatusSchema,
} from '../../../shared/api/sales';
import enSales from '../../i18n/locales/en/sales.json';
import zhSales from '../../i18n/locales/zh-CN/sales.json';

type Locale = Record<string, Record<string, unknown>>;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('sales locales', () => {
  const zh = zhSales as Locale;
  const en = enSales as Locale;

  it('has the same keys in zh-CN and en', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('translates every sales error code, bad-row reason, status, platform and import field', () => {
    for (const code of salesErrorCodes) {
      const reason = code.slice('sales/'.length);
      expect(zh.errors?.[reason], code).toBeTypeOf('string');
      expect(en.errors?.[reason], code).toBeTypeOf('string');
    }
    for (const code of badRowCodeSchema.options) expect(zh.importRow?.[code], code).toBeTypeOf('string');
    for (const s of saleStatusSchema.options) expect(zh.status?.[s], s).toBeTypeOf('string');
    for (const p of importPlatformSchema.options) expect(zh.platforms?.[p], p).toBeTypeOf('string');
    for (const f of importFieldSchema.options) {
      expect((zh.import?.fields as Record<string, unknown>)[f], f).toBeTypeOf('string');
    }
  });
});
