import { useEffect } from 'react';
import { create } from 'zustand';

import type { RequestInput, RequestName, RequestOutput } from '../../shared/api/contract';
import type { ObsState } from '../../shared/api/obs';
import { studio } from '../api/client';
import { showError } from './errors';

/** An OBS action that waits for the operator to confirm (going live, stopping the stream). */
export type ObsConfirm = 'stream-start' | 'stream-stop';

interface ObsStore {
  /** The services' mirror of OBS; undefined until the first answer. */
  state: ObsState | undefined;
  /** Requests in flight, by name, so buttons can show they are busy. */
  busy: Partial<Record<RequestName, boolean>>;
  confirm: ObsConfirm | null;
  askConfirm(what: ObsConfirm | null): void;
}

/** OBS as the UI sees it, fed by 'obs:state-changed'. Mount `useObsSync()` where it is used. */
export const useObsStore = create<ObsStore>()((set) => ({
  state: undefined,
  busy: {},
  confirm: null,
  askConfirm: (confirm) => set({ confirm }),
}));

let subscribers = 0;
let unsubscribe: (() => void) | undefined;

function subscribe(): () => void {
  subscribers += 1;
  if (subscribers === 1) {
    unsubscribe = studio.on('obs:state-changed', (state) => useObsStore.setState({ state }));
    studio.call('obs:get-state').then(
      // An event may have come first; it is at least as new as this answer.
      (state) => useObsStore.setState((s) => (s.state === undefined ? { state } : {})),
      showError,
    );
  }
  return () => {
    subscribers -= 1;
    if (subscribers === 0) {
      unsubscribe?.();
      unsubscribe = undefined;
    }
  };
}

/** Keeps the OBS store fed while the calling component is mounted (shared by all callers). */
export function useObsSync(): ObsState | undefined {
  useEffect(() => subscribe(), []);
  return useObsStore((s) => s.state);
}

/**
 * Runs an OBS request, marks it busy meanwhile, and shows a failure in the error panel.
 * Resolves with the output, or undefined when it failed.
 */
export async function runObs<K extends RequestName>(
  name: K,
  ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
): Promise<RequestOutput<K> | undefined> {
  useObsStore.setState((s) => ({ busy: { ...s.busy, [name]: true } }));
  try {
    return await studio.call(name, ...input);
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    useObsStore.setState((s) => ({ busy: { ...s.busy, [name]: false } }));
  }
}

/** Whether the output is on or on its way (the toggle then means "stop"). */
export function isOutputOn(state: ObsState['stream']['state']): boolean {
  return state !== 'stopped';
}

/** Starts or stops recording. */
export function toggleRecord(state: ObsState): Promise<unknown> {
  return isOutputOn(state.record.state) ? runObs('obs:record-stop') : runObs('obs:record-start');
}

/** Starts or stops the virtual camera. */
export function toggleVirtualCam(state: ObsState): Promise<unknown> {
  return isOutputOn(state.virtualCam.state) ? runObs('obs:virtualcam-stop') : runObs('obs:virtualcam-start');
}

/** Going live or stopping always goes through a confirmation. */
export function requestStreamToggle(state: ObsState): void {
  useObsStore.getState().askConfirm(isOutputOn(state.stream.state) ? 'stream-stop' : 'stream-start');
}
