import type { AssetEntry, VisionModelName } from '../../shared/api/assets';
import type { CompositorScene } from '../../shared/compositor/scene';
import type { StudioClient } from '../api/client';
import { defineActions } from './synced-store';

/**
 * The asset library, the vision models and the scene on program, as the compositor and the asset
 * pickers use them. The compositor is imperative (its frame loop owns the picture), so it takes
 * these as calls and subscriptions rather than through a React store.
 */
export function assetServices(client: StudioClient) {
  return {
    getScene: () => client.call('show:get-scene'),
    onScene: (listener: (scene: CompositorScene) => void) => client.on('show:scene-changed', listener),
    listAssets: () => client.call('assets:list'),
    onAssets: (listener: (assets: AssetEntry[]) => void) => client.on('assets:changed', listener),
    /** Imports a picked file: by its path in the desktop app, uploaded from a browser. */
    importAsset: async (file: File): Promise<AssetEntry> =>
      client.call('assets:import', { path: await client.stageFile(file), name: file.name.replace(/\.[^.]+$/, '') }),
    modelsStatus: () => client.call('assets:models-status'),
    downloadModels: () => client.call('assets:download-models'),
    /** Tells the services whether a downloaded model loaded (they keep it only if it did). */
    confirmModel: (name: VisionModelName, loaded: boolean) =>
      client.call('assets:confirm-model', { name, loaded }).then(
        () => undefined,
        () => undefined,
      ),
  };
}

export const useAssetServices = defineActions(assetServices);
