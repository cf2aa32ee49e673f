import type { StudioBridge } from '../../shared/api/bridge';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api/contract';
import { events, isEventName, requests } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to the studio host. */
    studio?: StudioBridge;
  }
}

/** The input arguments of a request: none for a `void` input. */
export type CallArgs<K extends RequestName> = RequestInput<K> extends void ? [] : [RequestInput<K>];

/** The typed API as the UI sees it. */
export interface StudioClient {
  readonly transport: 'ipc' | 'ws';
  call<K extends RequestName>(name: K, ...input: CallArgs<K>): Promise<RequestOutput<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** Called when the transport drops or comes back (WebSocket only). */
  onTransport(listener: (connected: boolean) => void): () => void;
  /** A path on the studio's disk for a file the user picked (`renderer/api/upload.ts`). */
  stageFile(file: File): Promise<string>;
}

/** The access token the studio host put in the page URL; kept for reloads of this tab. */
export function hostToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem('harvest-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('harvest-token') ?? '';
}

/** The typed client over one transport: replies and events are parsed with the contract's schemas. */
export function createStudioClient(
  bridge: StudioBridge,
  stageFile: (file: File) => Promise<string> = () =>
    Promise.reject(new StudioError('app/upload-failed', 'No upload path in this window')),
): StudioClient {
  return {
    transport: bridge.transport,
    async call(name, ...input) {
      const result = await bridge.call(name, input[0]);
      if (!result.ok) throw StudioError.fromData(result.error);
      // The receiving side trusts nothing: replies are parsed like requests are.
      const parsed = requests[name].output.safeParse(result.value);
      if (!parsed.success) {
        throw new StudioError('app/invalid-payload', `Malformed reply to ${name}`, { detail: parsed.error.message });
      }
      return parsed.data as RequestOutput<typeof name>;
    },
    on(name, listener) {
      return bridge.onEvent((eventName, payload) => {
        if (eventName !== name || !isEventName(eventName)) return;
        const parsed = events[name].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof name>);
      });
    },
    onTransport(listener) {
      return bridge.onEvent((eventName, payload) => {
        if (eventName !== 'app:transport') return;
        const connected = (payload as { connected?: unknown } | null)?.connected;
        if (typeof connected === 'boolean') listener(connected);
      });
    },
    stageFile,
  };
}
