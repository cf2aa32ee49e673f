import { useEffect } from 'react';
import { create } from 'zustand';

import { StudioError } from '../../shared/api/result';
import type { GuardFinding } from '../../shared/api/show';
import type { EndedShow, LiveState } from '../../shared/show/live';
import { studio } from '../api/client';
import { showError } from './errors';

interface LiveStore {
  /** The show on air; null when none. */
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

/** The live show as the UI sees it, fed by 'show:live-changed'. Mount `useLiveSync()` where it is used. */
export const useLiveStore = create<LiveStore>()(() => ({
  live: null,
  isBusy: false,
  overrunIndex: null,
  lastEnded: null,
  pendingGuard: null,
}));

let subscribers = 0;
let unsubscribe: (() => void) | undefined;

function subscribe(): () => void {
  subscribers += 1;
  if (subscribers === 1) {
    const offLive = studio.on('show:live-changed', ({ live, ended }) =>
      useLiveStore.setState((s) => ({
        live,
        lastEnded: ended ?? s.lastEnded,
        overrunIndex:
          live !== null && s.live?.index === live.index && s.live.runId === live.runId ? s.overrunIndex : null,
      })),
    );
    const offOverrun = studio.on('show:segment-overrun', ({ runId, index }) => {
      if (useLiveStore.getState().live?.runId === runId) useLiveStore.setState({ overrunIndex: index });
    });
    unsubscribe = () => {
      offLive();
      offOverrun();
    };
    studio.call('show:live-get').then((live) => useLiveStore.setState({ live }), showError);
  }
  return () => {
    subscribers -= 1;
    if (subscribers === 0) unsubscribe?.();
  };
}

/** Keeps the live store in sync while the calling component is mounted. */
export function useLiveSync(): void {
  useEffect(() => subscribe(), []);
}

async function run(task: () => Promise<LiveState>): Promise<void> {
  useLiveStore.setState({ isBusy: true });
  try {
    const live = await task();
    useLiveStore.setState({ live });
  } catch (error) {
    showError(error);
  } finally {
    useLiveStore.setState({ isBusy: false });
  }
}

/**
 * Starts a show. When the text guard finds words, the findings are kept in `pendingGuard` for the
 * operator, and the show starts only once they confirm (`acknowledge`).
 */
export async function startShow(rundownId: string, acknowledge = false): Promise<boolean> {
  useLiveStore.setState({ isBusy: true });
  try {
    const live = await studio.call('show:live-start', { rundownId, acknowledgeGuard: acknowledge });
    useLiveStore.setState({ live, pendingGuard: null, lastEnded: null, overrunIndex: null });
    return true;
  } catch (error) {
    if (error instanceof StudioError && error.code === 'show/guard-hits') {
      try {
        const findings = await studio.call('show:guard-check', { rundownId });
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
}

export const cancelPendingGuard = () => useLiveStore.setState({ pendingGuard: null });
export const nextSegment = () => run(() => studio.call('show:live-next'));
export const previousSegment = () => run(() => studio.call('show:live-back'));
export const gotoSegment = (index: number) => run(() => studio.call('show:live-goto', { index }));

/** Ends the show; resolves with what ended (for the analytics page), or null on failure. */
export async function endShow(): Promise<EndedShow | null> {
  useLiveStore.setState({ isBusy: true });
  try {
    const ended = await studio.call('show:live-end');
    useLiveStore.setState({ live: null, lastEnded: ended, overrunIndex: null });
    return ended;
  } catch (error) {
    showError(error);
    return null;
  } finally {
    useLiveStore.setState({ isBusy: false });
  }
}
