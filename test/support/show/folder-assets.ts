import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { readJsonFile, writeFileAtomic } from '../../../electron/services/json-file';
import type { AssetFile, ShowAssetsPort } from '../../../electron/services/show/ports';

const metaSchema = z.object({
  assetId: z.string(),
  kind: z.enum(['model', 'image', 'video']),
  fileName: z.string(),
});

/** A file name safe on every OS, keeping the extension (loaders pick by it). */
function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const cleaned = base.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'file' : cleaned.slice(-120);
}

/**
 * A minimal asset library in `<root>/<hash of id>/` (meta.json + the file), used by show packages
 * until the asset service offers the same port. The folder name is a hash so no asset id can
 * reach outside the root.
 */
export function createFolderAssets(root: string): ShowAssetsPort {
  const dirOf = (assetId: string) => path.join(root, createHash('sha256').update(assetId).digest('hex').slice(0, 32));
  return {
    async locate(assetId) {
      const dir = dirOf(assetId);
      const meta = readJsonFile(path.join(dir, 'meta.json'), metaSchema);
      if (meta === undefined || meta.assetId !== assetId) return undefined;
      const file = path.join(dir, safeFileName(meta.fileName));
      if (!fs.existsSync(file)) return undefined;
      const found: AssetFile = { assetId, kind: meta.kind, fileName: meta.fileName, path: file };
      return found;
    },
    async adopt({ assetId, kind, fileName, file }) {
      const dir = dirOf(assetId);
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(file, path.join(dir, safeFileName(fileName)));
      writeFileAtomic(path.join(dir, 'meta.json'), JSON.stringify({ assetId, kind, fileName }));
    },
    async remove(assetId) {
      fs.rmSync(dirOf(assetId), { recursive: true, force: true });
    },
  };
}
