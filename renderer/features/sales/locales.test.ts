/// <reference types="vite/client" />

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

  it('has every key the sales and analytics components ask for', () => {
    const sources = import.meta.glob(['./*.tsx', '../analytics/*.tsx', '../analytics/*.ts', '!./*.test.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }) as Record<string, string>;
    expect(Object.keys(sources).length).toBeGreaterThan(4);
    const has = (locale: Locale, key: string) =>
      key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale);
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/gu)) {
        const key = m[1] ?? '';
        expect(has(zh, key), `${file}: ${key}`).toBeTypeOf('string');
        expect(has(en, key), `${file}: ${key}`).toBeTypeOf('string');
      }
    }
  });
});
