import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { obsErrorCodes } from '../../../shared/api/obs';

const localesDir = path.resolve(import.meta.dirname, '../../../renderer/i18n/locales');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('obs translations', () => {
  const zh = JSON.parse(fs.readFileSync(path.join(localesDir, 'zh-CN/obs.json'), 'utf8')) as Record<string, unknown>;
  const en = JSON.parse(fs.readFileSync(path.join(localesDir, 'en/obs.json'), 'utf8')) as Record<string, unknown>;

  it('has a sentence for every obs/* error code in both languages', () => {
    for (const code of obsErrorCodes) {
      const reason = code.slice('obs/'.length);
      expect((zh.errors as Record<string, string>)[reason], `zh-CN ${code}`).toMatch(/\S/);
      expect((en.errors as Record<string, string>)[reason], `en ${code}`).toMatch(/\S/);
    }
  });

  it('has the same keys in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
});
