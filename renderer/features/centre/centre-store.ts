import { useEffect } from 'react';
import { create } from 'zustand';

import type {
  AnalyticsFilter,
  CentreAnalytics,
  CentreStatus,
  CentreStudio,
  Invitation,
  StudioProfile,
} from '../../../shared/api/centre';
import { addDays, dayIn } from '../../../shared/centre/days';
import { studio } from '../../api/client';
import { showError } from '../../state/errors';

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

/** The Centre page's state: this studio's link, and in centre mode the studios and figures. */
export const useCentre = create<CentreStore>()(() => ({
  status: undefined,
  studios: [],
  analytics: undefined,
  invitation: undefined,
  filter: presetRange('last30', today()),
  preset: 'last30',
  isBusy: false,
}));

async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
  useCentre.setState({ isBusy: true });
  try {
    return await work();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    useCentre.setState({ isBusy: false });
  }
}

async function loadCentre(): Promise<void> {
  const { filter } = useCentre.getState();
  const [studios, analytics] = await Promise.all([
    studio.call('centre:studios'),
    studio.call('centre:analytics', filter),
  ]);
  useCentre.setState({ studios, analytics });
}

/** Reloads the centre's studios and figures (centre mode only). */
export const refreshCentre = () => run(loadCentre);

/** Loads the page's data while mounted and follows the services' events. */
export function useCentreSync(): void {
  useEffect(() => {
    void run(async () => {
      const status = await studio.call('centre:status');
      useCentre.setState({ status });
      if (status.mode.isCentre && status.mode.errorCode === null) await loadCentre();
    });
    const offLink = studio.on('centre:link-changed', (link) =>
      useCentre.setState((s) => (s.status === undefined ? {} : { status: { ...s.status, link } })),
    );
    const offStudios = studio.on('centre:studios-changed', () => {
      if (useCentre.getState().status?.mode.isCentre === true) void run(loadCentre);
    });
    // Studios push on their own; the centre's figures are read again while the page is open.
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && useCentre.getState().status?.mode.isCentre === true) {
        void loadCentre().catch(() => undefined);
      }
    }, 30_000);
    return () => {
      offLink();
      offStudios();
      clearInterval(timer);
    };
  }, []);
}

export function setFilter(patch: Partial<AnalyticsFilter>, preset: RangePreset = useCentre.getState().preset): void {
  useCentre.setState((s) => ({ filter: { ...s.filter, ...patch }, preset }));
  void refreshCentre();
}

export function choosePreset(preset: RangePreset): void {
  if (preset === 'custom') {
    useCentre.setState({ preset });
    return;
  }
  setFilter(presetRange(preset, today()), preset);
}

export const joinCentre = (address: string, code: string) =>
  run(async () => {
    const link = await studio.call('centre:join', { address, code });
    useCentre.setState((s) => (s.status === undefined ? {} : { status: { ...s.status, link } }));
    return link;
  });

export const leaveCentre = () => run(() => studio.call('centre:leave'));

export const syncNow = () => run(() => studio.call('centre:sync-now'));

export const inviteStudio = (profile: StudioProfile & { studioId?: string }) =>
  run(async () => {
    const invitation = await studio.call('centre:invite', profile);
    useCentre.setState({ invitation });
    await loadCentre();
  });

export const closeInvitation = () => useCentre.setState({ invitation: undefined });

export const revokeStudio = (id: string) => run(() => studio.call('centre:studio-revoke', { id }));

export const exportReport = () =>
  run(() => {
    const { filter } = useCentre.getState();
    return studio.call('centre:export', filter);
  });
