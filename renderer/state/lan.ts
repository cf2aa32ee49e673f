import { useEffect } from 'react';
import { create } from 'zustand';

import type { LanConfig, LanState, PairedDevice, Pairing } from '../../shared/api/lan';
import type { DeviceRole } from '../../shared/api/lan';
import { studio } from '../api/client';
import { showError } from './errors';

interface LanStore {
  state: LanState | undefined;
  devices: PairedDevice[];
  pairing: Pairing | undefined;
  isBusy: boolean;
}

/** LAN mode as the Settings page shows it: kept current by the services' events. */
export const useLan = create<LanStore>()(() => ({ state: undefined, devices: [], pairing: undefined, isBusy: false }));

async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
  useLan.setState({ isBusy: true });
  try {
    return await work();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    useLan.setState({ isBusy: false });
  }
}

/** Loads LAN state and devices while mounted and follows their events. */
export function useLanSync(): void {
  useEffect(() => {
    void run(async () => {
      const [state, devices] = await Promise.all([studio.call('lan:state'), studio.call('lan:devices')]);
      useLan.setState({ state, devices });
    });
    const offState = studio.on('lan:state-changed', (state) => useLan.setState({ state }));
    const offDevices = studio.on('lan:devices-changed', (devices) => {
      const { pairing } = useLan.getState();
      // The phone that scanned the code shows up: the code is spent, close its dialog.
      const isPaired = pairing !== undefined && devices.some((d) => d.name === pairing.name && d.role === pairing.role);
      useLan.setState({ devices, ...(isPaired ? { pairing: undefined } : {}) });
    });
    return () => {
      offState();
      offDevices();
    };
  }, []);
}

export const configureLan = (patch: Partial<LanConfig>) =>
  run(async () => useLan.setState({ state: await studio.call('lan:configure', patch) }));

export const startPairing = (role: DeviceRole) =>
  run(async () => useLan.setState({ pairing: await studio.call('lan:pair-start', { role }) }));

export const closePairing = () => useLan.setState({ pairing: undefined });

export const renameDevice = (id: string, name: string) => run(() => studio.call('lan:device-rename', { id, name }));

export const revokeDevice = (id: string) => run(() => studio.call('lan:device-revoke', { id }));
