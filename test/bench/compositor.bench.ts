import type { Page } from 'playwright-core';

import type { OutputFormat } from '../../shared/api/app';
import { outputFormats } from '../../shared/api/app';
import type { CompositorScene } from '../../shared/compositor/scene';
import { footage, makeFakeCamera } from '../fixtures/camera/fake-camera';
import type { ProbeInfo } from '../fixtures/camera/studio-api';
import { openApi, probe, waitForProbe } from '../fixtures/camera/studio-api';
import { launchBrowser } from '../support/browser';
import { startHost } from '../support/host';
import type { BenchFigure, BenchModule } from './types';

/** Everything on: background replaced through segmentation, product in the hand, all overlays. */
function fullScene(base: CompositorScene): CompositorScene {
  return {
    ...base,
    background: { kind: 'image', assetId: 'sample-orchard' },
    model: { assetId: 'sample-oranges-crate', anchor: 'hand', scale: 1 },
    overlays: {
      productCard: {
        visible: true,
        name: '赣南脐橙',
        priceFen: 3990 as never,
        unit: '5斤',
        origin: '江西赣州',
        certifications: ['地理标志', '绿色食品', '有机'],
        story: '果园直发，现摘现发',
      },
      priceTag: { visible: true, priceFen: 3990 as never, unit: '箱' },
      lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
      qr: { visible: true, url: 'https://shop.example.com/item/123', caption: '扫码下单' },
      coupon: { visible: true, text: '满99减20', endsAt: Date.now() + 3_600_000 },
    },
  };
}

/** Frames drawn per second over `ms`, and the probe at the end (rolling per-stage averages). */
async function measure(page: Page, ms: number): Promise<{ fps: number; end: ProbeInfo }> {
  const start = await probe(page);
  const t0 = Date.now();
  await page.waitForTimeout(ms);
  const end = await probe(page);
  return { fps: (end.frames - start.frames) / ((Date.now() - t0) / 1000), end };
}

/**
 * The compositor in headless Chromium on this machine (software WebGL, CPU inference): per-stage
 * times, program frame rate at 1280×720 and 1080×1920, and the latency it adds between a camera
 * frame becoming available and the program frame that shows it. Adaptive resolution is off, so
 * the figures are for the full output size.
 */
const bench: BenchModule = async (ctx) => {
  const camera = makeFakeCamera(ctx.root, { input: footage.person, width: 640, height: 480, seconds: 6, fps: 30 });
  const host = await startHost({ dataDir: ctx.tmpDir });
  const api = await openApi(host);
  const browser = await launchBrowser({ fakeCamera: camera });
  const figures: BenchFigure[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await api.value('settings:update', { outputFormat: '1280x720' });
    await page.goto(`${host.programUrl}&adaptive=0`);
    await waitForProbe(page, (i) => i.frames > 0, 30_000, 'the first frame');
    const base = await api.value<CompositorScene>('show:get-scene');
    const t0 = Date.now();
    await api.value('show:set-scene', fullScene(base));
    await waitForProbe(page, (i) => i.maskReady && i.hand.found && i.product.visible, 45_000, 'mask, hand and product');
    figures.push({ name: 'compositor models loaded to first tracked frame', value: Date.now() - t0, unit: 'ms' });
    ctx.log(`tracking after ${Date.now() - t0} ms`);

    for (const format of ['1280x720', '1080x1920'] as OutputFormat[]) {
      const { width, height } = outputFormats[format];
      await page.setViewportSize({ width, height });
      await api.value('settings:update', { outputFormat: format });
      await api.value('show:set-scene', fullScene(base));
      await page.waitForTimeout(1500); // settle after the resize
      const full = await measure(page, 7000);
      const e = full.end;
      ctx.log(
        `${format}: ${JSON.stringify({ fps: full.fps, render: e.renderMs, seg: e.segmentMs, hands: e.handsMs })}`,
      );
      figures.push(
        {
          name: `compositor ${format} program fps (segmentation + hand + product + overlays)`,
          value: full.fps,
          unit: 'fps',
        },
        { name: `compositor ${format} capture (frame to ImageBitmap) mean`, value: e.captureMs, unit: 'ms' },
        { name: `compositor ${format} segmentation mean`, value: e.segmentMs, unit: 'ms' },
        { name: `compositor ${format} hand tracking mean`, value: e.handsMs, unit: 'ms' },
        { name: `compositor ${format} render (CPU side, per frame) mean`, value: e.renderMs, unit: 'ms' },
        { name: `compositor ${format} tracking results per second`, value: e.visionRate, unit: '/s' },
        { name: `compositor ${format} added latency camera frame to program frame`, value: e.latencyMs, unit: 'ms' },
      );
      // The same picture without inference: what rendering alone costs here.
      await api.value('show:set-scene', { ...base, background: { kind: 'camera' }, model: null });
      await page.waitForTimeout(1000);
      const plain = await measure(page, 4000);
      figures.push({ name: `compositor ${format} program fps (camera only)`, value: plain.fps, unit: 'fps' });
      figures.push({ name: `compositor ${format} softwareGl`, value: plain.end.softwareGl ? 1 : 0, unit: 'bool' });
    }
  } finally {
    await browser.close();
    api.close();
    await host.stop();
  }
  return figures;
};

export default bench;
