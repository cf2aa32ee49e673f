import { describe, expect, it } from 'vitest';

import { compositorSceneSchema } from '../compositor/scene';
import type { PresetBody } from './preset';
import { clip, presetSchema, presetTexts, resolvePreset } from './preset';
import type { ShowProduct } from './product';

const body: PresetBody = {
  orientation: '9:16',
  layout: 'pip',
  cameras: { main: 'cam-1', guest: 'cam-2' },
  background: { kind: 'image', assetId: 'bg-orchard' },
  model: { source: 'product', assetId: null, anchor: 'hand', scale: 1.5 },
  overlays: {
    productCard: { visible: true, story: '' },
    priceTag: { visible: true },
    lowerThird: { visible: true, who: 'guest', name: '', title: '副县长' },
    qr: { visible: true, platform: '抖音', caption: '扫码下单' },
    coupon: { visible: true, text: '限时优惠', minutes: 10 },
  },
  theme: 'official',
  obsScene: 'Harvest Official Guest 9x16',
};

const product: ShowProduct = {
  id: '42',
  name: '赣南脐橙 5斤装',
  unit: '箱',
  priceFen: 3990 as ShowProduct['priceFen'],
  origin: '江西赣州',
  certifications: ['地理标志', '绿色食品'],
  story: '果园在山坡上，日照足，'.repeat(20),
  photoAssetId: null,
  modelAssetId: 'model-orange-crate',
  shopLinks: [
    { platform: '淘宝', url: 'https://example.com/tb' },
    { platform: '抖音', url: 'https://example.com/dy' },
  ],
};

describe('resolvePreset', () => {
  it('resolves a preset and a product into a valid compositor scene', () => {
    const scene = resolvePreset(
      { ...body, id: 'p1' },
      { product, host: { name: '小王', title: '' }, guest: { name: '李明', title: '' }, now: 1_000 },
    );
    expect(compositorSceneSchema.safeParse(scene).success).toBe(true);
    expect(scene.presetId).toBe('p1');
    expect(scene.layout).toBe('pip');
    expect(scene.model).toEqual({ assetId: 'model-orange-crate', anchor: 'hand', scale: 1.5, photoAssetId: null });
    expect(scene.overlays.productCard).toMatchObject({
      visible: true,
      name: '赣南脐橙 5斤装',
      priceFen: 3990,
      unit: '箱',
    });
    expect(Array.from(scene.overlays.productCard.story)).toHaveLength(120);
    expect(scene.overlays.lowerThird).toEqual({ visible: true, name: '李明', title: '副县长' });
    expect(scene.overlays.qr).toEqual({ visible: true, url: 'https://example.com/dy', caption: '扫码下单' });
    expect(scene.overlays.coupon.endsAt).toBe(1_000 + 10 * 60_000);
  });

  it("prefers the segment's own title and hides what has nothing to show", () => {
    const scene = resolvePreset(
      { ...body, overlays: { ...body.overlays, qr: { visible: true, platform: '拼多多', caption: '' } } },
      { product: null, host: { name: '', title: '' }, guest: { name: '张华', title: '县长' }, now: 0 },
    );
    expect(scene.presetId).toBeNull();
    expect(scene.model).toBeNull();
    expect(scene.overlays.productCard.visible).toBe(false);
    expect(scene.overlays.priceTag.visible).toBe(false);
    expect(scene.overlays.qr.visible).toBe(false);
    expect(scene.overlays.lowerThird).toEqual({ visible: true, name: '张华', title: '县长' });
  });

  it('uses a fixed model asset when the preset names one', () => {
    const scene = resolvePreset(
      { ...body, model: { source: 'asset', assetId: 'honey-jar', anchor: 'turntable', scale: 1 } },
      { product, host: { name: '', title: '' }, guest: { name: '', title: '' }, now: 0 },
    );
    expect(scene.model?.assetId).toBe('honey-jar');
  });

  it('clips by characters, never splitting a surrogate pair', () => {
    expect(clip('🍊🍊🍊', 2)).toBe('🍊🍊');
    expect(clip('  橙子  ', 10)).toBe('橙子');
  });

  it('lists the texts a preset writes itself, for the guard', () => {
    expect(presetTexts(body).map((t) => t.text)).toEqual(['副县长', '扫码下单', '限时优惠']);
  });

  it('refuses a preset without a bound OBS scene', () => {
    const stored = { ...body, id: 'p1', name: '嘉宾', templateId: null, createdAt: 0, updatedAt: 0 };
    expect(presetSchema.safeParse(stored).success).toBe(true);
    expect(presetSchema.safeParse({ ...stored, obsScene: '  ' }).success).toBe(false);
  });
});
