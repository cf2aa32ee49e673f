import { z } from 'zod';

/**
 * Ids of show documents (presets, rundowns, segments, runs). They name files on disk, so they are
 * kept to lower-case letters, digits and dashes: no path can be smuggled through one.
 */
export const docIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes, at most 64');
export type DocId = z.infer<typeof docIdSchema>;

/**
 * A product as the sales store identifies it. The show domain never interprets it; it only hands
 * it back to the sales store (and maps it when a package is imported).
 */
export const productRefSchema = z.string().min(1).max(64);
export type ProductRef = z.infer<typeof productRefSchema>;

/** An id in the asset library (3D model, background image or video, product photo). */
export const assetIdSchema = z.string().min(1).max(128);
