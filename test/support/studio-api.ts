import WebSocket from 'ws';

import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';
import type { HostMessage } from '../../shared/api/wire';
import type { RunningHost } from './host';

/** The studio API over the host's WebSocket, as the UI speaks it: typed calls, and the events it pushes. */
export class StudioApi {
  private readonly ws: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, (result: { ok: boolean; value?: unknown; error?: never }) => void>();
  private readonly waiters = new Set<{ name: string; test: (p: unknown) => boolean; resolve: (p: unknown) => void }>();
  readonly events: { name: string; payload: unknown; at: number }[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as HostMessage;
      if (msg.type === 'result') this.pending.get(msg.id)?.(msg.result as never);
      else {
        this.events.push({ name: msg.name, payload: msg.payload, at: performance.now() });
        for (const w of [...this.waiters]) {
          if (w.name === msg.name && w.test(msg.payload)) {
            this.waiters.delete(w);
            w.resolve(msg.payload);
          }
        }
      }
    });
  }

  static open(host: RunningHost): Promise<StudioApi> {
    const ws = new WebSocket(`ws://127.0.0.1:${new URL(host.origin).port}/api?token=${host.token}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new StudioApi(ws)));
      ws.once('error', reject);
    });
  }

  call<K extends RequestName>(
    name: K,
    ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
  ): Promise<RequestOutput<K>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (result) => {
        this.pending.delete(id);
        const r = result as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
        if (r.ok) resolve(r.value as RequestOutput<K>);
        else reject(StudioError.fromData(r.error!));
      });
      this.ws.send(JSON.stringify({ type: 'call', id, name, payload: input[0] }));
    });
  }

  /** The next event of that name that passes `test` (events already seen do not count). */
  next<K extends EventName>(
    name: K,
    test: (p: EventPayload<K>) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<EventPayload<K>> {
    return new Promise((resolve, reject) => {
      const waiter = { name, test: test as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void };
      this.waiters.add(waiter);
      setTimeout(() => {
        if (this.waiters.delete(waiter)) reject(new Error(`no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs).unref();
    });
  }

  close(): void {
    this.ws.close();
  }
}
