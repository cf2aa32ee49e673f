import fs from 'node:fs';
import path from 'node:path';

import type { IpcMainInvokeEvent } from 'electron';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, shell } from 'electron';

import { ipcChannels } from '../shared/api/bridge';
import { reloadWhenPageGone } from './crash-recovery';
import { registerIpc } from './ipc';
import { createAppProtocolHandler } from './protocol';
import { appHost, appOrigin, appScheme, installPermissionHandlers, lockNavigation } from './security/window-security';
import { createStudioServices } from './services';
import { appRootFrom } from './services/app-paths';
import { installLastResort } from './services/last-resort';
import { createLogger, RotatingLogSink } from './services/logger';
import { controlWindowOptions, programWindowOptions } from './windows';

declare const __APP_VERSION__: string;

// Must run before `ready`: our scheme behaves like https (secure context for the camera, fetch, workers).
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

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
  installLastResort(logger);
  const sqliteNativeBinding = electronSqliteBinding();
  const services = createStudioServices({
    dataDir,
    appRoot,
    logger,
    mode: 'electron',
    version: __APP_VERSION__,
    encryptor: safeStorage,
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

  const control = new BrowserWindow(controlWindowOptions(preload));
  const program = new BrowserWindow(programWindowOptions(preload, services.settings.get().outputFormat));
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
  services.bus.subscribe((name, payload) => {
    for (const win of [control, program])
      if (!win.isDestroyed()) win.webContents.send(ipcChannels.event, name, payload);
    if (name === 'settings:changed') {
      const { width, height } = programWindowOptions(preload, services.settings.get().outputFormat);
      if (!program.isDestroyed()) program.setContentSize(width ?? 1920, height ?? 1080);
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
    // Drain pending sales writes and close OBS cleanly, then really quit.
    void services.close().finally(() => app.exit(0));
  });
}

void main();
