import { afterEach, describe, expect, it } from 'vitest';

import type { PairedDevice, Pairing } from '../../shared/api/lan';
import type { ObsState } from '../../shared/api/obs';
import { StudioError } from '../../shared/api/result';
import type { LiveSegment, RecordedSale, Sale, SalesTotals, ShowAnalytics } from '../../shared/api/sales';
import type { GuardFinding } from '../../shared/api/show';
import type { EndedShow, LiveState } from '../../shared/show/live';
import { deferred, FakeClient, flush } from '../../test/support/renderer/fake-client';
import { lanActions, lanSync, useLan } from './lan';
import { obsActions, obsSync, useObsStore } from './obs-state';
import { salesLiveActions, salesLiveSync, useSalesLive } from './sales-live';
import { liveActions, liveSync, useLiveStore } from './show-live';
import type { SyncedStore } from './synced-store';

// Each store is exercised through its exported hooks' store and actions with a fake client; the
// sync is attached by `attach`, as `useSync()` does in a component.
const detachers: (() => void)[] = [];
afterEach(() => {
  detachers.splice(0).forEach((d) => d());
});

async function attach(sync: Pick<SyncedStore<never>, 'attach'>, client: FakeClient): Promise<void> {
  detachers.push(sync.attach(client));
  await flush();
}

const live = (runId: string, index: number): LiveState => ({ runId, rundownId: 'r1', index }) as unknown as LiveState;

describe('show-live', () => {
  it('the show on air is written by show:live-changed only, never from the reply', async () => {
    const client = new FakeClient().handle('show:live-get', null).handle('show:live-next', live('run1', 5));
    await attach(liveSync, client);
    expect(useLiveStore.getState().live).toBeNull();
    await liveActions(client).nextSegment();
    expect(useLiveStore.getState().live).toBeNull();
    client.emit('show:live-changed', { live: live('run1', 1), ended: null });
    expect(useLiveStore.getState().live?.index).toBe(1);
    expect(useLiveStore.getState().isBusy).toBe(false);
  });

  it('a start stopped by the text guard shows its findings; starting anyway sends the acknowledgement', async () => {
    const findings = [{ segmentIndex: 0 }] as unknown as GuardFinding[];
    const client = new FakeClient()
      .handle('show:live-get', null)
      .handle('show:live-start', (input) => {
        if ((input as { acknowledgeGuard: boolean }).acknowledgeGuard) return live('run2', 0);
        throw new StudioError('show/guard-hits', 'guard');
      })
      .handle('show:guard-check', findings);
    await attach(liveSync, client);
    const actions = liveActions(client);
    expect(await actions.startShow('r1')).toBe(false);
    expect(useLiveStore.getState().pendingGuard).toEqual({ rundownId: 'r1', findings });
    expect(await actions.startShow('r1', true)).toBe(true);
    expect(client.callsOf('show:live-start')).toEqual([
      { rundownId: 'r1', acknowledgeGuard: false },
      { rundownId: 'r1', acknowledgeGuard: true },
    ]);
    expect(useLiveStore.getState().pendingGuard).toBeNull();
  });

  it('an overrun counts for the run on air until the segment changes; the ended show is kept', async () => {
    const client = new FakeClient().handle('show:live-get', live('run3', 0));
    await attach(liveSync, client);
    expect(useLiveStore.getState().live?.runId).toBe('run3');
    client.emit('show:segment-overrun', { runId: 'other', index: 0, plannedSec: 60 });
    expect(useLiveStore.getState().overrunIndex).toBeNull();
    client.emit('show:segment-overrun', { runId: 'run3', index: 0, plannedSec: 60 });
    expect(useLiveStore.getState().overrunIndex).toBe(0);
    client.emit('show:live-changed', { live: live('run3', 0), ended: null });
    expect(useLiveStore.getState().overrunIndex).toBe(0);
    client.emit('show:live-changed', { live: live('run3', 1), ended: null });
    expect(useLiveStore.getState().overrunIndex).toBeNull();
    const ended = { runId: 'run3', rundownId: 'r1', salesShowId: 's1' } as unknown as EndedShow;
    client.emit('show:live-changed', { live: null, ended });
    expect(useLiveStore.getState()).toMatchObject({ live: null, lastEnded: ended });
  });
});

const totals = (gmvFen: number): SalesTotals =>
  ({ gmvFen, orders: 1, units: 1, refundedFen: 0, refundedOrders: 0, offAirOrders: 0 }) as SalesTotals;
const liveSegment = { segment: { id: 'seg1' }, show: { id: 'show1' }, product: null } as unknown as LiveSegment;
const sale = (id: number, segmentId = 'seg1'): Sale => ({ id, segmentId, amountFen: 100 }) as unknown as Sale;
const analytics = (gmvFen: number) =>
  ({ segments: [{ segment: { id: 'seg1' }, totals: totals(gmvFen) }] }) as unknown as ShowAnalytics;

