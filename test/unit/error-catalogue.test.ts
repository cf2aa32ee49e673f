import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { errorCodes } from '../../shared/api/contract';
import { errorTranslationKey } from '../../shared/api/result';

const root = path.resolve(import.meta.dirname, '../..');
const locale = (lang: string, ns: string): Record<string, unknown> => {
  const file = path.join(root, 'renderer/i18n/locales', lang, `${ns}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
};

// StudioError.code is typed as the catalogue's union, so the catalogue is the list of every error a user
// can meet: each needs a sentence in both languages, in its domain's namespace.
describe('error catalogue', () => {
  it('has every code once, in the domain/reason form', () => {
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
    for (const code of errorCodes) expect(code).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
  });

  it('every code has errors.<reason> in zh-CN and en', () => {
    const missing: string[] = [];
    for (const lang of ['zh-CN', 'en']) {
      for (const code of errorCodes) {
        const { ns, key } = errorTranslationKey(code);
        const errors = locale(lang, ns).errors as Record<string, unknown> | undefined;
        const text = errors?.[key.slice('errors.'.length)];
        if (typeof text !== 'string' || text.trim() === '') missing.push(`${lang} ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the compositor codes the renderer raises are in the catalogue', () => {
    expect(errorCodes).toEqual(expect.arrayContaining(['compositor/no-camera', 'compositor/webgl-unavailable']));
  });
});
