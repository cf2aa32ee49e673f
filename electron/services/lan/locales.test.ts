import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { lanErrorCodes } from '../../../shared/api/lan';

const root = path.resolve(import.meta.dirname, '../../..');
const load = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'renderer/i18n/locales', lang, 'lan.json'), 'utf8')) as Record<
    string,
    unknown
  >;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('lan translations', () => {
  it('every lan error code has a sentence in zh-CN and en', () => {
    for (const lang of ['zh-CN', 'en']) {
      const errors = load(lang).errors as Record<string, string>;
      for (const code of lanErrorCodes) expect(errors[code.slice('lan/'.length)], `${lang} ${code}`).toBeTruthy();
    }
  });

  it('zh-CN and en have the same keys, and every literal key the settings and panel use exists', () => {
    expect(keys(load('en')).sort()).toEqual(keys(load('zh-CN')).sort());
    const known = new Set(keys(load('zh-CN')));
    const missing: string[] = [];
    for (const file of ['renderer/features/lan/lan-settings.tsx', 'renderer/panel/main.ts']) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9.-]+)'/g))
        if (!known.has(m[1]!)) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });
});
