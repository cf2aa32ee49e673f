import type { StudioBridge } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/result';
import { resultSchema } from '../../shared/api/result';
import { hostMessageSchema, messageTooLargeCloseCode, wsMaxMessageBytes } from '../../shared/api/wire';

const callTimeoutMs = 30_000;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * The WebSocket transport to the studio host. Reconnects by itself; calls made while the socket
 * is down wait for it (up to the call timeout) instead of failing at once.
 */
export function createWsBridge(url: string): StudioBridge {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let retryMs = 200;

  const open = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        socket = ws;
        retryMs = 200;
        resolve(ws);
      });
      ws.addEventListener('message', (event) => {
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
          for (const listener of listeners) listener(data.name, data.payload);
        } else {
          const settle = pending.get(data.id);
          pending.delete(data.id);
          const result = resultSchema.safeParse(data.result);
          settle?.(
            result.success
              ? (result.data as Result<unknown>)
              : { ok: false, error: { code: 'app/internal', message: 'Malformed reply from the studio host' } },
          );
        }
      });
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
        for (const listener of listeners) listener('app:transport', { connected: false });
        setTimeout(
          () => void open().then(() => listeners.forEach((l) => l('app:transport', { connected: true }))),
          retryMs,
        );
        retryMs = Math.min(retryMs * 2, 5_000);
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
        const send = (ws: WebSocket) => ws.send(text);
        if (socket?.readyState === WebSocket.OPEN) send(socket);
        else void open().then(send);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
