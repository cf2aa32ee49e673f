import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AssetEntry, AssetKind } from '../../../shared/api/assets';
import { useAssetServices } from '../../state/assets';
import { showError } from '../../state/errors';

const accepts: Record<AssetKind, string> = {
  model: '.glb,.gltf,model/gltf-binary,model/gltf+json',
  image: '.png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp',
  video: '.mp4,.webm,video/mp4,video/webm',
};

/**
 * "Import from file…" beside an asset picker; reports the new library entry. The file goes by its
 * path in the desktop app, through the host's upload endpoint from a browser; the service checks it.
 */
export function AssetImportButton({ kind, onImported }: { kind: AssetKind; onImported: (entry: AssetEntry) => void }) {
  const { t } = useTranslation('assets');
  const input = useRef<HTMLInputElement>(null);
  const [isBusy, setBusy] = useState(false);
  const { importAsset } = useAssetServices();
  return (
    <>
      <button type="button" disabled={isBusy} data-testid={`asset-import-${kind}`} onClick={() => input.current?.click()}>
        {isBusy ? t('import.busy') : t('import.button')}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept={accepts[kind]}
        data-testid={`asset-file-${kind}`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file === undefined) return;
          setBusy(true);
          void importAsset(file)
            .then(onImported, showError)
            .finally(() => setBusy(false));
        }}
      />
    </>
  );
}
