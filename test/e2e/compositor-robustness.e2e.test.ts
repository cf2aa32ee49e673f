import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AssetEntry } from '../../shared/api/assets';
import { buildGlb } from '../../shared/compositor/glb-builder';
import type { CompositorScene } from '../../shared/compositor/scene';
import { decodePng, probe, showScene, waitForProbe, waitForScene } from '../fixtures/camera/studio-api';
import { launchBrowser, screenshotPath, tmpDir } from '../support/browser';
import { H, hostLog, openProgram, useProgramHost, W } from '../support/compositor/program';
import { repoRoot } from '../support/host';

/** Spread of pixel values: a frame that is one flat colour (black after a lost context) has ~0. */
function pictureSpread(rgb: Buffer): number {
  let min = 255;
  let max = 0;
  for (let i = 0; i < rgb.length; i += 97) {
    min = Math.min(min, rgb[i]!);
    max = Math.max(max, rgb[i]!);
  }
  return max - min;
}

/** Bad model files as users bring them. */
function craftBadModels(dir: string): { file: string; code: string }[] {
  const good = fs.readFileSync(path.join(repoRoot, 'assets/samples/honey-jar.glb'));
  const write = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const pngHeader = (w: number, h: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(b);
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    return b;
  };
  const positions = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer);
  const texture8k = Buffer.concat([positions, pngHeader(8192, 8192)]);
  return [
    { file: write('truncated.glb', good.subarray(0, Math.floor(good.length * 0.6))), code: 'assets/truncated' },
    {
      file: write('wrong-magic.glb', Buffer.concat([Buffer.from('GLTX'), good.subarray(4)])),
      code: 'assets/not-a-model',
    },
    {
      file: write(
        'texture-8k.glb',
        buildGlb(
          {
            asset: { version: '2.0' },
            buffers: [{ byteLength: texture8k.length }],
            bufferViews: [
              { buffer: 0, byteOffset: 0, byteLength: 36 },
              { buffer: 0, byteOffset: 36, byteLength: 33 },
            ],
            accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' }],
            meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
            nodes: [{ mesh: 0 }],
            images: [{ bufferView: 1, mimeType: 'image/png' }],
          },
          texture8k,
        ),
      ),
      code: 'assets/texture-too-large',
    },
    {
      file: write(
        'millions.glb',
        buildGlb(
          {
            asset: { version: '2.0' },
            buffers: [{ byteLength: 36 }],
            bufferViews: [{ buffer: 0, byteLength: 36 }],
            accessors: [
              { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' },
              { componentType: 5125, count: 3 * 3_000_000, type: 'SCALAR' },
            ],
            meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
            nodes: [{ mesh: 0 }],
          },
          positions,
        ),
      ),
      code: 'assets/too-many-triangles',
    },
    {
      file: write(
        'renamed-photo.glb',
        fs.readFileSync(path.join(repoRoot, 'node_modules/fingerpose/assets/nocurl.jpg')),
      ),
      code: 'assets/not-a-model',
    },
  ];
}

