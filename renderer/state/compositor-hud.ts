import { create } from 'zustand';

import type { CompositorSnapshot } from '../compositor/compositor';
import type { Tier } from '../compositor/tier';

interface HudState {
  visible: boolean;
  snapshot: CompositorSnapshot | undefined;
  /** How this window draws the picture (shown in the HUD and the camera status line). */
  tier: Tier | undefined;
  toggle(): void;
}

const key = 'harvest.hud';

/** The operator's performance HUD: shown or not (remembered), and the last numbers (2 per second). */
export const useHud = create<HudState>()((set) => ({
  visible: localStorage.getItem(key) === '1',
  snapshot: undefined,
  tier: undefined,
  toggle() {
    set((s) => {
      localStorage.setItem(key, s.visible ? '0' : '1');
      return { visible: !s.visible };
    });
  },
}));
