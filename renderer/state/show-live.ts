import { StudioError } from '../../shared/api/result';
import type { GuardFinding } from '../../shared/api/show';
import type { EndedShow, LiveState } from '../../shared/show/live';
import type { StudioClient } from '../api/client';
import { showError } from './errors';
import { busyRunner, createSyncedStore, defineActions } from './synced-store';

interface LiveStore {
  /** The show on air; null when none. Written by 'show:live-changed' only. */
  live: LiveState | null;
  /** A switch is in flight (buttons show it; presses still queue in the service). */
  isBusy: boolean;
  /** Index of the segment that has overrun, as the service reported it. */
  overrunIndex: number | null;
  /** The show that just ended; the Analytics page opens it. */
  lastEnded: EndedShow | null;
  /** Findings of the text guard that stopped a start, for the operator to read before confirming. */
  pendingGuard: { rundownId: string; findings: GuardFinding[] } | null;
}

/** The sync behind the hooks below (tests attach it to a fake client). */
export const liveSync = createSyncedStore<LiveStore>({
  initial: { live: null, isBusy: false, overrunIndex: null, lastEnded: null, pendingGuard: null },
  events: {
    'show:live-changed': ({ live, ended }, { get }) => {
      const s = get();
      const isSameSegment = live !== null && s.live?.index === live.index && s.live.runId === live.runId;
      return {
        live,
        lastEnded: ended ?? s.lastEnded,
        overrunIndex: isSameSegment ? s.overrunIndex : null,
        ...(live !== null ? { pendingGuard: null } : {}),
      };
    },
    'show:segment-overrun': ({ runId, index }, { get }) =>
      get().live?.runId === runId ? { overrunIndex: index } : undefined,
  },
  load: async ({ client }) => ({ live: await client.call('show:live-get') }),
});

/** The live show as the UI sees it. Mount `useLiveSync()` where it is used. */
export const useLiveStore = liveSync.use;

/** Keeps the live store in sync while the calling component is mounted. */
export const useLiveSync = (): void => liveSync.useSync();

/** Closes the guard's findings without going live. */
export const cancelPendingGuard = () => useLiveStore.setState({ pendingGuard: null });

/**
 * The live actions. The show on air comes back through 'show:live-changed' (emitted before the
 * reply); the actions only mark themselves busy and report failures.
 */
export function liveActions(client: StudioClient) {
  const busy = busyRunner(useLiveStore);
  return {
    /**
     * Starts a show. When the text guard objects, its findings go to `pendingGuard` for the
     * operator, who may start anyway (`acknowledge`). Resolves true when the show is on air.
     */
    async startShow(rundownId: string, acknowledge = false): Promise<boolean> {
      useLiveStore.setState({ isBusy: true });
      try {
        await client.call('show:live-start', { rundownId, acknowledgeGuard: acknowledge });
        useLiveStore.setState({ pendingGuard: null });
        return true;
      } catch (error) {
        if (error instanceof StudioError && error.code === 'show/guard-hits') {
          try {
            const findings = await client.call('show:guard-check', { rundownId });
            useLiveStore.setState({ pendingGuard: { rundownId, findings } });
          } catch (inner) {
            showError(inner);
          }
        } else {
          showError(error);
        }
        return false;
      } finally {
        useLiveStore.setState({ isBusy: false });
      }
    },
    nextSegment: () => busy(() => client.call('show:live-next')),
    previousSegment: () => busy(() => client.call('show:live-back')),
    gotoSegment: (index: number) => busy(() => client.call('show:live-goto', { index })),
    /** Ends the show; resolves with what ended (for the analytics page), or null on failure. */
    endShow: async (): Promise<EndedShow | null> => (await busy(() => client.call('show:live-end'))) ?? null,
  };
}

/** The live actions bound to this window's client. */
export const useLiveActions = defineActions(liveActions);
