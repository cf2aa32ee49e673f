import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { showErrorCodes } from '../../../shared/api/show';

const root = path.resolve(import.meta.dirname, '../../..');
const load = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'renderer/i18n/locales', lang, 'show.json'), 'utf8')) as Record<
    string,
    unknown
  >;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('show translations', () => {
  it('every show error code has a sentence in zh-CN and en', () => {
    for (const lang of ['zh-CN', 'en']) {
      const errors = load(lang).errors as Record<string, string>;
      for (const code of showErrorCodes) expect(errors[code.slice('show/'.length)], `${lang} ${code}`).toBeTruthy();
    }
  });

  it('every literal key the show, presets and products UI uses exists', () => {
    const dirs = ['renderer/features/show', 'renderer/features/presets', 'renderer/features/products'];
    const known = new Set(keys(load('zh-CN')));
    const missing: string[] = [];
    for (const dir of dirs) {
      for (const name of fs.readdirSync(path.join(root, dir)).filter((n) => n.endsWith('.tsx'))) {
        const text = fs.readFileSync(path.join(root, dir, name), 'utf8');
        // Only the 'show' namespace's t (the preview also uses the compositor's as tc).
        for (const m of text.matchAll(/\bt\('([a-zA-Z0-9.-]+)'/g))
          if (!known.has(m[1]!)) missing.push(`${name}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('zh-CN and en have the same keys', () => {
    expect(keys(load('en')).sort()).toEqual(keys(load('zh-CN')).sort());
  });
});
