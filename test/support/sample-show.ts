import type { RequestInput } from '../../shared/api/contract';

// The sample autumn show that the live-mode e2e test and the README screenshots both set up:
// three products, the oranges with their crate model, and a rundown on three shipped templates.

export const sampleProducts: RequestInput<'products:save'>[] = [
  {
    name: '赣南脐橙 5斤装',
    unit: '箱',
    priceFen: 3990,
    origin: '江西赣州',
    certifications: ['地理标志', '绿色食品'],
    shopLinks: { douyin: 'https://example.com/shop/orange' },
  },
  { name: '百花土蜂蜜', unit: '瓶', priceFen: 6800, origin: '陕西秦岭' },
  {
    name: '高山云雾绿茶',
    unit: '罐',
    priceFen: 12800,
    origin: '浙江丽水',
    certifications: ['有机'],
    shopLinks: { taobao: 'https://example.com/shop/tea' },
  },
];

/** Story and 3D model of the first product (the oranges). */
export const sampleOrangeMedia = {
  story: '山坡果园，日照充足，现摘现发',
  photoAssetId: null,
  modelAssetId: 'sample-oranges-crate',
};

/** One shipped template per segment. */
export const sampleTemplates = ['orchard-16x9', 'kitchen-16x9', 'official-guest-16x9'] as const;

/** The rundown: one segment per product, the county official as guest in the last. */
export function sampleRundown(productIds: string[], presetIds: string[]): RequestInput<'show:rundown-save'> {
  return {
    title: '秋收助农专场',
    platforms: ['douyin'],
    segments: productIds.map((productId, i) => ({
      productId,
      presetId: presetIds[i]!,
      host: '小王',
      guest: i === 2 ? '李明' : '',
      guestTitle: i === 2 ? '副县长' : '',
      plannedSec: 300,
      script: ['大家好，欢迎来到秋收专场。', '这罐蜂蜜来自秦岭深处。', '有请李副县长为家乡好茶代言。'][i]!,
      notes: '',
    })),
  };
}