describe('compositor robustness (no camera on this machine)', () => {
  const studio = useProgramHost();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // No fake camera: getUserMedia finds no device, as on a laptop with its camera unplugged.
    browser = await launchBrowser();
    page = await openProgram(browser, studio.host.programUrl, { errors: pageErrors });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('says there is no camera and plays the demo clip instead', async () => {
    const info = await waitForProbe(
      page,
      (i) => i.camera.width === 640 && i.camera.height === 480,
      30_000,
      'the demo clip',
    );
    expect(info.frames).toBeGreaterThan(0);
    // The program has no UI chrome: the coded error goes to the log (and the control window's panel).
    await expect.poll(() => hostLog(studio.host), { timeout: 10_000 }).toContain('compositor/no-camera');
    await page.screenshot({ path: screenshotPath('compositor-no-camera-demo') });
  });

  it('refuses bad model files with clear coded errors and keeps drawing', async () => {
    const dir = tmpDir('harvest-bad-glb-');
    const before = (await probe(page)).frames;
    for (const { file, code } of craftBadModels(dir)) {
      const result = await studio.api.call('assets:import', { path: file });
      expect(result.ok, path.basename(file)).toBe(false);
      if (!result.ok) {
        expect(result.error.code, path.basename(file)).toBe(code);
        expect(result.error.message.length).toBeGreaterThan(10);
      }
    }
    const list = await studio.api.value<AssetEntry[]>('assets:list');
    expect(list.filter((a) => !a.builtIn)).toEqual([]);
    // A good file still imports, and the program never stopped drawing.
    const good = path.join(dir, '蜂蜜罐.glb');
    fs.copyFileSync(path.join(repoRoot, 'assets/samples/honey-jar.glb'), good);
    const entry = await studio.api.value<AssetEntry>('assets:import', { path: good });
    expect(entry).toMatchObject({ kind: 'model', name: '蜂蜜罐', builtIn: false });
    await waitForProbe(page, (i) => i.frames > before + 20, 30_000, 'frames after the bad imports');
    expect(pageErrors).toEqual([]);
  });

  it('recovers from a lost WebGL context', async () => {
    // The GPU tier draws everything through one WebGL context: losing it is what a driver reset
    // does. (The software tier's only context is its product worker's, off this thread.)
    const gpu = await page.context().newPage();
    // A second tab of the window: in headless Chromium only the front tab draws (rAF about once a
    // second behind another tab), and a shot of a tab behind can come out black.
    await gpu.bringToFront();
    gpu.on('pageerror', (e) => pageErrors.push(e.message));
    await gpu.goto(`${studio.host.programUrl}&tier=gpu`);
    await waitForScene(gpu, 1);
    try {
      expect((await probe(gpu)).tier).toBe('gpu');
      const scene = await studio.api.value<CompositorScene>('show:get-scene');
      await showScene(studio.api, gpu, {
        ...scene,
        background: { kind: 'image', assetId: 'sample-fishing-port' },
        model: { assetId: 'sample-tea-tin', anchor: 'turntable', scale: 1 },
      });
      await gpu.evaluate(
        "(() => { const ext = window.__harvestCompositor.gl().getExtension('WEBGL_lose_context'); window.__loseContext = ext; ext.loseContext(); })()",
      );
      const lost = await waitForProbe(gpu, (i) => i.contextLost, 10_000, 'the context loss');
      expect(lost.contextLosses).toBe(1);
      await gpu.evaluate('window.__loseContext.restoreContext()');
      const back = await waitForProbe(gpu, (i) => !i.contextLost, 10_000, 'the context to come back');
      await waitForProbe(gpu, (i) => i.frames > back.frames + 15, 30_000, 'frames after the restore');
      const png = await gpu.screenshot({ path: screenshotPath('compositor-after-context-loss') });
      // Drawn again: the harbour, the tin and the demo host, not a flat black frame.
      expect(pictureSpread(decodePng(png, W, H))).toBeGreaterThan(100);
      expect((await probe(gpu)).product.visible).toBe(true);
    } finally {
      await gpu.close();
    }
  });

  it('switches products and backgrounds 200 times without leaking textures or geometries', async () => {
    const base = await studio.api.value<CompositorScene>('show:get-scene');
    const models = ['sample-oranges-crate', 'sample-honey-jar', 'sample-tea-tin'];
    const backgrounds: CompositorScene['background'][] = [
      { kind: 'image', assetId: 'sample-orchard' },
      { kind: 'image', assetId: 'sample-fishing-port' },
      { kind: 'blur', strength: 0.6 },
      { kind: 'image', assetId: 'sample-workshop' },
    ];
    const sceneAt = (i: number): CompositorScene => ({
      ...base,
      model: { assetId: models[i % models.length]!, anchor: i % 2 === 0 ? 'turntable' : 'fixed', scale: 1 },
      background: backgrounds[i % backgrounds.length]!,
      overlays: { ...base.overlays, priceTag: { visible: i % 2 === 0, priceFen: (1000 + i) as never, unit: '箱' } },
    });
    // One full round first, so every kind of resource and shader exists once.
    // Scenes repeat every 12; the baseline and the end show the same scene (crate, orchard).
    for (let i = 0; i <= 12; i++) await showScene(studio.api, page, sceneAt(i));
    const baseline = (await probe(page)).memory;
    for (let i = 13; i <= 212; i++) await showScene(studio.api, page, sceneAt(i));
    expect(212 % 12).toBe(8);
    await showScene(studio.api, page, sceneAt(216)); // ≡ sceneAt(0) ≡ sceneAt(12)
    const after = await probe(page);
    await page.screenshot({ path: screenshotPath('compositor-after-200-switches') });
    expect(after.memory.geometries).toBe(baseline.geometries);
    expect(after.memory.textures).toBe(baseline.textures);
    expect(after.memory.programs).toBeLessThanOrEqual(baseline.programs + 2);
    expect(after.product.visible).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 400_000);
});
