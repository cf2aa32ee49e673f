import { describe, expect, it } from 'vitest';

import { contentSecurityPolicy } from './security/csp';
import { controlWindowOptions, programWindowOptions, programWindowTitle } from './windows';

describe('windows', () => {
  it.each([
    ['1920x1080', 1920, 1080],
    ['1280x720', 1280, 720],
    ['1080x1920', 1080, 1920],
  ] as const)('program window for %s is frameless and exactly the output size', (format, width, height) => {
    const options = programWindowOptions('/p.cjs', format);
    expect(options).toMatchObject({ width, height, useContentSize: true, frame: false, resizable: false });
    expect(options.title).toBe(programWindowTitle);
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('control window is hardened too', () => {
    expect(controlWindowOptions('/p.cjs').webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
  });

  it('CSP allows only our origin, wasm, and (host mode) the loopback WebSocket', () => {
    const ipc = contentSecurityPolicy({ allowWebSocket: false });
    expect(ipc).toContain("default-src 'self'");
    expect(ipc).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(ipc).toContain("object-src 'none'");
    expect(ipc).not.toContain("'unsafe-eval'");
    expect(ipc).not.toContain('ws://');
    expect(contentSecurityPolicy({ allowWebSocket: true })).toContain('ws://127.0.0.1:*');
  });
});
