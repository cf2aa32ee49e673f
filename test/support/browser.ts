import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { repoRoot } from './host';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser build. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (found === undefined) throw new Error('Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  return found;
}

// The closed network here refuses Chromium's background connections; these flags keep it quiet.
const quietFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface LaunchOptions {
  /** A .mjpeg/.y4m file played as the webcam. */
  fakeCamera?: string;
  args?: string[];
}

/** Launches headless Chromium with a fresh profile. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const args = [...quietFlags, ...(options.args ?? [])];
  if (options.fakeCamera !== undefined) {
    args.push(
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${options.fakeCamera}`,
      '--use-fake-ui-for-media-stream',
    );
  }
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args });
}

/** Runs `use` with a fresh browser (see {@link launchBrowser}) and closes the browser after it, whatever happens. */
export async function withBrowser<T>(options: LaunchOptions, use: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser(options);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** A page with console errors and page errors collected, for assertions and failure output. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1440, height: 900 },
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', permissions: ['camera'] });
  return openPageIn(context, url);
}

/** {@link openPage} in a context of the caller's (a phone's viewport, touch, user agent). */
export async function openPageIn(
  context: BrowserContext,
  url: string,
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  return { page, context, errors };
}

/**
 * Makes the WebGL canvases of pages opened from here keep their pixels, so a screenshot shows them.
 * Without `preserveDrawingBuffer` headless Chromium now and then photographs a WebGL canvas black
 * (the buffer is cleared after compositing). The studio itself does not need it: OBS captures the
 * window, not the buffer. Call it on a context or a page before the page loads.
 */
export async function keepWebGlPixels(target: BrowserContext | Page): Promise<void> {
  await target.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, options?: object) {
      const keep = kind === 'webgl' || kind === 'webgl2' ? { ...options, preserveDrawingBuffer: true } : options;
      return original.call(this, kind as '2d', keep);
    } as typeof original;
  });
}

/** Where screenshots go (test-results/, gitignored); look at them after a run. */
export function screenshotPath(name: string): string {
  const dir = path.join(repoRoot, 'test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

export const tmpDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
