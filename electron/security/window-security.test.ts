import { describe, expect, it, vi } from 'vitest';

import { MockSession, MockWebContents } from '../../test/mocks/electron';
import {
  installPermissionHandlers,
  isAppUrl,
  isTrustedSender,
  lockNavigation,
  secureWebPreferences,
} from './window-security';

describe('window hardening', () => {
  it('turns on isolation and sandbox and keeps Node out of every page', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('knows our origin from look-alikes', () => {
    expect(isAppUrl('app://studio/')).toBe(true);
    expect(isAppUrl('app://studio/program')).toBe(true);
    expect(isAppUrl('app://evil/')).toBe(false);
    expect(isAppUrl('https://studio/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('blocks navigation away and new windows; https links go to the system browser', () => {
    const contents = new MockWebContents();
    const openExternal = vi.fn();
    lockNavigation(contents as never, openExternal);
    const away = { preventDefault: vi.fn() };
    contents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    contents.emit('will-navigate', inside, 'app://studio/#/settings');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    expect(contents.windowOpenHandler?.({ url: 'https://shop.example/item/1' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://shop.example/item/1');
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('grants the camera to our pages only and blocks MediaPipe telemetry', () => {
    const session = new MockSession();
    installPermissionHandlers(session as never);
    const ask = (url: string, permission: string) =>
      new Promise<boolean>((resolve) => session.permissionRequestHandler?.({ getURL: () => url }, permission, resolve));
    return Promise.all([
      expect(ask('app://studio/', 'media')).resolves.toBe(true),
      expect(ask('https://evil.example/', 'media')).resolves.toBe(false),
      expect(ask('app://studio/', 'geolocation')).resolves.toBe(false),
    ]).then(() => {
      expect(session.permissionCheckHandler?.(null, 'media', 'app://studio')).toBe(true);
      expect(session.permissionCheckHandler?.(null, 'media', 'http://127.0.0.1:9999')).toBe(false);
      expect(session.blockedUrls.flat()).toContain('https://odml.pa.googleapis.com/*');
    });
  });

  it('trusts IPC only from our own frames', () => {
    expect(isTrustedSender({ url: 'app://studio/' })).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
