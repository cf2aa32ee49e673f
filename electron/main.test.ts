import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it, vi } from 'vitest';

import { defaultShortcuts } from '../shared/api/app';
import { app, BrowserWindow, globalShortcut, ipcMain, protocol, session } from '../test/mocks/electron';

vi.mock('electron', () => import('../test/mocks/electron'));

describe('Electron main', () => {
  it('opens a control window and an exact-size program window, hardened, on our own origin', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-main-'));
    app.getPath.mockReturnValue(userData);
    await import('./main');
    await vi.waitFor(() => expect(BrowserWindow.instances[1]?.loadURL).toHaveBeenCalled(), { timeout: 10_000 });

    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // Graphics switches before ready (a new machine: software WebGL allowed), what was found kept.
    expect(app.commandLine.appendSwitch).toHaveBeenCalledWith('enable-unsafe-swiftshader');
    await vi.waitFor(() => expect(fs.existsSync(path.join(userData, 'graphics.json'))).toBe(true));
    expect(session.defaultSession.permissionRequestHandler).toBeDefined();
    expect(ipcMain.handlers.has('studio:call')).toBe(true);

    const [control, program] = BrowserWindow.instances;
    expect(control?.loadURL).toHaveBeenCalledWith('app://studio/');
    expect(program?.loadURL).toHaveBeenCalledWith('app://studio/program');
    expect(program?.options).toMatchObject({ width: 1920, height: 1080, frame: false, x: 0, y: 0 });
    // The mock screen is a 1366×768 laptop: the control window fits its work area.
    expect(control?.options).toMatchObject({ width: 1366, height: 728 });

    // NEXT pressed while another app is in front reaches the show domain; with no show on air
    // the control window hears why.
    expect([...globalShortcut.handlers.keys()].sort()).toEqual(Object.values(defaultShortcuts).sort());
    globalShortcut.press(defaultShortcuts.next);
    await vi.waitFor(() =>
      expect(control?.webContents.send).toHaveBeenCalledWith(
        'studio:event',
        'app:shortcut-used',
        expect.objectContaining({ action: 'next', error: expect.objectContaining({ code: 'show/not-live' }) }),
      ),
    );
    for (const win of [control, program]) {
      expect(win?.options.webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
      });
    }

    // Closing the program window hides it; it is an output, not a document.
    const closeEvent = { preventDefault: vi.fn() };
    program?.emit('close', closeEvent);
    expect(closeEvent.preventDefault).toHaveBeenCalled();
    expect(program?.hide).toHaveBeenCalled();

    // A crashed page is logged and loaded again; a clean exit is left alone.
    vi.useFakeTimers();
    program?.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 133 });
    control?.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    await vi.runAllTimersAsync();
    vi.useRealTimers();
    expect(program?.webContents.reload).toHaveBeenCalledTimes(1);
    expect(control?.webContents.reload).not.toHaveBeenCalled();

    // Quitting drains the services first, then exits.
    const quitEvent = { preventDefault: vi.fn() };
    app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(globalShortcut.handlers.size).toBe(0);
    fs.rmSync(userData, { recursive: true, force: true });
  });
});
