import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Rect } from '../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../shared/compositor/scene';
import { footage, makeFakeCamera } from '../fixtures/camera/fake-camera';
import type { ApiSocket } from '../fixtures/camera/studio-api';
import { openApi, probe, showScene, waitForProbe, waitForScene } from '../fixtures/camera/studio-api';
import { keepWebGlPixels, launchBrowser, screenshotPath } from '../support/browser';
import { orangeOverlays } from '../support/compositor/overlays';
import type { RunningHost } from '../support/host';
import { repoRoot, startHost } from '../support/host';

// The real program in 9:16 on real footage (a man facing the camera, from a 16:9 camera, so his
// face fills the upper middle): with every overlay on, the face the vision engine detects keeps
// them off the host's forehead, eyes and face, in the software and the GPU tier.

function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

interface LayoutProbe {
  faceBox: Rect | null;
  overlayBoxes: (Rect & { id: string })[];
}

describe('program overlays around the detected face', () => {
  let host: RunningHost;
  let api: ApiSocket;

  beforeAll(async () => {
    host = await startHost();
    api = await openApi(host);
    await api.value('settings:update', { outputFormat: '1080x1920' });
  });

  afterAll(async () => {
    api?.close();
    await host?.stop();
  });

  for (const tier of ['software', 'gpu']) {
    it(`keeps every overlay off the host's face in 9:16 (${tier} tier)`, async () => {
      const camera = makeFakeCamera(repoRoot, { input: footage.person, width: 1280, height: 720, seconds: 6, fps: 25 });
      const browser = await launchBrowser({ fakeCamera: camera });
      try {
        const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
        await keepWebGlPixels(page);
        await page.goto(`${host.programUrl}&tier=${tier}`);
        await waitForScene(page, 1);
        const base = await api.value<CompositorScene>('show:get-scene');
        await showScene(api, page, {
          ...base,
          orientation: '9:16',
          background: { kind: 'camera' },
          model: null,
          overlays: orangeOverlays({ couponEndsAt: Date.now() + 600_000, qrCaption: '扫码下单', shortCard: true }),
        });
        await waitForProbe(page, (i) => (i as unknown as LayoutProbe).faceBox !== null, 90_000, 'a face');
        // Long enough for a move (cooldown 1.5 s) and its glide to finish.
        const start = await probe(page);
        await waitForProbe(page, (i) => i.frames > start.frames + 60, 90_000, 'sixty more frames');
        const info = (await probe(page)) as unknown as LayoutProbe;
        await page.screenshot({ path: screenshotPath(`overlay-program-${tier}`) });
        const face = info.faceBox!;
        // The detector's box starts at the brows: the forehead above it counts too. The layout keeps
        // a quarter of the face's height clear above it and lets the face drift by up to 8 % before
        // it moves a box (no jitter): so 15 % above the box must always be clear.
        const head = { x: face.x, y: face.y - face.height * 0.15, width: face.width, height: face.height * 1.15 };
        expect(info.overlayBoxes.map((b) => b.id).sort()).toEqual([
          'coupon',
          'lowerThird',
          'priceTag',
          'productCard',
          'qr',
        ]);
        for (const b of info.overlayBoxes) {
          expect(intersects(b, head), `${b.id} ${JSON.stringify(b)} on the face ${JSON.stringify(face)}`).toBe(false);
          for (const c of info.overlayBoxes) if (c !== b) expect(intersects(b, c), `${b.id} on ${c.id}`).toBe(false);
        }
      } finally {
        await browser.close();
      }
    }, 240_000);
  }
});
