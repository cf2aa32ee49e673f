import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { AssetEntry, AssetKind } from '../../../shared/api/assets';
import { uploadMaxBytes } from '../../../shared/api/assets';
import { StudioError } from '../../../shared/api/result';
import { studio } from '../../api/client';
import { showError } from '../../state/errors';

const accepts: Record<AssetKind, string> = {
  model: '.glb,.gltf,model/gltf-binary,model/gltf+json',
  image: '.png,.jpg,.jpeg,.webp,image/png,image/jpeg,image/webp',
  video: '.mp4,.webm,video/mp4,video/webm',
};

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/**
 * Imports a file the user picked into the asset library: by its path in the desktop app (any
 * size), as bytes from a browser (up to the upload limit). The service checks it either way.
 */
export async function importAssetFile(file: File): Promise<AssetEntry> {
  const onDisk = window.studio?.pathForFile?.(file) ?? '';
  if (onDisk !== '') return studio.call('assets:import', { path: onDisk, name: file.name.replace(/\.[^.]+$/, '') });
  if (file.size > uploadMaxBytes) {
    throw new StudioError('assets/upload-too-large', 'This file is too large to upload from the browser.', {
      params: { maxMb: Math.round(uploadMaxBytes / 1024 / 1024) },
    });
  }
  return studio.call('assets:upload', { name: file.name, dataBase64: await readBase64(file) });
}

/** "Import from file…" beside an asset picker; reports the new library entry. */
export function AssetImportButton({ kind, onImported }: { kind: AssetKind; onImported: (entry: AssetEntry) => void }) {
  const { t } = useTranslation('assets');
  const input = useRef<HTMLInputElement>(null);
  const [isBusy, setBusy] = useState(false);
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
          importAssetFile(file)
            .then(onImported, showError)
            .finally(() => setBusy(false));
        }}
      />
    </>
  );
}
