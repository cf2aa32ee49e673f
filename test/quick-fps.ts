// scratch: not committed
import { footage, makeFakeCamera } from './fixtures/camera/fake-camera';
import { openApi, probe, waitForProbe } from './fixtures/camera/studio-api';
import { launchBrowser } from './support/browser';
import { repoRoot, startHost } from './support/host';
import type { CompositorScene } from '../shared/compositor/scene';

const tiers = (process.argv[2] ?? 'software').split(',');
const formats = (process.argv[3] ?? '1280x720').split(',');
const camera = makeFakeCamera(repoRoot, { input: footage.person, width: 1280, height: 720, seconds: 6, fps: 30 });
const host = await startHost({});
const api = await openApi(host);
const browser = await launchBrowser({ fakeCamera: camera });
const base = await api.value<CompositorScene>('show:get-scene');
const full: CompositorScene = {
  ...base,
  background: { kind: 'image', assetId: 'sample-orchard' },
  model: { assetId: 'sample-oranges-crate', anchor: 'hand', scale: 1 },
  overlays: {
    productCard: { visible: true, name: '赣南脐橙', priceFen: 3990 as never, unit: '5斤', origin: '江西赣州', certifications: ['地理标志'], story: '果园直发' },
    priceTag: { visible: true, priceFen: 3990 as never, unit: '箱' },
    lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
    qr: { visible: true, url: 'https://shop.example.com/item/123', caption: '扫码下单' },
    coupon: { visible: true, text: '满99减20', endsAt: Date.now() + 3_600_000 },
  },
};
for (const format of formats) {
  await api.value('settings:update', { outputFormat: format });
  const [w, h] = format.split('x').map(Number);
  for (const tier of tiers) {
    const page = await browser.newPage({ viewport: { width: w!, height: h! } });
    await page.goto(`${host.programUrl}&adaptive=0&tier=${tier}`);
    await waitForProbe(page, (i) => i.frames > 0, 60_000, 'first frame');
    await api.value('show:set-scene', full);
    await waitForProbe(page, (i) => i.maskReady, 60_000, 'mask').catch(() => undefined);
    await page.waitForTimeout(3000);
    const a = await probe(page);
    const t0 = Date.now();
    await page.waitForTimeout(8000);
    const b = await probe(page);
    const fps = (b.frames - a.frames) / ((Date.now() - t0) / 1000);
    console.log(format, tier, JSON.stringify({ fps: fps.toFixed(1), render: b.renderMs.toFixed(1), p95: b.frameTimeP95.toFixed(0), seg: b.segmentMs.toFixed(0), hands: b.handsMs.toFixed(0), masks: b.maskRate.toFixed(1), handsps: b.handRate.toFixed(1), lat: b.latencyMs.toFixed(0), stages: b.stageMs, cap: b.captureMs.toFixed(1), tierGot: b.tier, hand: b.hand.found, prod: b.product.visible }));
    await page.close();
  }
}
await browser.close(); api.close(); await host.stop();
