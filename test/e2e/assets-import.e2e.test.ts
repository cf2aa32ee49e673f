import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage, screenshotPath, tmpDir } from '../support/browser';
import type { RunningHost } from '../support/host';
import { repoRoot, startHost } from '../support/host';

// In the browser (host mode) a page cannot name a file on disk: picked files are uploaded as bytes
// and go through the same checks as a desktop import.
describe('importing a product model from the browser', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    ({ page } = await openPage(browser, `${host.url}#/products`));
    await page.waitForFunction(() => document.body.dataset.ready === '1');
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('uploads a GLB into the library, selects it, and the product keeps it', async () => {
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill('槐花蜜');
    await page.getByTestId('product-price').fill('58');
    const dir = tmpDir('harvest-upload-');
    const glb = path.join(dir, '槐花蜜罐.glb');
    fs.copyFileSync(path.join(repoRoot, 'assets/samples/honey-jar.glb'), glb);
    await page.getByTestId('asset-file-model').setInputFiles(glb);
    const select = page.getByTestId('product-model-select');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="product-model-select"]') as HTMLSelectElement | null)?.value !== '',
    );
    const id = await select.inputValue();
    expect(id).toMatch(/^[a-z0-9-]+$/);
    // The library now serves the very bytes that were uploaded.
    const stored = fs.readdirSync(path.join(host.dataDir, 'assets'), { recursive: true }).map(String);
    expect(stored.some((f) => f.endsWith('.glb'))).toBe(true);
    await expect(select.locator(`option[value="${id}"]`).textContent()).resolves.toBe('槐花蜜罐');
    await page.screenshot({ path: screenshotPath('assets-import-model') });
    await page.getByTestId('product-save').click();
    await page.getByTestId('product-form').waitFor({ state: 'detached' });
  });

  it('refuses a JPEG renamed .glb with a translated error, and the page keeps working', async () => {
    await page.getByTestId('product-new').click();
    const dir = tmpDir('harvest-upload-');
    const fake = path.join(dir, '假模型.glb');
    fs.copyFileSync(path.join(repoRoot, 'node_modules/fingerpose/assets/nocurl.jpg'), fake);
    await page.getByTestId('asset-file-model').setInputFiles(fake);
    const shown = page.locator('.error-item');
    await shown.waitFor();
    await expect(shown.getAttribute('data-code')).resolves.toMatch(/^assets\//);
    const sentence = (await shown.locator('p').textContent()) ?? '';
    expect(sentence).toMatch(/[\u4e00-\u9fff]/u);
    await expect(page.getByTestId('product-model-select').inputValue()).resolves.toBe('');
    await page.screenshot({ path: screenshotPath('assets-import-refused') });
  });
});
