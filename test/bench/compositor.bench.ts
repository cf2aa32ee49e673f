import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { OutputFormat } from '../../shared/api/app';
import { outputFormats } from '../../shared/api/app';
import type { CompositorScene } from '../../shared/compositor/scene';
import { footage, makeFakeCamera } from '../fixtures/camera/fake-camera';
import type { ApiSocket } from '../fixtures/camera/studio-api';
import { openApi } from '../fixtures/camera/studio-api';
import { launchBrowser } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import type { FrameWindow } from './compositor/frame-counter';
import { Freezer, startCounting, stopCounting } from './compositor/frame-counter';
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
} from './compositor/studio';
import type { BenchContext, BenchFigure, BenchModule } from './types';
import { percentile } from './types';

/**
 * Issue 9's compositor figures, side by side in one run on one fake camera: the program page with
 * everything on, a naive serial pipeline (MediaPipe's web sample: segmenter then full hand model on
 * the main thread every frame, composite in 2D) and camera passthrough (2D canvas), in alternating
 * rounds so that the shared machine's load falls on all three alike; medians of the rounds.
 * The pages not being measured are frozen (CDP), so only one runs at a time. Frames are counted
 * the same way in all three (./compositor/frame-counter.ts). Adaptive resolution is off: the
 * figures are for the full output size. With `--soak`, runs the long soak instead (./compositor/soak.ts).
 *
 * The camera: a 1280×720 fake webcam made from the only real footage here, fingerpose's
 * fingers-lq.gif (a 320×240 clip of a man facing the camera and raising his hand, letterboxed and
 * upscaled), looping.
 */
const rounds = Math.max(1, Number(process.env.HARVEST_BENCH_ROUNDS ?? 3));
const settleMs = 2000;
const measureMs = 6000;
const sizes: OutputFormat[] = ['1280x720', '1080x1920'];

type Contender = 'program' | 'naive' | 'passthrough';

export function benchCamera(root: string): string {
  return makeFakeCamera(root, { input: footage.person, width: 1280, height: 720, seconds: 6, fps: 30 });
}

