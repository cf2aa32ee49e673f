// Makes the README's screenshots from a real session: the built host, a real OBS, a three-segment
// show from the shipped templates, a few sales, and a fake camera fed from real footage.
//   npx tsx test/support/readme-screenshots.ts      (after `npm run build`)
import path from 'node:path';

import { makeFakeCamera } from '../fixtures/camera/fake-camera';
import { openApi } from '../fixtures/camera/studio-api';
import { launchBrowser, openPage } from './browser';
import { repoRoot, startHost } from './host';
import { ensureObs } from './obs';

interface Saved {
  id: string;
}

const obs = await ensureObs();
const host = await startHost();
const camera = makeFakeCamera(repoRoot, {
  input: 'node_modules/fingerpose/assets/fingers-lq.gif',
  width: 640,
  height: 480,
  seconds: 4,
  fps: 15,
});
const browser = await launchBrowser({ fakeCamera: camera });
const api = await openApi(host);
try {
  if (obs.info.available) {
    await api.value('obs:connect', { host: '127.0.0.1', port: obs.info.port, password: obs.info.password });
  }
  const products = [
    await api.value<Saved>('products:save', {
      name: '赣南脐橙 5斤装',
      unit: '箱',
      priceFen: 3990,
      origin: '江西赣州',
      certifications: ['地理标志', '绿色食品'],
      shopLinks: { douyin: 'https://example.com/shop/orange' },
    }),
    await api.value<Saved>('products:save', { name: '百花土蜂蜜', unit: '瓶', priceFen: 6800, origin: '陕西秦岭' }),
    await api.value<Saved>('products:save', {
      name: '高山云雾绿茶',
      unit: '罐',
      priceFen: 12800,
      origin: '浙江丽水',
      certifications: ['有机'],
    }),
  ];
  await api.value('show:product-media-set', {
    productId: products[0]!.id,
    media: { story: '山坡果园，日照充足，现摘现发', photoAssetId: null, modelAssetId: 'sample-oranges-crate' },
  });
  const presets: Saved[] = [];
  for (const [i, templateId] of ['orchard-16x9', 'kitchen-16x9', 'official-guest-16x9'].entries()) {
    const made = await api.value<Record<string, unknown>>('show:preset-from-template', { templateId });
    presets.push(await api.value<Saved>('show:preset-save', { ...made, obsScene: `丰收直播间 ${i + 1}` }));
  }
  const rundown = await api.value<Saved>('show:rundown-save', {
    title: '秋收助农专场',
    platforms: ['douyin'],
    segments: products.map((p, i) => ({
      productId: p.id,
      presetId: presets[i]!.id,
      host: '小王',
      guest: i === 2 ? '李明' : '',
      guestTitle: i === 2 ? '副县长' : '',
      plannedSec: 300,
      script: [
        '大家好，欢迎来到秋收专场。今天给大家带来赣南脐橙，果园现摘现发。',
        '这罐蜂蜜来自秦岭深处。',
        '有请李副县长为家乡好茶代言。',
      ][i]!,
      notes: '',
    })),
  });
  if (obs.info.available) {
    await api
      .value('obs:provision', { sceneNames: presets.map((_, i) => `丰收直播间 ${i + 1}`) })
      .catch(() => undefined);
  }
  await api.value('show:live-start', { rundownId: rundown.id, acknowledgeGuard: true });
  for (const quantity of [1, 2, 1, 3, 1]) await api.value('sales:record', { quantity });

  const { page } = await openPage(browser, `${host.url}#/studio`, { width: 1600, height: 1000 });
  await page.waitForFunction(() => document.body.dataset.ready === '1');
  await page.locator('[data-testid="live-panel"][data-live="on"]').waitFor();
  // The preview has drawn the show's scene with the camera (no fixed wait: its probe says so).
  await page.waitForFunction(() => document.querySelector('.compositor-preview canvas, canvas') !== null);
  await page
    .waitForFunction(() => document.body.dataset.sceneReady === '1', undefined, { timeout: 60_000 })
    .catch(() => undefined);
  await page.screenshot({ path: path.join(repoRoot, 'build/readme/studio.png') });

  await api.value('show:live-end');
  await page.goto(`${host.url}#/analytics`);
  await page.reload();
  await page.getByTestId('analytics-totals').waitFor();
  await page.screenshot({ path: path.join(repoRoot, 'build/readme/analytics.png'), fullPage: false });
  console.log('wrote build/readme/studio.png and build/readme/analytics.png');
} finally {
  api.close();
  await browser.close();
  await host.stop();
  await obs.stop();
}
