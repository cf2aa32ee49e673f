import type { StudioClient } from '../../../renderer/api/client';
import type { EventName, EventPayload, RequestName, RequestOutput } from '../../../shared/api/contract';

type Handler = (input: unknown) => unknown;

/** A call the fake answered, with its input. */
export interface FakeCall {
  name: RequestName;
  input: unknown;
}

/**
 * A StudioClient for the renderer's state tests: requests go to handlers the test sets (an
 * unhandled request rejects), events and transport changes are pushed by the test.
 */
export class FakeClient implements StudioClient {
  readonly transport: 'ipc' | 'ws';
  readonly calls: FakeCall[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly transportListeners = new Set<(connected: boolean) => void>();

  constructor(transport: 'ipc' | 'ws' = 'ws') {
    this.transport = transport;
  }

  /** Answers `name` with `reply` (a function of the input, a value, or a promise). */
  handle<K extends RequestName>(
    name: K,
    reply:
      RequestOutput<K> | Promise<RequestOutput<K>> | ((input: unknown) => RequestOutput<K> | Promise<RequestOutput<K>>),
  ): this {
    this.handlers.set(name, typeof reply === 'function' ? (reply as Handler) : () => reply);
    return this;
  }

  callsOf(name: RequestName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input);
  }

  call<K extends RequestName>(name: K, ...input: unknown[]): Promise<RequestOutput<K>> {
    this.calls.push({ name, input: input[0] });
    const handler = this.handlers.get(name);
    if (handler === undefined) return Promise.reject(new Error(`unexpected call ${name}`));
    try {
      return Promise.resolve(handler(input[0]) as RequestOutput<K>);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  onTransport(listener: (connected: boolean) => void): () => void {
    this.transportListeners.add(listener);
    return () => this.transportListeners.delete(listener);
  }

  stageFile(file: File): Promise<string> {
    return Promise.resolve(`/staged/${file.name}`);
  }

  /** Pushes an event as the services would. */
  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }

  /** Says the transport dropped or came back. */
  setTransport(connected: boolean): void {
    for (const listener of this.transportListeners) listener(connected);
  }

  /** How many listeners are subscribed to `name` (to check that detaching unsubscribes). */
  listenerCount(name: EventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}

/** A promise the test settles by hand, to order answers against events. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
