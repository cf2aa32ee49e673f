import type { DeviceRole, LanConfig, LanState, PairedDevice, Pairing } from '../../shared/api/lan';
import type { StudioClient } from '../api/client';
import { busyRunner, createSyncedStore, defineActions } from './synced-store';

interface LanStore {
  state: LanState | undefined;
  devices: PairedDevice[];
  /** The pairing code on screen (this window's own). */
  pairing: Pairing | undefined;
  isBusy: boolean;
}

/** The sync behind the hooks below (tests attach it to a fake client). */
export const lanSync = createSyncedStore<LanStore>({
  initial: { state: undefined, devices: [], pairing: undefined, isBusy: false },
  events: {
    'lan:state-changed': (state) => ({ state }),
    'lan:devices-changed': (devices, { get }) => {
      const { pairing } = get();
      // The phone that scanned the code shows up: the code is spent, close its dialog.
      const isPaired = pairing !== undefined && devices.some((d) => d.name === pairing.name && d.role === pairing.role);
      return { devices, ...(isPaired ? { pairing: undefined } : {}) };
    },
  },
  async load({ client }) {
    const [state, devices] = await Promise.all([client.call('lan:state'), client.call('lan:devices')]);
    return { state, devices };
  },
});

/** LAN mode as the Settings page shows it: kept current by the services' events. */
export const useLan = lanSync.use;

/** Loads LAN state and devices while mounted and follows their events. */
export const useLanSync = (): void => lanSync.useSync();

export const closePairing = () => useLan.setState({ pairing: undefined });

/** LAN actions; state and devices come back as 'lan:state-changed' / 'lan:devices-changed'. */
export function lanActions(client: StudioClient) {
  const run = busyRunner(useLan);
  return {
    configureLan: (patch: Partial<LanConfig>) => run(() => client.call('lan:configure', patch)),
    startPairing: (role: DeviceRole) =>
      run(async () => useLan.setState({ pairing: await client.call('lan:pair-start', { role }) })),
    renameDevice: (id: string, name: string) => run(() => client.call('lan:device-rename', { id, name })),
    revokeDevice: (id: string) => run(() => client.call('lan:device-revoke', { id })),
  };
}

export const useLanActions = defineActions(lanActions);
