import type { Browser, Page } from 'playwright-core';

import type { OutputFormat } from '../../shared/api/app';
import { outputFormats } from '../../shared/api/app';
import type { CompositorScene } from '../../shared/compositor/scene';
import { footage, makeFakeCamera } from '../fixtures/camera/fake-camera';
import type { ApiSocket } from '../fixtures/camera/studio-api';
import { openApi, showScene, waitForProbe } from '../fixtures/camera/studio-api';
import { launchBrowser } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import type { FrameWindow } from './compositor/frame-counter';
import { framesRate, startCounting, stopCounting, TabCover } from './compositor/frame-counter';
import type { CpuMark } from './compositor/proc';
import { cpuMark, cpuShare } from './compositor/proc';
import { fullScene } from './compositor/scenes';
import { startBaselineServer } from './compositor/server';
import { soak } from './compositor/soak';
import type { Snapshot } from './compositor/studio';
import {
  collectErrors,
  median,
  openProgram,
  round1,
  sleep,
  snapshot,
  studioContext,
  waitForTracking,
  windowPage,
} from './compositor/studio';
import type { BenchContext, BenchFigure, BenchModule } from './types';
import { percentile } from './types';

/**
 * Issue 9's compositor figures, side by side in one run on one fake camera: the program page with
 * everything on, a naive serial pipeline (MediaPipe's web sample: segmenter then full hand model on
 * the main thread every frame, composite in 2D) and camera passthrough (2D canvas), in alternating
 * rounds so that the shared machine's load falls on all three alike; medians of the rounds.
 * All three are pages of ONE browser (one fake camera), each in its own window (`windowPage`: a
 * page in a background tab draws about once a second). Only the contender being measured runs:
 * the program page is set behind a blank tab meanwhile (`TabCover`; CDP freezing did not stop its
 * workers), and the baseline pages let go of the camera (a page frozen while it holds the camera
 * slowed the others: passthrough 19.6 fps, program 21.5 beside two frozen holders, 29–31 when the
 * baselines let go). Frames are
 * counted the same way in all three (./compositor/frame-counter.ts). Adaptive resolution is off: the figures are for
 * the full output size. With `--soak`, runs the long soak instead (./compositor/soak.ts).
 *
 * The camera: a 1280×720 fake webcam made from the only real footage here, fingerpose's
 * fingers-lq.gif (a 320×240 clip of a man facing the camera and raising his hand, letterboxed and
 * upscaled), looping; its 10 frames a second blended to 30 distinct ones with a little sensor noise,
 * as a real webcam gives (`liveMotion`): repeated frames would let the vision engine skip two in three.
 */
const rounds = Math.max(1, Number(process.env.HARVEST_BENCH_ROUNDS ?? 3));
const settleMs = 2000;
const measureMs = 6000;
const sizes: OutputFormat[] = ['1280x720', '1080x1920'];

type Who = 'program' | 'naive' | 'passthrough';

export function benchCamera(root: string): string {
  return makeFakeCamera(root, {
    input: footage.person,
    width: 1280,
    height: 720,
    seconds: 6,
    fps: 30,
    liveMotion: true,
  });
}

/**
 * Opens a baseline page (./compositor/baseline-page.ts) at the output size, in its own window of
 * the program's browser context, and waits for its first frame.
 */
async function openBaseline(
  program: Page,
  origin: string,
  mode: 'naive' | 'passthrough',
  size: { width: number; height: number },
): Promise<Page> {
  const page = await windowPage(program.context(), program);
  await page.setViewportSize(size);
  await page.goto(`${origin}/?mode=${mode}&w=${size.width}&h=${size.height}`);
  await page.waitForFunction(
    'window.__benchPage && (window.__benchPage.error !== null || window.__benchPage.frames > 0)',
    undefined,
    {
      timeout: 120_000,
      polling: 200,
    },
  );
  const error = (await page.evaluate('window.__benchPage.error')) as string | null;
  if (error !== null) throw new Error(`${mode} page failed: ${error}`);
  return page;
}

