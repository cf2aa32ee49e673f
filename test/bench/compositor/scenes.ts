import type { CompositorScene } from '../../../shared/compositor/scene';
import type { Fen } from '../../../shared/money';
import { orangeOverlays } from '../../support/compositor/overlays';

/** Everything on: background replaced through segmentation, product in the hand, all overlays. */
export function fullScene(base: CompositorScene): CompositorScene {
  return {
    ...base,
    background: { kind: 'image', assetId: 'sample-orchard' },
    model: { assetId: 'sample-oranges-crate', anchor: 'hand', scale: 1 },
    overlays: orangeOverlays({ couponEndsAt: Date.now() + 3_600_000, priceUnit: '箱', qrCaption: '扫码下单' }),
  };
}

/**
 * The soak's run of show: what a host's NEXT does every few minutes, here every 30 s. Each scene
 * loads a different product and background (and back), so textures, models and overlay sprites are
 * created and disposed over and over, which is what a leak would show.
 */
export function soakScenes(base: CompositorScene): CompositorScene[] {
  const full = fullScene(base);
  return [
    full,
    {
      ...full,
      background: { kind: 'image', assetId: 'sample-workshop' },
      model: { assetId: 'sample-honey-jar', anchor: 'hand', scale: 1 },
      overlays: {
        ...full.overlays,
        productCard: { ...full.overlays.productCard, name: '百花蜂蜜', priceFen: 5800 as Fen, unit: '500克' },
        priceTag: { visible: true, priceFen: 5800 as Fen, unit: '瓶' },
      },
      theme: 'fresh',
    },
    {
      ...full,
      background: { kind: 'blur', strength: 0.7 },
      model: { assetId: 'sample-tea-tin', anchor: 'hand', scale: 1 },
      overlays: {
        ...full.overlays,
        productCard: { ...full.overlays.productCard, name: '高山绿茶', priceFen: 12800 as Fen, unit: '250克' },
        coupon: { visible: false, text: '', endsAt: null },
      },
      theme: 'official',
    },
    {
      ...full,
      background: { kind: 'image', assetId: 'sample-fishing-port' },
      model: { assetId: 'sample-oranges-crate', anchor: 'turntable', scale: 1 },
      overlays: { ...full.overlays, lowerThird: { ...full.overlays.lowerThird, visible: false } },
    },
  ];
}
