import type { StudioErrorData } from '../../shared/api/result';
import type { PanelState } from '../../shared/lan/panel';
import { panelCloseCodes } from '../../shared/lan/panel';

/** Where the phone's link to the studio stands. */
export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'unpaired' | 'revoked';

export type CallResult = { ok: true; value: unknown } | { ok: false; error: StudioErrorData };

interface Pending {
  name: string;
  payload: unknown;
  /** Calls that are safe to send again after a reconnect (all panel actions are: entry keys). */
  isRetryable: boolean;
  resolve(result: CallResult): void;
  sentAs: number | null;
}

export interface ConnectionHandlers {
  onStatus(status: ConnectionStatus): void;
  onState(state: PanelState): void;
  onError(error: StudioErrorData): void;
}

const pingEveryMs = 10_000;
const pingTimeoutMs = 5_000;
const maxBackoffMs = 5_000;

/**
 * The phone's socket to the studio, made for weak Wi-Fi: it reconnects by itself (backoff with
 * jitter, at once when the network or the page comes back), notices a dead link by its own pings
 * (a phone cannot see WebSocket pings), and sends unanswered actions again after a reconnect. Every
 * action is idempotent on the studio's side, so a resend never doubles anything.
 */
export class PanelConnection {
  private ws: WebSocket | undefined;
  private status: ConnectionStatus = 'connecting';
  private readonly queue = new Set<Pending>();
  private readonly byId = new Map<number, Pending>();
  private nextId = 1;
  private attempts = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private isStopped = false;

  constructor(
    private readonly token: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    window.addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.reconnectNow();
    });
    this.connect();
  }

  /** Sends a call now or as soon as the link is back; resolves with its result. */
  call(name: string, payload?: unknown, isRetryable = true): Promise<CallResult> {
    return new Promise((resolve) => {
      const pending: Pending = { name, payload, isRetryable, resolve, sentAs: null };
      this.queue.add(pending);
      this.send(pending);
    });
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.handlers.onStatus(status);
  }

  private connect(): void {
    if (this.isStopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/panel/ws?device=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      this.setStatus('online');
      for (const pending of this.queue) this.send(pending);
      this.schedulePing();
    };
    ws.onmessage = (event) => this.receive(String(event.data));
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      window.clearTimeout(this.pingTimer);
      this.byId.clear();
      for (const p of this.queue) p.sentAs = null;
      if (event.code === panelCloseCodes.unauthorized || event.code === panelCloseCodes.revoked) {
        this.stop(event.code === panelCloseCodes.revoked ? 'revoked' : 'unpaired');
        return;
      }
      // Pings are not worth resending; actions are, after the reconnect.
      for (const p of [...this.queue]) {
        if (!p.isRetryable) {
          this.queue.delete(p);
          p.resolve({ ok: false, error: { code: 'app/not-connected', message: 'Disconnected.' } });
        }
      }
      this.setStatus('reconnecting');
      this.scheduleReconnect();
    };
  }

  private stop(status: 'revoked' | 'unpaired'): void {
    this.isStopped = true;
    window.clearTimeout(this.retryTimer);
    for (const p of this.queue) p.resolve({ ok: false, error: { code: 'lan/unauthorized', message: 'Not paired.' } });
    this.queue.clear();
    this.setStatus(status);
  }

  private scheduleReconnect(): void {
    window.clearTimeout(this.retryTimer);
    const base = Math.min(maxBackoffMs, 400 * 2 ** this.attempts);
    this.attempts++;
    this.retryTimer = window.setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2));
  }

  private reconnectNow(): void {
    if (this.isStopped || this.ws !== undefined) return;
    this.attempts = 0;
    window.clearTimeout(this.retryTimer);
    this.connect();
  }

  private schedulePing(): void {
    window.clearTimeout(this.pingTimer);
    this.pingTimer = window.setTimeout(() => {
      const ws = this.ws;
      if (ws === undefined) return;
      // No answer in time: the link is dead even if the socket does not know it yet.
      const deadline = window.setTimeout(() => ws.close(), pingTimeoutMs);
      void this.call('panel:ping', undefined, false).then(() => {
        window.clearTimeout(deadline);
        if (this.ws === ws) this.schedulePing();
      });
    }, pingEveryMs);
  }

  private send(pending: Pending): void {
    const ws = this.ws;
    if (ws === undefined || ws.readyState !== WebSocket.OPEN || pending.sentAs !== null) return;
    const id = this.nextId++;
    pending.sentAs = id;
    this.byId.set(id, pending);
    ws.send(JSON.stringify({ type: 'call', id, name: pending.name, payload: pending.payload }));
  }

  private receive(text: string): void {
    let message: { type?: string; id?: number; result?: CallResult; name?: string; payload?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'result' && typeof message.id === 'number') {
      const pending = this.byId.get(message.id);
      if (pending === undefined || message.result === undefined) return;
      this.byId.delete(message.id);
      this.queue.delete(pending);
      pending.resolve(message.result);
    } else if (message.type === 'event' && message.name === 'panel:state') {
      this.handlers.onState(message.payload as PanelState);
    } else if (message.type === 'event' && message.name === 'panel:error') {
      this.handlers.onError(message.payload as StudioErrorData);
    }
  }

  /** For the page: whether the link is up now. */
  isOnline(): boolean {
    return this.status === 'online';
  }
}
