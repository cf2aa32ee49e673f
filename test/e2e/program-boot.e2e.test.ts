// The program page when its start fails: the built host, the page in real Chromium, the API socket
// cut, failing, then back (as when the host restarts). OBS would capture whatever the page shows,
// so a failed start must be a clear message on the picture, reported, and retried, never black.
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodePng, waitForScene } from '../fixtures/camera/studio-api';
import { launchBrowser, screenshotPath } from '../support/browser';
import { H, hostLog, W } from '../support/compositor/program';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';

/** Distinct grey levels in a screenshot: a black (or any flat) frame has one or two. */
function distinctLevels(rgb: Buffer): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgb.length; i += 31) seen.add(rgb[i]! >> 3);
  return seen.size;
}

type Api = 'down' | 'failing' | 'up';

describe('program page boot failure', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let api: Api = 'down';
  const sockets: WebSocketRoute[] = [];

  const failedCode = () => page.evaluate('document.body.dataset.bootFailed ?? null') as Promise<string | null>;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: W, height: H }, locale: 'zh-CN' });
    page = await context.newPage();
    // The page's API socket, cut or tampered with as the test says; the page and its code still
    // come from the real host.
    await page.routeWebSocket(/\/api\?/, (ws) => {
      sockets.push(ws);
      if (api === 'down') {
        void ws.close({ code: 1011, reason: 'host down' });
        return;
      }
      const server = ws.connectToServer();
      if (api === 'up') return; // forwarded as is
      // The service answers, but reading the settings fails.
      ws.onMessage((message) => {
        const call = JSON.parse(String(message)) as { type: string; id: number; name: string };
        if (call.name === 'settings:get') {
          ws.send(
            JSON.stringify({
              type: 'result',
              id: call.id,
              result: { ok: false, error: { code: 'app/read-only', message: 'settings unreadable' } },
            }),
          );
        } else server.send(message);
      });
      server.onMessage((message) => ws.send(message));
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the failure on the picture while the studio service is down', async () => {
    await page.goto(host.programUrl);
    await expect.poll(failedCode, { timeout: 20_000 }).toBe('app/not-connected');
    const alert = page.getByRole('alert');
    const text = await alert.innerText();
    expect(text).toContain('节目画面没能启动');
    expect(text).toContain('与直播间后台的连接断开了');
    expect(text).toContain('The program picture could not start');
    expect(text).toContain('app/not-connected');
    const png = await page.screenshot({ path: screenshotPath('program-boot-api-down') });
    expect(distinctLevels(decodePng(png, W, H))).toBeGreaterThan(4);
  }, 60_000);

  it('tells a failing settings read apart, and reports it in the studio log', async () => {
    api = 'failing';
    await expect.poll(failedCode, { timeout: 30_000 }).toBe('app/read-only');
    expect(await page.getByRole('alert').innerText()).toContain('数据文件夹无法写入');
    // Reported through app:report-error as soon as the service could be reached: the earlier
    // not-connected failure included.
    await expect.poll(() => hostLog(host), { timeout: 15_000 }).toContain('app/read-only: settings unreadable');
    expect(hostLog(host)).toContain('app/not-connected: ');
    expect(hostLog(host)).toContain('program boot');
    await page.screenshot({ path: screenshotPath('program-boot-settings-failed') });
  }, 60_000);

  it('starts by itself when the service is back', async () => {
    api = 'up';
    // The host restarted: the old sockets drop, the page reconnects and boots.
    for (const ws of sockets.splice(0)) void ws.close({ code: 1012, reason: 'restart' });
    await waitForScene(page, 1, 150_000);
    expect(await failedCode()).toBeNull();
    expect(await page.locator('.program-failed').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('program-boot-recovered') });
  }, 180_000);
});
