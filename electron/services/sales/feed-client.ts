import WebSocket from 'ws';
import { z } from 'zod';

import { epochToMs } from '../../../shared/sales/time';
import type { Logger } from '../logger';
import type { FeedSaleInput } from './repo-types';

// Client for oba-live-tool's WebSocket server (qiutongxue/oba-live-tool, default port 12354).
// It broadcasts one bare JSON object per text frame, comments and `live_order` alike, with no
// envelope and no heartbeat; it only listens while its 自动回复 listener runs, so the studio
// keeps retrying by itself.

/** oba-live-tool's `live_order` message (shared/types.d.ts at v1.6.1). */
export const obaLiveOrderSchema = z.object({
  msg_type: z.literal('live_order'),
  msg_id: z.string().min(1).max(200),
  nick_name: z.string().max(200).optional(),
  order_status: z.string().max(20),
  order_ts: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/u)]).optional(),
  product_id: z.union([z.string(), z.number()]).optional(),
  product_title: z.string().max(500).optional(),
  time: z.number().optional(),
});
export type ObaLiveOrder = z.infer<typeof obaLiveOrderSchema>;

/** Turns one `live_order` into our feed input; the same order as 已下单 and 已付款 shares an id. */
export function fromObaOrder(message: ObaLiveOrder, receivedAt: number): FeedSaleInput {
  // msg_id is "<order_id>#<status_code>": the order id is what dedupes 已下单 / 已付款.
  const orderId = message.msg_id.split('#')[0] ?? message.msg_id;
  const status = message.order_status === '已付款' ? 'paid' : 'placed';
  const broadcastAt = message.time !== undefined && message.time > 0 ? epochToMs(message.time) : receivedAt;
  let orderedAt = broadcastAt;
  if (message.order_ts !== undefined) {
    // The unit of order_ts is undocumented (its mock uses ms): detect it, and distrust a value
    // more than a day away from the broadcast time.
    const candidate = epochToMs(Number(message.order_ts));
    if (Number.isFinite(candidate) && Math.abs(candidate - broadcastAt) < 86_400_000) orderedAt = candidate;
  }
  return {
    feed: 'oba-live-tool',
    platform: 'douyin',
    orderId,
    lineId: '',
    status,
    orderedAt,
    externalProductId: message.product_id === undefined ? undefined : String(message.product_id),
    productTitle: message.product_title ?? '',
    quantity: 1,
  };
}

export type FeedStatus = 'off' | 'connecting' | 'connected' | 'waiting';

export interface FeedClientOptions {
  onOrder(order: FeedSaleInput): Promise<void>;
  onStatus(status: FeedStatus, error: string | null): void;
  logger: Logger;
  /** Backoff bounds, ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** Connects, reconnects with backoff, and hands every `live_order` to `onOrder` in arrival order. */
export class ObaFeedClient {
  private socket: WebSocket | undefined;
  private url = '';
  private isEnabled = false;
  private retry: NodeJS.Timeout | undefined;
  private ping: NodeJS.Timeout | undefined;
  private attempt = 0;
  private queue: Promise<void> = Promise.resolve();
  status: FeedStatus = 'off';

  constructor(private readonly options: FeedClientOptions) {}

  configure(url: string, isEnabled: boolean): void {
    const changed = url !== this.url || isEnabled !== this.isEnabled;
    this.url = url;
    this.isEnabled = isEnabled;
    if (!changed) return;
    this.stop();
    if (isEnabled) {
      this.attempt = 0;
      this.connect();
    } else this.setStatus('off', null);
  }

  private setStatus(status: FeedStatus, error: string | null): void {
    this.status = status;
    this.options.onStatus(status, error);
  }

  private connect(): void {
    if (!this.isEnabled) return;
    this.setStatus('connecting', null);
    const socket = new WebSocket(this.url, { handshakeTimeout: 5000 });
    this.socket = socket;
    let isAlive = true;
    socket.on('open', () => {
      this.attempt = 0;
      this.setStatus('connected', null);
      // The server sends no heartbeat: ping, and drop a connection that stops answering.
      this.ping = setInterval(() => {
        if (!isAlive) {
          socket.terminate();
          return;
        }
        isAlive = false;
        socket.ping();
      }, 15_000);
    });
    socket.on('pong', () => (isAlive = true));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.handle(data.toString());
    });
    socket.on('error', (error) => {
      this.options.logger.info('live feed socket error', { error: error.message });
      this.lastError = error.message;
    });
    socket.on('close', () => {
      if (this.ping !== undefined) clearInterval(this.ping);
      this.ping = undefined;
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (!this.isEnabled) return;
      this.setStatus('waiting', this.lastError);
      const min = this.options.minDelayMs ?? 1000;
      const max = this.options.maxDelayMs ?? 30_000;
      const delay = Math.min(max, min * 2 ** Math.min(this.attempt, 10));
      this.attempt += 1;
      this.retry = setTimeout(() => this.connect(), delay);
      this.retry.unref();
    });
  }

  private lastError: string | null = null;

  private handle(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof json !== 'object' || json === null || (json as { msg_type?: unknown }).msg_type !== 'live_order') return;
    const parsed = obaLiveOrderSchema.safeParse(json);
    if (!parsed.success) {
      this.options.logger.warn('live feed order ignored: unexpected shape', { issues: parsed.error.issues.length });
      return;
    }
    const order = fromObaOrder(parsed.data, Date.now());
    // One at a time, in arrival order, so 已下单 is stored before its 已付款.
    this.queue = this.queue
      .then(() => this.options.onOrder(order))
      .catch((error: unknown) => this.options.logger.error('live feed order not stored', { error: String(error) }));
  }

  private stop(): void {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    if (this.ping !== undefined) clearInterval(this.ping);
    this.ping = undefined;
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }

  /** Stops, and waits for orders already received to be stored. */
  async close(): Promise<void> {
    this.isEnabled = false;
    this.stop();
    await this.queue;
  }
}
