import { describe, expect, it, vi } from 'vitest';

import type { StudioBridge } from '../shared/api/bridge';
import { ipcChannels } from '../shared/api/bridge';
import { contextBridge, exposed, ipcRenderer } from '../test/mocks/electron';

vi.mock('electron', () => import('../test/mocks/electron'));

describe('preload', () => {
  it('exposes verbs as window.studio, never ipcRenderer', async () => {
    await import('./preload');
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledWith('studio', expect.anything());
    const bridge = exposed.studio as StudioBridge;
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent', 'pathForFile', 'transport']);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);

    await bridge.call('settings:get', undefined);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannels.call, 'settings:get', undefined);

    const listener = vi.fn();
    const off = bridge.onEvent(listener);
    const handler = ipcRenderer.on.mock.calls[0]?.[1] as (e: unknown, n: unknown, p: unknown) => void;
    handler({}, 'settings:changed', { language: 'en' });
    expect(listener).toHaveBeenCalledWith('settings:changed', { language: 'en' });
    off();
    expect(bridge.pathForFile?.({ path: '/home/u/橙子.glb' })).toBe('/home/u/橙子.glb');
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith(ipcChannels.event, handler);
  });
});
