import { contextBridge, ipcRenderer, webUtils } from 'electron';

import type { StudioBridge } from '../shared/api/bridge';
import { ipcChannels } from '../shared/api/bridge';
import type { Result } from '../shared/api/result';

// The renderer gets verbs, never ipcRenderer itself.
const bridge: StudioBridge = {
  transport: 'ipc',
  call: (name, payload) => ipcRenderer.invoke(ipcChannels.call, name, payload) as Promise<Result<unknown>>,
  onEvent(listener) {
    const handler = (_event: unknown, name: unknown, payload: unknown) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(ipcChannels.event, handler);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, handler);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
};

contextBridge.exposeInMainWorld('studio', bridge);
