import type { Language, Settings } from '../../shared/api/app';
import type { RequestInput } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';
import type { StudioClient } from '../api/client';
import { defineActions } from './synced-store';

/**
 * The sample show a new user can put on air at once, from the samples shipped in assets/: three
 * products, each with its 3D model and an origin background, and a three-segment rundown.
 */
export interface SampleItem {
  product: RequestInput<'products:save'>;
  story: string;
  modelAssetId: string;
  /** The template family; the orientation comes from the output size. */
  template: 'orchard' | 'workshop' | 'official-guest';
  backgroundAssetId: string;
  script: string;
  guest?: { name: string; title: string };
}

const items: Record<Language, SampleItem[]> = {
  'zh-CN': [
    {
      product: {
        name: '赣南脐橙 5斤装',
        unit: '箱',
        priceFen: 3990,
        origin: '江西赣州',
        certifications: ['地理标志', '绿色食品'],
      },
      story: '山坡果园，日照充足，现摘现发',
      modelAssetId: 'sample-oranges-crate',
      template: 'orchard',
      backgroundAssetId: 'sample-orchard',
      script: '大家好，欢迎来到秋收助农专场！先看赣南脐橙，今早刚从果园摘下来。',
    },
    {
      product: { name: '百花土蜂蜜', unit: '瓶', priceFen: 6800, origin: '陕西秦岭' },
      story: '秦岭深山百花蜜，自家作坊灌装',
      modelAssetId: 'sample-honey-jar',
      template: 'workshop',
      backgroundAssetId: 'sample-workshop',
      script: '这罐蜂蜜来自秦岭深处，在合作社的作坊里灌装。',
    },
    {
      product: { name: '普陀佛茶', unit: '罐', priceFen: 12800, origin: '浙江舟山', certifications: ['有机'] },
      story: '海岛云雾里长出的茶，渔港边的茶园',
      modelAssetId: 'sample-tea-tin',
      template: 'official-guest',
      backgroundAssetId: 'sample-fishing-port',
      script: '有请李副县长为家乡好茶代言。',
      guest: { name: '李明', title: '副县长' },
    },
  ],
  en: [
    {
      product: {
        name: 'Gannan navel oranges 2.5 kg',
        unit: 'box',
        priceFen: 3990,
        origin: 'Ganzhou, Jiangxi',
        certifications: ['PGI', 'Green food'],
      },
      story: 'Hillside orchard, full sun, picked and shipped the same day',
      modelAssetId: 'sample-oranges-crate',
      template: 'orchard',
      backgroundAssetId: 'sample-orchard',
      script: 'Welcome to our harvest show! First, navel oranges picked in the orchard this morning.',
    },
    {
      product: { name: 'Wildflower honey', unit: 'jar', priceFen: 6800, origin: 'Qinling, Shaanxi' },
      story: 'Mountain wildflower honey, jarred in our own workshop',
      modelAssetId: 'sample-honey-jar',
      template: 'workshop',
      backgroundAssetId: 'sample-workshop',
      script: 'This honey comes from deep in the Qinling mountains, jarred in the co-op workshop.',
    },
    {
      product: {
        name: 'Putuo green tea',
        unit: 'tin',
        priceFen: 12800,
        origin: 'Zhoushan, Zhejiang',
        certifications: ['Organic'],
      },
      story: 'Tea grown in the island mist, by the fishing port',
      modelAssetId: 'sample-tea-tin',
      template: 'official-guest',
      backgroundAssetId: 'sample-fishing-port',
      script: 'Please welcome Deputy County Head Li, who speaks for our home-grown tea.',
      guest: { name: 'Li Ming', title: 'Deputy County Head' },
    },
  ],
};

/** The sample's products and segments in the user's language. */
export const sampleItems = (language: Language): readonly SampleItem[] => items[language];

/** The sample show's title; a restarted guide finds its show by the id kept in settings. */
export const sampleShowTitle: Record<Language, string> = {
  'zh-CN': '示例节目：秋收助农专场',
  en: 'Sample show: harvest special',
};
const hostName: Record<Language, string> = { 'zh-CN': '小王', en: 'Xiao Wang' };

async function existingRundown(studio: StudioClient, id: string | null): Promise<string | null> {
  if (id === null) return null;
  try {
    return (await studio.call('show:rundown-get', { id })).id;
  } catch (error) {
    if (error instanceof StudioError && error.code === 'show/rundown-not-found') return null;
    throw error;
  }
}

/**
 * Builds the sample show (products, media, presets, rundown) or finds the one built before.
 * Products are matched by name so a guide interrupted half way does not make them twice.
 */
export async function ensureSampleShow(studio: StudioClient, settings: Settings): Promise<string> {
  const found = await existingRundown(studio, settings.onboarding.sampleRundownId);
  if (found !== null) return found;
  const language = settings.language;
  const orientation = settings.outputFormat === '1080x1920' ? '9x16' : '16x9';
  const sample = items[language];
  const existing = await studio.call('products:list', { includeArchived: false });
  const productIds: string[] = [];
  const presetIds: string[] = [];
  for (const item of sample) {
    const product =
      existing.find((p) => p.name === item.product.name) ?? (await studio.call('products:save', item.product));
    productIds.push(product.id);
    await studio.call('show:product-media-set', {
      productId: product.id,
      media: { story: item.story, photoAssetId: null, modelAssetId: item.modelAssetId },
    });
    const made = await studio.call('show:preset-from-template', { templateId: `${item.template}-${orientation}` });
    const preset = await studio.call('show:preset-save', {
      ...made,
      background: { kind: 'image', assetId: item.backgroundAssetId },
    });
    presetIds.push(preset.id);
  }
  const platform = settings.onboarding.platform;
  const rundown = await studio.call('show:rundown-save', {
    title: sampleShowTitle[language],
    platforms: [platform ?? 'douyin'],
    segments: sample.map((item, i) => ({
      productId: productIds[i]!,
      presetId: presetIds[i]!,
      host: hostName[language],
      guest: item.guest?.name ?? '',
      guestTitle: item.guest?.title ?? '',
      plannedSec: 300,
      script: item.script,
      notes: '',
    })),
  });
  return rundown.id;
}

/** The first-run guide's sample show, bound to this window's client. */
export const useSampleShow = defineActions((client) => ({
  ensureSampleShow: (settings: Settings) => ensureSampleShow(client, settings),
}));
