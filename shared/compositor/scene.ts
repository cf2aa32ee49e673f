import { z } from 'zod';

import { fenSchema } from '../money';

/**
 * What the program output shows at one moment. The show domain (presets, run of show) decides
 * it; the compositor in every window renders exactly this. Ids refer to the asset library.
 */
export const layoutSchema = z.enum(['single', 'pip', 'side-by-side']);
export const orientationSchema = z.enum(['16:9', '9:16']);
export const themeSchema = z.enum(['harvest', 'fresh', 'official']);
export const anchorSchema = z.enum(['hand', 'turntable', 'fixed', 'face']);

export const backgroundSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('camera') }),
  z.object({ kind: z.literal('blur'), strength: z.number().min(0).max(1) }),
  z.object({ kind: z.literal('image'), assetId: z.string().min(1) }),
  z.object({ kind: z.literal('video'), assetId: z.string().min(1) }),
]);

export const productModelSchema = z.object({
  assetId: z.string().min(1),
  anchor: anchorSchema,
  /** Extra scale on top of the normalised size. */
  scale: z.number().positive().max(10),
  /** The product's photo: shown in the hand where this computer cannot draw 3D. */
  photoAssetId: z.string().min(1).nullable().optional(),
});

export const overlaysSchema = z.object({
  productCard: z.object({
    visible: z.boolean(),
    name: z.string().max(60),
    priceFen: fenSchema,
    unit: z.string().max(20),
    origin: z.string().max(60),
    certifications: z.array(z.string().max(20)).max(6),
    story: z.string().max(120),
  }),
  priceTag: z.object({ visible: z.boolean(), priceFen: fenSchema, unit: z.string().max(20) }),
  lowerThird: z.object({ visible: z.boolean(), name: z.string().max(40), title: z.string().max(60) }),
  qr: z.object({ visible: z.boolean(), url: z.string().max(2000), caption: z.string().max(40) }),
  coupon: z.object({ visible: z.boolean(), text: z.string().max(60), endsAt: z.number().int().nullable() }),
});

export const compositorSceneSchema = z.object({
  /** The preset this scene came from, if any. */
  presetId: z.string().nullable(),
  orientation: orientationSchema,
  layout: layoutSchema,
  cameras: z.object({ main: z.string().nullable(), guest: z.string().nullable() }),
  background: backgroundSchema,
  model: productModelSchema.nullable(),
  overlays: overlaysSchema,
  theme: themeSchema,
});

/** The description of the program picture. */
export type CompositorScene = z.infer<typeof compositorSceneSchema>;
export type Overlays = z.infer<typeof overlaysSchema>;
export type Background = z.infer<typeof backgroundSchema>;
export type Anchor = z.infer<typeof anchorSchema>;

/** What the program shows before any preset is chosen: the camera as is, nothing on top. */
export function emptyScene(orientation: z.infer<typeof orientationSchema> = '16:9'): CompositorScene {
  return compositorSceneSchema.parse({
    presetId: null,
    orientation,
    layout: 'single',
    cameras: { main: null, guest: null },
    background: { kind: 'camera' },
    model: null,
    overlays: {
      productCard: { visible: false, name: '', priceFen: 0, unit: '', origin: '', certifications: [], story: '' },
      priceTag: { visible: false, priceFen: 0, unit: '' },
      lowerThird: { visible: false, name: '', title: '' },
      qr: { visible: false, url: '', caption: '' },
      coupon: { visible: false, text: '', endsAt: null },
    },
    theme: 'harvest',
  });
}
