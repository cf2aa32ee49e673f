import { useEffect } from 'react';
import type { StoreApi, UseBoundStore } from 'zustand';
import { create } from 'zustand';

import type { EventName, EventPayload } from '../../shared/api/contract';
import type { StudioClient } from '../api/client';
import { useStudioClient } from '../api/studio-context';
import { showError } from './errors';

type Patch<S> = Partial<S> | undefined;

/** What an event handler or loader may use: the client, the store now, and a later write. */
export interface SyncContext<S> {
  readonly client: StudioClient;
  get(): S;
  /** Applies a patch that is still being fetched, as of now (a newer write of a key wins). */
  later(patch: Promise<Patch<S>>): void;
}

type EventHandlers<S> = {
  [K in EventName]?: (payload: EventPayload<K>, ctx: SyncContext<S>) => Patch<S> | Promise<Patch<S>>;
};

export interface SyncedStoreOptions<S> {
  /** The whole state before the first answer, mirrored fields and this window's own alike. */
  initial: S;
  /** The events that keep the mirror current: each returns the fields it sets (or a promise of them). */
  events: EventHandlers<S>;
  /** The snapshot, fetched when the first component mounts and again after each reconnect. */
  load(ctx: SyncContext<S>): Promise<Patch<S>>;
}

/** A zustand store that mirrors state the services own. */
export interface SyncedStore<S> {
  readonly use: UseBoundStore<StoreApi<S>>;
  /** Follows the services while the calling component is mounted (one subscription for all callers). */
  useSync(): void;
  /** The same outside React; returns the detach function. */
  attach(client: StudioClient): () => void;
  /**
   * Refetches fields the services changed without an event to say so; written like an event's
   * refetch (a newer write of a field wins). Resolves once written.
   */
  refresh(fetch: () => Promise<Patch<S>>): Promise<void>;
}

/**
 * The one way a store mirrors the services. Events are the only writer of mirrored fields (actions
 * call the service and let its event come back); the snapshot from `load` fills the store at first
 * and after a reconnect. Every write is stamped with when it began, field by field: a snapshot or
 * refetch that started before an event wrote a field does not overwrite that field, so a slow answer
 * never puts older state over newer.
 */
export function createSyncedStore<S extends object>(options: SyncedStoreOptions<S>): SyncedStore<S> {
  const use = create<S>()(() => options.initial);
  const stamps = new Map<keyof S, number>();
  let clock = 0;
  const attachments = new Map<StudioClient, { count: number; detach: () => void }>();

  const write = (startedAt: number, patch: Patch<S>) => {
    if (patch === undefined) return;
    const fresh: Partial<S> = {};
    let isAny = false;
    for (const key of Object.keys(patch) as (keyof S)[]) {
      if ((stamps.get(key) ?? -1) > startedAt) continue;
      stamps.set(key, startedAt);
      fresh[key] = patch[key];
      isAny = true;
    }
    if (isAny) use.setState(fresh);
  };

  const contextFor = (client: StudioClient, isLive: () => boolean): SyncContext<S> => ({
    client,
    get: () => use.getState(),
    later(patch) {
      const startedAt = ++clock;
      void patch.then((p) => {
        if (isLive()) write(startedAt, p);
      }, showError);
    },
  });

  const subscribe = (client: StudioClient): (() => void) => {
    let isLive = true;
    const ctx = contextFor(client, () => isLive);
    const offs = (Object.keys(options.events) as EventName[]).map((name) =>
      client.on(name, (payload) => {
        const handler = options.events[name] as
          ((p: typeof payload, c: SyncContext<S>) => Patch<S> | Promise<Patch<S>>) | undefined;
        const result = handler?.(payload, ctx);
        if (result instanceof Promise) ctx.later(result);
        else write(++clock, result);
      }),
    );
    const reload = () => ctx.later(options.load(ctx));
    offs.push(client.onTransport((connected) => connected && reload()));
    reload();
    return () => {
      isLive = false;
      offs.forEach((off) => off());
    };
  };

  const attach = (client: StudioClient): (() => void) => {
    const current = attachments.get(client);
    if (current !== undefined) current.count += 1;
    else attachments.set(client, { count: 1, detach: subscribe(client) });
    let isDetached = false;
    return () => {
      if (isDetached) return;
      isDetached = true;
      const entry = attachments.get(client);
      if (entry === undefined) return;
      entry.count -= 1;
      if (entry.count === 0) {
        attachments.delete(client);
        entry.detach();
      }
    };
  };

  const refresh = async (fetch: () => Promise<Patch<S>>) => {
    const startedAt = ++clock;
    write(startedAt, await fetch());
  };

  return {
    use,
    attach,
    refresh,
    useSync() {
      const client = useStudioClient();
      useEffect(() => attach(client), [client]);
    },
  };
}

/**
 * Actions bound to the window's client, one set per client (stable identity, fine in effect deps).
 * `make` is exported beside the hook so tests call it with a fake client.
 */
export function defineActions<A>(make: (client: StudioClient) => A): () => A {
  const made = new WeakMap<StudioClient, A>();
  return () => {
    const client = useStudioClient();
    let actions = made.get(client);
    if (actions === undefined) {
      actions = make(client);
      made.set(client, actions);
    }
    return actions;
  };
}

/**
 * Runs an action with the store's `isBusy` set meanwhile; a failure is shown to the user and
 * resolves to `undefined`, so a button's handler never has an unhandled rejection.
 */
export function busyRunner(store: StoreApi<{ isBusy: boolean }>) {
  return async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    store.setState({ isBusy: true });
    try {
      return await work();
    } catch (error) {
      showError(error);
      return undefined;
    } finally {
      store.setState({ isBusy: false });
    }
  };
}