describe('sales-live', () => {
  function salesClient(gmvFen: number, recent: Sale[]) {
    return new FakeClient()
      .handle('sales:live-segment', liveSegment)
      .handle('sales:analytics-show', () => analytics(gmvFen))
      .handle('sales:list', () => ({ sales: recent, nextBeforeId: null }));
  }

  it('loads the live segment, its totals and latest entries', async () => {
    await attach(salesLiveSync, salesClient(500, [sale(2), sale(1)]));
    expect(useSalesLive.getState()).toMatchObject({ live: liveSegment, totals: { gmvFen: 500 } });
    expect(useSalesLive.getState().recent.map((s) => s.id)).toEqual([2, 1]);
  });

  it('a commit event with totals updates the panel at once, without a refetch', async () => {
    const client = salesClient(500, []);
    await attach(salesLiveSync, client);
    const asked = client.callsOf('sales:analytics-show').length;
    const recorded = {
      ...sale(7),
      totals: { showId: 'show1', segmentId: 'seg1', segment: totals(900), show: totals(900) },
    } as RecordedSale;
    client.emit('sales:recorded', recorded);
    expect(useSalesLive.getState()).toMatchObject({ totals: { gmvFen: 900 }, lastCommit: { kind: 'saved' } });
    expect(useSalesLive.getState().recent[0]?.id).toBe(7);
    expect(client.callsOf('sales:analytics-show').length).toBe(asked);
    // Another segment's sale is not this panel's.
    client.emit('sales:recorded', { ...sale(8, 'seg2'), totals: null } as RecordedSale);
    expect(useSalesLive.getState().recent[0]?.id).toBe(7);
  });

  it('a commit event without totals refetches them', async () => {
    const client = salesClient(500, []);
    await attach(salesLiveSync, client);
    client.handle('sales:analytics-show', () => analytics(650));
    client.emit('sales:recorded', { ...sale(9), totals: null } as RecordedSale);
    await flush();
    expect(useSalesLive.getState().totals?.gmvFen).toBe(650);
  });

  it('recording counts pending entries and writes nothing from the reply; undo flashes, the list follows the event', async () => {
    const client = salesClient(500, [sale(3)]);
    await attach(salesLiveSync, client);
    const reply = deferred<RecordedSale>();
    client.handle('sales:record', () => reply.promise);
    const actions = salesLiveActions(client);
    const recording = actions.recordSale(2);
    expect(useSalesLive.getState().pending).toBe(1);
    reply.resolve({ ...sale(4), totals: null } as RecordedSale);
    await recording;
    expect(useSalesLive.getState().pending).toBe(0);
    expect(useSalesLive.getState().recent.map((s) => s.id)).toEqual([3]);
    const entry = client.callsOf('sales:record')[0] as { quantity: number; entryKey: string };
    expect(entry.quantity).toBe(2);
    expect(entry.entryKey).toMatch(/^[0-9a-f-]{36}$/);

    const undone = { ...sale(3), status: 'void' } as unknown as Sale;
    client.handle('sales:undo-last', undone);
    await actions.undoLastSale();
    expect(useSalesLive.getState().lastCommit).toMatchObject({ kind: 'undone', sale: { id: 3 } });
    expect(useSalesLive.getState().recent[0]).not.toHaveProperty('status');
    client.handle('sales:list', () => ({ sales: [undone], nextBeforeId: null }));
    client.emit('sales:changed', { reason: 'undo', showId: 'show1' });
    await flush();
    expect(useSalesLive.getState().recent[0]).toMatchObject({ id: 3, status: 'void' });
  });
});

describe('obs-state', () => {
  it('runs a request busy-marked, lets the event write the mirror, and confirms going live', async () => {
    const client = new FakeClient().handle('obs:get-state', { stream: { state: 'stopped' } } as ObsState);
    await attach(obsSync, client);
    const answer = deferred<undefined>();
    client.handle('obs:stream-start', () => answer.promise);
    const actions = obsActions(client);
    useObsStore.setState({ confirm: 'stream-start' });
    const confirming = actions.confirmStream(true);
    expect(useObsStore.getState().confirm).toBeNull();
    expect(useObsStore.getState().busy['obs:stream-start']).toBe(true);
    answer.resolve(undefined);
    await confirming;
    expect(useObsStore.getState().busy['obs:stream-start']).toBe(false);
    expect(useObsStore.getState().state?.stream.state).toBe('stopped');
    client.emit('obs:state-changed', { stream: { state: 'started' } } as ObsState);
    expect(useObsStore.getState().state?.stream.state).toBe('started');
    // Declined: nothing is sent.
    useObsStore.setState({ confirm: 'stream-stop' });
    await actions.confirmStream(false);
    expect(client.callsOf('obs:stream-stop')).toEqual([]);
  });
});

describe('lan', () => {
  it('closes the pairing code once the phone it paired shows up', async () => {
    const client = new FakeClient().handle('lan:state', { config: {} } as never).handle('lan:devices', []);
    await attach(lanSync, client);
    const pairing = { name: 'Producer phone', role: 'producer' } as unknown as Pairing;
    client.handle('lan:pair-start', pairing);
    await lanActions(client).startPairing('producer');
    expect(useLan.getState().pairing).toBe(pairing);
    client.emit('lan:devices-changed', [{ name: 'Other', role: 'prompter' }] as unknown as PairedDevice[]);
    expect(useLan.getState().pairing).toBe(pairing);
    client.emit('lan:devices-changed', [{ name: 'Producer phone', role: 'producer' }] as unknown as PairedDevice[]);
    expect(useLan.getState().pairing).toBeUndefined();
    expect(useLan.getState().devices).toHaveLength(1);
  });
});
