import type { BadRow, ColumnMapping, ImportPlatform, SalesPlatform } from '../../../shared/api/sales';
import { StudioError } from '../../../shared/api/studio-error';
import { assertNever } from '../../../shared/assert-never';
import type { HeaderGuess, StagedOrder } from '../../../shared/sales/import/normalise';
import { createRowNormaliser, findHeaderRow } from '../../../shared/sales/import/normalise';
import { detectPreset, mappingFits } from '../../../shared/sales/import/presets';
import { createZonedClock } from '../../../shared/sales/time';
import type { FileRow, FileSource, RowView, SniffResult } from './import-reader';
import { readRows, sniffFile } from './import-reader';
import type { StagedColumns } from './staged-columns';
import { packStaged, stageBatchLimit } from './staged-columns';
import { scanTaobaoPair } from './taobao-pair';

// One file read from start to end: sniff, find the header, normalise every row and hand the
// order lines on in packed batches. Runs in the import worker (never on the event loop that
// serves OBS control and sales entry); staging itself happens in the database worker.

export interface ScanRequest {
  readonly source: FileSource;
  readonly platform: ImportPlatform | 'auto';
  readonly mapping?: ColumnMapping | undefined;
  readonly timeZone: string;
  /** The user's saved mappings (tried for 'auto' and 'generic' when no preset fits). */
  readonly savedMappings: readonly ColumnMapping[];
  /** The other half of a 淘宝/千牛 pair (order file + item file, either order). */
  readonly companion?: FileSource | undefined;
}

/** What the scan asks of the side that owns the database. */
export interface ScanSink {
  /** A header was found: the staging table for this file can be made. */
  begin(fileName: string, platform: SalesPlatform): Promise<void>;
  /** A batch of order lines; resolves when the sink can take more (two batches in flight at most). */
  batch(columns: StagedColumns): Promise<void>;
  progress(bytesRead: number, rows: number): void;
}

export interface ScanCounts {
  total: number;
  ok: number;
  bad: number;
  skipped: number;
}

export type ScanResult =
  | {
      readonly kind: 'needs-mapping';
      readonly sniff: SniffResult;
      readonly sheet: string | null;
      readonly headerLine: number;
      readonly columns: string[];
      readonly totalRows: number;
    }
  | {
      readonly kind: 'staged';
      readonly sniff: SniffResult;
      readonly sheet: string | null;
      readonly headerLine: number;
      readonly headers: string[];
      readonly mapping: ColumnMapping;
      readonly isPreset: boolean;
      readonly counts: ScanCounts;
      readonly badRows: BadRow[];
      /** For a pair: the order file's column the GMV sums (spread over the item lines). */
      readonly pairAmountColumn?: string | undefined;
    };

const maxBadRowsShown = 200;
const headerScanRows = 20;