interface Measured {
  window: FrameWindow;
  cpu: { percent: number; seconds: number };
}

/** A page in the alternation: how to let it run and how to stop it between its turns. */
interface Contender {
  page: Page;
  resume(): Promise<unknown>;
  pause(): Promise<unknown>;
}

const programContender = (cover: TabCover): Contender => ({
  page: cover.page,
  resume: () => cover.uncover(),
  pause: () => cover.cover(),
});

const baselineContender = (page: Page): Contender => ({
  page,
  resume: () => page.evaluate('window.__benchControl.resume()'),
  pause: () => page.evaluate('window.__benchControl.pause()'),
});

/** Lets `page` settle, then counts its frames (and the studio's CPU) over `measureMs`. */
async function measureOne(page: Page): Promise<Measured> {
  await sleep(settleMs);
  await startCounting(page);
  const cpu0: CpuMark = cpuMark();
  await sleep(measureMs);
  const window = await stopCounting(page);
  return { window, cpu: cpuShare(cpu0, cpuMark()) };
}

/** Resizes the program to `format` and waits until it has drawn `scene` at that size. */
async function setFormat(api: ApiSocket, program: Page, format: OutputFormat, scene: CompositorScene): Promise<void> {
  await program.setViewportSize(outputFormats[format]);
  await api.value('settings:update', { outputFormat: format });
  await showScene(api, program, scene);
}