/** Opens a baseline page (./compositor/baseline-page.ts) at the output size and waits for its first frame. */
async function openBaseline(
  context: BrowserContext,
  origin: string,
  mode: 'naive' | 'passthrough',
  size: { width: number; height: number },
): Promise<Page> {
  const page = await context.newPage();
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

/** Thaws `page`, lets it settle, counts its frames (and the studio's CPU) over `measureMs`, freezes it again. */
async function measureOne(freezer: Freezer, page: Page, keepRunning = false): Promise<Measured> {
  await freezer.thaw(page);
  await sleep(settleMs);
  await startCounting(page);
  const cpu0: CpuMark = cpuMark();
  await sleep(measureMs);
  const window = await stopCounting(page);
  const cpu = cpuShare(cpu0, cpuMark());
  if (!keepRunning) await freezer.freeze(page);
  return { window, cpu };
}

async function setFormat(api: ApiSocket, program: Page, format: OutputFormat, scene: CompositorScene): Promise<void> {
  await program.setViewportSize(outputFormats[format]);
  await api.value('settings:update', { outputFormat: format });
  await api.value('show:set-scene', scene);
}

/** The three contenders at one output size, alternating over `rounds` rounds. */
async function sideBySide(
  ctx: BenchContext,
  api: ApiSocket,
  program: Page,
  baselineContext: BrowserContext,
  origin: string,
  freezer: Freezer,
  format: OutputFormat,
  base: CompositorScene,
): Promise<BenchFigure[]> {
  const size = outputFormats[format];
  await setFormat(api, program, format, fullScene(base));
  await freezer.freeze(program);
  const pages: Record<Contender, Page> = {
    program,
    naive: await openBaseline(baselineContext, origin, 'naive', size),
    passthrough: await openBaseline(baselineContext, origin, 'passthrough', size),
  };
  await freezer.freeze(pages.naive);
  await freezer.freeze(pages.passthrough);
  const fps: Record<Contender, number[]> = { program: [], naive: [], passthrough: [] };
  const ratios: number[] = [];
  const intervals: number[] = [];
  const snaps: Snapshot[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const order: Contender[] = ['program', 'naive', 'passthrough'];
      for (let i = 0; i < r % 3; i++) order.push(order.shift()!);
      const round: Partial<Record<Contender, number>> = {};
      for (const who of order) {
        const { window } = await measureOne(freezer, pages[who], who === 'program');
        if (who === 'program') {
          snaps.push(await snapshot(program));
          await freezer.freeze(program);
          intervals.push(...window.intervals);
        }
        fps[who].push(window.fps);
        round[who] = window.fps;
      }
      ratios.push(round.program! / round.passthrough!);
      ctx.log(
        `${format} round ${r + 1}/${rounds}: ${JSON.stringify(round, (_k, v: unknown) => (typeof v === 'number' ? round1(v) : v))}`,
      );
    }
    const naive = (await pages.naive.evaluate('window.__benchPage')) as {
      frames: number;
      maskResults: number;
      segmentMs: number;
      handsMs: number;
      drawMs: number;
    };
    ctx.log(
      `${format} naive page means: segment ${round1(naive.segmentMs / naive.frames)} ms, hands ${round1(naive.handsMs / naive.frames)} ms, draw ${round1(naive.drawMs / naive.frames)} ms`,
    );
  } finally {
    for (const p of [pages.naive, pages.passthrough]) {
      freezer.forget(p);
      await p.close();
    }
    await freezer.thaw(program);
  }
  const pick = (f: (s: Snapshot) => number | undefined) =>
    median(snaps.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const last = snaps.at(-1)!;
  const program_ = median(fps.program);
  const frameP95 = intervals.length > 0 ? percentile(intervals, 95) : pick((s) => s.frameTimeP95);
  ctx.log(
    `${format}: program ${round1(program_)} fps = ${round1(program_ / median(fps.naive))}× naive; tier ${last.tier ?? '(no tier field)'}, ` +
      `snapshot frameTimeP95 ${last.frameTimeP95 ?? '(absent)'}, measured p95 ${round1(frameP95)} ms over ${intervals.length} frames`,
  );
  return [
    { name: `compositor ${format} program fps (everything on)`, value: program_, unit: 'fps' },
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
 * alternating with the control window frozen; the studio's CPU share over the windows with it open
 * (the studio as it is used: both windows and the host).
 */
async function withControlWindow(
  ctx: BenchContext,
  api: ApiSocket,
  host: RunningHost,
  program: Page,
  freezer: Freezer,
  base: CompositorScene,
): Promise<BenchFigure[]> {
  await setFormat(api, program, '1280x720', fullScene(base));
  const control = await program.context().newPage();
  await control.setViewportSize({ width: 1440, height: 900 });
  const errors = collectErrors(control);
  await control.goto(host.url);
  await control
    .locator('.compositor-preview canvas')
    .first()
    .waitFor({ timeout: 60_000 })
    .catch(() => ctx.log(`control window: no preview canvas (errors: ${errors.join(' | ')})`));
  const alone: Measured[] = [];
  const open: Measured[] = [];
  try {
    for (let r = 0; r < Math.max(2, rounds - 1); r++) {
      for (const withControl of r % 2 === 0 ? [true, false] : [false, true]) {
        if (withControl) await freezer.thaw(control);
        else await freezer.freeze(control);
        const m = await measureOne(freezer, program, true);
        (withControl ? open : alone).push(m);
      }
    }
  } finally {
    await freezer.thaw(control);
    freezer.forget(control);
    await control.close();
  }
  const share = (ms: Measured[]) => {
    const seconds = ms.reduce((s, m) => s + m.cpu.seconds, 0);
    const pct = ms.reduce((s, m) => s + m.cpu.percent, 0) / ms.length;
    return { seconds, pct };
  };
  const fpsOpen = median(open.map((m) => m.window.fps));
  const fpsAlone = median(alone.map((m) => m.window.fps));
  ctx.log(
    `control window: program ${round1(fpsAlone)} fps alone, ${round1(fpsOpen)} fps with it open (${round1((100 * (fpsAlone - fpsOpen)) / fpsAlone)} % lost); ` +
      `studio CPU ${round1(share(alone).pct)} % alone, ${round1(share(open).pct)} % with it open`,
  );
  return [
    { name: 'compositor 1280x720 program fps with the control window open', value: fpsOpen, unit: 'fps' },
    { name: 'compositor 1280x720 studio CPU share', value: share(open).pct, unit: '%' },
  ];
}

/** The program in a browser without WebGL (`--disable-webgl`): it must still draw. */
async function withoutWebGl(ctx: BenchContext, camera: string, host: RunningHost): Promise<BenchFigure[]> {
  const browser = await launchBrowser({ fakeCamera: camera, args: ['--disable-webgl'] });
  try {
    const context = await studioContext(browser, outputFormats['1280x720']);
    let page: Page;
    try {
      ({ page } = await openProgram(context, host, 60_000));
    } catch (error) {
      ctx.log(
        `without WebGL the program never drew: ${error instanceof Error ? error.message.slice(0, 600) : String(error)}`,
      );
      return [{ name: 'compositor 1280x720 program fps without WebGL', value: 0, unit: 'fps' }];
    }
    await sleep(settleMs * 2);
    await startCounting(page);
    await sleep(measureMs + 2000);
    const { fps } = await stopCounting(page);
    const s = await snapshot(page);
    ctx.log(
      `without WebGL: ${round1(fps)} fps, tier ${s.tier ?? '(no tier field)'}, product3d ${String(s.product3d)}, mask ${s.maskReady}, product ${s.product.visible}`,
    );
    return [{ name: 'compositor 1280x720 program fps without WebGL', value: fps, unit: 'fps' }];
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
  let browser: Browser | undefined = await launchBrowser({ fakeCamera: camera });
  const freezer = new Freezer();
  const figures: BenchFigure[] = [];
  try {
    await api.value('settings:update', { outputFormat: '1280x720' });
    const programContext = await studioContext(browser, outputFormats['1280x720']);
    const { page: program } = await openProgram(programContext, host);
    const base = await api.value<CompositorScene>('show:get-scene');
    const t0 = Date.now();
    await api.value('show:set-scene', fullScene(base));
    await waitForTracking(program);
    figures.push({ name: 'compositor models loaded to first tracked frame', value: Date.now() - t0, unit: 'ms' });
    ctx.log(`tracking after ${Date.now() - t0} ms; tier ${(await snapshot(program)).tier ?? '(no tier field)'}`);

    const baselineContext = await studioContext(browser, outputFormats['1280x720']);
    for (const format of sizes)
      figures.push(...(await sideBySide(ctx, api, program, baselineContext, server.origin, freezer, format, base)));
    await baselineContext.close();
    figures.push(...(await withControlWindow(ctx, api, host, program, freezer, base)));
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
