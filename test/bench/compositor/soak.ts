import type { CDPSession } from 'playwright-core';

import { outputFormats } from '../../../shared/api/app';
import type { CompositorScene } from '../../../shared/compositor/scene';
import { openApi } from '../../fixtures/camera/studio-api';
import { launchBrowser } from '../../support/browser';
import { startHost } from '../../support/host';
import type { BenchContext, BenchFigure } from '../types';
import { framesNow } from './frame-counter';
import { chromiumRss } from './proc';
import { soakScenes } from './scenes';
import { median, openProgram, round1, sleep, snapshot, studioContext, waitForTracking } from './studio';

/** JS heap of the page's main thread after a full GC, MB (CDP Performance.getMetrics). */
async function heapMb(cdp: CDPSession, collect: boolean): Promise<number> {
  if (collect) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 1024 / 1024;
}

interface Minute {
  fps: number;
  renderer: number;
  gpu: number;
}

/**
 * `npm run bench -- compositor --soak`: the program at 1280×720 with everything on for
 * HARVEST_SOAK_MINUTES (default 30) minutes, the scene changed every 30 s. Logs per-minute fps and
 * memory; the figures compare the first and last five minutes (shorter windows, logged, when the
 * soak is shorter than ten minutes) and the memory growth: the renderer processes' RSS (/proc),
 * median of the last turn of the run of show's samples against the first turn's (two minutes each:
 * every scene once), and the page's JS heap after a
 * forced GC at start and end; the figure is the larger of the two, both are logged, with the GPU
 * process (where software GL keeps its buffers) beside them. Before the first minute the run of
 * show turns twice (warm-up, 4 minutes), so growth means growth over the show, not the browser
 * settling into its working set.
 */
/** Four scenes, one every 30 s: the run of show turns once in two minutes. */
const sceneMs = 30_000;
const soakCycleMinutes = 2;
const warmupTurns = 2;