/** The three contenders at one output size, alternating over `rounds` rounds. */
async function sideBySide(
  ctx: BenchContext,
  api: ApiSocket,
  program: Page,
  origin: string,
  cover: TabCover,
  format: OutputFormat,
  base: CompositorScene,
): Promise<BenchFigure[]> {
  const size = outputFormats[format];
  await setFormat(api, program, format, fullScene(base));
  await cover.cover();
  const naivePage = await openBaseline(program, origin, 'naive', size);
  const passthroughPage = await openBaseline(program, origin, 'passthrough', size);
  const contenders: Record<Who, Contender> = {
    program: programContender(cover),
    naive: baselineContender(naivePage),
    passthrough: baselineContender(passthroughPage),
  };
  await contenders.naive.pause();
  await contenders.passthrough.pause();
  ctx.log(`${format}: the program draws ${round1(await cover.rate())} frames/s while set aside`);
  const fps: Record<Who, number[]> = { program: [], naive: [], passthrough: [] };
  const cpu: Record<Who, number[]> = { program: [], naive: [], passthrough: [] };
  const drawnFps: Record<Who, number[]> = { program: [], naive: [], passthrough: [] };
  const ratios: number[] = [];
  const intervals: number[] = [];
  const snaps: Snapshot[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const order: Who[] = ['program', 'naive', 'passthrough'];
      for (let i = 0; i < r % 3; i++) order.push(order.shift()!);
      const round: Partial<Record<Who, number>> = {};
      for (const who of order) {
        const c = contenders[who];
        await c.resume();
        const m = await measureOne(c.page);
        if (who === 'program') {
          snaps.push(await snapshot(program));
          intervals.push(...m.window.intervals);
        }
        await c.pause();
        fps[who].push(m.window.fps);
        drawnFps[who].push((m.window.drawn * 1000) / m.window.ms);
        cpu[who].push(m.cpu.percent);
        round[who] = m.window.fps;
      }
      ratios.push(round.program! / round.passthrough!);
      ctx.log(
        `${format} round ${r + 1}/${rounds}: fps ${JSON.stringify(round, (_k, v: unknown) => (typeof v === 'number' ? round1(v) : v))}`,
      );
    }
    const naive = (await naivePage.evaluate('window.__benchPage')) as {
      frames: number;
      segmentMs: number;
      handsMs: number;
      drawMs: number;
    };
    const per = (ms: number) => round1(ms / naive.frames);
    ctx.log(
      `${format} naive page means: segment ${per(naive.segmentMs)} ms, hands ${per(naive.handsMs)} ms, draw ${per(naive.drawMs)} ms; ` +
        `frames drawn/s (median, counted or not) program ${round1(median(drawnFps.program))}, naive ${round1(median(drawnFps.naive))}, passthrough ${round1(median(drawnFps.passthrough))}; ` +
        `studio CPU % (median) program ${round1(median(cpu.program))}, naive ${round1(median(cpu.naive))}, passthrough ${round1(median(cpu.passthrough))}`,
    );
  } finally {
    await naivePage.close();
    await passthroughPage.close();
    await cover.uncover();
  }
  const pick = (f: (s: Snapshot) => number | undefined) =>
    median(snaps.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const last = snaps.at(-1)!;
  const programFps = median(fps.program);
  const frameP95 = intervals.length > 0 ? percentile(intervals, 95) : pick((s) => s.frameTimeP95);
  ctx.log(
    `${format}: program ${round1(programFps)} fps = ${round1(programFps / median(fps.naive))}× naive; tier ${last.tier ?? '(no tier field)'}, ` +
      `snapshot frameTimeP95 ${last.frameTimeP95 ?? '(absent)'}, measured p95 ${round1(frameP95)} ms over ${intervals.length} frames`,
  );
  return [
    { name: `compositor ${format} program fps (everything on)`, value: programFps, unit: 'fps' },
    { name: `compositor ${format} naive serial fps`, value: median(fps.naive), unit: 'fps' },
    { name: `compositor ${format} camera passthrough fps`, value: median(fps.passthrough), unit: 'fps' },
    { name: `compositor ${format} program / passthrough`, value: median(ratios), unit: '×' },
    {
      name: `compositor ${format} mask results per second`,
      value: pick((s) => s.maskRate ?? s.visionRate),
      unit: '/s',
    },
    {
      name: `compositor ${format} hand results per second`,
      value: pick((s) => s.handRate ?? s.visionRate),
      unit: '/s',
    },
    { name: `compositor ${format} frame time p95`, value: frameP95, unit: 'ms' },
    {
      name: `compositor ${format} added latency camera frame to program frame`,
      value: pick((s) => s.latencyMs),
      unit: 'ms',
    },
    { name: `compositor ${format} capture (frame to ImageBitmap) mean`, value: pick((s) => s.captureMs), unit: 'ms' },
    { name: `compositor ${format} segmentation mean`, value: pick((s) => s.segmentMs), unit: 'ms' },
    { name: `compositor ${format} hand tracking mean`, value: pick((s) => s.handsMs), unit: 'ms' },
    { name: `compositor ${format} render (CPU side, per frame) mean`, value: pick((s) => s.renderMs), unit: 'ms' },
    { name: `compositor ${format} softwareGl`, value: last.softwareGl ? 1 : 0, unit: 'bool' },
  ];
}

/**
 * The program with the studio's control window (its preview) open in the same browser context,
 * between two windows without it (opened and closed rather than frozen: a frozen page would starve
 * the program's camera); the studio's CPU share over the windows with it open (the studio as it is
 * used: both windows and the host).
 */
