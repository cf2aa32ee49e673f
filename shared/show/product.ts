import { z } from 'zod';

import { fenSchema } from '../money';
import { assetIdSchema, productRefSchema } from './ids';

/** A shop link for one platform (抖音, 淘宝, 快手…); shown as a QR code on program. */
export const shopLinkSchema = z.object({
  platform: z.string().min(1).max(40),
  url: z.string().min(1).max(2000),
});

/**
 * What the show domain needs to know about a product to put it on program. The sales store owns
 * products; its adapter maps its rows into this shape.
 */
export const showProductSchema = z.object({
  id: productRefSchema,
  name: z.string().min(1).max(60),
  unit: z.string().max(20),
  priceFen: fenSchema,
  origin: z.string().max(60),
  certifications: z.array(z.string().max(20)).max(6),
  story: z.string().max(2000),
  photoAssetId: assetIdSchema.nullable(),
  modelAssetId: assetIdSchema.nullable(),
  shopLinks: z.array(shopLinkSchema).max(12),
});
/** A product, as presets and the run of show see it. */
export type ShowProduct = z.infer<typeof showProductSchema>;

/**
 * What the show domain keeps about a product beside the sales store's record: its story and the
 * assets (photo, 3D model) the product card and compositor show.
 */
export const productMediaSchema = z.object({
  story: z.string().max(2000),
  photoAssetId: assetIdSchema.nullable(),
  modelAssetId: assetIdSchema.nullable(),
});
export type ProductMedia = z.infer<typeof productMediaSchema>;

export const emptyProductMedia: ProductMedia = { story: '', photoAssetId: null, modelAssetId: null };
