import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { centreErrorCodes } from '../../../shared/api/centre';
import { formatCentreAddress, parseCentreAddress } from '../../../shared/centre/address';
import { retryDelayMs } from '../../../shared/centre/backoff';
import { formatPairingCode, parsePairingCode } from '../../../shared/centre/pairing-code';
import { wholeMonths } from './centre-admin';

const root = path.resolve(import.meta.dirname, '../../..');
const load = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'renderer/i18n/locales', lang, 'centre.json'), 'utf8')) as Record<
    string,
    unknown
  >;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('centre translations and pure parts', () => {
  it('every centre error code has a sentence in zh-CN and en; both have the same keys; the page uses known keys', () => {
    for (const lang of ['zh-CN', 'en']) {
      const errors = load(lang).errors as Record<string, string>;
      for (const code of centreErrorCodes) expect(errors[code.slice('centre/'.length)], `${lang} ${code}`).toBeTruthy();
    }
    expect(keys(load('en')).sort()).toEqual(keys(load('zh-CN')).sort());
    const known = new Set(keys(load('zh-CN')));
    const text = fs.readFileSync(path.join(root, 'renderer/pages/centre-page.tsx'), 'utf8');
    const missing = [...text.matchAll(/\bt\('([a-zA-Z0-9.-]+)'/g)].map((m) => m[1]!).filter((k) => !known.has(k));
    expect(missing).toEqual([]);
  });

  it('pairing codes survive what people type: case, dashes, spaces, O for 0, I and L for 1', () => {
    const code = formatPairingCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    expect(code).toBe('0123-4567-89AB');
    expect(parsePairingCode(' o123 4567-89ab ')).toEqual({ roleSuffix: '0123', secret: '456789AB' });
    expect(parsePairingCode('I1L1-0000-0000')?.roleSuffix).toBe('1111');
    expect(parsePairingCode('0123-4567-89A')).toBeUndefined();
    expect(parsePairingCode('0123-4567-89AU')).toBeUndefined();
  });

  it('centre addresses: short forms, URLs without credentials, nothing else', () => {
    expect(parseCentreAddress('192.168.1.20')).toEqual({
      host: '192.168.1.20',
      port: 5432,
      database: 'harvest',
      ssl: 'off',
    });
    expect(parseCentreAddress('centre.local:6432/county')).toMatchObject({ port: 6432, database: 'county' });
    const tls = parseCentreAddress('postgres://db.example.cn/harvest?sslmode=require')!;
    expect(formatCentreAddress(tls)).toBe('postgres://db.example.cn:5432/harvest?sslmode=require');
    expect(parseCentreAddress('postgres://u:p@host/db')).toBeUndefined();
    expect(parseCentreAddress('host:99999')).toBeUndefined();
    expect(parseCentreAddress('a b')).toBeUndefined();
    expect(parseCentreAddress('[::1]:5433/x')).toMatchObject({ host: '::1', port: 5433 });
  });

  it('backoff doubles to five minutes with jitter', () => {
    expect(retryDelayMs(0, 0.5)).toBe(0);
    expect(retryDelayMs(1, 0.5)).toBe(2000);
    expect(retryDelayMs(3, 0.5)).toBe(8000);
    expect(retryDelayMs(40, 0.5)).toBe(300_000);
    expect(retryDelayMs(40, 0)).toBe(240_000);
  });

  it('whole months inside a range', () => {
    expect(wholeMonths('2026-01-10', '2026-03-15')).toEqual({ first: '2026-02-01', last: '2026-02-01' });
    expect(wholeMonths('2026-01-01', '2026-01-31')).toEqual({ first: '2026-01-01', last: '2026-01-01' });
    expect(wholeMonths('2025-12-01', '2026-02-28')).toEqual({ first: '2025-12-01', last: '2026-02-01' });
    const none = wholeMonths('2026-01-15', '2026-02-20');
    expect(none.first > none.last).toBe(true);
  });
});
