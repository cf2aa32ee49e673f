import { create } from 'zustand';

import type { CompositorSnapshot } from '../compositor/compositor';

interface HudState {
  visible: boolean;
  snapshot: CompositorSnapshot | undefined;
  toggle(): void;
}

const key = 'harvest.hud';

/** The operator's performance HUD: shown or not (remembered), and the last numbers (2 per second). */
export const useHud = create<HudState>()((set) => ({
  visible: localStorage.getItem(key) === '1',
  snapshot: undefined,
  toggle() {
    set((s) => {
      localStorage.setItem(key, s.visible ? '0' : '1');
      return { visible: !s.visible };
    });
  },
}));
