import type { StudioClient } from './client';
import { createStudioClient, hostToken } from './client';
import { stageFile } from './upload';
import { createWsBridge } from './ws-bridge';

/**
 * The client of this window, made once by the page's entry (never at import): Electron IPC when
 * the preload is there, else the studio host's WebSocket, which this opens.
 */
export function connectStudio(): StudioClient {
  if (window.studio !== undefined) return createStudioClient(window.studio, stageFile);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/api?token=${encodeURIComponent(hostToken())}`;
  return createStudioClient(createWsBridge(url), stageFile);
}