async function withControlWindow(
  ctx: BenchContext,
  api: ApiSocket,
  host: RunningHost,
  program: Page,
  base: CompositorScene,
): Promise<BenchFigure[]> {
  await setFormat(api, program, '1280x720', fullScene(base));
  const alone: Measured[] = [await measureOne(program)];
  // Its own window, as in the studio (a second tab would leave the program a background tab).
  const control = await windowPage(program.context(), program);
  await control.setViewportSize({ width: 1440, height: 900 });
  const errors = collectErrors(control);
  await control.goto(host.url);
  await control
    .locator('.compositor-preview canvas')
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(() => ctx.log(`control window: no preview canvas (errors: ${errors.join(' | ')})`));
  // The preview loads its models (and, with one shared engine, elects the program) first.
  await sleep(8000);
  ctx.log(`control window: the program draws ${round1(await framesRate(program))} frames/s beside it`);
  const open: Measured[] = [];
  try {
    for (let r = 0; r < Math.max(2, rounds - 1); r++) open.push(await measureOne(program));
  } finally {
    await control.close();
  }
  alone.push(await measureOne(program));
  const cpuOf = (ms: Measured[]) => median(ms.map((m) => m.cpu.percent));
  const fpsOpen = median(open.map((m) => m.window.fps));
  const fpsAlone = median(alone.map((m) => m.window.fps));
  ctx.log(
    `control window: program ${round1(fpsAlone)} fps alone, ${round1(fpsOpen)} fps with it open (${round1((100 * (fpsAlone - fpsOpen)) / fpsAlone)} % lost); ` +
      `studio CPU ${round1(cpuOf(alone))} % alone, ${round1(cpuOf(open))} % with it open`,
  );
  return [
    { name: 'compositor 1280x720 program fps with the control window open', value: fpsOpen, unit: 'fps' },
    { name: 'compositor 1280x720 studio CPU share', value: cpuOf(open), unit: '%' },
  ];
}

/** The program in a browser without WebGL (`--disable-webgl`): it must still draw. */
async function withoutWebGl(ctx: BenchContext, camera: string, host: RunningHost): Promise<BenchFigure[]> {
  const browser = await launchBrowser({ fakeCamera: camera, args: ['--disable-webgl'] });
  try {
    const context = await studioContext(browser, outputFormats['1280x720']);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${host.programUrl}&adaptive=0`);
    try {
      await waitForProbe(page, (i) => i.frames > 0, 60_000, 'a frame');
    } catch {
      const text = await page.evaluate('document.body.innerText').catch(() => '');
      ctx.log(`without WebGL the program never drew; page says ${JSON.stringify(text)}; errors: ${errors.join(' | ')}`);
      return [{ name: 'compositor 1280x720 program fps without WebGL', value: 0, unit: 'fps' }];
    }
    const m = await measureOne(page);
    const s = await snapshot(page);
    ctx.log(
      `without WebGL: ${round1(m.window.fps)} fps, tier ${s.tier ?? '(no tier field)'}, product3d ${String(s.product3d)}, ` +
        `mask ${s.maskReady}, product ${s.product.visible}`,
    );
    return [{ name: 'compositor 1280x720 program fps without WebGL', value: m.window.fps, unit: 'fps' }];
  } finally {
    await browser.close();
  }
}

const bench: BenchModule = async (ctx) => {
  if (ctx.soak === true) return soak(ctx, benchCamera(ctx.root));
  const camera = benchCamera(ctx.root);
  const host = await startHost({ dataDir: ctx.tmpDir });
  const api = await openApi(host);
  const server = await startBaselineServer(ctx.root);
  // One browser, one fake camera, for the program and both baselines.
  let browser: Browser | undefined = await launchBrowser({ fakeCamera: camera });
  const figures: BenchFigure[] = [];
  try {
    await api.value('settings:update', { outputFormat: '1280x720' });
    const programContext = await studioContext(browser, outputFormats['1280x720']);
    const { page: program } = await openProgram(programContext, host);
    const cover = await TabCover.over(program);
    const base = await api.value<CompositorScene>('show:get-scene');
    const t0 = Date.now();
    await api.value('show:set-scene', fullScene(base));
    await waitForTracking(program);
    figures.push({ name: 'compositor models loaded to first tracked frame', value: Date.now() - t0, unit: 'ms' });
    ctx.log(`tracking after ${Date.now() - t0} ms; tier ${(await snapshot(program)).tier ?? '(no tier field)'}`);

    for (const format of sizes)
      figures.push(...(await sideBySide(ctx, api, program, server.origin, cover, format, base)));
    figures.push(...(await withControlWindow(ctx, api, host, program, base)));
    await browser.close();
    browser = undefined;
    figures.push(...(await withoutWebGl(ctx, camera, host)));
  } finally {
    await browser?.close();
    await server.close();
    api.close();
    await host.stop();
  }
  return figures;
};

export default bench;
