import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { IpcMainInvokeEvent } from 'electron';
import { app, BrowserWindow, globalShortcut, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';

import type { GlobalShortcutAction, ShortcutStatus } from '../shared/api/app';
import { ipcChannels } from '../shared/api/bridge';
import { reloadWhenPageGone } from './crash-recovery';
import { setupGraphics } from './graphics';
import { registerIpc } from './ipc';
import { createAppProtocolHandler } from './protocol';
import { appHost, appOrigin, appScheme, installPermissionHandlers, lockNavigation } from './security/window-security';
import { createStudioServices } from './services';
import { appRootFrom } from './services/app-paths';
import { installLastResort } from './services/last-resort';
import { createLogger, RotatingLogSink } from './services/logger';
import { LiveShortcuts } from './shortcuts';
import { controlWindowOptions, programWindowOptions, programWindowPlacement } from './windows';

declare const __APP_VERSION__: string;

// Must run before `ready`: our scheme behaves like https (secure context for the camera, fetch, workers).
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

// Also before `ready`: software WebGL where this PC has no usable GPU (electron/graphics.ts).
const graphics = setupGraphics(app);

const appRoot = appRootFrom(import.meta.dirname);
const rendererDir = path.join(appRoot, 'dist', 'renderer');
const preload = path.join(import.meta.dirname, 'preload.cjs');

/** better-sqlite3 built for Electron's ABI, kept apart from the Node build the tests use. */
function electronSqliteBinding(): string | undefined {
  const candidates = [
    path.join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    path.join(appRoot, '.electron-native', 'better_sqlite3.node'),
  ];
  return candidates.find((file) => fs.existsSync(file));
}

async function main(): Promise<void> {
  let isQuitting = false;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const sink = new RotatingLogSink({ dir: path.join(dataDir, 'logs'), echo: !app.isPackaged });
  const logger = createLogger('main', sink);
  void graphics.afterReady(logger);
  installLastResort(logger);
  const sqliteNativeBinding = electronSqliteBinding();
  const shortcutsRef: { current?: LiveShortcuts } = {};
  const services = createStudioServices({
    dataDir,
    appRoot,
    logger,
    mode: 'electron',
    version: __APP_VERSION__,
    encryptor: safeStorage,
    shortcutStatus: (): ShortcutStatus[] => shortcutsRef.current?.status() ?? [],
    ...(sqliteNativeBinding === undefined ? {} : { sqliteNativeBinding }),
  });

  protocol.handle(
    appScheme,
    createAppProtocolHandler(rendererDir, services.resolveLibraryFile, (error) =>
      logger.warn('app:// read failed', { error: String(error) }),
    ),
  );
  installPermissionHandlers(session.defaultSession);
  app.on('web-contents-created', (_e, contents) => lockNavigation(contents, (url) => void shell.openExternal(url)));

  const primary = screen.getPrimaryDisplay();
  const control = new BrowserWindow(controlWindowOptions(preload, primary.workArea));
  const programOptions = programWindowOptions(preload, services.settings.get().outputFormat);
  const program = new BrowserWindow({
    ...programOptions,
    ...programWindowPlacement(screen.getAllDisplays(), primary.id, {
      width: programOptions.width ?? 1920,
      height: programOptions.height ?? 1080,
    }),
  });
  control.once('ready-to-show', () => control.show());
  program.once('ready-to-show', () => program.showInactive());
  // OBS's window capture matches the title: the page may not rename the window.
  program.on('page-title-updated', (event) => event.preventDefault());
  // The program window is an output, not a place to work: closing it only hides it.
  program.on('close', (event) => {
    if (!isQuitting) {
      event.preventDefault();
      program.hide();
    }
  });
  control.on('closed', () => app.quit());
  reloadWhenPageGone(control, 'control', logger, () => isQuitting);
  reloadWhenPageGone(program, 'program', logger, () => isQuitting);

  const windowOf = (event: IpcMainInvokeEvent) =>
    event.sender === control.webContents ? 'control' : event.sender === program.webContents ? 'program' : undefined;
  registerIpc(ipcMain, services.router, windowOf);

  // NEXT, BACK and quick sale while OBS or 直播伴侣 has the focus; the outcome goes to the control window.
  const shortcutRequests = {
    next: () => services.router.call('show:live-next', undefined, { transport: 'ipc', window: 'control' }),
    back: () => services.router.call('show:live-back', undefined, { transport: 'ipc', window: 'control' }),
    quickSale: () =>
      services.router.call(
        'sales:record',
        { quantity: 1, entryKey: randomUUID() },
        { transport: 'ipc', window: 'control' },
      ),
  } satisfies Record<GlobalShortcutAction, unknown>;
  const shortcuts = new LiveShortcuts(globalShortcut, (action) => {
    void shortcutRequests[action]().then((result) =>
      services.bus.emit('app:shortcut-used', { action, error: result.ok ? null : result.error }),
    );
  });
  shortcutsRef.current = shortcuts;
  let appliedShortcuts = JSON.stringify(services.settings.get().shortcuts);
  services.bus.emit('app:shortcuts-changed', shortcuts.apply(services.settings.get().shortcuts));

  services.bus.subscribe((name, payload) => {
    for (const win of [control, program])
      if (!win.isDestroyed()) win.webContents.send(ipcChannels.event, name, payload);
    if (name === 'settings:changed') {
      const { width, height } = programWindowOptions(preload, services.settings.get().outputFormat);
      if (!program.isDestroyed()) program.setContentSize(width ?? 1920, height ?? 1080);
      const next = services.settings.get().shortcuts;
      if (JSON.stringify(next) !== appliedShortcuts) {
        appliedShortcuts = JSON.stringify(next);
        services.bus.emit('app:shortcuts-changed', shortcuts.apply(next));
      }
    }
  });

  await services.start();
  await control.loadURL(`${appOrigin}/`);
  await program.loadURL(`${appOrigin}/program`);
  logger.info('started', { dataDir, host: appHost });

  app.on('before-quit', (event) => {
    if (isQuitting) return;
    isQuitting = true;
    event.preventDefault();
    shortcuts.clear();
    // Drain pending sales writes and close OBS cleanly, then really quit.
    void services.close().finally(() => app.exit(0));
  });
}

void main();
