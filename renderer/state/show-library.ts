import { useEffect } from 'react';
import { create } from 'zustand';

import type { AssetEntry } from '../../shared/api/assets';
import type { Preset, PresetTemplate } from '../../shared/show/preset';
import type { ShowProduct } from '../../shared/show/product';
import type { RundownSummary } from '../../shared/show/rundown';
import type { GuardTerm } from '../../shared/show/text-guard';
import { studio } from '../api/client';
import { showError } from './errors';

interface ShowLibraryStore {
  presets: Preset[];
  templates: PresetTemplate[];
  rundowns: RundownSummary[];
  products: ShowProduct[];
  guardTerms: GuardTerm[];
  /** The asset library (models, images, videos); empty where the asset service is not there. */
  assets: AssetEntry[];
  /** The last package export or import, said once on the Shows page. */
  notice: { kind: 'exported' | 'imported'; text: string } | null;
}

/** Presets, rundowns, products and the guard list, kept fresh by the services' events. */
export const useShowLibrary = create<ShowLibraryStore>()(() => ({
  presets: [],
  templates: [],
  rundowns: [],
  products: [],
  guardTerms: [],
  assets: [],
  notice: null,
}));

export const reloadPresets = () =>
  studio.call('show:presets-list').then((presets) => useShowLibrary.setState({ presets }), showError);
export const reloadRundowns = () =>
  studio.call('show:rundowns-list').then((rundowns) => useShowLibrary.setState({ rundowns }), showError);
export const reloadProducts = () =>
  studio.call('show:products').then((products) => useShowLibrary.setState({ products }), showError);
export const reloadGuard = () =>
  studio.call('show:guard-terms-get').then((guardTerms) => useShowLibrary.setState({ guardTerms }), showError);
// The asset library may be missing (older host); the pickers then offer ids typed by hand.
const reloadAssets = () =>
  studio.call('assets:list').then(
    (assets) => useShowLibrary.setState({ assets }),
    () => undefined,
  );

let subscribers = 0;
let unsubscribe: (() => void) | undefined;

function subscribe(): () => void {
  subscribers += 1;
  if (subscribers === 1) {
    const offs = [
      studio.on('show:library-changed', ({ kind }) => {
        if (kind === 'presets') void reloadPresets();
        else if (kind === 'rundowns') void reloadRundowns();
        else void reloadGuard();
      }),
      studio.on('products:changed', () => void reloadProducts()),
      studio.on('assets:changed', (assets) => useShowLibrary.setState({ assets })),
    ];
    unsubscribe = () => offs.forEach((off) => off());
    void reloadPresets();
    void reloadRundowns();
    void reloadProducts();
    void reloadGuard();
    void reloadAssets();
    studio.call('show:templates-list').then((templates) => useShowLibrary.setState({ templates }), showError);
  }
  return () => {
    subscribers -= 1;
    if (subscribers === 0) unsubscribe?.();
  };
}

/** Keeps the library in sync while the calling component is mounted. */
export function useShowLibrarySync(): void {
  useEffect(() => subscribe(), []);
}
