import { z } from 'zod';

import { assetIdSchema } from './ids';
import { presetSchema } from './preset';
import { showProductSchema } from './product';
import { rundownSchema } from './rundown';

/**
 * A show package: one zip with `manifest.json` and `files/…` (models, backgrounds, photos), so a
 * county centre can hand a whole show to another. Everything in it is untrusted input.
 */
export const packageFormat = 'harvest-show-package';
/** The newest manifest version this studio writes and reads. */
export const packageVersion = 1;

/** Limits on what an import accepts; beyond them a package is refused before anything is written. */
export const packageLimits = {
  /** The zip file itself. */
  maxPackageBytes: 1024 * 1024 * 1024,
  maxEntries: 512,
  maxManifestBytes: 4 * 1024 * 1024,
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  /** Uncompressed/compressed; a zip bomb is far beyond this, real models and images far below. */
  maxCompressionRatio: 200,
} as const;

/** The only entry names a package may have: no folders, no `..`, no absolute or Windows paths. */
export const packageEntryPattern = /^(?:manifest\.json|files\/[a-z0-9][a-z0-9._-]{0,99})$/;

export const packageFileSchema = z.object({
  path: z
    .string()
    .regex(packageEntryPattern)
    .refine((p) => p !== 'manifest.json', 'a file cannot be the manifest'),
  assetId: assetIdSchema,
  kind: z.enum(['model', 'image', 'video']),
  /** The name it had in the library, for display. */
  fileName: z.string().min(1).max(200),
  bytes: z.number().int().min(0).max(packageLimits.maxEntryBytes),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PackageFile = z.infer<typeof packageFileSchema>;

/** Only the format and version, read first so a newer package gets a clear "update the studio". */
export const packageHeaderSchema = z.object({
  format: z.literal(packageFormat),
  version: z.number().int().min(1),
});

export const packageManifestSchema = z.object({
  format: z.literal(packageFormat),
  version: z.literal(packageVersion),
  createdAt: z.number().int(),
  generator: z.object({ name: z.string().max(60), version: z.string().max(40) }),
  rundown: rundownSchema,
  presets: z.array(presetSchema).max(200),
  products: z.array(showProductSchema).max(200),
  files: z.array(packageFileSchema).max(packageLimits.maxEntries - 1),
});
/** The manifest of a show package, version 1. */
export type PackageManifest = z.infer<typeof packageManifestSchema>;

/** Assets every studio ships (`builtin:…`); a package refers to them without carrying them. */
export function isBuiltinAsset(assetId: string): boolean {
  return assetId.startsWith('builtin:');
}

/** Asset ids a manifest's presets and products use, built-in ones left out. */
export function referencedAssets(manifest: Pick<PackageManifest, 'presets' | 'products'>): Set<string> {
  const ids = new Set<string>();
  const add = (id: string | null) => {
    if (id !== null && !isBuiltinAsset(id)) ids.add(id);
  };
  for (const p of manifest.presets) {
    if (p.background.kind === 'image' || p.background.kind === 'video') add(p.background.assetId);
    if (p.model?.source === 'asset') add(p.model.assetId);
  }
  for (const p of manifest.products) {
    add(p.photoAssetId);
    add(p.modelAssetId);
  }
  return ids;
}

/**
 * What is wrong inside a schema-valid manifest (dangling references, duplicates); empty when it
 * is whole. A package is imported only when this is empty.
 */
export function manifestProblems(manifest: PackageManifest): string[] {
  const problems: string[] = [];
  const presetIds = new Set(manifest.presets.map((p) => p.id));
  const productIds = new Set(manifest.products.map((p) => p.id));
  if (presetIds.size !== manifest.presets.length) problems.push('duplicate preset id');
  if (productIds.size !== manifest.products.length) problems.push('duplicate product id');
  const paths = new Set(manifest.files.map((f) => f.path));
  if (paths.size !== manifest.files.length) problems.push('duplicate file path');
  const assetIds = new Set(manifest.files.map((f) => f.assetId));
  if (assetIds.size !== manifest.files.length) problems.push('duplicate asset id');
  const segmentIds = new Set(manifest.rundown.segments.map((s) => s.id));
  if (segmentIds.size !== manifest.rundown.segments.length) problems.push('duplicate segment id');
  manifest.rundown.segments.forEach((s, i) => {
    if (s.presetId !== null && !presetIds.has(s.presetId)) problems.push(`segment ${i + 1}: preset missing`);
    if (s.productId !== null && !productIds.has(s.productId)) problems.push(`segment ${i + 1}: product missing`);
  });
  for (const id of referencedAssets(manifest)) {
    if (!assetIds.has(id)) problems.push(`asset ${id.slice(0, 40)} missing`);
  }
  return problems;
}
