import { create } from 'zustand';

import type { CameraDevice } from '../compositor/cameras';

/** Which cameras this computer uses, at what size and rate. Per machine, not per show. */
export interface CameraChoice {
  main: string | null;
  guest: string | null;
  width: number;
  height: number;
  fps: number;
}

/** Where one camera stands, for the picker's status line. */
export type CameraState = 'off' | 'starting' | 'live' | 'demo' | 'lost' | 'failed';

export interface CameraStatus {
  state: CameraState;
  label: string;
  width: number;
  height: number;
  /** Error code when failed/lost/demo (translated in the compositor namespace). */
  code: string | null;
}

const storageKey = 'harvest.cameras';
export const defaultCameraChoice: CameraChoice = { main: null, guest: null, width: 1280, height: 720, fps: 30 };

function readChoice(): CameraChoice {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<CameraChoice> | null;
    if (raw === null || typeof raw !== 'object') return defaultCameraChoice;
    const num = (v: unknown, d: number, lo: number, hi: number) =>
      typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : d;
    const id = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    return {
      main: id(raw.main),
      guest: id(raw.guest),
      width: num(raw.width, 1280, 160, 3840),
      height: num(raw.height, 720, 120, 2160),
      fps: num(raw.fps, 30, 5, 60),
    };
  } catch {
    return defaultCameraChoice;
  }
}

interface CamerasState {
  choice: CameraChoice;
  devices: CameraDevice[];
  main: CameraStatus;
  guest: CameraStatus;
  choose(patch: Partial<CameraChoice>): void;
}

const off: CameraStatus = { state: 'off', label: '', width: 0, height: 0, code: null };

/**
 * Camera choice (kept in localStorage, so the control and program windows of this computer agree
 * and follow each other through the `storage` event) and the live status of each camera.
 */
export const useCameras = create<CamerasState>()((set) => ({
  choice: readChoice(),
  devices: [],
  main: off,
  guest: off,
  choose(patch) {
    set((s) => {
      const choice = { ...s.choice, ...patch };
      localStorage.setItem(storageKey, JSON.stringify(choice));
      return { choice };
    });
  },
}));

window.addEventListener('storage', (event) => {
  if (event.key === storageKey) useCameras.setState({ choice: readChoice() });
});
