import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import type ExcelJS from 'exceljs';

import { StudioError } from '../../../shared/api/result';
import type { ExportResult } from '../../../shared/api/sales';
import { assertNever } from '../../../shared/assert-never';
import { fenToDecimal } from '../../../shared/money';
import {
  createExportFormatter,
  csvLine,
  exportAmountColumns,
  exportHeaders,
  exportQuantityColumn,
  neutraliseFormula,
} from '../../../shared/sales/export';
import { loadExcelJs } from '../load-exceljs';
import { openSaveTarget } from '../save-target';
import type { ExportScope } from './repo-types';
import type { SalesStore } from './store';

export interface ExportRequest {
  scope: ExportScope;
  format: 'csv' | 'xlsx';
  target: 'file' | 'bytes';
  path?: string | undefined;
  language: 'zh-CN' | 'en';
}

/** A download for a browser is held in memory: keep it small. */
const maxBytesDownload = 64 * 1024 ** 2;
const pageSize = 5000;

function safeName(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what file names must not hold
  return text.replace(/[\\/:*?"<>|\u0000-\u001f]/gu, '_').slice(0, 80);
}

/**
 * Writes sales as CSV (UTF-8 with BOM, so Excel and WPS read Chinese right) or XLSX, page by
 * page from the store, streaming to the file so a large log never sits in memory.
 */
export async function exportSales(
  store: SalesStore,
  request: ExportRequest,
  exportsDir: string,
  now: number,
): Promise<ExportResult> {
  const label = await scopeLabel(store, request);
  const stamp = new Date(now).toISOString().slice(0, 10);
  const fileName = `${safeName(`${request.language === 'zh-CN' ? '销售' : 'sales'}-${label}-${stamp}`)}.${request.format}`;
  const filePath = request.target === 'file' ? (request.path ?? path.join(exportsDir, fileName)) : undefined;
  const save = filePath === undefined ? undefined : openSaveTarget(filePath);
  const sink = save === undefined ? new PassThrough() : fs.createWriteStream(save.tmp);
  try {
    const written = await writeSales(store, request, sink);
    await save?.commit();
    return {
      fileName,
      path: filePath ?? null,
      base64: written.memory === undefined ? null : Buffer.concat(written.memory).toString('base64'),
      mime:
        request.format === 'csv'
          ? 'text/csv;charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      rows: written.count,
    };
  } catch (error) {
    // Whatever failed (a page, the disk), the file chosen is left as it was.
    sink.destroy();
    await save?.discard();
    throw error;
  }
}

/** Streams the scope's sales into `sink`; a PassThrough is gathered in memory (a download). */
async function writeSales(
  store: SalesStore,
  request: ExportRequest,
  sink: PassThrough | fs.WriteStream,
): Promise<{ count: number; memory: Buffer[] | undefined }> {
  const isDownload = sink instanceof PassThrough;
  const memory: Buffer[] = [];
  let memoryBytes = 0;
  if (isDownload) {
    sink.on('data', (chunk: Buffer) => {
      memoryBytes += chunk.length;
      if (memoryBytes > maxBytesDownload) {
        sink.destroy(
          new StudioError('sales/export-too-large', 'The export is too large to download; export to a file.'),
        );
        return;
      }
      memory.push(chunk);
    });
  }
  const finished = new Promise<void>((resolve, reject) => {
    sink.on(isDownload ? 'end' : 'finish', () => resolve());
    sink.on('error', reject);
  });
  // Awaited once everything is written; a failure before then must not go unhandled.
  finished.catch(() => undefined);

  const format = createExportFormatter(request.language);
  let rows = 0;
  const pages = async function* () {
    let after = 0;
    for (;;) {
      const page = await store.call('exportPage', request.scope, after, pageSize);
      if (page.length === 0) return;
      after = page.at(-1)?.sale.id ?? after;
      yield page;
    }
  };

  if (request.format === 'csv') {
    const write = async (text: string) => {
      if (!sink.write(text)) await once(sink, 'drain');
    };
    await write(`\uFEFF${csvLine(exportHeaders(request.language))}`);
    for await (const page of pages()) {
      let text = '';
      for (const line of page) {
        text += csvLine(format(line));
        rows += 1;
      }
      await write(text);
    }
    sink.end();
  } else {
    const { stream } = await loadExcelJs();
    const workbook = new stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(request.language === 'zh-CN' ? '销售明细' : 'Sales');
    sheet.addRow([...exportHeaders(request.language)]).commit();
    for await (const page of pages()) {
      for (const line of page) {
        // Every text cell neutralised (a product named "=HYPERLINK(…)" stays text), numbers as numbers.
        const cells: (string | number)[] = format(line).map(neutraliseFormula);
        // Numbers so the sheet can sum them: the decimal text (from integer fen) is read as
        // a number exactly as if typed into Excel; no arithmetic on floats happens here.
        for (const i of exportAmountColumns) cells[i] = Number(cells[i]);
        cells[exportQuantityColumn] = Number(cells[exportQuantityColumn]);
        const row = sheet.addRow(cells);
        for (const i of exportAmountColumns) row.getCell(i + 1).numFmt = '0.00';
        row.commit();
        rows += 1;
      }
    }
    sheet.commit();
    if (request.scope.kind === 'show') await addSegmentSheet(workbook, store, request.scope.showId, request.language);
    await workbook.commit();
  }
  await finished;
  return { count: rows, memory: isDownload ? memory : undefined };
}

async function scopeLabel(store: SalesStore, request: ExportRequest): Promise<string> {
  switch (request.scope.kind) {
    case 'show':
      return (await store.call('getShow', request.scope.showId)).title;
    case 'product':
      return (await store.call('getProduct', request.scope.productId)).name;
    case 'range':
      return `${new Date(request.scope.from).toISOString().slice(0, 10)}_${new Date(request.scope.to).toISOString().slice(0, 10)}`;
    default:
      return assertNever(request.scope);
  }
}

async function addSegmentSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  store: SalesStore,
  showId: string,
  language: 'zh-CN' | 'en',
): Promise<void> {
  const analytics = await store.call('showAnalytics', showId);
  const zh = language === 'zh-CN';
  const sheet = workbook.addWorksheet(zh ? '环节汇总' : 'Segments');
  sheet
    .addRow(
      zh
        ? ['开始', '结束', '主播', '嘉宾', '商品', '订单数', '件数', 'GMV(元)', '每分钟GMV(元)', '非在播订单']
        : [
            'Start',
            'End',
            'Host',
            'Guest',
            'Product',
            'Orders',
            'Units',
            'GMV (CNY)',
            'GMV per minute (CNY)',
            'Off-air orders',
          ],
    )
    .commit();
  for (const s of analytics.segments) {
    const row = sheet.addRow([
      new Date(s.segment.startedAt),
      s.segment.endedAt === null ? '' : new Date(s.segment.endedAt),
      neutraliseFormula(s.segment.host),
      neutraliseFormula(s.segment.guest ?? ''),
      neutraliseFormula(s.productName ?? ''),
      s.totals.orders,
      s.totals.units,
      Number(fenToDecimal(s.totals.gmvFen)),
      Number(fenToDecimal(s.gmvPerMinuteFen)),
      s.totals.offAirOrders,
    ]);
    row.getCell(8).numFmt = '0.00';
    row.getCell(9).numFmt = '0.00';
    row.commit();
  }
  sheet.commit();
}
