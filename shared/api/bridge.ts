import type { Result } from './result';

/** What the preload exposes as `window.studio`; the WebSocket client has the same shape. */
export interface StudioBridge {
  readonly transport: 'ipc' | 'ws';
  call(name: string, payload: unknown): Promise<Result<unknown>>;
  /** Subscribes to every pushed event; returns the unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}

/** Channel names used by the IPC transport. */
export const ipcChannels = { call: 'studio:call', event: 'studio:event' } as const;
