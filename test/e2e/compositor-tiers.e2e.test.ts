import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import type { AssetEntry } from '../../shared/api/assets';
import type { CompositorScene } from '../../shared/compositor/scene';
import { footage, imageRgb, makeFakeCamera } from '../fixtures/camera/fake-camera';
import type { ApiSocket } from '../fixtures/camera/studio-api';
import {
  colourDistance,
  decodePng,
  meanRgb,
  probe,
  showScene,
  waitForProbe,
  waitForScene,
} from '../fixtures/camera/studio-api';
import { screenshotPath, withBrowser } from '../support/browser';
import { H, openProgram, useProgramHost, W } from '../support/compositor/program';
import type { RunningHost } from '../support/host';
import { repoRoot } from '../support/host';

/** The first frame of the footage as a still, so both tiers see exactly the same camera picture. */
function stillCamera(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-still-'));
  const still = path.join(dir, 'host-still.png');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(repoRoot, footage.person), '-frames:v', '1', still]);
  return makeFakeCamera(repoRoot, { input: still, width: 640, height: 480, seconds: 2, fps: 25 });
}

/** A scene whose every part holds still: origin image, product at a fixed anchor, static overlays. */
function stillScene(base: CompositorScene, photoAssetId: string | null): CompositorScene {
  return {
    ...base,
    background: { kind: 'image', assetId: 'sample-orchard' },
    model: { assetId: 'sample-oranges-crate', anchor: 'fixed', scale: 1, photoAssetId },
    overlays: {
      ...base.overlays,
      productCard: {
        visible: true,
        name: '赣南脐橙',
        priceFen: 3990 as never,
        unit: '5斤',
        origin: '江西赣州',
        certifications: ['地理标志'],
        story: '',
      },
      lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
      qr: { visible: true, url: 'https://shop.example.com/item/123', caption: '扫码下单' },
    },
  };
}

const programIn = (browser: Browser, host: RunningHost, tier: string | null): Promise<Page> =>
  openProgram(browser, tier === null ? host.programUrl : `${host.programUrl}&tier=${tier}`);

/** Shows the scene and waits until the mask has settled (the still frame gives the same mask each time). */
async function settled(api: ApiSocket, page: Page, scene: CompositorScene): Promise<void> {
  await showScene(api, page, scene);
  await waitForProbe(page, (i) => i.maskReady, 90_000, 'the first mask');
  const start = await probe(page);
  await waitForProbe(page, (i) => i.frames > start.frames + 30, 90_000, 'thirty more frames');
}

/**
 * A screenshot of a picture that was drawing the whole time it was taken. On a loaded machine the
 * GPU process of software GL can be reset (its watchdog), losing the WebGL context for a moment:
 * the GPU tier is black until it is restored. That recovery has its own test
 * (compositor-robustness); here the picture is taken again once it is back.
 */
async function steadyShot(page: Page, tier: string): Promise<Buffer> {
  for (let attempt = 1; ; attempt++) {
    const before = await probe(page);
    const png = await page.screenshot({ path: screenshotPath(`compositor-tier-${tier}`) });
    const after = await probe(page);
    const shot = decodePng(png, W, H);
    const mean = shot.reduce((sum, v) => sum + v, 0) / shot.length;
    // Should a shot come out dark, say whether the canvas itself holds the picture (then only
    // the page capture missed it) or not.
    const canvasLength =
      mean > 1 ? null : await page.evaluate(() => document.querySelector('canvas')?.toDataURL().length);
    const steady = !before.contextLost && !after.contextLost && after.contextLosses === before.contextLosses;
    // A black page capture of a canvas that holds the picture is the capture missing a frame
    // (seen once in CI: the GPU tier's first shot black, its canvas a 459,218-character PNG,
    // frames 58 → 66 while it was taken), not the program: shot again.
    const isMissedCapture = canvasLength !== null && canvasLength !== undefined && canvasLength > 10_000;
    if ((steady && !isMissedCapture) || attempt === 3) {
      console.log(
        `[tiers] ${tier}: shot ${attempt}, mean ${mean.toFixed(1)}, context losses ${after.contextLosses}, ` +
          `frames ${before.frames} → ${after.frames}${canvasLength === null ? '' : `, canvas PNG ${canvasLength} chars`}`,
      );
      return shot;
    }
    await waitForProbe(page, (i) => !i.contextLost && i.frames > after.frames + 30, 90_000, 'the picture back');
  }
}

/**
 * How far two shots (RGB, W×H) are apart: the mean difference per pixel and the share of pixels
 * more than 48 apart. Writes where they differ (bright = different) for a person to look at.
 */
