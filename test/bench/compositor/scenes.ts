import type { CompositorScene } from '../../../shared/compositor/scene';
import type { Fen } from '../../../shared/money';

/** Everything on: background replaced through segmentation, product in the hand, all overlays. */
export function fullScene(base: CompositorScene): CompositorScene {
  return {
    ...base,
    background: { kind: 'image', assetId: 'sample-orchard' },
    model: { assetId: 'sample-oranges-crate', anchor: 'hand', scale: 1 },
    overlays: {
      productCard: {
        visible: true,
        name: '赣南脐橙',
        priceFen: 3990 as Fen,
        unit: '5斤',
        origin: '江西赣州',
        certifications: ['地理标志', '绿色食品', '有机'],
        story: '果园直发，现摘现发',
      },
      priceTag: { visible: true, priceFen: 3990 as Fen, unit: '箱' },
      lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
      qr: { visible: true, url: 'https://shop.example.com/item/123', caption: '扫码下单' },
      coupon: { visible: true, text: '满99减20', endsAt: Date.now() + 3_600_000 },
    },
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
