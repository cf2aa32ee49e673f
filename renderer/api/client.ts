import type { StudioBridge } from '../../shared/api/bridge';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api/contract';
import { events, isEventName, requests } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to the studio host. */
    studio?: StudioBridge;
  }
}

/** The typed API as the UI sees it. */
export interface StudioClient {
  readonly transport: 'ipc' | 'ws';
  call<K extends RequestName>(
    name: K,
    ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
  ): Promise<RequestOutput<K>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** Called when the transport drops or comes back (WebSocket only). */
  onTransport(listener: (connected: boolean) => void): () => void;
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

function wsUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(hostToken())}`;
}

export function createStudioClient(bridge: StudioBridge): StudioClient {
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
        if (eventName === 'app:transport') listener((payload as { connected: boolean }).connected);
      });
    },
  };
}

/** The one client of this window: Electron IPC when the preload is there, else the host's WebSocket. */
export const studio: StudioClient = createStudioClient(window.studio ?? createWsBridge(wsUrl()));
