import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CompositorScene } from '../../shared/compositor/scene';
import { imageRgb } from '../fixtures/camera/fake-camera';
import { colourDistance, decodePng, meanRgb, probe, waitForProbe, waitForScene } from '../fixtures/camera/studio-api';
import { launchBrowser, screenshotPath } from '../support/browser';
import { H, personCamera, useProgramHost, W } from '../support/compositor/program';
import { repoRoot } from '../support/host';

/**
 * Counts, per page, the vision workers the app starts and the masks and hands they return, and
 * the results its 'harvest-vision' channel hears from another window; shows the control window's HUD.
 */
const instrument = `
  localStorage.setItem('harvest.hud', '1');
  window.__visionWorkers = 0;
  window.__own = { masks: 0, hands: 0 };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (!String(url).includes('vision-worker')) return;
      window.__visionWorkers++;
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'result' && e.data.mask) window.__own.masks++;
        if (e.data && e.data.type === 'result' && e.data.hand) window.__own.hands++;
      });
    }
  };
  window.__heard = { masks: 0, hands: 0 };
  const NativeChannel = window.BroadcastChannel;
  window.BroadcastChannel = class extends NativeChannel {
    constructor(name) {
      super(name);
      if (name !== 'harvest-vision') return;
      this.addEventListener('message', (e) => {
        const r = e.data && e.data.type === 'result' ? e.data.result : undefined;
        if (r && r.mask) window.__heard.masks++;
        if (r && r.hand) window.__heard.hands++;
      });
    }
  };
`;

const workers = (page: Page) => page.evaluate('window.__visionWorkers') as Promise<number>;
const own = (page: Page) => page.evaluate('window.__own') as Promise<{ masks: number; hands: number }>;
const heard = (page: Page) => page.evaluate('window.__heard') as Promise<{ masks: number; hands: number }>;

/** The control window's HUD values (segmentation ms, hands ms): '–' until results arrive. */
async function hud(page: Page): Promise<{ segment: number; hands: number }> {
  const cells = await page.locator('[data-testid=performance-hud] td').allTextContents();
  const n = (s: string | undefined) => (s === undefined || s === '–' ? 0 : Number(s));
  return { segment: n(cells[2]), hands: n(cells[3]) };
}

/**
 * Wall and person points in output px (the man against the wall; camera 640×480 cover-fitted:
 * scale 2, 120 px cropped at the top), clear of the HUD in the preview's top-left corner and of
 * the product on his hand.
 */
const wall = [
  [800, 80],
  [200, 500],
] as const;
const person = [[540, 380]] as const;

/** Whether the preview shows the orchard on the wall and the camera on the man: a mask is applied there. */
async function previewReplacesBackground(page: Page, camera: string): Promise<boolean> {
  const surface = page.getByTestId('compositor-preview');
  const box = (await surface.boundingBox())!;
  // The page, clipped to the preview (an element screenshot can catch the canvas mid-update).
  const png = await page.screenshot({ clip: box, path: screenshotPath('vision-preview-last-check') });
  const w = Math.round(box.width);
  const h = Math.round(box.height);
  const shot = decodePng(png, w, h);
  const k = w / W;
  const cam = imageRgb(camera);
  const orchard = imageRgb(`${repoRoot}/assets/samples/orchard.png`);
  const fromCamera = (x: number, y: number) => meanRgb(cam.rgb, cam.width, x / 2, (y + 120) / 2, 1);
  const fromOrchard = (x: number, y: number) => meanRgb(orchard.rgb, orchard.width, x * 1.5, y * 1.5, 3);
  const at = (x: number, y: number) => meanRgb(shot, w, Math.round(x * k), Math.round(y * k), 1);
  const wallIsOrchard = wall.every(
    ([x, y]) => colourDistance(at(x, y), fromOrchard(x, y)) + 30 < colourDistance(at(x, y), fromCamera(x, y)),
  );
  const personIsCamera = person.every(
    ([x, y]) => colourDistance(at(x, y), fromCamera(x, y)) + 30 < colourDistance(at(x, y), fromOrchard(x, y)),
  );
  return wallIsOrchard && personIsCamera;
}

describe('one vision engine for the studio', () => {
  const hosted = useProgramHost();
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchBrowser({ fakeCamera: personCamera() });
    context = await browser.newContext({ viewport: { width: W, height: H }, locale: 'zh-CN', permissions: ['camera'] });
    await context.addInitScript(instrument);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('the program infers for both windows, the preview applies its results, and takes over when the program closes', async () => {
    const camera = personCamera();
    const scene = await hosted.api.value<CompositorScene>('show:get-scene');
    await hosted.api.value('show:set-scene', {
      ...scene,
      background: { kind: 'image', assetId: 'sample-orchard' },
      model: { assetId: 'sample-oranges-crate', anchor: 'hand', scale: 1 },
    });

    // The control window first (its preview leads while it is alone), then the program takes over.
    const studio = await context.newPage();
    await studio.goto(hosted.host.url);
    await expect.poll(() => workers(studio), { timeout: 90_000 }).toBe(2);
    const program = await context.newPage();
    await program.goto(hosted.host.programUrl);
    await waitForScene(program, 1);
    await waitForProbe(program, (i) => i.visionLeader && i.maskReady && i.hand.found, 90_000, 'the program leading');
    expect(await workers(program)).toBe(2);
    const studioOwn = await own(studio);

    // Only the program infers: its masks and hands reach the studio, none go the other way.
    const before = await heard(studio);
    await expect
      .poll(
        async () => {
          const now = await heard(studio);
          return now.masks > before.masks + 5 && now.hands > before.hands + 5;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    expect(await heard(program)).toEqual({ masks: 0, hands: 0 });
    // The preview's own workers stopped (at most a frame that was in flight when it handed over).
    const studioOwnNow = await own(studio);
    expect(studioOwnNow.masks - studioOwn.masks).toBeLessThanOrEqual(1);
    expect(studioOwnNow.hands - studioOwn.hands).toBeLessThanOrEqual(1);
    const leading = await probe(program);
    expect(leading.maskRate).toBeGreaterThan(0);
    expect(leading.handRate).toBeGreaterThan(0);

    // The preview applies them: its HUD shows the leader's model times, and its picture has the
    // orchard behind the man.
    await expect
      .poll(async () => (await hud(studio)).hands > 0 && (await hud(studio)).segment > 0, { timeout: 30_000 })
      .toBe(true);
    await expect
      // The control window loads the scene's image and model itself: slow on a loaded machine.
      .poll(() => previewReplacesBackground(studio, camera), { timeout: 90_000 })
      .toBe(true);

    // The program window closes: the preview starts its own workers and keeps the mask going.
    const workersBefore = await workers(studio);
    await program.close();
    await expect.poll(() => workers(studio), { timeout: 30_000 }).toBe(workersBefore + 2);
    const heardAfter = await heard(studio);
    const ownBefore = await own(studio);
    await expect
      .poll(
        async () => {
          const now = await own(studio);
          return now.masks > ownBefore.masks + 5 && now.hands > ownBefore.hands + 5;
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    expect(await previewReplacesBackground(studio, camera)).toBe(true);
    // Nobody else infers now: nothing more comes over the channel.
    expect(await heard(studio)).toEqual(heardAfter);
    await studio.screenshot({ path: screenshotPath('vision-preview-leads') });
  }, 400_000);
});
