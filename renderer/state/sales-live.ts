import { useEffect } from 'react';
import { create } from 'zustand';

import type { LiveSegment, Sale, SalesTotals } from '../../shared/api/sales';
import type { Fen } from '../../shared/money';
import { studio } from '../api/client';
import { showError } from './errors';

/** What the quick-entry panel shows: the segment on air, its totals, the latest entries. */
interface SalesLiveStore {
  live: LiveSegment | null;
  /** Totals of the live segment, from the analytics roll-up. */
  totals: SalesTotals | null;
  /** Newest first, at most 8. */
  recent: Sale[];
  /** The last commit the UI heard of (confirmation flash); `kind` says what happened. */
  lastCommit: { kind: 'saved' | 'undone'; sale: Sale; at: number } | null;
  /** Entries sent and not yet acknowledged. */
  pending: number;
}

/** The live segment and the sales entered in it, fed by sales:* events. Mount `useSalesLiveSync()`. */
export const useSalesLive = create<SalesLiveStore>()(() => ({
  live: null,
  totals: null,
  recent: [],
  lastCommit: null,
  pending: 0,
}));

async function refreshTotals(): Promise<void> {
  const live = useSalesLive.getState().live;
  if (live === null) {
    useSalesLive.setState({ totals: null });
    return;
  }
  const analytics = await studio.call('sales:analytics-show', { showId: live.show.id });
  const stats = analytics.segments.find((s) => s.segment.id === live.segment.id);
  useSalesLive.setState({ totals: stats?.totals ?? null });
}

async function refreshLive(): Promise<void> {
  const live = await studio.call('sales:live-segment');
  useSalesLive.setState({ live });
  await refreshTotals();
}

let subscribers = 0;
let unsubscribe: (() => void) | undefined;

function subscribe(): () => void {
  subscribers += 1;
  if (subscribers === 1) {
    const offs = [
      studio.on('sales:segment-changed', () => void refreshLive().catch(showError)),
      studio.on('sales:recorded', (sale) => {
        const { live } = useSalesLive.getState();
        if (live === null || sale.segmentId !== live.segment.id) return;
        // The confirmation is set in the same tick the commit event arrives.
        // The event carries the segment's new totals (read in the sale's own transaction): no refetch.
        useSalesLive.setState((s) => ({
          recent: [sale, ...s.recent.filter((r) => r.id !== sale.id)].slice(0, 8),
          lastCommit: { kind: 'saved', sale, at: performance.now() },
          ...(sale.totals?.segment ? { totals: sale.totals.segment } : {}),
        }));
        if (sale.totals?.segment == null) void refreshTotals().catch(showError);
      }),
      studio.on('sales:changed', () => void refreshTotals().catch(showError)),
    ];
    unsubscribe = () => offs.forEach((off) => off());
    void refreshLive().catch(showError);
  }
  return () => {
    subscribers -= 1;
    if (subscribers === 0) unsubscribe?.();
  };
}

/** Keeps the store in sync while a component using it is mounted. */
export function useSalesLiveSync(): void {
  useEffect(() => subscribe(), []);
}

/** Records a sale in the live segment; resolves once it is committed. */
export async function recordSale(quantity: number, amountFen?: Fen): Promise<void> {
  useSalesLive.setState((s) => ({ pending: s.pending + 1 }));
  try {
    await studio.call('sales:record', {
      quantity,
      ...(amountFen === undefined ? {} : { amountFen }),
      entryKey: crypto.randomUUID(),
    });
  } catch (error) {
    showError(error);
  } finally {
    useSalesLive.setState((s) => ({ pending: s.pending - 1 }));
  }
}

/** Voids the newest manual entry. */
export async function undoLastSale(): Promise<void> {
  try {
    const sale = await studio.call('sales:undo-last');
    if (sale === null) return;
    useSalesLive.setState((s) => ({
      recent: s.recent.map((r) => (r.id === sale.id ? sale : r)),
      lastCommit: { kind: 'undone', sale, at: performance.now() },
    }));
  } catch (error) {
    showError(error);
  }
}
