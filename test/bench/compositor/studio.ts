import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';

import type { ProbeInfo } from '../../fixtures/camera/studio-api';
import { probe, waitForProbe } from '../../fixtures/camera/studio-api';
import type { RunningHost } from '../../support/host';
import { installFrameCounter } from './frame-counter';

/**
 * Snapshot fields that issue 9's compositor adds (absent on the compositor before it): read
 * when present, with the older field as the fallback.
 */
export type Snapshot = ProbeInfo &
  Partial<{
    tier: string;
    product3d: boolean;
    maskRate: number;
    handRate: number;
    frameTimeP95: number;
    visionLeader: boolean;
  }>;

export const snapshot = (page: Page) => probe(page) as Promise<Snapshot>;

/** A browser context with the camera allowed and the bench's frame counter in every page. */
export async function studioContext(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', permissions: ['camera'] });
  await installFrameCounter(context);
  return context;
}

const browserSessions = new WeakMap<Browser, Promise<CDPSession>>();

/**
 * A new page of `context` in its OWN window, as the studio's windows are. `context.newPage()` opens
 * a tab in the window of the context's first page, and in headless Chromium only the front tab of a
 * window draws: a page behind another tab gets rAF and requestVideoFrameCallback about once a
 * second (measured here: the naive page 12.8 fps alone, 1.0 fps once a second tab was opened, 11.7
 * after bringToFront), while document.visibilityState still says "visible". `near` is a page of
 * `context` (Playwright does not expose the context's CDP id).
 */
export async function windowPage(context: BrowserContext, near: Page): Promise<Page> {
  const browser = context.browser()!;
  let root = browserSessions.get(browser);
  if (root === undefined) browserSessions.set(browser, (root = browser.newBrowserCDPSession()));
  const session = await context.newCDPSession(near);
  const { targetInfo } = await session.send('Target.getTargetInfo');
  await session.detach();
  const [page] = await Promise.all([
    context.waitForEvent('page'),
    (await root).send('Target.createTarget', {
      url: 'about:blank',
      browserContextId: targetInfo.browserContextId,
      newWindow: true,
    }),
  ]);
  return page;
}

/** Page errors and console errors of `page`, for the log when something does not draw. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/** Opens the program page (full output size: adaptive resolution off) and waits for its first frame. */
export async function openProgram(
  context: BrowserContext,
  host: RunningHost,
  timeout = 90_000,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${host.programUrl}&adaptive=0`);
  await waitForProbe(page, (i) => i.frames > 0, timeout, `the program's first frame (errors: ${errors.join(' | ')})`);
  return { page, errors };
}

/** Waits until the program tracks (mask, a hand and the product in view); resolves at that moment. */
export async function waitForTracking(page: Page): Promise<void> {
  await waitForProbe(page, (i) => i.maskReady && i.hand.found && i.product.visible, 120_000, 'mask, hand and product');
}

/** Median of a sample (NaN when empty). */
export function median(sample: readonly number[]): number {
  if (sample.length === 0) return Number.NaN;
  const s = [...sample].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
