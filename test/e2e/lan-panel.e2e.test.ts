// The phone panel end to end: the built studio host with LAN mode on a loopback alias standing in
// for the studio Wi-Fi, the run's real OBS, and the panel page in real Chromium with a phone's
// viewport, touch and WeChat's user agent. Pairing by the QR code's address, NEXT with its
// confirmation, quick sale entry across a dropped link, the prompter following, revocation.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';

import { launchBrowser, openPage, openPageIn, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import { sampleProducts, sampleRundown, sampleTemplates } from '../support/sample-show';
import { StudioApi as Api } from '../support/studio-api';

const obs = inject('obs');
if (!obs.available && process.env.CI !== undefined) {
  throw new Error(`the test OBS is not available under CI: ${obs.reason ?? '?'}`);
}

const lanAddress = '127.0.0.20';
const weChatUserAgent =
  'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) ' +
  'WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

async function phone(
  browser: Browser,
  url: string,
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: weChatUserAgent,
    locale: 'zh-CN',
  });
  return openPageIn(context, url);
}

/** Every visible button and input: at least 44 × 44 CSS px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, input')]
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => ({ el, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 44)
      .map(({ el, r }) => `${el.textContent ?? el.getAttribute('placeholder')}: ${r.width}x${r.height}`),
  );
}

describe.skipIf(!obs.available)('phone panel over the LAN', () => {
  let host: RunningHost;
  let api: Api;
  let browser: Browser;
  let lanPort = 0;
  let rundownId = '';
  const scenes = sampleTemplates.map((_, i) => `E2E LAN ${process.pid} ${i + 1}`);

  beforeAll(async () => {
    host = await startHost();
    api = await Api.open(host);
    browser = await launchBrowser();
    await api.call('obs:connect', { host: '127.0.0.1', port: obs.port, password: obs.password });
    const productIds: string[] = [];
    for (const input of sampleProducts) productIds.push((await api.call('products:save', input)).id);
    const presetIds: string[] = [];
    for (const [i, templateId] of sampleTemplates.entries()) {
      const made = await api.call('show:preset-from-template', { templateId });
      presetIds.push((await api.call('show:preset-save', { ...made, obsScene: scenes[i]! })).id);
    }
    const rundown = await api.call('show:rundown-save', sampleRundown(productIds, presetIds));
    const state = await api.call('lan:configure', { isEnabled: true, address: lanAddress, port: 0 });
    lanPort = Number(new URL(state.url!).port);
    rundownId = rundown.id;
  });

  afterAll(async () => {
    try {
      await api?.call('show:live-end');
    } catch {
      // Not live (a failed test): nothing to end.
    }
    api?.close();
    await browser?.close();
    await host?.stop();
  });

  it('the studio shows a QR code to pair with in Settings', async () => {
    const { page, context, errors } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 90_000 });
    await page.locator('.nav-item[data-page="settings"]').click({ timeout: 60_000 });
    await page.getByTestId('lan-url').getByText(`http://${lanAddress}:${lanPort}/panel`).waitFor();
    await page.getByTestId('lan-pair-producer').click();
    await page.locator('.lan-qr').waitFor();
    await page.getByTestId('lan-pairing').scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('lan-settings-pairing') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a producer pairs by the QR address, switches with a confirmation, and enters sales that count once across a drop', async () => {
    await api.call('show:live-start', { rundownId, acknowledgeGuard: true });
    const offer = await api.call('lan:pair-start', { role: 'producer', name: '场控 小李' });
    const { page, context, errors } = await phone(browser, offer.url);
    await page.locator('[data-view="producer"]').waitFor();
    await page.getByTestId('panel-status').and(page.locator('[data-status="online"]')).waitFor();
    // The code is out of the address bar, and spent.
    expect(page.url()).toBe(`http://${lanAddress}:${lanPort}/panel`);
    await expect(page.getByTestId('panel-product').textContent()).resolves.toBe(sampleProducts[0]!.name);
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('lan-panel-producer'), fullPage: true });

    // NEXT asks first; cancelling changes nothing.
    await page.getByTestId('panel-next').tap();
    await expect(page.getByTestId('panel-confirm-text').textContent()).resolves.toContain(sampleProducts[1]!.name);
    await page.screenshot({ path: screenshotPath('lan-panel-confirm') });
    await page.getByTestId('panel-cancel').tap();
    expect((await api.call('show:live-get'))?.index).toBe(0);
    await page.getByTestId('panel-next').tap();
    await page.getByTestId('panel-confirm').tap();
    await page.getByTestId('panel-product').getByText(sampleProducts[1]!.name).waitFor();
    const live = await api.call('show:live-get');
    expect(live?.index).toBe(1);
    expect(live?.obs.scene).toBe(scenes[1]);

    // A sale of two.
    await page.getByTestId('panel-sale-2').tap();
    await page.getByTestId('panel-toast').getByText('已记录 2 单').waitFor();
    await page.getByTestId('panel-segment-gmv').getByText('¥136.00').waitFor();

    // The Wi-Fi drops (the listener goes away and comes back on the same port): a sale entered
    // meanwhile waits, the page reconnects by itself, and the sale is sent once.
    await api.call('lan:configure', { isEnabled: false });
    await page.locator('[data-testid="panel-status"][data-status="reconnecting"]').waitFor();
    await page.getByTestId('panel-amount').fill('50');
    await page.getByTestId('panel-sale-1').tap();
    await page.screenshot({ path: screenshotPath('lan-panel-reconnecting') });
    await api.call('lan:configure', { isEnabled: true, address: lanAddress, port: lanPort });
    await page.locator('[data-testid="panel-status"][data-status="online"]').waitFor({ timeout: 20_000 });
    await page.getByTestId('panel-toast').getByText('已记录 1 单').waitFor();
    // A reload replays nothing that was confirmed.
    await page.reload();
    await page.locator('[data-view="producer"]').waitFor();
    await page.getByTestId('panel-show-gmv').getByText('¥186.00').waitFor();
    const sales = (await api.call('sales:list', {})).sales;
    expect(sales.map((s) => s.amountFen).sort((a, b) => a - b)).toEqual([5000, 13600]);
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([]);
    await context.close();
  });

  it('the LAN address serves no studio page or API, and takes no studio token', async () => {
    const lan = `http://${lanAddress}:${lanPort}`;
    for (const p of ['/index.html', `/program?token=${host.token}`, `/?token=${host.token}`, '/api']) {
      const res = await fetch(`${lan}${p}`, { redirect: 'manual' });
      expect([302, 404], p).toContain(res.status);
      if (res.status === 302) expect(res.headers.get('location')).toBe('/panel');
    }
    const refused = (url: string, token: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${url}${encodeURIComponent(token)}`, { headers: { Origin: lan } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('close', (code) => resolve(code));
        ws.on('error', () => undefined);
      });
    await expect(refused(`ws://${lanAddress}:${lanPort}/api?token=`, host.token)).resolves.toBe(404);
    await expect(refused(`ws://${lanAddress}:${lanPort}/panel/ws?device=`, host.token)).resolves.toBe(4401);
  });

  it('a prompter reads the script in large type and follows the live segment; revoking cuts it off', async () => {
    const offer = await api.call('lan:pair-start', { role: 'prompter' });
    const { page, context, errors } = await phone(browser, offer.url);
    await page.locator('[data-view="prompter"]').waitFor();
    const index = (await api.call('show:live-get'))!.index;
    await page
      .getByTestId('panel-script')
      .getByText(sampleRundown(['a', 'b', 'c'], ['a', 'b', 'c']).segments[index]!.script!)
      .waitFor();
    const fontPx = await page.getByTestId('panel-script').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(30);
    // Nothing on this phone can move the show or enter a sale.
    await expect(page.getByTestId('panel-next').count()).resolves.toBe(0);
    await expect(page.getByTestId('panel-sale-1').count()).resolves.toBe(0);
    await api.call('show:live-next');
    await page.getByTestId('panel-script').getByText('有请李副县长为家乡好茶代言。').waitFor();
    expect(await smallTargets(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('lan-panel-prompter') });

    const device = (await api.call('lan:devices')).find((d) => d.role === 'prompter' && d.isConnected)!;
    await api.call('lan:device-revoke', { id: device.id });
    await page.locator('[data-view="revoked"]').waitFor();
    await page.screenshot({ path: screenshotPath('lan-panel-revoked') });
    // It stays out after a reload: the token is gone from the phone and from the studio.
    await page.reload();
    await page.locator('[data-view="unpaired"]').waitFor();
    // zh-CN first; English on this phone's choice, remembered.
    await page.getByTestId('panel-language').tap();
    await page.getByText('This phone is not paired').waitFor();
    await page.reload();
    await page.getByText('This phone is not paired').waitFor();
    expect(errors.filter((e) => !/WebSocket|net::/.test(e))).toEqual([]);
    await context.close();
  });
});
