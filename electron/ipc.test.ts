import { describe, expect, it, vi } from 'vitest';

import { defaultSettings } from '../shared/api/app';
import { ipcChannels } from '../shared/api/bridge';
import { ipcMain } from '../test/mocks/electron';
import { completeHandlers } from '../test/support/api-handlers';
import { registerIpc } from './ipc';
import { createApiRouter } from './services/api-router';
import { createNullLogger } from './services/logger';

vi.mock('electron', () => import('../test/mocks/electron'));

describe('IPC transport', () => {
  const router = createApiRouter(
    completeHandlers({ 'settings:get': () => ({ ...defaultSettings, outputFormat: '1280x720' }) }),
    createNullLogger(),
  );
  const control = { id: 'control' };
  registerIpc(ipcMain as never, router, (event) => ((event.sender as unknown) === control ? 'control' : undefined));
  const invoke = (sender: unknown, url: string, name: unknown, payload?: unknown) =>
    ipcMain.handlers.get(ipcChannels.call)?.({ sender, senderFrame: { url } }, name, payload);

  it('answers our own window through the router', async () => {
    await expect(invoke(control, 'app://studio/', 'settings:get')).resolves.toEqual({
      ok: true,
      value: { ...defaultSettings, outputFormat: '1280x720' },
    });
  });

  it('refuses a foreign frame or an unknown window', async () => {
    await expect(invoke(control, 'https://evil.example/', 'settings:get')).resolves.toMatchObject({
      ok: false,
      error: { code: 'app/unauthorized' },
    });
    await expect(invoke({}, 'app://studio/', 'settings:get')).resolves.toMatchObject({
      ok: false,
      error: { code: 'app/unauthorized' },
    });
  });

  it('validates payloads: unknown names and bad shapes come back coded', async () => {
    await expect(invoke(control, 'app://studio/', 'shell:exec', 'rm -rf /')).resolves.toMatchObject({
      error: { code: 'app/unknown-request' },
    });
    await expect(invoke(control, 'app://studio/', 'settings:get', { unexpected: true })).resolves.toMatchObject({
      error: { code: 'app/invalid-payload' },
    });
  });
});
