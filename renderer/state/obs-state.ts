import type { RequestName, RequestOutput } from '../../shared/api/contract';
import type { ObsState } from '../../shared/api/obs';
import type { CallArgs, StudioClient } from '../api/client';
import { showError } from './errors';
import { createSyncedStore, defineActions } from './synced-store';

/** An OBS action that waits for the operator to confirm (going live, stopping the stream). */
export type ObsConfirm = 'stream-start' | 'stream-stop';

/** The requests the OBS actions run. */
export type ObsRequest = Extract<RequestName, `obs:${string}`>;

interface ObsStore {
  /** The services' mirror of OBS; undefined until the first answer. Written by 'obs:state-changed'. */
  state: ObsState | undefined;
  /** Requests in flight, by name, so buttons can show they are busy. */
  busy: Partial<Record<ObsRequest, boolean>>;
  confirm: ObsConfirm | null;
}

/** The sync behind the hooks below (tests attach it to a fake client). */
export const obsSync = createSyncedStore<ObsStore>({
  initial: { state: undefined, busy: {}, confirm: null },
  events: { 'obs:state-changed': (state) => ({ state }) },
  load: async ({ client }) => ({ state: await client.call('obs:get-state') }),
});

/** OBS as the UI sees it. Mount `useObsSync()` where it is used. */
export const useObsStore = obsSync.use;

/** Keeps the OBS store fed while the calling component is mounted (shared by all callers). */
export function useObsSync(): ObsState | undefined {
  obsSync.useSync();
  return useObsStore((s) => s.state);
}

/** Whether the output is on or on its way (the toggle then means "stop"). */
export function isOutputOn(state: ObsState['stream']['state']): boolean {
  return state !== 'stopped';
}

/** Asks for (or, with null, drops) the confirmation of going live or stopping. */
export const askConfirm = (confirm: ObsConfirm | null) => useObsStore.setState({ confirm });

/** Going live or stopping always goes through a confirmation. */
export function requestStreamToggle(state: ObsState): void {
  askConfirm(isOutputOn(state.stream.state) ? 'stream-stop' : 'stream-start');
}

/** The OBS actions of one client; the state they change comes back as 'obs:state-changed'. */
export function obsActions(client: StudioClient) {
  /**
   * Runs an OBS request, marks it busy meanwhile, and shows a failure in the error panel.
   * Resolves with the output, or undefined when it failed.
   */
  async function run<K extends ObsRequest>(name: K, ...input: CallArgs<K>): Promise<RequestOutput<K> | undefined> {
    useObsStore.setState((s) => ({ busy: { ...s.busy, [name]: true } }));
    try {
      return await client.call(name, ...input);
    } catch (error) {
      showError(error);
      return undefined;
    } finally {
      useObsStore.setState((s) => ({ busy: { ...s.busy, [name]: false } }));
    }
  }
  return {
    run,
    /** Starts or stops recording. */
    toggleRecord: (state: ObsState) =>
      isOutputOn(state.record.state) ? run('obs:record-stop') : run('obs:record-start'),
    /** Starts or stops the virtual camera. */
    toggleVirtualCam: (state: ObsState) =>
      isOutputOn(state.virtualCam.state) ? run('obs:virtualcam-stop') : run('obs:virtualcam-start'),
    /** Looks for the OBS on this PC (its config files); throws a coded error. */
    findLocal: () => client.call('obs:find-local'),
    /** Sets up the scenes the presets use and puts the first on program; resolves with their names. */
    async setUpScenes(): Promise<string[]> {
      const { scenes } = await client.call('show:obs-provision');
      const first = scenes[0];
      if (first !== undefined) await client.call('obs:switch-scene', { sceneName: first, target: 'program' });
      return scenes;
    },
    /** Runs the confirmed stream toggle. */
    confirmStream: async (isYes: boolean) => {
      const confirm = useObsStore.getState().confirm;
      askConfirm(null);
      if (isYes && confirm !== null) await run(confirm === 'stream-start' ? 'obs:stream-start' : 'obs:stream-stop');
    },
  };
}

/** The OBS actions bound to this window's client. */
export const useObsActions = defineActions(obsActions);
