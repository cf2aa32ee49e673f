import type { BrowserContext, Page } from 'playwright-core';

/**
 * One frame counter for the program and both baselines, installed in every page before its own
 * scripts run. On each requestAnimationFrame it reads the page's count of drawn frames (the
 * baseline page's `__benchPage.frames`, or the compositor snapshot's `frames`) and, while
 * recording, keeps the interval between the rAF timestamps at which the count moved: frame times
 * as the page presented them. It also counts the distinct camera frames the page took up through
 * requestVideoFrameCallback (per video element, by `presentedFrames`; the most of any element),
 * which all three pages use to take camera frames: a window's fps is the lower of the two, i.e.
 * new camera frames drawn per second. The program draws at 30/s even without a new camera frame,
 * and once more when one comes between two such ticks, so its drawn count alone ran above the
 * 30 fps camera (31–35 fps) and above passthrough. A string, not a function: the test transform would add helpers to a
 * function's source that do not exist in the page.
 */
const counterScript = `(() => {
  const read = () => {
    if (window.__benchPage) return window.__benchPage.frames;
    const c = window.__harvestCompositor;
    if (c) { try { return c.info().frames; } catch { return -1; } }
    return -1;
  };
  const s = { recording: false, frames0: 0, t0: 0, last: -1, lastAt: 0, intervals: [] };
  const cams = new Map();
  const rvfc = HTMLVideoElement.prototype.requestVideoFrameCallback;
  if (rvfc) HTMLVideoElement.prototype.requestVideoFrameCallback = function (callback) {
    const video = this;
    return rvfc.call(this, function (now, metadata) {
      let c = cams.get(video);
      if (!c) cams.set(video, (c = { last: -1, n: 0, n0: 0 }));
      if (metadata && metadata.presentedFrames !== c.last) { c.last = metadata.presentedFrames; c.n++; }
      return callback.call(this, now, metadata);
    });
  };
  const camFrames = () => { let m = -1; for (const c of cams.values()) m = Math.max(m, c.n - c.n0); return m; };
  const tick = (t) => {
    const f = read();
    if (f >= 0 && f !== s.last) {
      if (s.recording && s.last >= 0 && f > s.last) {
        const n = f - s.last;
        for (let i = 0; i < n; i++) s.intervals.push((t - s.lastAt) / n);
      }
      s.last = f;
      s.lastAt = t;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__benchFrames = {
    start() {
      s.recording = true; s.intervals = []; s.frames0 = read(); s.t0 = performance.now();
      for (const c of cams.values()) c.n0 = c.n;
    },
    stop() {
      s.recording = false;
      const drawn = read() - s.frames0;
      const camera = camFrames();
      const ms = performance.now() - s.t0;
      return { frames: camera >= 0 ? Math.min(drawn, camera) : drawn, drawn, camera, ms, intervals: s.intervals };
    },
    now() { return { frames: read(), t: performance.now() }; },
  };
})();`;

export interface FrameWindow {
  /** New camera frames drawn: the lower of `drawn` and `camera` (`drawn` where no camera was read). */
  frames: number;
  /** Frames the page drew, and distinct camera frames it took up (-1: none through rVFC). */
  drawn: number;
  camera: number;
  ms: number;
  fps: number;
  /** Frame-to-frame intervals (ms) seen in the window. */
  intervals: number[];
}

/** Installs the counter in every page of `context` (call before opening pages). */
export const installFrameCounter = (context: BrowserContext) => context.addInitScript(counterScript);

export const startCounting = (page: Page) => page.evaluate('window.__benchFrames.start()');

export async function stopCounting(page: Page): Promise<FrameWindow> {
  const w = (await page.evaluate('window.__benchFrames.stop()')) as Omit<FrameWindow, 'fps'>;
  return { ...w, fps: w.ms > 0 ? (w.frames * 1000) / w.ms : 0 };
}

/** The page's frame count and clock now (for per-minute rates in the soak). */
export const framesNow = (page: Page) =>
  page.evaluate('window.__benchFrames.now()') as Promise<{ frames: number; t: number }>;

/** `page`'s drawn frames per second over the next `ms`. */
export async function framesRate(page: Page, ms = 1000): Promise<number> {
  const a = await framesNow(page);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = await framesNow(page);
  return ((b.frames - a.frames) * 1000) / (b.t - a.t);
}

/**
 * Sets a page aside between its turns by putting a blank tab in front of it in its window, and
 * brings it back. In headless Chromium a tab behind another draws about once a second, so the
 * program's frame loop and the inference it feeds (driven by requestVideoFrameCallback) nearly
 * stop: measured here, its renderer went from 71 to 11 % of a core and the naive page beside it
 * from 4.7 to 12.1 fps. CDP's Page.setWebLifecycleState('frozen'), used before, did not stop it
 * (68 % of a core while "frozen", the naive page at 4.7 fps beside it). Create the cover right after
 * the page, while its window is the last one opened: a new tab goes to that window.
 */
export class TabCover {
  private constructor(
    readonly page: Page,
    private readonly blank: Page,
  ) {}

  static async over(page: Page): Promise<TabCover> {
    const blank = await page.context().newPage();
    const cover = new TabCover(page, blank);
    await page.bringToFront();
    return cover;
  }

  /** The page's drawn-frame rate now, to check that a cover holds. */
  rate = () => framesRate(this.page);

  cover = () => this.blank.bringToFront();
  uncover = () => this.page.bringToFront();
}
