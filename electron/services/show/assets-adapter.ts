import type { AssetsService } from '../assets';
import type { ShowAssetsPort } from './ports';

/** Adapts the asset library service to the port show packages use. */
export function adaptAssets(service: AssetsService): ShowAssetsPort {
  return {
    locate: (assetId) => service.locate(assetId),
    adopt: (input) => service.adopt(input),
    async remove(assetId) {
      // Rollback of an import: an asset that is already gone is fine.
      try {
        service.remove(assetId);
      } catch {
        // Nothing to undo.
      }
    },
  };
}
