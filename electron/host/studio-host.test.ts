import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';

import { assetsRequests } from '../../shared/api/assets';
import { salesRequests } from '../../shared/api/sales';
import { showRequests } from '../../shared/api/show';
import { wsMaxBase64Chars, wsMaxMessageBytes } from '../../shared/api/wire';
import { writeDouyinOrders } from '../../test/fixtures/orders/make-fixtures';
import type { FuzzHost } from '../../test/fuzz/harness';
import { ApiSocket, rawHttp, startFuzzHost } from '../../test/fuzz/harness';

// The studio host against what issue 10 found ending it, and the upload path for big files.

let h: FuzzHost;

beforeAll(async () => {
  h = await startFuzzHost();
}, 120_000);

afterAll(async () => {
  await h.close();
}, 60_000);

const get = (pathAndQuery: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: h.port, path: pathAndQuery, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
      })
      .on('error', reject);
  });

function upload(query: string, body: fs.ReadStream | Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: h.port, method: 'POST', path: `/upload?${query}`, headers },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text === '' ? undefined : JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

describe('studio host under hostile requests', () => {
  it('answers NUL bytes in paths with 400, with or without a token, and keeps serving', async () => {
    for (const probe of ['/%00', '/program%00.html', '/library/%00', `/%00?token=${h.token}`, '/assets/%E0%A4%A']) {
      expect((await get(probe)).status, probe).toBe(400);
    }
    // An absolute-form target that URL cannot parse was a synchronous throw in the handler.
    expect(await rawHttp(h.port, Buffer.from(`GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n\r\n`))).toBe(
      400,
    );
    expect((await get(`/?token=${h.token}`)).status).toBe(200);
    expect(h.faults()).toBe(0);
  });

  it('serves files with Range requests', async () => {
    const part = await get('/assets/app.js', { range: 'bytes=0-6' });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('console');
    expect(part.headers['content-range']).toBe('bytes 0-6/14');
    expect((await get('/assets/app.js', { range: 'bytes=900-' })).status).toBe(416);
  });

  it('refuses a WebSocket message over the limit with close code 1009 and stays up for others', async () => {
    const big = await ApiSocket.open(h.port, h.token);
    const other = await ApiSocket.open(h.port, h.token);
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
    void big.raw(Buffer.alloc(wsMaxMessageBytes + 1024, 0x20).toString());
    expect(await closed).toBe(1009);
    expect((await other.call('app:info', undefined)).ok).toBe(true);
    const again = await ApiSocket.open(h.port, h.token);
    expect((await again.call('app:info', undefined)).ok).toBe(true);
    for (const s of [other, again]) s.close();
    expect(h.faults()).toBe(0);
  }, 60_000);

  it("keeps the contract's base64 limits inside one WebSocket message", () => {
    // One character more than fits in a frame must be refused by every base64 field.
    const tooLong = 'A'.repeat(wsMaxBase64Chars + 4);
    const cases: [string, z.ZodType, unknown][] = [
      ['assets:upload', assetsRequests['assets:upload'].input, { name: 'a.glb', dataBase64: tooLong }],
      [
        'sales:import-preview',
        salesRequests['sales:import-preview'].input,
        { source: { kind: 'bytes', name: 'a.csv', base64: tooLong } },
      ],
      ['show:package-import', showRequests['show:package-import'].input, { fileName: 'a.zip', dataBase64: tooLong }],
    ];
    for (const [name, schema, payload] of cases) expect(schema.safeParse(payload).success, name).toBe(false);
    expect(wsMaxBase64Chars).toBeLessThan(wsMaxMessageBytes);
  });

  it('refuses uploads without the token, without a name, or declared over the limit', async () => {
    expect((await upload('name=a.csv', Buffer.from('x'))).status).toBe(401);
    expect((await upload(`token=${h.token}`, Buffer.from('x'))).status).toBe(400);
    const tooBig = await upload(`token=${h.token}&name=a.csv`, Buffer.from('x'), {
      'content-length': String(3 * 1024 ** 3),
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ ok: false, error: { code: 'app/upload-too-large' } });
    const uploads = path.join(h.dataDir, 'tmp', 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
  });

  it('imports a 200 MB order export uploaded from the browser, by its staged path', async () => {
    const file = path.join(h.scratch, 'douyin-200mb.csv');
    const rows = await writeDouyinOrders(file, { bytes: 200 * 1024 * 1024 });
    const size = fs.statSync(file).size;
    const staged = await upload(
      `token=${h.token}&name=${encodeURIComponent('抖店订单.csv')}`,
      fs.createReadStream(file),
      {
        'content-length': String(size),
      },
    );
    expect(staged.status).toBe(200);
    const value = (staged.json as { ok: true; value: { path: string; bytes: number } }).value;
    expect(value.bytes).toBe(size);
    expect(path.basename(value.path)).toBe('抖店订单.csv');
    fs.rmSync(file);
    const api = await ApiSocket.open(h.port, h.token);
    const preview = await api.call('sales:import-preview', { source: { kind: 'path', path: value.path } }, 600_000);
    expect(preview).toMatchObject({ ok: true, value: { platform: 'douyin', okRows: rows, badRowCount: 0 } });
    api.close();
  }, 900_000);
});