function difference(a: Buffer, b: Buffer, name: string): { mean: number; far: number; said: string } {
  let sum = 0;
  let far = 0;
  const diff = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i += 3) {
    const d = (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)) / 3;
    sum += d;
    if (d > 48) far++;
    diff[i] = diff[i + 1] = diff[i + 2] = Math.min(255, d * 4);
  }
  const pixels = a.length / 3;
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${W}x${H}`,
      '-i',
      '-',
      screenshotPath(`compositor-tier-difference-${name}`),
    ],
    { input: diff },
  );
  const mean = sum / pixels;
  const brightness = (shot: Buffer) => shot.reduce((acc, v) => acc + v, 0) / shot.length;
  const said = `${name}: mean difference ${mean.toFixed(2)} (brightness gpu ${brightness(a).toFixed(1)}, software ${brightness(b).toFixed(1)})`;
  console.log(`[tiers] ${said}, far ${(far / pixels).toFixed(4)}`);
  return { mean, far: far / pixels, said };
}

describe('compositor tiers', () => {
  const studio = useProgramHost();

  it('draws the same picture in the GPU tier and the software tier, with the origin and with a blur behind the host', async () => {
    await withBrowser({ fakeCamera: stillCamera() }, async (browser) => {
      const base = await studio.api.value<CompositorScene>('show:get-scene');
      const backgrounds = {
        origin: stillScene(base, null),
        blur: { ...stillScene(base, null), background: { kind: 'blur', strength: 0.7 } },
      } satisfies Record<string, CompositorScene>;
      const shots: Record<string, Buffer> = {};
      for (const tier of ['gpu', 'software']) {
        const page = await programIn(browser, studio.host, tier);
        expect((await probe(page)).tier).toBe(tier);
        for (const [name, scene] of Object.entries(backgrounds)) {
          await settled(studio.api, page, scene);
          const info = await probe(page);
          expect(info.product.visible).toBe(true);
          shots[`${tier}-${name}`] = await steadyShot(page, `${tier}-${name}`);
        }
        await page.close();
      }
      for (const name of Object.keys(backgrounds)) {
        const { mean, far, said } = difference(shots[`gpu-${name}`]!, shots[`software-${name}`]!, name);
        // The same camera, mask, background, product and overlays: only edge filtering differs
        // (the mask's soft edge, the product's sampling, the blur's kernel), never a part of the picture.
        expect(mean, said).toBeLessThan(4);
        expect(far, `${name}: share of pixels far apart ${far.toFixed(4)}`).toBeLessThan(0.02);
      }
    });
  }, 400_000);

  it('runs MediaPipe on its GPU delegate where asked, and on the CPU where that cannot start', async () => {
    // `delegate=gpu` asks for it on this machine's software GL (a hardware GPU tier asks by itself).
    await withBrowser({ fakeCamera: stillCamera() }, async (withGl) => {
      const page = await withGl.newPage({ viewport: { width: W, height: H } });
      await page.goto(`${studio.host.programUrl}&delegate=gpu`);
      await waitForScene(page, 1);
      await settled(studio.api, page, stillScene(await studio.api.value<CompositorScene>('show:get-scene'), null));
      const info = await waitForProbe(page, (i) => i.visionDelegates.face !== undefined, 60_000, 'the face model');
      expect(info.visionDelegates).toMatchObject({ segmenter: 'GPU', face: 'GPU' });
      expect(info.maskRate).toBeGreaterThan(0);
    });
    // No GL anywhere (--disable-webgl leaves workers' OffscreenCanvas their WebGL; this does not):
    // the face model falls back to the CPU. tasks-vision's segmenter needs a GL context even on
    // the CPU delegate: it fails with its reason, and the picture goes on without a background.
    await withBrowser({ fakeCamera: stillCamera(), args: ['--disable-software-rasterizer'] }, async (noGl) => {
      const page = await noGl.newPage({ viewport: { width: W, height: H } });
      await page.goto(`${studio.host.programUrl}&delegate=gpu`);
      await waitForScene(page, 1);
      await showScene(studio.api, page, stillScene(await studio.api.value<CompositorScene>('show:get-scene'), null));
      const failed = await waitForProbe(
        page,
        (i) => i.visionDelegates.face === 'CPU' && typeof i.visionFailed.segmenter === 'string',
        90_000,
        'the face model on the CPU and the segmenter refused',
      );
      expect(failed.tier).toBe('none');
      await waitForProbe(page, (i) => i.frames > failed.frames + 30, 30_000, 'thirty more frames');
    });
  }, 300_000);

  it('without WebGL still draws camera, background and overlays, with the product as its photo', async () => {
    // A product photo in the library (the app icon stands in for a photo of the crate).
    const photoPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-photo-')), '脐橙.png');
    fs.copyFileSync(path.join(repoRoot, 'build/icon.png'), photoPath);
    const photo = await studio.api.value<AssetEntry>('assets:import', { path: photoPath });
    await withBrowser({ fakeCamera: stillCamera(), args: ['--disable-webgl', '--disable-webgl2'] }, async (browser) => {
      const page = await programIn(browser, studio.host, null);
      const first = await probe(page);
      expect(first).toMatchObject({ tier: 'none', product3d: false });
      const base = await studio.api.value<CompositorScene>('show:get-scene');
      await showScene(studio.api, page, stillScene(base, photo.id));
      const start = await probe(page);
      const info = await waitForProbe(
        page,
        (i) => i.frames > start.frames + 30 && i.product.visible,
        60_000,
        'frames with the photo',
      );
      const png = await page.screenshot({ path: screenshotPath('compositor-tier-none') });
      const program = decodePng(png, W, H);
      // The photo stands where the product would, at its size.
      const icon = imageRgb(path.join(repoRoot, 'build/icon.png'));
      const box = info.productBox!;
      const got = meanRgb(program, W, box.x + box.width / 2, box.y + box.height / 2, 3);
      const want = meanRgb(icon.rgb, icon.width, icon.width / 2, icon.height / 2, 3);
      expect(colourDistance(got, want), `photo centre ${got} vs ${want}`).toBeLessThan(20);
      expect(info.overlayBoxes.length).toBeGreaterThan(0);
      // Camera and tracking still run where MediaPipe can, and the picture is never black.
      const orchard = imageRgb(`${repoRoot}/assets/samples/orchard.png`);
      // Top middle: sky in the orchard, wall in the camera, and no overlay there.
      const sky = meanRgb(program, W, 700, 60, 2);
      const wallOrSky = info.maskReady ? meanRgb(orchard.rgb, orchard.width, 1050, 90, 3) : sky;
      expect(colourDistance(sky, wallOrSky)).toBeLessThan(25);
      expect(info.fps).toBeGreaterThan(0);
    });
  }, 240_000);
});
