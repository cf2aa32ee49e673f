import type { Result } from './result';

/** What the preload exposes as `window.studio`; the WebSocket client has the same shape. */
export interface StudioBridge {
  readonly transport: 'ipc' | 'ws';
  call(name: string, payload: unknown): Promise<Result<unknown>>;
  /** Subscribes to every pushed event; returns the unsubscribe function. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /**
   * Electron only: the path on disk of a file the user picked (a DOM `File`), so large files are
   * imported by path instead of being sent as bytes. Empty when the file has no path.
   */
  pathForFile?(file: unknown): string;
}

/** Channel names used by the IPC transport. */
export const ipcChannels = { call: 'studio:call', event: 'studio:event' } as const;
