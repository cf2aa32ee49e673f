// Makes the README's screenshots from a real session: the built host, a real OBS, a three-segment
// show from the shipped templates, a few sales, and a fake camera fed from real footage.
//   npx tsx test/support/readme-screenshots.ts      (after `npm run build`)
import path from 'node:path';

import { makeFakeCamera } from '../fixtures/camera/fake-camera';
import { openApi } from '../fixtures/camera/studio-api';
import { launchBrowser, openPage } from './browser';
import { repoRoot, startHost } from './host';
import { ensureObs } from './obs';
import { sampleOrangeMedia, sampleProducts, sampleRundown, sampleTemplates } from './sample-show';

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
  const products: Saved[] = [];
  for (const input of sampleProducts) products.push(await api.value<Saved>('products:save', input));
  await api.value('show:product-media-set', { productId: products[0]!.id, media: sampleOrangeMedia });
  const presets: Saved[] = [];
  for (const [i, templateId] of sampleTemplates.entries()) {
    const made = await api.value<Record<string, unknown>>('show:preset-from-template', { templateId });
    presets.push(await api.value<Saved>('show:preset-save', { ...made, obsScene: `丰收直播间 ${i + 1}` }));
  }
  const rundown = await api.value<Saved>(
    'show:rundown-save',
    sampleRundown(
      products.map((p) => p.id),
      presets.map((p) => p.id),
    ),
  );
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