export async function soak(ctx: BenchContext, camera: string): Promise<BenchFigure[]> {
  const minutes = Math.max(1, Number(process.env.HARVEST_SOAK_MINUTES ?? 30));
  const windowMin = Math.max(1, Math.min(5, Math.floor(minutes / 2)));
  // Memory is compared over whole turns of the run of show (every scene shown for the same time
  // at the same phase of its 30 s), because each scene has its own working set: a first minute of
  // scenes 1–2 against a last minute of scenes 3–4 measured the scenes, not growth.
  const memoryWindow = minutes >= 2 * soakCycleMinutes ? soakCycleMinutes : 1;
  const host = await startHost({ dataDir: ctx.tmpDir });
  const api = await openApi(host);
  const browser = await launchBrowser({ fakeCamera: camera });
  try {
    await api.value('settings:update', { outputFormat: '1280x720' });
    const context = await studioContext(browser, outputFormats['1280x720']);
    const { page } = await openProgram(context, host);
    const scenes = soakScenes(await api.value<CompositorScene>('show:get-scene'));
    await api.value('show:set-scene', scenes[0]);
    await waitForTracking(page);
    // Warm-up: the run of show turned twice at its own pace, so that the first window's memory is
    // the show's working set. The renderer's memory settles over its first four to five minutes
    // whatever it shows: +15 MB with one scene held for 10 minutes (flat after minute 4), +18 MB
    // in the first 5 minutes of a 30-minute soak after a one-minute warm-up (then +9 MB in 25
    // minutes). Measured from there, the figure is what grows over the show.
    const cold = chromiumRss().renderer;
    const turns: number[] = [];
    for (let turn = 0; turn < warmupTurns; turn++) {
      for (const warm of [...scenes.slice(1), scenes[0]]) {
        await api.value('show:set-scene', warm);
        await sleep(sceneMs);
      }
      turns.push(round1(chromiumRss().renderer));
    }
    ctx.log(
      `soak warm-up: ${warmupTurns} turns of ${scenes.length} scenes, ${sceneMs / 1000} s each; renderer RSS ${round1(cold)} MB at start, ${turns.join(' → ')} MB after each turn`,
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const heap0 = await heapMb(cdp, true);
    const snap0 = await snapshot(page);
    ctx.log(
      `soak: ${minutes} min, scene every 30 s, fps windows of ${windowMin} min, memory windows of ${memoryWindow} min; heap ${round1(heap0)} MB after GC`,
    );

    const perMinute: Minute[] = [];
    const rssFirst: number[] = [];
    const gpuFirst: number[] = [];
    let rssLast: number[] = [];
    let gpuLast: number[] = [];
    const start = Date.now();
    let mark = await framesNow(page);
    let scene = 0;
    for (let minute = 0; minute < minutes; minute++) {
      const rss: number[] = [];
      const gpu: number[] = [];
      let renderers = 0;
      // Six 10 s steps a minute: a memory sample each, a scene change every third.
      for (let step = 0; step < 6; step++) {
        const due = start + (minute * 60 + (step + 1) * 10) * 1000;
        await sleep(Math.max(0, due - Date.now()));
        const m = chromiumRss();
        rss.push(m.renderer);
        renderers = m.renderers.length;
        gpu.push(m.gpu);
        if (step % 3 === 2) {
          scene = (scene + 1) % scenes.length;
          await api.value('show:set-scene', scenes[scene]);
        }
      }
      const now = await framesNow(page);
      const fps = ((now.frames - mark.frames) * 1000) / (now.t - mark.t);
      mark = now;
      const heap = await heapMb(cdp, false);
      const s = await snapshot(page);
      perMinute.push({ fps, renderer: median(rss), gpu: median(gpu) });
      if (minute < memoryWindow) {
        rssFirst.push(...rss);
        gpuFirst.push(...gpu);
      }
      rssLast = [...rssLast, ...rss].slice(-rss.length * memoryWindow);
      gpuLast = [...gpuLast, ...gpu].slice(-gpu.length * memoryWindow);
      ctx.log(
        `soak minute ${minute + 1}: ${round1(fps)} fps, renderer RSS ${round1(median(rss))} MB (${renderers} processes), GPU process ${round1(median(gpu))} MB, ` +
          `heap ${round1(heap)} MB, three.js ${s.memory.geometries} geometries / ${s.memory.textures} textures / ${s.memory.programs} programs`,
      );
    }
    const heap1 = await heapMb(cdp, true);
    const snap1 = await snapshot(page);
    const mean = (xs: Minute[]) => xs.reduce((sum, m) => sum + m.fps, 0) / xs.length;
    const first = mean(perMinute.slice(0, windowMin));
    const last = mean(perMinute.slice(-windowMin));
    const rssGrowth = median(rssLast) - median(rssFirst);
    const heapGrowth = heap1 - heap0;
    const gpuGrowth = median(gpuLast) - median(gpuFirst);
    ctx.log(
      `soak: fps first ${windowMin} min ${round1(first)}, last ${windowMin} min ${round1(last)} (${round1((100 * last) / first)} %); ` +
        `growth: renderer RSS ${round1(rssGrowth)} MB, JS heap ${round1(heapGrowth)} MB (${round1(heap0)} → ${round1(heap1)}), ` +
        `GPU process ${round1(gpuGrowth)} MB; three.js memory ${JSON.stringify(snap0.memory)} → ${JSON.stringify(snap1.memory)}; ` +
        `context losses ${snap1.contextLosses}`,
    );
    return [
      { name: 'compositor soak 1280x720 fps first 5 min', value: first, unit: 'fps' },
      { name: 'compositor soak 1280x720 fps last 5 min', value: last, unit: 'fps' },
      {
        name: 'compositor soak 1280x720 renderer memory growth MB',
        value: Math.max(rssGrowth, heapGrowth),
        unit: 'MB',
      },
    ];
  } finally {
    await browser.close();
    api.close();
    await host.stop();
  }
}
