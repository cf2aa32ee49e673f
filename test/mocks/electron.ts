import { EventEmitter } from 'node:events';

import { vi } from 'vitest';

/**
 * One shared mock of the `electron` module for unit tests of main-process code
 * (`vi.mock('electron', () => import('../test/mocks/electron'))`). It records what main does
 * with windows, sessions, protocols and IPC, so tests can assert on it.
 */
export class MockWebContents extends EventEmitter {
  url = '';
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  readonly send = vi.fn();
  readonly reload = vi.fn();
  getURL = () => this.url;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }) {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new MockWebContents();
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  readonly show = vi.fn();
  readonly showInactive = vi.fn();
  readonly hide = vi.fn();
  readonly setContentSize = vi.fn();
  readonly setPosition = vi.fn();
  readonly setBounds = vi.fn();
  isDestroyed = () => false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
}

export class MockSession {
  permissionRequestHandler:
    ((contents: { getURL(): string }, permission: string, cb: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string) => boolean) | undefined;
  readonly blockedUrls: string[][] = [];
  setPermissionRequestHandler(h: MockSession['permissionRequestHandler']) {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: MockSession['permissionCheckHandler']) {
    this.permissionCheckHandler = h;
  }
  readonly webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, _listener: unknown) => {
      this.blockedUrls.push(filter.urls);
    },
  };
}

export const session = { defaultSession: new MockSession() };

class MockIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
  handle(channel: string, handler: (...args: unknown[]) => unknown) {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}
export const ipcMain = new MockIpcMain();

export const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: undefined })),
  on: vi.fn(),
  removeListener: vi.fn(),
};

export const exposed: Record<string, unknown> = {};
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposed[key] = api;
  }),
};

export const webUtils = { getPathForFile: vi.fn((file: { path?: string }) => file.path ?? '') };
export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
export const shell = { openExternal: vi.fn(async () => undefined) };
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(`enc:${s}`),
  decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
};
/** Global shortcuts: keys in `taken` belong to "another app", so register() answers false. */
export const globalShortcut = {
  handlers: new Map<string, () => void>(),
  taken: new Set<string>(),
  register: vi.fn((accelerator: string, callback: () => void): boolean => {
    if (!/^[A-Za-z0-9]+(\+[A-Za-z0-9]+)*$/.test(accelerator)) throw new Error(`bad accelerator ${accelerator}`);
    if (globalShortcut.taken.has(accelerator) || globalShortcut.handlers.has(accelerator)) return false;
    globalShortcut.handlers.set(accelerator, callback);
    return true;
  }),
  unregister: vi.fn((accelerator: string) => {
    globalShortcut.handlers.delete(accelerator);
  }),
  unregisterAll: vi.fn(() => globalShortcut.handlers.clear()),
  /** Presses a key as if another app were in front. */
  press(accelerator: string) {
    globalShortcut.handlers.get(accelerator)?.();
  },
};

/** Displays: one 1366×768 laptop screen unless a test sets others. */
export const screen = {
  displays: [
    { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 }, workArea: { x: 0, y: 0, width: 1366, height: 728 } },
  ],
  getPrimaryDisplay: vi.fn(() => screen.displays[0]!),
  getAllDisplays: vi.fn(() => screen.displays),
};

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  whenReady: vi.fn(async () => undefined),
  getPath: vi.fn(() => '/tmp/harvest-mock-userdata'),
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
  exit: vi.fn(),
  commandLine: { appendSwitch: vi.fn(), hasSwitch: vi.fn(() => false), getSwitchValue: vi.fn(() => '') },
  // A machine with a working GPU unless a test says otherwise.
  getGPUFeatureStatus: vi.fn((): Record<string, string> => ({ webgl: 'enabled', webgl2: 'enabled' })),
  getGPUInfo: vi.fn(async (_kind: 'basic' | 'complete'): Promise<unknown> => ({
    gpuDevice: [{ active: true, vendorId: 0x10de, deviceId: 0x1c82 }],
  })),
});

export default {
  webUtils,
  BrowserWindow,
  session,
  ipcMain,
  ipcRenderer,
  contextBridge,
  protocol,
  shell,
  safeStorage,
  app,
  globalShortcut,
  screen,
};
