import { useEffect } from 'react';

import type {
  AnalyticsFilter,
  CentreAnalytics,
  CentreStatus,
  CentreStudio,
  Invitation,
  StudioProfile,
} from '../../shared/api/centre';
import { addDays, dayIn } from '../../shared/centre/days';
import type { StudioClient } from '../api/client';
import { useStudioClient } from '../api/studio-context';
import { busyRunner, createSyncedStore, defineActions } from './synced-store';

/** A preset of the period picker, or a custom range. */
export type RangePreset = 'last7' | 'last30' | 'last90' | 'thisYear' | 'custom';

interface CentreStore {
  status: CentreStatus | undefined;
  studios: CentreStudio[];
  analytics: CentreAnalytics | undefined;
  invitation: Invitation | undefined;
  filter: AnalyticsFilter;
  preset: RangePreset;
  isBusy: boolean;
}

const today = () => dayIn('Asia/Shanghai', Date.now());

/** The period a preset stands for, ending today in the centre's zone. */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, end: string): { from: string; to: string } {
  switch (preset) {
    case 'last7':
      return { from: addDays(end, -6), to: end };
    case 'last30':
      return { from: addDays(end, -29), to: end };
    case 'last90':
      return { from: addDays(end, -89), to: end };
    case 'thisYear':
      return { from: `${end.slice(0, 4)}-01-01`, to: end };
  }
}

/** The centre's studios and figures for the filter now on screen (centre mode only). */
async function centreFigures(client: StudioClient, filter: AnalyticsFilter) {
  const [studios, analytics] = await Promise.all([
    client.call('centre:studios'),
    client.call('centre:analytics', filter),
  ]);
  return { studios, analytics };
}

/** This host is a working centre (centre mode, its database reachable). */
const isWorkingCentre = (status: CentreStatus | undefined) =>
  status?.mode.isCentre === true && status.mode.errorCode === null;
const isCentre = (s: CentreStore) => isWorkingCentre(s.status);

/** The Centre page's state: this studio's link, and in centre mode the studios and figures. */
export const centreSync = createSyncedStore<CentreStore>({
  initial: {
    status: undefined,
    studios: [],
    analytics: undefined,
    invitation: undefined,
    filter: presetRange('last30', today()),
    preset: 'last30',
    isBusy: false,
  },
  events: {
    'centre:link-changed': (link, { get }) => {
      const { status } = get();
      return status === undefined ? undefined : { status: { ...status, link } };
    },
    'centre:studios-changed': (_payload, { client, get }) =>
      isCentre(get()) ? centreFigures(client, get().filter) : undefined,
  },
  async load({ client, get }) {
    const status = await client.call('centre:status');
    return { status, ...(isWorkingCentre(status) ? await centreFigures(client, get().filter) : {}) };
  },
});

export const useCentre = centreSync.use;

/** Follows the services while the page is open; the studios push on their own, so the figures are read again every 30 s. */
export function useCentreSync(): void {
  centreSync.useSync();
  const client = useStudioClient();
  useEffect(() => {
    const timer = setInterval(() => {
      const state = useCentre.getState();
      if (document.visibilityState !== 'visible' || !isCentre(state)) return;
      void centreSync.refresh(() => centreFigures(client, state.filter)).catch(() => undefined);
    }, 30_000);
    return () => clearInterval(timer);
  }, [client]);
}

/** The Centre page's actions; the studio link and the studio list come back by their events. */
export function centreActions(client: StudioClient) {
  const run = busyRunner(useCentre);
  const reload = () => centreSync.refresh(() => centreFigures(client, useCentre.getState().filter));
  const refreshCentre = () => run(reload);
  const setFilter = (patch: Partial<AnalyticsFilter>, preset: RangePreset = useCentre.getState().preset) => {
    // The filter is this window's own (not mirrored): written here, then the figures for it fetched.
    useCentre.setState((s) => ({ filter: { ...s.filter, ...patch }, preset }));
    void refreshCentre();
  };
  return {
    refreshCentre,
    setFilter,
    choosePreset(preset: RangePreset): void {
      if (preset === 'custom') useCentre.setState({ preset });
      else setFilter(presetRange(preset, today()), preset);
    },
    joinCentre: (address: string, code: string) => run(() => client.call('centre:join', { address, code })),
    leaveCentre: () => run(() => client.call('centre:leave')),
    syncNow: () => run(() => client.call('centre:sync-now')),
    inviteStudio: (profile: StudioProfile & { studioId?: string }) =>
      run(async () => {
        useCentre.setState({ invitation: await client.call('centre:invite', profile) });
        await reload();
      }),
    closeInvitation: () => useCentre.setState({ invitation: undefined }),
    revokeStudio: (id: string) => run(() => client.call('centre:studio-revoke', { id })),
    exportReport: () => run(() => client.call('centre:export', useCentre.getState().filter)),
  };
}

export const useCentreActions = defineActions(centreActions);
