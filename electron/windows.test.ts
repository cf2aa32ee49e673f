import { describe, expect, it } from 'vitest';

import { contentSecurityPolicy } from './security/csp';
import { controlWindowOptions, programWindowOptions, programWindowPlacement, programWindowTitle } from './windows';

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

describe('windows on a small screen', () => {
  const laptop = {
    id: 1,
    bounds: { x: 0, y: 0, width: 1366, height: 768 },
    workArea: { x: 0, y: 0, width: 1366, height: 728 },
  };

  it('sizes the control window to the work area of a 1366×768 laptop', () => {
    const options = controlWindowOptions('/p.cjs', laptop.workArea);
    expect(options).toMatchObject({ width: 1366, height: 728, x: 0, y: 0 });
    expect(options.minWidth).toBeLessThanOrEqual(1366);
    expect(options.minHeight).toBeLessThanOrEqual(728);
    expect(controlWindowOptions('/p.cjs', { x: 0, y: 0, width: 2560, height: 1400 })).toMatchObject({
      width: 1440,
      height: 900,
      x: 560,
      y: 250,
    });
  });

  it('keeps the program window at its exact size, on a second display when one fits it', () => {
    const size = { width: 1920, height: 1080 };
    expect(programWindowOptions('/p.cjs', '1920x1080')).toMatchObject({ ...size, enableLargerThanScreen: true });
    expect(programWindowPlacement([laptop], 1, size)).toEqual({ x: 0, y: 0, display: 'primary' });
    const tv = {
      id: 2,
      bounds: { x: 1366, y: 0, width: 1920, height: 1080 },
      workArea: { x: 1366, y: 0, width: 1920, height: 1040 },
    };
    expect(programWindowPlacement([laptop, tv], 1, size)).toEqual({ x: 1366, y: 0, display: 'secondary' });
    const small = { ...tv, bounds: { ...tv.bounds, width: 1280, height: 720 } };
    expect(programWindowPlacement([laptop, small], 1, size).display).toBe('primary');
  });
});
