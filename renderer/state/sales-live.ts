import type { LiveSegment, Sale, SalesTotals } from '../../shared/api/sales';
import type { Fen } from '../../shared/money';
import type { StudioClient } from '../api/client';
import { showError } from './errors';
import { createSyncedStore, defineActions } from './synced-store';

/** What the quick-entry panel shows: the segment on air, its totals, the latest entries. */
interface SalesLiveStore {
  live: LiveSegment | null;
  /** Totals of the live segment. */
  totals: SalesTotals | null;
  /** Newest first, at most 8. */
  recent: Sale[];
  /** The last commit the UI heard of (confirmation flash); `kind` says what happened. */
  lastCommit: { kind: 'saved' | 'undone'; sale: Sale; at: number } | null;
  /** Entries this window sent and not yet acknowledged. */
  pending: number;
}

const recentCount = 8;

/** Totals and latest entries of the live segment, read fresh from the log. */
async function segmentFacts(client: StudioClient, live: LiveSegment | null): Promise<Partial<SalesLiveStore>> {
  if (live === null) return { totals: null, recent: [] };
  const [analytics, list] = await Promise.all([
    client.call('sales:analytics-show', { showId: live.show.id }),
    client.call('sales:list', { segmentId: live.segment.id, limit: recentCount }),
  ]);
  const stats = analytics.segments.find((s) => s.segment.id === live.segment.id);
  return { totals: stats?.totals ?? null, recent: list.sales };
}

async function liveFacts(client: StudioClient): Promise<Partial<SalesLiveStore>> {
  const live = await client.call('sales:live-segment');
  return { live, ...(await segmentFacts(client, live)) };
}

/** The sync behind the hooks below (tests attach it to a fake client). */
export const salesLiveSync = createSyncedStore<SalesLiveStore>({
  initial: { live: null, totals: null, recent: [], lastCommit: null, pending: 0 },
  events: {
    'sales:segment-changed': (_change, { client }) => liveFacts(client),
    'sales:recorded': (sale, { get, client, later }) => {
      const { live } = get();
      if (live === null || sale.segmentId !== live.segment.id) return undefined;
      // The commit event carries the segment's new totals (read in the sale's own transaction).
      const totals = sale.totals?.segment ?? null;
      if (totals === null) later(segmentFacts(client, live).then(({ totals: t }) => ({ totals: t })));
      return {
        // The confirmation is set in the same tick the commit event arrives.
        recent: [sale, ...get().recent.filter((r) => r.id !== sale.id)].slice(0, recentCount),
        lastCommit: { kind: 'saved', sale, at: performance.now() },
        ...(totals === null ? {} : { totals }),
      };
    },
    // Undo, refunds, imports: what the panel shows is read again.
    'sales:changed': (_change, { get, client }) => segmentFacts(client, get().live),
  },
  load: ({ client }) => liveFacts(client),
});

/** The live segment and the sales entered in it, fed by sales:* events. Mount `useSalesLiveSync()`. */
export const useSalesLive = salesLiveSync.use;

/** Keeps the store in sync while a component using it is mounted. */
export const useSalesLiveSync = (): void => salesLiveSync.useSync();

/** Quick entry's actions; the entries and totals come back as 'sales:recorded' / 'sales:changed'. */
export function salesLiveActions(client: StudioClient) {
  return {
    /** Records a sale in the live segment; resolves once it is committed. */
    async recordSale(quantity: number, amountFen?: Fen): Promise<void> {
      useSalesLive.setState((s) => ({ pending: s.pending + 1 }));
      try {
        await client.call('sales:record', {
          quantity,
          ...(amountFen === undefined ? {} : { amountFen }),
          entryKey: crypto.randomUUID(),
        });
      } catch (error) {
        showError(error);
      } finally {
        useSalesLive.setState((s) => ({ pending: s.pending - 1 }));
      }
    },
    /** Voids the newest manual entry; the flash says which (the list follows from 'sales:changed'). */
    async undoLastSale(): Promise<void> {
      try {
        const sale = await client.call('sales:undo-last');
        if (sale !== null) useSalesLive.setState({ lastCommit: { kind: 'undone', sale, at: performance.now() } });
      } catch (error) {
        showError(error);
      }
    },
  };
}

/** Quick entry's actions bound to this window's client. */
export const useSalesLiveActions = defineActions(salesLiveActions);
