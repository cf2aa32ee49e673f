import type { StudioBridge } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/result';
import { resultSchema } from '../../shared/api/result';
import { hostMessageSchema, messageTooLargeCloseCode, wsMaxMessageBytes } from '../../shared/api/wire';

const utf8Length = (text: string) => new TextEncoder().encode(text).length;
const openState = 1;

/** The part of the browser's WebSocket the bridge uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
}

export interface WsBridgeOptions {
  /** Makes the socket; the browser's `WebSocket` unless a test gives another. */
  connect?: (url: string) => SocketLike;
  callTimeoutMs?: number;
  /** First retry delay after a drop; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/** The WebSocket transport; `close()` stops it for good (tests, page unload). */
export interface WsBridge extends StudioBridge {
  close(): void;
}

/**
 * The WebSocket transport to the studio host. Opens its socket when made and reconnects by itself
 * with backoff; calls made while the socket is down wait for it (up to the call timeout) instead of
 * failing at once; calls in flight when it drops fail with `app/not-connected`.
 */
export function createWsBridge(url: string, options: WsBridgeOptions = {}): WsBridge {
  const connect = options.connect ?? ((u: string) => new WebSocket(u) as SocketLike);
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const firstRetryMs = options.retryMs ?? 200;
  const maxRetryMs = options.maxRetryMs ?? 5_000;
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let socket: SocketLike | undefined;
  let opened: Promise<SocketLike> | undefined;
  let retryMs = firstRetryMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;
  const emit = (name: string, payload: unknown) => {
    for (const listener of listeners) listener(name, payload);
  };

  const onMessage = (event: { data: unknown }) => {
    let message: unknown;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return;
    }
    const parsed = hostMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const data = parsed.data;
    if (data.type === 'event') {
      emit(data.name, data.payload);
      return;
    }
    const settle = pending.get(data.id);
    pending.delete(data.id);
    const result = resultSchema.safeParse(data.result);
    settle?.(
      result.success
        ? (result.data as Result<unknown>)
        : { ok: false, error: { code: 'app/internal', message: 'Malformed reply from the studio host' } },
    );
  };

  const open = (): Promise<SocketLike> => {
    opened ??= new Promise<SocketLike>((resolve) => {
      const ws = connect(url);
      ws.addEventListener('open', () => {
        socket = ws;
        retryMs = firstRetryMs;
        resolve(ws);
      });
      ws.addEventListener('message', onMessage);
      ws.addEventListener('close', (event) => {
        socket = undefined;
        opened = undefined;
        // 1009: the host refused a message over its limit (and closed); say so, not "disconnected".
        const error =
          event.code === messageTooLargeCloseCode
            ? { code: 'app/message-too-large', message: 'The message was too large for the studio' }
            : { code: 'app/not-connected', message: 'Lost the connection to the studio' };
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error });
        }
        emit('app:transport', { connected: false });
        if (isClosed) return;
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          void open().then(() => emit('app:transport', { connected: true }));
        }, retryMs);
        retryMs = Math.min(retryMs * 2, maxRetryMs);
      });
    });
    return opened;
  };

  void open();

  return {
    transport: 'ws',
    call(name, payload) {
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'app/timeout', message: `${name} took too long` } });
        }, callTimeoutMs);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
        const text = JSON.stringify({ type: 'call', id, name, payload });
        // Refused here rather than by the host, which would close the socket for everyone on it.
        if (
          text.length > wsMaxMessageBytes ||
          (text.length * 3 > wsMaxMessageBytes && utf8Length(text) > wsMaxMessageBytes)
        ) {
          pending.delete(id);
          clearTimeout(timer);
          resolve({ ok: false, error: { code: 'app/message-too-large', message: `${name} is too large to send` } });
          return;
        }
        const send = (ws: SocketLike) => {
          // Timed out or failed while it waited for the socket: nobody listens for the answer.
          if (pending.has(id)) ws.send(text);
        };
        if (socket?.readyState === openState) send(socket);
        else void open().then(send);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      isClosed = true;
      clearTimeout(retryTimer);
      socket?.close();
    },
  };
}
