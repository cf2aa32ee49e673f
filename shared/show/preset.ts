import { z } from 'zod';

import type { CompositorScene } from '../compositor/scene';
import {
  anchorSchema,
  backgroundSchema,
  compositorSceneSchema,
  layoutSchema,
  orientationSchema,
  themeSchema,
} from '../compositor/scene';
import { assetIdSchema, docIdSchema } from './ids';
import type { ShowProduct } from './product';

/** Where the 3D product comes from: the segment's product, or one fixed asset. */
export const presetModelSchema = z.object({
  source: z.enum(['product', 'asset']),
  assetId: assetIdSchema.nullable(),
  anchor: anchorSchema,
  scale: z.number().positive().max(10),
});

export const presetOverlaysSchema = z.object({
  /** Name, price, origin, badges and story come from the product; `story` overrides its story when set. */
  productCard: z.object({ visible: z.boolean(), story: z.string().max(120) }),
  priceTag: z.object({ visible: z.boolean() }),
  /** Who the lower third names: the segment's host or guest, or fixed text. */
  lowerThird: z.object({
    visible: z.boolean(),
    who: z.enum(['host', 'guest', 'custom']),
    name: z.string().max(40),
    title: z.string().max(60),
  }),
  /** The shop link of `platform` (the product's first link when null) as a QR code. */
  qr: z.object({ visible: z.boolean(), platform: z.string().max(40).nullable(), caption: z.string().max(40) }),
  /** A coupon countdown that starts when the preset goes on program. */
  coupon: z.object({
    visible: z.boolean(),
    text: z.string().max(60),
    minutes: z.number().int().min(1).max(240).nullable(),
  }),
});

/** The look of a segment, without identity: what templates and presets share. */
export const presetBodySchema = z.object({
  orientation: orientationSchema,
  layout: layoutSchema,
  cameras: z.object({ main: z.string().max(200).nullable(), guest: z.string().max(200).nullable() }),
  background: backgroundSchema,
  model: presetModelSchema.nullable(),
  overlays: presetOverlaysSchema,
  theme: themeSchema,
  /** The OBS scene this preset switches to; OBS provisioning creates it. */
  obsScene: z.string().trim().min(1).max(100),
});
export type PresetBody = z.infer<typeof presetBodySchema>;

/** A scene preset as stored (one JSON document per preset). */
export const presetSchema = presetBodySchema.extend({
  id: docIdSchema,
  name: z.string().trim().min(1).max(60),
  /** The template it was made from, if any. */
  templateId: docIdSchema.nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
/** A scene preset: cameras and layout, background, product model and anchor, overlays, theme, OBS scene. */
export type Preset = z.infer<typeof presetSchema>;

/** What the editor sends to save a preset: no id creates one. */
export const presetInputSchema = presetBodySchema.extend({
  id: docIdSchema.optional(),
  name: z.string().trim().min(1).max(60),
  templateId: docIdSchema.nullable().default(null),
});
export type PresetInput = z.input<typeof presetInputSchema>;

const localizedSchema = z.object({ 'zh-CN': z.string().min(1).max(120), en: z.string().min(1).max(160) });

/** A template shipped in assets/presets/*.json. */
export const presetTemplateSchema = presetBodySchema.extend({
  templateId: docIdSchema,
  /** The family (orchard, fishing-port…) the 16:9 and 9:16 variants share. */
  family: z.enum(['orchard', 'fishing-port', 'workshop', 'kitchen', 'official-guest']),
  name: localizedSchema,
  description: localizedSchema,
});
export type PresetTemplate = z.infer<typeof presetTemplateSchema>;

/** A person on air in a segment. */
export interface OnAir {
  name: string;
  title: string;
}

/** What a preset is resolved against: the segment's product and people, and the time it goes on air. */
export interface ResolveContext {
  product: ShowProduct | null;
  host: OnAir;
  guest: OnAir;
  now: number;
}

/** Cuts text to at most `max` characters (code points, so a CJK or emoji character is never split). */
export function clip(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('');
}

/** The body of a preset (template or stored preset), separated from its identity. */
export function presetBody(preset: PresetBody): PresetBody {
  return presetBodySchema.parse(preset);
}

/**
 * Resolves a preset for one segment into the scene the compositor renders. Texts are clipped to
 * what the overlays can show, so a long product story never breaks the program.
 */
export function resolvePreset(preset: PresetBody & { id?: string }, ctx: ResolveContext): CompositorScene {
  const { product } = ctx;
  const o = preset.overlays;
  const person = o.lowerThird.who === 'host' ? ctx.host : o.lowerThird.who === 'guest' ? ctx.guest : null;
  const link =
    product === null
      ? undefined
      : o.qr.platform === null
        ? product.shopLinks[0]
        : product.shopLinks.find((l) => l.platform === o.qr.platform);
  const modelAsset =
    preset.model === null
      ? null
      : preset.model.source === 'product'
        ? (product?.modelAssetId ?? null)
        : preset.model.assetId;
  const model =
    preset.model === null || modelAsset === null
      ? null
      : {
          assetId: modelAsset,
          anchor: preset.model.anchor,
          scale: preset.model.scale,
          // Shown in the hand where this computer cannot draw 3D.
          photoAssetId: product?.photoAssetId ?? null,
        };
  const priceFen = product?.priceFen ?? 0;
  const unit = clip(product?.unit ?? '', 20);
  return compositorSceneSchema.parse({
    presetId: preset.id ?? null,
    orientation: preset.orientation,
    layout: preset.layout,
    cameras: preset.cameras,
    background: preset.background,
    model,
    overlays: {
      productCard: {
        visible: o.productCard.visible && product !== null,
        name: clip(product?.name ?? '', 60),
        priceFen,
        unit,
        origin: clip(product?.origin ?? '', 60),
        certifications: (product?.certifications ?? []).slice(0, 6).map((c) => clip(c, 20)),
        story: clip(o.productCard.story !== '' ? o.productCard.story : (product?.story ?? ''), 120),
      },
      priceTag: { visible: o.priceTag.visible && product !== null, priceFen, unit },
      lowerThird: {
        visible: o.lowerThird.visible && (person === null ? o.lowerThird.name !== '' : person.name !== ''),
        name: clip(person?.name ?? o.lowerThird.name, 40),
        title: clip(person !== null && person.title !== '' ? person.title : o.lowerThird.title, 60),
      },
      qr: {
        visible: o.qr.visible && link !== undefined,
        url: link?.url ?? '',
        caption: clip(o.qr.caption, 40),
      },
      coupon: {
        visible: o.coupon.visible && o.coupon.text !== '',
        text: clip(o.coupon.text, 60),
        endsAt: o.coupon.minutes === null ? null : ctx.now + o.coupon.minutes * 60_000,
      },
    },
    theme: preset.theme,
  });
}

/** Every text a preset itself puts on screen (for the text guard). */
export function presetTexts(preset: PresetBody): { field: string; text: string }[] {
  const o = preset.overlays;
  return [
    { field: 'overlays.productCard.story', text: o.productCard.story },
    { field: 'overlays.lowerThird.name', text: o.lowerThird.who === 'custom' ? o.lowerThird.name : '' },
    { field: 'overlays.lowerThird.title', text: o.lowerThird.title },
    { field: 'overlays.qr.caption', text: o.qr.caption },
    { field: 'overlays.coupon.text', text: o.coupon.text },
  ].filter((t) => t.text !== '');
}
