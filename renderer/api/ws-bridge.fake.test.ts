import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { messageTooLargeCloseCode, wsMaxMessageBytes } from '../../shared/api/wire';
import type { SocketLike, WsBridge } from './ws-bridge';
import { createWsBridge } from './ws-bridge';

// The page's WebSocket transport against a fake socket: what it sends, how it settles replies,
// what a drop does to calls in flight, and how it reconnects (with backoff, under fake timers).

class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  readonly sent: { type: string; id: number; name: string; payload: unknown }[] = [];
  private readonly handlers: Record<string, ((event: never) => void)[]> = {};
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    (this.handlers[type] ??= []).push(listener);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as FakeSocket['sent'][number]);
  }
  close(): void {
    this.drop(1000);
  }
  private fire(type: string, event: unknown): void {
    for (const h of this.handlers[type] ?? []) h(event as never);
  }
  open(): void {
    this.readyState = 1;
    this.fire('open', {});
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.fire('close', { code });
  }
  receive(message: unknown): void {
    this.fire('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  reply(id: number, result: unknown): void {
    this.receive({ type: 'result', id, result });
  }
}

const last = () => FakeSocket.made.at(-1)!;

describe('ws-bridge (fake socket)', () => {
  let bridge: WsBridge;
  let transport: boolean[];
  let events: [string, unknown][];

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.made = [];
    transport = [];
    events = [];
    bridge = createWsBridge('ws://studio/api?token=t', {
      connect: (url) => new FakeSocket(url),
      callTimeoutMs: 5_000,
      retryMs: 100,
      maxRetryMs: 400,
    });
    bridge.onEvent((name, payload) => {
      if (name === 'app:transport') transport.push((payload as { connected: boolean }).connected);
      else events.push([name, payload]);
    });
  });
  afterEach(() => {
    bridge.close();
    vi.useRealTimers();
  });

  it('opens one socket when made, and a call waits for it to open', async () => {
    expect(FakeSocket.made).toHaveLength(1);
    expect(last().url).toBe('ws://studio/api?token=t');
    const call = bridge.call('app:info', undefined);
    expect(last().sent).toHaveLength(0);
    last().open();
    await vi.waitFor(() => expect(last().sent).toHaveLength(1));
    const sent = last().sent[0]!;
    expect(sent).toMatchObject({ type: 'call', name: 'app:info' });
    last().reply(sent.id, { ok: true, value: { version: '1' } });
    expect(await call).toEqual({ ok: true, value: { version: '1' } });
  });

  it('settles each reply by its id and passes events on', async () => {
    last().open();
    const a = bridge.call('a:one', 1);
    const b = bridge.call('b:two', 2);
    const [sa, sb] = last().sent;
    last().reply(sb!.id, { ok: true, value: 'B' });
    last().receive({ type: 'event', name: 'obs:state-changed', payload: { x: 1 } });
    last().reply(sa!.id, { ok: false, error: { code: 'obs/not-connected', message: 'no' } });
    expect(await b).toEqual({ ok: true, value: 'B' });
    expect(await a).toMatchObject({ ok: false, error: { code: 'obs/not-connected' } });
    expect(events).toEqual([['obs:state-changed', { x: 1 }]]);
  });

  it('ignores garbage and answers a malformed reply with app/internal', async () => {
    last().open();
    const call = bridge.call('app:info', undefined);
    last().receive('not json');
    last().receive({ type: 'nonsense' });
    last().reply(last().sent[0]!.id, { ok: 'maybe' });
    expect(await call).toMatchObject({ ok: false, error: { code: 'app/internal' } });
  });

  it('a drop fails the calls in flight, says so, and reconnects with growing delays', async () => {
    last().open();
    const inFlight = bridge.call('show:live-next', undefined);
    last().drop();
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'app/not-connected' } });
    expect(transport).toEqual([false]);
    // First retry after 100 ms; it fails; the next waits 200 ms, then 400 (the cap), then 400.
    const delays: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = FakeSocket.made.length;
      let waited = 0;
      while (FakeSocket.made.length === before) {
        await vi.advanceTimersByTimeAsync(50);
        waited += 50;
      }
      delays.push(waited);
      if (attempt < 3) last().drop();
    }
    expect(delays).toEqual([100, 200, 400, 400]);
    // A call made while down waits and goes out on the socket that opens.
    const waiting = bridge.call('app:info', undefined);
    last().open();
    await vi.waitFor(() => expect(transport.at(-1)).toBe(true));
    await vi.waitFor(() => expect(last().sent).toHaveLength(1));
    last().reply(last().sent[0]!.id, { ok: true, value: 1 });
    expect(await waiting).toEqual({ ok: true, value: 1 });
    // Once open again, the backoff starts over.
    last().drop();
    const before = FakeSocket.made.length;
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.made.length).toBe(before + 1);
  });

  it('a close for an oversized message fails calls with app/message-too-large', async () => {
    last().open();
    const call = bridge.call('assets:upload', { name: 'x' });
    last().drop(messageTooLargeCloseCode);
    expect(await call).toMatchObject({ ok: false, error: { code: 'app/message-too-large' } });
  });

  it('refuses a call too large for one message without sending it', async () => {
    last().open();
    const result = await bridge.call('assets:upload', { dataBase64: 'A'.repeat(wsMaxMessageBytes) });
    expect(result).toMatchObject({ ok: false, error: { code: 'app/message-too-large' } });
    expect(last().sent).toHaveLength(0);
  });

  it('times out a call nobody answers, and does not send it later', async () => {
    const call = bridge.call('app:info', undefined);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await call).toMatchObject({ ok: false, error: { code: 'app/timeout' } });
    last().open();
    await vi.advanceTimersByTimeAsync(0);
    expect(last().sent).toHaveLength(0);
  });

  it('close() stops reconnecting', async () => {
    last().open();
    bridge.close();
    const count = FakeSocket.made.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.made.length).toBe(count);
  });
});
