import type { IpcMain, IpcMainInvokeEvent } from 'electron';

import { ipcChannels } from '../shared/api/bridge';
import type { Result } from '../shared/api/result';
import { isTrustedSender } from './security/window-security';
import type { ApiRouter } from './services/api-router';

/** Answers `window.studio.call` from our own pages only, through the same router as the host. */
export function registerIpc(
  ipcMain: IpcMain,
  router: ApiRouter,
  windowOf: (event: IpcMainInvokeEvent) => 'control' | 'program' | undefined,
): () => void {
  const handler = async (event: IpcMainInvokeEvent, name: unknown, payload: unknown): Promise<Result<unknown>> => {
    const window = windowOf(event);
    if (!isTrustedSender(event.senderFrame) || window === undefined) {
      return { ok: false, error: { code: 'app/unauthorized', message: 'IPC from an untrusted sender' } };
    }
    return router.call(name, payload, { transport: 'ipc', window });
  };
  ipcMain.handle(ipcChannels.call, handler);
  return () => ipcMain.removeHandler(ipcChannels.call);
}
