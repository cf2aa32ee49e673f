import { z } from 'zod';

import { request } from './define';

// The 'assets' domain: the asset library (product models, origin images and videos) kept in the
// data folder, the sample assets that ship with the app, and the MediaPipe models. Requests are
// named 'assets:verb'. Files are fetched by the renderer from `url` (same origin as the page).

export const assetKindSchema = z.enum(['model', 'image', 'video']);
export type AssetKind = z.infer<typeof assetKindSchema>;

/** Ids are opaque; show packages bring their own. Files are stored under a hash of the id. */
export const assetIdSchema = z.string().min(1).max(120);

export const assetEntrySchema = z.object({
  id: assetIdSchema,
  kind: assetKindSchema,
  /** Display name (from the file name unless given). */
  name: z.string().max(120),
  /** Shipped with the app (cannot be removed). */
  builtIn: z.boolean(),
  /** Page-relative URL the renderer loads the file from. */
  url: z.string(),
  bytes: z.number().int().nonnegative(),
  /** ms since epoch. */
  addedAt: z.number().int(),
  /** Models: what the check found. */
  triangles: z.number().int().nonnegative().optional(),
  /** Largest texture side (models) or image size. */
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
});
/** One file of the asset library. */
export type AssetEntry = z.infer<typeof assetEntrySchema>;

/** MediaPipe model files the compositor needs, by name. */
export const visionModelNames = [
  'hand_landmarker.task',
  'selfie_segmenter.tflite',
  'blaze_face_short_range.tflite',
] as const;
export const visionModelNameSchema = z.enum(visionModelNames);
export type VisionModelName = z.infer<typeof visionModelNameSchema>;

export const visionModelsStatusSchema = z.object({
  /** Use downloaded official models when they loaded before (else the bundled builds). */
  preferOfficial: z.boolean(),
  official: z.array(
    z.object({
      name: visionModelNameSchema,
      state: z.enum(['absent', 'downloaded', 'verified', 'rejected']),
      url: z.string().optional(),
      bytes: z.number().int().nonnegative().optional(),
    }),
  ),
});
/** Which MediaPipe models the compositor should load. */
export type VisionModelsStatus = z.infer<typeof visionModelsStatusSchema>;

/** The largest file `assets:upload` takes as base64 (it must fit one WebSocket message, `wsMaxMessageBytes`). */
export const uploadMaxBytes = 40 * 1024 * 1024;

export const assetsRequests = {
  'assets:list': request(z.void(), z.array(assetEntrySchema)),
  /** Copies a file from the user's disk into the library after checking it. */
  'assets:import': request(
    z.object({ path: z.string().min(1).max(4096), name: z.string().max(120).optional() }),
    assetEntrySchema,
  ),
  /**
   * The same from bytes, for the browser (host mode), where a page cannot name a file on disk.
   * Capped by the WebSocket frame; larger files go through the desktop app's path import.
   */
  'assets:upload': request(
    z.object({
      name: z.string().min(1).max(120),
      dataBase64: z.string().max(Math.ceil((uploadMaxBytes * 4) / 3) + 4),
    }),
    assetEntrySchema,
  ),
  'assets:remove': request(z.object({ id: assetIdSchema }), z.void()),
  'assets:models-status': request(z.void(), visionModelsStatusSchema),
  /** Downloads the official MediaPipe models once (needs internet); the bundled ones stay as fallback. */
  'assets:download-models': request(z.void(), visionModelsStatusSchema),
  /** The renderer says whether a downloaded model loaded; a rejected one is deleted. */
  'assets:confirm-model': request(
    z.object({ name: visionModelNameSchema, loaded: z.boolean() }),
    visionModelsStatusSchema,
  ),
} as const;

export const assetsEvents = {
  'assets:changed': z.array(assetEntrySchema),
} as const;

export const assetsErrorCodes = [
  'assets/not-found',
  'assets/unreadable',
  'assets/unsupported-type',
  'assets/file-too-large',
  'assets/not-a-model',
  'assets/truncated',
  'assets/broken-model',
  'assets/unsupported-version',
  'assets/unsupported-extension',
  'assets/external-reference',
  'assets/missing-resource',
  'assets/too-many-triangles',
  'assets/broken-texture',
  'assets/texture-too-large',
  'assets/image-too-large',
  'assets/built-in',
  'assets/upload-too-large',
  'assets/download-failed',
  'assets/model-too-heavy',
  'assets/texture-budget',
] as const;
