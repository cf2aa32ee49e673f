// The Centre page end to end: a real PostgreSQL 15, the built studio host in centre mode
// (HARVEST_CENTRE_URL), and real Chromium. The page makes pairing codes; two studios (real sales
// logs in this process) join with them, sell, refund and push; the page shows the county's charts,
// the studios' clocks, and exports the county report, read back with exceljs.
import fs from 'node:fs';

import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchBrowser, openPage, screenshotPath } from '../support/browser';
import type { TestPg } from '../support/centre/pg';
import { isPgAvailable, startTestPg } from '../support/centre/pg';
import type { TestStudio } from '../support/centre/studio';
import { makeStudio } from '../support/centre/studio';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';

const describePg = isPgAvailable() ? describe : describe.skip;

describePg('Centre page (real PostgreSQL, host in centre mode, Chromium)', () => {
  let server: TestPg;
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const studios: TestStudio[] = [];

  beforeAll(async () => {
    server = await startTestPg();
    host = await startHost({
      env: { HARVEST_CENTRE_URL: server.adminUrl, HARVEST_CENTRE_JOIN_ADDRESS: `127.0.0.1:${server.port}/postgres` },
    });
    browser = await launchBrowser();
    ({ page, errors } = await openPage(browser, `${host.url}#/centre`));
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of studios) await s.close();
    await host?.stop();
    await server?.destroy();
  });

  const invite = async (name: string, cooperative: string, town: string) => {
    await page.getByTestId('invite-name').fill(name);
    await page.getByTestId('invite-cooperative').fill(cooperative);
    await page.getByTestId('invite-town').fill(town);
    await page.getByRole('button', { name: '生成配对码' }).click();
    const code = (await page.getByTestId('centre-invitation-code').textContent()) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.getByRole('button', { name: '关闭' }).click();
    return code;
  };

  it('invites two studios, shows their sales per studio, town, cooperative, product and day, and exports', async () => {
    await page.locator('[data-testid="centre-page"][data-centre="yes"]').waitFor();
    await expect(page.getByTestId('centre-join-address').textContent()).resolves.toBe(
      `127.0.0.1:${server.port}/postgres`,
    );
    const address = `127.0.0.1:${server.port}/postgres`;
    const day = 86_400_000;
    const plan = [
      { name: '东山直播间', coop: '东山脐橙合作社', town: '城关镇', offset: 0, sales: [5990, 5990, 11980, 3900] },
      { name: '南湖直播间', coop: '南湖蜂业合作社', town: '南湖乡', offset: 3_600_000, sales: [3900, 7800, 4550] },
    ];
    for (const p of plan) {
      const code = await invite(p.name, p.coop, p.town);
      const studio = await makeStudio({ clockOffsetMs: p.offset });
      studios.push(studio);
      await studio.call('centre:join', { address, code });
      for (const [i, fen] of p.sales.entries()) await studio.sell(fen, Date.now() - (i + 1) * day);
      await studio.call('centre:sync-now');
    }
    // 南湖 refunds one sale after pushing; the next push carries it.
    const south = studios[1]!;
    const list = await south.sales.call('sales:list', { limit: 10 });
    await south.sales.call('sales:set-status', { saleId: list.sales[0]!.id, status: 'refunded' });
    await south.call('centre:sync-now');

    await page.getByRole('button', { name: '刷新' }).click();
    // GMV: 东山 27,860 + 南湖 (3,900 + 7,800 + 4,550 − the refunded one).
    const refunded = list.sales[0]!.amountFen;
    const gmv = 5990 + 5990 + 11980 + 3900 + 3900 + 7800 + 4550 - refunded;
    await page
      .getByTestId('centre-gmv')
      .filter({ hasText: `¥${(gmv / 100).toFixed(2)}` })
      .waitFor();
    const rows = page.getByTestId('centre-studio-row');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(1).textContent()).resolves.toContain('时钟快了 60 分钟');
    await expect(rows.nth(0).textContent()).resolves.toContain('已加入');
    await page.addStyleTag({ content: '.page { max-height: none !important; overflow: visible !important; }' });
    for (const chart of ['day', 'studio', 'product', 'town', 'coop']) {
      await page.locator(`[data-testid="centre-chart-${chart}"][data-rendered="true"]`).waitFor();
    }
    await page.screenshot({ path: screenshotPath('centre-page'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('centre-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^直播销售统计-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(fs.readFileSync(await download.path()) as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '汇总（按直播间）',
      '按乡镇',
      '按合作社',
      '按产品',
      '按日',
    ]);
    const summary = workbook.worksheets[0]!;
    expect(summary.getCell(1, 1).value).toBe('电商直播销售统计表');
    expect(summary.getRow(3).values).toContain('成交额（元）');
    const total = summary.getRow(summary.rowCount);
    expect(total.getCell(1).value).toBe('合计');
    expect(total.getCell(4).value).toBeCloseTo(gmv / 100, 2);
    expect(errors).toEqual([]);
  });

  it('a studio joining with a wrong code reads the reason in Chinese', async () => {
    const studioHost = await startHost();
    try {
      const { page: studioPage } = await openPage(browser, `${studioHost.url}#/centre`);
      await studioPage.locator('[data-testid="centre-page"][data-centre="no"]').waitFor();
      await studioPage.getByTestId('centre-address').fill(`127.0.0.1:${server.port}/postgres`);
      await studioPage.getByTestId('centre-code').fill('ABCD-EFGH-JKMN');
      await studioPage.getByRole('button', { name: '加入中心' }).click();
      await studioPage.getByText('配对码不对、已用过或已过期').waitFor();
      await studioPage.close();
    } finally {
      await studioHost.stop();
    }
  });
});
