import fs from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { repoRoot, startHost } from '../support/host';

/** Opens a raw API socket like another local program would, and sends one frame. */
function rawCall(url: string, frame: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => ws.send(JSON.stringify(frame)));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type !== 'result') return; // events pushed meanwhile
      resolve(message);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', reject);
  });
}

describe('studio host + UI', () => {
  let host: RunningHost;
  let browser: Browser;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('starts in Chinese, switches to English and back, and remembers the choice', async () => {
    const { page, context, errors } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await expect(page.locator('.nav-item[data-page="studio"]').textContent()).resolves.toBe('直播');
    await page.screenshot({ path: screenshotPath('foundation-zh') });

    await page.locator('.nav-item[data-page="settings"]').click();
    await page.getByTestId('language').selectOption('en');
    await page.locator('.nav-item[data-page="studio"]', { hasText: 'Studio' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.screenshot({ path: screenshotPath('foundation-settings-en') });

    // Remembered: a fresh page load comes up in English.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await expect(page.locator('.nav-item[data-page="settings"]').textContent()).resolves.toBe('Settings');

    await page.getByTestId('language').selectOption('zh-CN');
    await page.locator('.nav-item[data-page="settings"]', { hasText: '设置' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('serves the program page at the output size', async () => {
    const { page, context, errors } = await openPage(browser, host.programUrl, { width: 1920, height: 1080 });
    await page.waitForFunction(() => document.body.dataset.sceneReady === '1');
    const box = await page.locator('#root > *').first().boundingBox();
    expect(box?.width).toBe(1920);
    expect(box?.height).toBe(1080);
    await page.screenshot({ path: screenshotPath('foundation-program') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('rejects a bad payload with a coded error, shown translated in the UI', async () => {
    const api = `ws://127.0.0.1:${new URL(host.origin).port}/api?token=${host.token}`;
    const reply = (await rawCall(api, {
      type: 'call',
      id: 7,
      name: 'settings:update',
      payload: { language: 'fr' },
    })) as { id: number; result: { ok: boolean; error?: { code: string } } };
    expect(reply.id).toBe(7);
    expect(reply.result.ok).toBe(false);
    expect(reply.result.error?.code).toBe('app/invalid-payload');

    const unknown = (await rawCall(api, { type: 'call', id: 8, name: 'fs:read', payload: '/etc/passwd' })) as {
      result: { error?: { code: string } };
    };
    expect(unknown.result.error?.code).toBe('app/unknown-request');

    // The same error through the UI's client lands in the one error panel, in Chinese.
    const { page, context } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await page.locator('.nav-item[data-page="settings"]').click();
    await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('[data-testid="output-format"]');
      if (select === null) throw new Error('no select');
      const option = document.createElement('option');
      option.value = '640x480';
      select.append(option);
      select.value = '640x480';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const shown = page.locator('.error-item');
    await shown.waitFor();
    await expect(shown.getAttribute('data-code')).resolves.toBe('app/invalid-payload');
    await expect(shown.locator('p').textContent()).resolves.toContain('格式不对');
    await page.screenshot({ path: screenshotPath('foundation-error') });
    await context.close();
  });

  it('serves imported assets from the data folder under /library/, and nothing else from there', async () => {
    const api = `ws://127.0.0.1:${new URL(host.origin).port}/api?token=${host.token}`;
    const sample = path.join(repoRoot, 'assets/samples/honey-jar.glb');
    const reply = (await rawCall(api, {
      type: 'call',
      id: 9,
      name: 'assets:import',
      payload: { path: sample, name: '蜂蜜罐' },
    })) as { result: { ok: boolean; value?: { url: string } } };
    expect(reply.result.ok).toBe(true);
    const url = reply.result.value?.url ?? '';
    expect(url).toMatch(/^\/?library\//);
    const res = await fetch(`${host.origin}/${url.replace(/^\//, '')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('model/gltf-binary');
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(sample))).toBe(true);

    for (const probe of ['/library/../secrets.json', '/library/%2e%2e/settings.json', '/library/files/nothing.glb']) {
      expect((await fetch(`${host.origin}${probe}`)).status, probe).toBe(404);
    }
  });

  it('refuses requests without the token, with a wrong token, or from another origin', async () => {
    const port = new URL(host.origin).port;
    const frame = { type: 'call', id: 1, name: 'settings:get' };
    await expect(rawCall(`ws://127.0.0.1:${port}/api`, frame)).resolves.toEqual({ status: 401 });
    await expect(rawCall(`ws://127.0.0.1:${port}/api?token=wrong`, frame)).resolves.toEqual({ status: 401 });
    await expect(
      rawCall(`ws://127.0.0.1:${port}/api?token=${host.token}`, frame, { Origin: 'http://evil.example' }),
    ).resolves.toEqual({ status: 403 });
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('token');
    const ok = (await rawCall(`ws://127.0.0.1:${port}/api?token=${host.token}`, frame)) as { result: { ok: boolean } };
    expect(ok.result.ok).toBe(true);
  });
});