export async function scanFile(request: ScanRequest, sink: ScanSink): Promise<ScanResult> {
  const { source } = request;
  if (request.companion !== undefined) {
    let bytes = 0;
    const pair = await scanTaobaoPair(
      source,
      request.companion,
      createZonedClock(request.timeZone),
      (lines) => sink.batch(packStaged(lines)),
      (n) => {
        bytes += n;
        sink.progress(bytes, 0);
      },
      (fileName) => sink.begin(fileName, 'taobao'),
    );
    return {
      kind: 'staged',
      sniff: pair.sniff,
      sheet: pair.sheet,
      headerLine: pair.headerLine,
      headers: pair.headers,
      mapping: pair.mapping,
      isPreset: true,
      counts: pair.counts,
      badRows: pair.badRows,
      pairAmountColumn: pair.orderColumn,
    };
  }
  const sniff = await sniffFile(source);
  const clock = createZonedClock(request.timeZone);

  const fits = (headers: string[]): { mapping: ColumnMapping; isPreset: boolean } | undefined => {
    if (request.mapping !== undefined) {
      return mappingFits(request.mapping, headers) ? { mapping: request.mapping, isPreset: false } : undefined;
    }
    if (request.platform !== 'auto' && request.platform !== 'generic') {
      const preset = detectPreset(headers, request.platform);
      return preset === undefined ? undefined : { mapping: preset.mapping, isPreset: true };
    }
    if (request.platform === 'auto') {
      const preset = detectPreset(headers);
      if (preset !== undefined) return { mapping: preset.mapping, isPreset: true };
    }
    const saved = request.savedMappings.find((m) => mappingFits(m, headers));
    return saved === undefined ? undefined : { mapping: saved, isPreset: false };
  };

  let bytesRead = 0;
  let rowsRead = 0;
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < 200) return;
    lastProgress = now;
    sink.progress(Math.min(bytesRead, sniff.size), rowsRead);
  };

  let head: FileRow[] = [];
  let firstHead: FileRow[] | undefined;
  let header: (HeaderGuess & { line: number; sheet: string | null }) | undefined;
  let normalise: ReturnType<typeof createRowNormaliser> | undefined;
  /** Once the header is known, CSV rows carry only the cells the normaliser reads as text. */
  const view: RowView = {};
  const badRows: BadRow[] = [];
  const counts: ScanCounts = { total: 0, ok: 0, bad: 0, skipped: 0 };
  let batch: StagedOrder[] = [];
  let linesSent = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const orders = batch;
    batch = [];
    linesSent += orders.length;
    await sink.batch(packStaged(orders));
  };

  /** Synchronous (a promise per row cost more than the row); true when the batch is full. */
  const handleRow = (row: FileRow): boolean => {
    if (normalise === undefined || header === undefined || row.sheet !== header.sheet) return false;
    const outcome = normalise(row.cells, row.line);
    switch (outcome.kind) {
      case 'orders':
        counts.total += 1;
        counts.ok += 1;
        for (const order of outcome.orders) batch.push(order);
        return batch.length >= stageBatchLimit(linesSent);
      case 'skip':
        if (outcome.why !== 'blank') {
          counts.total += 1;
          counts.skipped += 1;
        }
        break;
      case 'bad':
        counts.total += 1;
        counts.bad += 1;
        if (badRows.length < maxBadRowsShown) badRows.push(outcome.bad);
        break;
      default:
        return assertNever(outcome);
    }
    return false;
  };

  /** Looks for the header among one sheet's first rows; on success stages the rows after it. */
  const chooseHeader = async (rows: FileRow[]): Promise<boolean> => {
    firstHead ??= rows;
    const guess = findHeaderRow(
      rows.map((r) => r.cells),
      fits,
    );
    const headerRow = guess === undefined ? undefined : rows[guess.index];
    if (guess?.mapping === undefined || headerRow === undefined) return false;
    header = { ...guess, line: headerRow.line, sheet: headerRow.sheet };
    normalise = createRowNormaliser({
      headers: guess.headers,
      mapping: guess.mapping,
      clock,
      headerLine: headerRow.line,
    });
    const wanted = new Uint8Array(guess.headers.length);
    for (const i of normalise.columns) wanted[i] = 1;
    view.wanted = wanted;
    await sink.begin(sniff.name, guess.mapping.platform);
    for (const r of rows.slice(guess.index + 1)) if (handleRow(r)) await flush();
    return true;
  };

  let currentSheet: string | null | undefined;
  let hasGivenUpOnSheet = false;
  for await (const rows of readRows(source, sniff, (n) => (bytesRead += n), view)) {
    for (const row of rows) {
      rowsRead += 1;
      if (normalise !== undefined) {
        if (handleRow(row)) await flush();
        continue;
      }
      if (row.sheet !== currentSheet) {
        // A new sheet: the previous one (shorter than 20 rows) may still hold the header.
        if (head.length > 0 && !hasGivenUpOnSheet && (await chooseHeader(head))) continue;
        head = [];
        currentSheet = row.sheet;
        hasGivenUpOnSheet = false;
      }
      if (hasGivenUpOnSheet) continue;
      head.push(row);
      if (head.length >= headerScanRows && !(await chooseHeader(head))) hasGivenUpOnSheet = true;
    }
    progress();
  }
  if (normalise === undefined && head.length > 0 && !hasGivenUpOnSheet) await chooseHeader(head);
  await flush();
  progress(true);

  if (header?.mapping === undefined) {
    // No preset or saved mapping fits: show the columns of the likeliest header row so the
    // user can map them, then preview again with that mapping.
    if (rowsRead === 0)
      throw new StudioError('sales/import-empty', 'The file has no rows.', { params: { file: sniff.name } });
    const rows = firstHead ?? [];
    const fallback = findHeaderRow(
      rows.map((r) => r.cells),
      () => undefined,
    );
    const fallbackRow = fallback === undefined ? undefined : rows[fallback.index];
    if (fallback === undefined || fallbackRow === undefined) {
      throw new StudioError('sales/import-no-header', 'No header row was found in the first rows.', {
        params: { file: sniff.name },
      });
    }
    return {
      kind: 'needs-mapping',
      sniff,
      sheet: fallbackRow.sheet,
      headerLine: fallbackRow.line,
      columns: fallback.headers.filter((h) => h !== ''),
      totalRows: Math.max(0, rowsRead - fallbackRow.line),
    };
  }
  return {
    kind: 'staged',
    sniff,
    sheet: header.sheet,
    headerLine: header.line,
    headers: header.headers,
    mapping: header.mapping,
    isPreset: header.isPreset,
    counts,
    badRows,
  };
}
