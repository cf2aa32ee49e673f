// The OBS settings and status bar in real Chromium against the built studio host and the run's
// real headless OBS: wrong password first (translated error), then connect, mirror OBS's own
// changes (recording started in OBS itself), screenshots of each step.
import OBSWebSocket from 'obs-websocket-js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';

const obs = inject('obs');
if (!obs.available && process.env.CI !== undefined) {
  throw new Error(`the test OBS is not available under CI: ${obs.reason ?? '?'}`);
}

describe.skipIf(!obs.available)('OBS status bar and connection settings', () => {
  let host: RunningHost;
  let browser: Browser;
  let raw: OBSWebSocket;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    raw = new OBSWebSocket();
    await raw.connect(obs.url, obs.password);
  });

  afterAll(async () => {
    await raw?.disconnect();
    await browser?.close();
    await host?.stop();
  });

  it('connects through the settings form and shows OBS at a glance', async () => {
    const { page, context, errors } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await page.locator('.nav-item[data-page="settings"]').click();

    const bar = page.getByTestId('obs-status-bar');
    await expect(bar.getAttribute('data-status')).resolves.toBe('disconnected');
    await expect(page.getByTestId('obs-connection-text').textContent()).resolves.toBe('OBS 未连接');

    // Wrong password: a coded, translated error, and the bar says why.
    await page.getByTestId('obs-host').fill('127.0.0.1');
    await page.getByTestId('obs-port').fill(String(obs.port));
    await page.getByTestId('obs-password').fill('not-the-password');
    await page.getByTestId('obs-connect').click();
    const shown = page.locator('.error-item[data-code="obs/auth-failed"]');
    await shown.waitFor();
    await expect(shown.locator('p').textContent()).resolves.toContain('OBS 拒绝了密码');
    await expect(page.getByTestId('obs-last-error').textContent()).resolves.toContain('OBS 拒绝了密码');
    await page.locator('[data-section="obs"]').screenshot({ path: screenshotPath('obs-settings-auth-failed') });
    await shown.locator('button').click();

    // Right password: connected, program scene and stats from OBS.
    await page.getByTestId('obs-password').fill(obs.password);
    await page.getByTestId('obs-connect').click();
    await page.locator('[data-testid="obs-status-bar"][data-status="connected"]').waitFor();
    const { currentProgramSceneName } = await raw.call('GetCurrentProgramScene');
    await expect(page.getByTestId('obs-program-scene').textContent()).resolves.toContain(currentProgramSceneName);
    await page.getByTestId('obs-stats').waitFor();
    await expect(page.getByTestId('obs-password').getAttribute('placeholder')).resolves.toContain('已保存');
    await expect(page.getByTestId('obs-password').inputValue()).resolves.toBe('');
    expect(await page.content()).not.toContain(obs.password);
    await bar.screenshot({ path: screenshotPath('obs-status-connected') });

    // A change made in OBS itself reaches the bar: recording started outside the studio.
    const recordStarted = new Promise<void>((resolve) =>
      raw.on('RecordStateChanged', ({ outputState }) => {
        if (outputState === 'OBS_WEBSOCKET_OUTPUT_STARTED') resolve();
      }),
    );
    await raw.call('StartRecord');
    await recordStarted;
    await page.locator('[data-testid="obs-badge-rec"][data-state="started"]').waitFor();
    await bar.screenshot({ path: screenshotPath('obs-status-recording') });
    await page.screenshot({ path: screenshotPath('obs-settings-connected') });
    await raw.call('StopRecord');
    await page.locator('[data-testid="obs-badge-rec"][data-state="stopped"]').waitFor();

    // Disconnect: the bar says so, and the studio stays disconnected.
    await page.getByTestId('obs-disconnect').click();
    await page.locator('[data-testid="obs-status-bar"][data-status="disconnected"]').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });
});
