import { describe, expect, it } from 'vitest';

import type { ObsState } from '../../shared/api/obs';
import { deferred, FakeClient, flush } from '../../test/support/renderer/fake-client';
import { useErrors } from './errors';
import { createSyncedStore } from './synced-store';

// A store that mirrors the services' settings-like value `n` from a snapshot and an event, with a
// field of its own (`clicks`) that neither touches.
function makeStore(load: () => Promise<{ n: number }>) {
  return createSyncedStore<{ n: number; clicks: number }>({
    initial: { n: 0, clicks: 0 },
    events: { 'obs:state-changed': (state) => ({ n: state.scenes.length }) },
    load: () => load(),
  });
}

const obsWithScenes = (count: number) =>
  ({ scenes: Array.from({ length: count }, (_, i) => ({ name: `s${i}` })) }) as unknown as ObsState;

describe('createSyncedStore', () => {
  it('loads the snapshot on attach and follows events after it', async () => {
    const client = new FakeClient();
    const store = makeStore(() => Promise.resolve({ n: 3 }));
    const detach = store.attach(client);
    await flush();
    expect(store.use.getState().n).toBe(3);
    client.emit('obs:state-changed', obsWithScenes(5));
    expect(store.use.getState().n).toBe(5);
    detach();
  });

  it('a snapshot that was asked for before an event does not overwrite it', async () => {
    const client = new FakeClient();
    const answer = deferred<{ n: number }>();
    const store = makeStore(() => answer.promise);
    const detach = store.attach(client);
    client.emit('obs:state-changed', obsWithScenes(7));
    answer.resolve({ n: 1 });
    await flush();
    expect(store.use.getState().n).toBe(7);
    detach();
  });

  it('of two refetches, the later asked wins even when it answers first', async () => {
    const client = new FakeClient();
    const answers = [deferred<{ n: number }>(), deferred<{ n: number }>()];
    let asked = 0;
    const store = createSyncedStore<{ n: number }>({
      initial: { n: 0 },
      events: { 'sales:changed': () => answers[asked++]!.promise },
      load: () => Promise.resolve(undefined),
    });
    const detach = store.attach(client);
    client.emit('sales:changed', { reason: 'undo', showId: null });
    client.emit('sales:changed', { reason: 'undo', showId: null });
    answers[1]!.resolve({ n: 2 });
    await flush();
    answers[0]!.resolve({ n: 1 });
    await flush();
    expect(store.use.getState().n).toBe(2);
    detach();
  });

  it('shares one subscription among callers and unsubscribes when the last one leaves', async () => {
    const client = new FakeClient();
    let loads = 0;
    const store = makeStore(() => Promise.resolve({ n: ++loads }));
    const first = store.attach(client);
    const second = store.attach(client);
    expect(client.listenerCount('obs:state-changed')).toBe(1);
    await flush();
    expect(loads).toBe(1);
    first();
    first(); // a second call of the same detach is a no-op
    expect(client.listenerCount('obs:state-changed')).toBe(1);
    second();
    expect(client.listenerCount('obs:state-changed')).toBe(0);
  });

  it('fetches the snapshot again when the transport comes back (events may have been missed)', async () => {
    const client = new FakeClient();
    let value = 1;
    const store = makeStore(() => Promise.resolve({ n: value }));
    const detach = store.attach(client);
    await flush();
    value = 9;
    client.setTransport(false);
    await flush();
    expect(store.use.getState().n).toBe(1);
    client.setTransport(true);
    await flush();
    expect(store.use.getState().n).toBe(9);
    detach();
  });

  it('leaves fields of its own alone and reports a failed snapshot in the error panel', async () => {
    const client = new FakeClient();
    const store = makeStore(() => Promise.reject(new Error('host down')));
    store.use.setState({ clicks: 4 });
    const before = useErrors.getState().errors.length;
    const detach = store.attach(client);
    await flush();
    expect(store.use.getState()).toMatchObject({ n: 0, clicks: 4 });
    expect(useErrors.getState().errors.length).toBe(before + 1);
    detach();
  });

  it('drops answers that arrive after the last caller left', async () => {
    const client = new FakeClient();
    const answer = deferred<{ n: number }>();
    const store = makeStore(() => answer.promise);
    const detach = store.attach(client);
    detach();
    answer.resolve({ n: 5 });
    await flush();
    expect(store.use.getState().n).toBe(0);
  });
});
