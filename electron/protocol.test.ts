import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { createAppProtocolHandler } from './protocol';

describe('app:// protocol', () => {
  const renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-proto-'));
  fs.writeFileSync(path.join(renderer, 'index.html'), '<html>control</html>');
  fs.writeFileSync(path.join(renderer, 'program.html'), '<html>program</html>');
  const library = path.join(os.tmpdir(), `harvest-lib-${process.pid}.glb`);
  fs.writeFileSync(library, 'glTF');
  const handle = createAppProtocolHandler(renderer, (p) => (p === '/library/files/a.glb' ? library : undefined));

  it('serves the two pages with the CSP header', async () => {
    const control = await handle(new Request('app://studio/'));
    expect(await control.text()).toBe('<html>control</html>');
    expect(control.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await (await handle(new Request('app://studio/program'))).text()).toBe('<html>program</html>');
  });

  it('serves library files through the resolver only', async () => {
    const ok = await handle(new Request('app://studio/library/files/a.glb'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('model/gltf-binary');
    expect((await handle(new Request('app://studio/library/files/b.glb'))).status).toBe(404);
  });

  it('never leaves the renderer folder', async () => {
    for (const probe of [
      'app://studio/%2e%2e/%2e%2e/etc/passwd',
      'app://studio/..%2fsecrets.json',
      'app://studio/%E0%A4%A',
    ]) {
      expect([400, 404]).toContain((await handle(new Request(probe))).status);
    }
  });
});

describe('app:// media and MIME types', () => {
  const renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-proto-media-'));
  const video = path.join(renderer, 'clip.mp4');
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
  fs.writeFileSync(video, bytes);
  for (const ext of ['gltf', 'ktx2', 'jpeg', 'task', 'tflite']) fs.writeFileSync(path.join(renderer, `f.${ext}`), 'x');
  const handle = createAppProtocolHandler(renderer, () => undefined);

  it('answers Range requests with 206 and the slice, and 416 past the end', async () => {
    const part = await handle(new Request('app://studio/clip.mp4', { headers: { range: 'bytes=100-199' } }));
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
    const tail = await handle(new Request('app://studio/clip.mp4', { headers: { range: 'bytes=-10' } }));
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(bytes.subarray(990));
    const whole = await handle(new Request('app://studio/clip.mp4'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(1000);
    const past = await handle(new Request('app://studio/clip.mp4', { headers: { range: 'bytes=5000-' } }));
    expect(past.status).toBe(416);
  });

  it('knows the types the host knows', async () => {
    const expected: Record<string, string> = {
      gltf: 'model/gltf+json',
      ktx2: 'image/ktx2',
      jpeg: 'image/jpeg',
      task: 'application/octet-stream',
      tflite: 'application/octet-stream',
    };
    for (const [ext, type] of Object.entries(expected)) {
      expect((await handle(new Request(`app://studio/f.${ext}`))).headers.get('content-type')).toBe(type);
    }
  });

  it('answers NUL bytes and broken escapes with 400, not a throw', async () => {
    expect((await handle(new Request('app://studio/%00'))).status).toBe(400);
    expect((await handle(new Request('app://studio/program%00.html'))).status).toBe(400);
  });
});
