// The show UI in real Chromium against the built host: products page (form, QR codes), shows page
// (template → preset, rundown with the text guard's highlights, drag to reorder), going live from
// the rundown, NEXT by key on the Studio page's live panel, end → analytics. Screenshots of each.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';

describe('show, presets and products UI', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    host = await startHost();
    // Chromium's own synthetic camera: the Studio page's preview has a camera, as on a real PC.
    browser = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
    ({ page, errors } = await openPage(browser, host.url, { width: 1440, height: 1000 }));
    await page.waitForFunction(() => document.body.dataset.ready === '1');
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('products: a product made in the form shows its price per unit, badges and shop QR code', async () => {
    await page.locator('.nav-item[data-page="products"]').click();
    await page.getByTestId('products-page').waitFor();
    for (const [name, price, unit, origin, link] of [
      ['赣南脐橙 5斤装', '39.9', '箱', '江西赣州', 'https://example.com/shop/orange'],
      ['百花土蜂蜜', '68', '瓶', '陕西秦岭', ''],
    ] as const) {
      await page.getByTestId('product-new').click();
      await page.getByTestId('product-name').fill(name);
      await page.getByTestId('product-price').fill(price);
      await page.getByTestId('product-unit').fill(unit);
      await page.getByTestId('product-origin').fill(origin);
      await page.getByTestId('product-story').fill('山坡果园，日照充足');
      if (link !== '') await page.getByTestId('product-link-douyin').fill(link);
      await page.getByTestId('product-save').click();
      await page.getByTestId('product-form').waitFor({ state: 'detached' });
    }
    const cards = page.getByTestId('product-card');
    await expect.poll(() => cards.count()).toBe(2);
    const orange = cards.filter({ hasText: '赣南脐橙' });
    await expect(orange.locator('.product-price').textContent()).resolves.toContain('¥39.90');
    await orange.locator('.shop-qr img').waitFor();
    await page.getByTestId('product-search').fill('蜂蜜');
    await expect.poll(() => cards.count()).toBe(1);
    await page.getByTestId('product-search').fill('');
    await page.screenshot({ path: screenshotPath('show-ui-products') });
  });

  it('shows: presets from templates, a rundown whose script the guard marks, reordered by drag', async () => {
    await page.locator('.nav-item[data-page="shows"]').click();
    await page.locator('[data-tab="presets"]').click();
    await page.getByTestId('template-grid').waitFor();
    await page.getByTestId('template-grid').screenshot({ path: screenshotPath('show-ui-templates') });
    await page.locator('.template-card', { hasText: '果园（横屏）' }).click();
    await page.getByTestId('preset-editor').waitFor();
    await page.getByTestId('preset-preview').locator('canvas').waitFor();
    await page.screenshot({ path: screenshotPath('show-ui-preset-editor') });
    await page.getByTestId('preset-new').click();
    await page.locator('.template-card', { hasText: '嘉宾助农（横屏）' }).click();
    await expect.poll(() => page.locator('.presets-panel .pick-list li').count()).toBe(2);

    await page.locator('[data-tab="rundowns"]').click();
    await page.getByTestId('rundown-new').click();
    await page.getByTestId('rundown-editor').waitFor();
    await page.getByTestId('rundown-title').fill('秋收助农专场');
    for (let i = 0; i < 2; i++) await page.getByTestId('segment-add').click();
    const segments = page.getByTestId('segment');
    await expect.poll(() => segments.count()).toBe(2);
    const choose = async (i: number, product: string, preset: string) => {
      await segments.nth(i).getByTestId('segment-product').selectOption({ label: product });
      await segments.nth(i).getByTestId('segment-preset').selectOption({ label: preset });
    };
    await choose(0, '赣南脐橙 5斤装', '果园（横屏）');
    await choose(1, '百花土蜂蜜', '嘉宾助农（横屏）');
    await segments.nth(0).getByTestId('segment-script').fill('家人们，这是我们县最好的脐橙，国家级果园出品！');
    await segments.nth(1).getByTestId('segment-script').fill('这罐蜂蜜来自秦岭深处。');
    const marks = segments.nth(0).locator('[data-testid="script-guard"] mark[data-term]');
    await expect.poll(() => marks.allTextContents()).toEqual(['最好', '国家级']);
    await expect(marks.first().getAttribute('title')).resolves.toContain('广告法第九条');
    await segments.nth(0).screenshot({ path: screenshotPath('show-ui-guard-highlight') });

    // Drag the second segment onto the first.
    await segments.nth(1).locator('.drag-handle').dragTo(segments.nth(0));
    await expect.poll(() => segments.nth(0).getByTestId('segment-script').inputValue()).toBe('这罐蜂蜜来自秦岭深处。');
    await page.getByTestId('rundown-save').click();
    await expect.poll(() => page.getByTestId('rundown-save').isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('show-ui-rundown'), fullPage: true });
  });

  it('going live is held by the guard, then NEXT by key moves the show; end opens analytics', async () => {
    await page.getByTestId('rundown-go-live').click();
    await page.getByTestId('guard-findings').waitFor();
    await page.screenshot({ path: screenshotPath('show-ui-guard-before-live') });
    await page.locator('.banner.warn button.danger').click();
    await page.locator('.nav-item.active[data-page="studio"]').waitFor();
    const panel = page.locator('[data-testid="live-panel"][data-live="on"]');
    await panel.waitFor();
    await expect(page.getByTestId('live-segment').getAttribute('data-index')).resolves.toBe('0');
    await expect(page.getByTestId('teleprompter').textContent()).resolves.toContain('秦岭');
    await page.locator('body').press('PageDown');
    await page.locator('[data-testid="live-segment"][data-index="1"]').waitFor();
    await expect(page.getByTestId('teleprompter').textContent()).resolves.toContain('最好的脐橙');
    await expect(page.locator('.segment-product').textContent()).resolves.toBe('赣南脐橙 5斤装');
    await page.screenshot({ path: screenshotPath('show-ui-live-panel') });
    await page.locator('body').press('PageUp');
    await page.locator('[data-testid="live-segment"][data-index="0"]').waitFor();
    await page.getByTestId('live-end').click();
    await page.getByTestId('live-end-confirm').click();
    await page.locator('.nav-item.active[data-page="analytics"]').waitFor();
    // MediaPipe prints its start-up INFO lines on console.error.
    expect(errors.filter((e) => !e.startsWith('INFO:'))).toEqual([]);
    await expect(page.locator('.error-item').count()).resolves.toBe(0);
  });
});
