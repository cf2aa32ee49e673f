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
