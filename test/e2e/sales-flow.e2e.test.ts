// Sales end to end on the built studio host in real Chromium: a live segment, quick entry by
// button and by key with a visible confirmation per commit, undo, the analytics page with its
// charts, CSV (UTF-8 BOM) and XLSX exports downloaded and read back, and a GBK order file
// imported through the dialog.
import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import type { RequestInput, RequestName, RequestOutput } from '../../shared/api/contract';
import { StudioError } from '../../shared/api/result';
import { writeDouyinOrders } from '../fixtures/orders/make-fixtures';
import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import { stagingFiles } from '../support/sales/import-checks';

/** The studio API over the host's WebSocket, for setting up and checking. */
async function openApi(host: RunningHost) {
  const ws = new WebSocket(`ws://127.0.0.1:${new URL(host.origin).port}/api?token=${host.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<
    number,
    (r: { ok: boolean; value?: unknown; error?: { code: string; message: string } }) => void
  >();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { type: string; id?: number; result?: never };
    if (msg.type === 'result' && msg.id !== undefined) pending.get(msg.id)?.(msg.result as never);
  });
  return {
    call<K extends RequestName>(name: K, ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]) {
      const id = nextId++;
      return new Promise<RequestOutput<K>>((resolve, reject) => {
        pending.set(id, (r) => {
          pending.delete(id);
          if (r.ok) resolve(r.value as RequestOutput<K>);
          else reject(StudioError.fromData(r.error ?? { code: 'app/internal', message: '?' }));
        });
        ws.send(JSON.stringify({ type: 'call', id, name, payload: input[0] }));
      });
    },
    close: () => ws.close(),
  };
}

/** Clicks (or presses) and waits for the confirmation of a new commit; ms from action to visible. */
async function confirmAfter(page: Page, action: () => Promise<void>, kind: 'saved' | 'undone'): Promise<number> {
  const before = await page
    .getByTestId('quick-confirm')
    .getAttribute('data-sale-id')
    .catch(() => null);
  const started = Date.now();
  await action();
  await page.waitForFunction(
    ({ previous, k }) => {
      const el = document.querySelector('[data-testid="quick-confirm"]');
      return (
        el !== null && el.classList.contains(k) && (k === 'undone' || el.getAttribute('data-sale-id') !== previous)
      );
    },
    { previous: before, k: kind },
  );
  return Date.now() - started;
}

describe('sales flow', () => {
  let host: RunningHost;
  let browser: Browser;
  let api: Awaited<ReturnType<typeof openApi>>;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchBrowser();
    api = await openApi(host);
  });

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await host?.stop();
  });

  it('enters sales during a live segment, sees them in analytics, exports and re-reads CSV and XLSX', async () => {
    const orange = await api.call('products:save', { name: '赣南脐橙', sku: 'A01', unit: '箱', priceFen: 5990 });
    const honey = await api.call('products:save', { name: '百花蜂蜜', sku: 'B02', unit: '瓶', priceFen: 3900 });
    const show = await api.call('sales:show-create', { title: '春季助农直播', platforms: ['douyin'], hosts: ['小王'] });
    await api.call('sales:segment-start', {
      showId: show.id,
      productId: honey.id,
      host: '小王',
      guest: '张县长',
      presetId: null,
      startedAt: Date.now() - 20 * 60_000,
    });
    await api.call('sales:record', { quantity: 2 });
    await api.call('sales:segment-start', {
      showId: show.id,
      productId: orange.id,
      host: '小王',
      guest: null,
      presetId: null,
    });

    const { page, context, errors } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await page.locator('.nav-item[data-page="studio"]').click();
    await page.locator('[data-testid="quick-sales"][data-live="on"]').waitFor();
    await expect(page.getByTestId('quick-product').textContent()).resolves.toBe('赣南脐橙');

    const latencies: number[] = [];
    latencies.push(await confirmAfter(page, () => page.getByTestId('quick-plus-one').click(), 'saved'));
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    latencies.push(await confirmAfter(page, () => page.keyboard.press('+'), 'saved'));
    await page.getByTestId('quick-n').fill('3');
    latencies.push(await confirmAfter(page, () => page.getByTestId('quick-plus-n').click(), 'saved'));
    await page.getByTestId('quick-amount').fill('100');
    latencies.push(await confirmAfter(page, () => page.getByTestId('quick-plus-one').click(), 'saved'));
    await expect(page.getByTestId('quick-confirm').textContent()).resolves.toContain('¥100.00');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await confirmAfter(page, () => page.keyboard.press('Control+z'), 'undone');
    await page.getByTestId('quick-totals').filter({ hasText: '3 单' }).waitFor();
    await page.getByTestId('quick-sales').screenshot({ path: screenshotPath('sales-quick-entry') });
    process.stderr.write(`quick entry: action to visible confirmation ${latencies.join(', ')} ms\n`);

    const { sales } = await api.call('sales:list', { showId: show.id });
    expect(sales.map((s) => [s.quantity, s.amountFen, s.status, s.source])).toEqual([
      [1, 10000, 'voided', 'manual'],
      [3, 17970, 'paid', 'manual'],
      [1, 5990, 'paid', 'manual'],
      [1, 5990, 'paid', 'manual'],
      [2, 7800, 'paid', 'manual'],
    ]);

    // Analytics: totals, the per-segment table and every chart drawn.
    await page.locator('.nav-item[data-page="analytics"]').click();
    await page.getByTestId('kpi-orders').filter({ hasText: '4' }).waitFor();
    await expect(page.getByTestId('kpi-gmv').textContent()).resolves.toBe('¥377.50');
    await expect(page.getByTestId('kpi-units').textContent()).resolves.toBe('7');
    const rows = page.getByTestId('segment-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toContain('张县长');
    await expect(rows.nth(1).textContent()).resolves.toContain('¥299.50');
    for (const chart of ['chart-segments', 'chart-per-minute', 'chart-people', 'chart-top']) {
      await page.locator(`[data-testid="${chart}"][data-rendered="true"]`).waitFor();
    }
    await page.getByTestId('analytics-product').selectOption(orange.id);
    await page.locator('[data-testid="chart-product"][data-rendered="true"]').waitFor();
    // The page scrolls inside .page: let it grow so the full-page screenshot shows every chart.
    await page.addStyleTag({ content: '.page { max-height: none !important; overflow: visible !important; }' });
    for (const chart of ['chart-segments', 'chart-per-minute', 'chart-people', 'chart-top', 'chart-product']) {
      await page.locator(`[data-testid="${chart}"][data-rendered="true"]`).waitFor();
    }
    await page.screenshot({ path: screenshotPath('sales-analytics'), fullPage: true });

    // CSV export: UTF-8 with BOM, Chinese headers, amounts as yuan text, read back with papaparse.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csvBytes = fs.readFileSync(await csvDownload.path());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = Papa.parse<string[]>(csvBytes.toString('utf8').slice(1).trim(), { skipEmptyLines: true }).data;
    const header = parsed[0] ?? [];
    expect(header.slice(0, 3)).toEqual(['销售ID', '下单时间', '时区']);
    const amountCol = header.indexOf('金额(元)');
    const statusCol = header.indexOf('状态');
    expect(parsed).toHaveLength(6);
    const paid = parsed.slice(1).filter((r) => r[statusCol] === '已付款');
    expect(paid.map((r) => r[amountCol]).sort()).toEqual(['179.70', '59.90', '59.90', '78.00']);
    expect(
      parsed
        .slice(1)
        .filter((r) => r[statusCol] === '已撤销')
        .map((r) => r[amountCol]),
    ).toEqual(['100.00']);
    await expect(page.getByTestId('export-done').textContent()).resolves.toContain('5');

    // XLSX export: the sales sheet with numeric amounts, and the per-segment sheet.
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/u);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await xlsxDownload.path());
    const salesSheet = workbook.getWorksheet('销售明细');
    const segmentsSheet = workbook.getWorksheet('环节汇总');
    expect(salesSheet?.rowCount).toBe(6);
    const amounts: number[] = [];
    salesSheet?.eachRow((row, n) => {
      if (n > 1 && row.getCell(statusCol + 1).value === '已付款')
        amounts.push(Number(row.getCell(amountCol + 1).value));
    });
    // Summed in fen: the cells hold yuan numbers.
    expect(amounts.reduce((sum, yuan) => sum + Math.round(yuan * 100), 0)).toBe(37750);
    expect(segmentsSheet?.rowCount).toBe(3);
    expect(segmentsSheet?.getRow(2).getCell(4).value).toBe('张县长');

    // A GBK 淘宝 export through the import dialog: preview, then commit.
    await page.getByTestId('analytics-import').click();
    await page
      .getByTestId('import-file')
      .setInputFiles(path.resolve(import.meta.dirname, '../fixtures/orders/taobao-gbk.csv'));
    await page.getByTestId('import-preview').waitFor();
    await expect(page.getByTestId('import-preview').textContent()).resolves.toContain('淘宝');
    await page.getByTestId('import-dialog').screenshot({ path: screenshotPath('sales-import-preview') });
    await page.getByTestId('import-commit').click();
    await expect(page.getByTestId('import-done').textContent()).resolves.toContain('3');
    await page.getByTestId('import-close').click();
    expect(errors.filter((e) => /sales|import|echarts/iu.test(e))).toEqual([]);
    await context.close();
  });

  it('stops a large import while it uploads or reads, reads the same file again, and drops a preview nobody commits', async () => {
    const dir = fs.mkdtempSync(path.join(host.dataDir, 'orders-'));
    const big = path.join(dir, '抖店订单.csv');
    await writeDouyinOrders(big, { rows: 100_000 });
    const { page, context, errors } = await openPage(browser, host.url);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    await page.locator('.nav-item[data-page="analytics"]').click();
    await page.getByTestId('analytics-import').click();

    // Stopped as soon as it shows it is busy: wherever the stop lands (the upload, the reading, a
    // preview finishing), the dialog ends stopped, shows no preview and no error, stages nothing.
    await page.getByTestId('import-file').setInputFiles(big);
    // At once (force: no wait for the row to hold still as the file name appears), as a user
    // would: a stop clicked after the actionability checks could land after the whole import.
    await page.getByTestId('import-stop').click({ force: true });
    await page.getByTestId('import-stopped').waitFor();
    await expect(page.getByTestId('import-preview').count()).resolves.toBe(0);
    await expect(page.locator('.error-item').count()).resolves.toBe(0);
    await page.getByTestId('import-dialog').screenshot({ path: screenshotPath('sales-import-stopped') });
    await expect.poll(() => stagingFiles(host.dataDir), { timeout: 10_000, interval: 50 }).toEqual([]);

    // The same file picked again reads again; previewed, then closed without importing, its
    // staged rows go with the dialog.
    await page.getByTestId('import-file').setInputFiles(big);
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('import-preview').textContent()).resolves.toContain('可导入 100000 行');
    expect(stagingFiles(host.dataDir).filter((f) => !f.endsWith('.old'))).toHaveLength(1);
    await page.getByTestId('import-close').click();
    await expect.poll(() => stagingFiles(host.dataDir), { timeout: 10_000, interval: 50 }).toEqual([]);
    expect(errors.filter((e) => /sales|import/iu.test(e))).toEqual([]);
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true }); // 33 MB
  });
});
