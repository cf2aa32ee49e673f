// The camera rig end to end: the built studio host, the program page in real Chromium with a fake
// webcam. A NEXT into picture-in-picture, and a headset being plugged in, must not reopen the main
// camera: a reopen would blink the picture on air and restart the camera's exposure.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CompositorScene } from '../../shared/compositor/scene';
import { probe, showScene, waitForProbe } from '../fixtures/camera/studio-api';
import { launchBrowser, screenshotPath } from '../support/browser';
import { openProgram, personCamera, useProgramHost } from '../support/compositor/program';

// Counts camera opens and device listings, and keeps every track the page got, to read their state.
const watchCameras = `
  window.__tracks = []; window.__opens = 0; window.__lists = 0;
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = async (c) => { window.__opens++; const s = await gum(c); window.__tracks.push(...s.getVideoTracks()); return s; };
  const list = md.enumerateDevices.bind(md);
  md.enumerateDevices = async () => { window.__lists++; return list(); };
`;

interface Cameras {
  opens: number;
  lists: number;
  tracks: { id: string; state: string }[];
}
const cameras = (page: Page): Promise<Cameras> =>
  page.evaluate(
    '({ opens: window.__opens, lists: window.__lists, tracks: window.__tracks.map((t) => ({ id: t.id, state: t.readyState })) })',
  ) as Promise<Cameras>;

/** Waits for `n` more program frames: time enough for anything a change scheduled to have run. */
async function frames(page: Page, n: number): Promise<void> {
  const before = (await probe(page)).frames;
  await waitForProbe(page, (i) => i.frames >= before + n, 30_000, `${n} more frames`);
}

describe('camera rig', () => {
  const studio = useProgramHost();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser({ fakeCamera: personCamera() });
    page = await openProgram(browser, studio.host.programUrl, { errors: pageErrors, initScript: watchCameras });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps the main camera open through a NEXT into picture-in-picture and back', async () => {
    const first = await waitForProbe(
      page,
      (i) => i.mainTrackId !== '' && i.camera.width === 640 && i.frames > 10,
      30_000,
      'the main camera',
    );
    expect((await cameras(page)).opens).toBe(1);
    const single = await studio.api.value<CompositorScene>('show:get-scene');

    await showScene(studio.api, page, { ...single, layout: 'pip' });
    // The guest opens alone.
    await expect.poll(async () => (await cameras(page)).opens, { timeout: 15_000 }).toBe(2);
    await expect
      .poll(async () => (await cameras(page)).tracks.map((t) => t.state), { timeout: 15_000 })
      .toEqual(['live', 'live']);
    await frames(page, 10);
    expect((await probe(page)).mainTrackId).toBe(first.mainTrackId);
    await page.screenshot({ path: screenshotPath('camera-rig-pip') });

    await showScene(studio.api, page, { ...single, layout: 'single' });
    // The guest closes alone; the main track is the one from the start, still live.
    await expect
      .poll(async () => (await cameras(page)).tracks.map((t) => t.state), { timeout: 15_000 })
      .toEqual(['live', 'ended']);
    await frames(page, 10);
    const after = await cameras(page);
    expect(after.opens).toBe(2);
    expect(after.tracks[0]?.id).toBe(first.mainTrackId);
    expect((await probe(page)).mainTrackId).toBe(first.mainTrackId);
  }, 120_000);

  it('keeps the cameras open when a headset is plugged in (devicechange)', async () => {
    const before = await probe(page);
    expect(before.mainTrackId).not.toBe('');
    const scene = await studio.api.value<CompositorScene>('show:get-scene');
    await showScene(studio.api, page, { ...scene, layout: 'pip' });
    await expect.poll(async () => (await cameras(page)).tracks.filter((t) => t.state === 'live').length).toBe(2);
    const seen = await cameras(page);

    for (let i = 0; i < 3; i++) {
      const lists = (await cameras(page)).lists;
      await page.evaluate("navigator.mediaDevices.dispatchEvent(new Event('devicechange'))");
      // The rig heard it: it listed the devices again.
      await expect.poll(async () => (await cameras(page)).lists, { timeout: 10_000 }).toBeGreaterThan(lists);
      await frames(page, 10);
    }
    const after = await cameras(page);
    expect(after.opens).toBe(seen.opens);
    expect(after.tracks.filter((t) => t.state === 'live').length).toBe(2);
    expect((await probe(page)).mainTrackId).toBe(before.mainTrackId);

    await showScene(studio.api, page, { ...scene, layout: 'single' });
    expect((await probe(page)).mainTrackId).toBe(before.mainTrackId);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('reopens a lost main camera at once, with a new track', async () => {
    const before = await cameras(page);
    const mainId = (await probe(page)).mainTrackId;
    // An unplug fires 'ended' on the track (the fake camera cannot be unplugged).
    await page.evaluate(
      `window.__tracks.find((t) => t.id === ${JSON.stringify(mainId)}).dispatchEvent(new Event('ended'))`,
    );
    // Taken over at once by a fresh open of the camera, with a new track.
    await expect.poll(async () => (await cameras(page)).opens, { timeout: 15_000 }).toBe(before.opens + 1);
    const back = await waitForProbe(
      page,
      (i) => i.mainTrackId !== '' && i.mainTrackId !== mainId,
      30_000,
      'the reopened main camera',
    );
    await frames(page, 10);
    expect((await probe(page)).mainTrackId).toBe(back.mainTrackId);
  }, 120_000);
});
