import { randomUUID } from 'node:crypto';

import { StudioError } from '../../../shared/api/result';
import type {
  BadRow,
  ColumnMapping,
  ImportPlatform,
  ImportPreview,
  ImportProgress,
  ImportResult,
  ImportSource,
} from '../../../shared/api/sales';
import type { HeaderGuess, StagedOrder } from '../../../shared/sales/import/normalise';
import { createRowNormaliser, findHeaderRow } from '../../../shared/sales/import/normalise';
import { detectPreset, mappingFits, platformOf } from '../../../shared/sales/import/presets';
import { createZonedClock } from '../../../shared/sales/time';
import type { Logger } from '../logger';
import type { FileRow, FileSource } from './import-reader';
import { readRows, sniffFile } from './import-reader';
import { packStaged } from './staged-columns';
import type { SalesStore } from './store';

/** What the caller asked for, parsed. */
export interface PreviewRequest {
  source: ImportSource;
  platform: ImportPlatform | 'auto';
  mapping?: ColumnMapping | undefined;
  timeZone: string;
}

interface PendingImport {
  fileName: string;
  mapping: ColumnMapping;
  badRowCount: number;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

const previewTtlMs = 30 * 60_000;
const maxBadRowsShown = 200;
const batchSize = 2000;
/** Bytes of base64 a browser may send (the contract caps the string; this caps the file). */
const maxUploadBytes = 64 * 1024 ** 2;

/**
 * Order-file imports: preview reads and stages the whole file (so the user sees every bad row
 * and the duplicates before anything is written), commit moves the staged rows into the log in
 * one transaction. Memory stays bounded: rows stream through in batches of 2,000.
 */
export class SalesImporter {
  private readonly pending = new Map<string, PendingImport>();

  constructor(
    private readonly store: SalesStore,
    private readonly emitProgress: (progress: ImportProgress) => void,
    private readonly logger: Logger,
  ) {}

  async preview(request: PreviewRequest): Promise<ImportPreview> {
    const source = toFileSource(request.source);
    const sniff = await sniffFile(source);
    const previewId = randomUUID();
    const clock = createZonedClock(request.timeZone);
    const savedMappings =
      request.platform === 'auto' || request.platform === 'generic' ? await this.store.call('listMappings') : [];

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
      const saved = savedMappings.find((m) => mappingFits(m, headers));
      return saved === undefined ? undefined : { mapping: saved, isPreset: false };
    };

    let bytesRead = 0;
    let rowsRead = 0;
    let lastProgress = 0;
    const progress = (phase: ImportProgress['phase'], force = false) => {
      const now = Date.now();
      if (!force && now - lastProgress < 200) return;
      lastProgress = now;
      this.emitProgress({
        previewId,
        phase,
        bytesRead: Math.min(bytesRead, sniff.size),
        totalBytes: sniff.size,
        rows: rowsRead,
      });
    };

    let head: FileRow[] = [];
    /** The first rows of the first sheet, for the mapping editor when nothing fits. */
    let firstHead: FileRow[] | undefined;
    let header: (HeaderGuess & { line: number; sheet: string | null }) | undefined;
    let normalise: ReturnType<typeof createRowNormaliser> | undefined;
    let isStaging = false;
    const badRows: BadRow[] = [];
    const counts = { total: 0, ok: 0, bad: 0, skipped: 0 };
    let batch: StagedOrder[] = [];

    // Two batches in flight: the worker stages one while this thread parses the next.
    const inFlight: Promise<void>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const orders = batch;
      batch = [];
      const staging = this.store.call('stageBatch', previewId, packStaged(orders));
      staging.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled
      inFlight.push(staging);
      if (inFlight.length >= 2) await inFlight.shift();
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
          return batch.length >= batchSize;
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
      await this.store.call('stageBegin', previewId, sniff.name, guess.mapping.platform);
      isStaging = true;
      for (const r of rows.slice(guess.index + 1)) if (handleRow(r)) await flush();
      return true;
    };

    try {
      let currentSheet: string | null | undefined;
      let hasGivenUpOnSheet = false;
      for await (const rows of readRows(source, sniff, (n) => (bytesRead += n))) {
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
          if (head.length >= 20 && !(await chooseHeader(head))) hasGivenUpOnSheet = true;
        }
        progress('reading');
      }
      if (normalise === undefined && head.length > 0 && !hasGivenUpOnSheet) await chooseHeader(head);
      await flush();
      for (const staging of inFlight.splice(0)) await staging;
    } catch (error) {
      await Promise.allSettled(inFlight);
      if (isStaging) await this.store.call('dropStage', previewId).catch(() => undefined);
      throw error;
    }
    progress('reading', true);

    const resolved = header as (HeaderGuess & { line: number; sheet: string | null }) | undefined;
    if (resolved?.mapping === undefined) {
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
        previewId,
        fileName: sniff.name,
        fileBytes: sniff.size,
        kind: sniff.kind,
        encoding: sniff.encoding,
        sheet: fallbackRow.sheet,
        platform: 'generic',
        isDetected: false,
        needsMapping: true,
        headerLine: fallbackRow.line,
        columns: fallback.headers.filter((h) => h !== ''),
        mapping: request.mapping ?? {
          name: sniff.name.slice(0, 60),
          platform: 'other',
          columns: {},
          amountUnit: 'yuan',
        },
        totalRows: Math.max(0, rowsRead - fallbackRow.line),
        okRows: 0,
        badRowCount: 0,
        badRows: [],
        skippedRows: 0,
        repeatedRows: 0,
        duplicateRows: 0,
        orders: 0,
        amountFen: 0 as ImportPreview['amountFen'],
        sample: [],
        unmatchedProducts: 0,
      };
    }

    if (counts.ok === 0 && counts.bad === 0) {
      await this.store.call('dropStage', previewId).catch(() => undefined);
      throw new StudioError('sales/import-empty', 'The file has a header but no orders.', {
        params: { file: sniff.name },
      });
    }
    const summary = await this.store.call('stageSummary', previewId);
    const mapping = resolved.mapping;
    const platform: ImportPlatform = resolved.isPreset
      ? (mapping.platform as ImportPlatform)
      : request.platform === 'auto'
        ? 'generic'
        : request.platform;
    const timer = setTimeout(() => void this.discard(previewId), previewTtlMs);
    timer.unref();
    this.pending.set(previewId, {
      fileName: sniff.name,
      mapping,
      badRowCount: counts.bad,
      expiresAt: Date.now() + previewTtlMs,
      timer,
    });
    this.logger.info('import previewed', { file: sniff.name, platform, rows: counts.total, bad: counts.bad });
    return {
      previewId,
      fileName: sniff.name,
      fileBytes: sniff.size,
      kind: sniff.kind,
      encoding: sniff.encoding,
      sheet: resolved.sheet,
      platform,
      isDetected: request.platform === 'auto' && resolved.isPreset,
      needsMapping: false,
      headerLine: resolved.line,
      columns: resolved.headers.filter((h) => h !== ''),
      mapping,
      totalRows: counts.total,
      okRows: counts.ok,
      badRowCount: counts.bad,
      badRows,
      skippedRows: counts.skipped,
      repeatedRows: summary.repeatedRows,
      duplicateRows: summary.duplicateRows,
      orders: summary.orders,
      amountFen: summary.amountFen as ImportPreview['amountFen'],
      sample: summary.sample,
      unmatchedProducts: summary.unmatchedProducts,
    };
  }

  /** Writes a previewed file into the log: all of it, or (skipBadRows) all of its good rows. */
  async commit(
    previewId: string,
    skipBadRows: boolean,
    saveMapping: boolean,
  ): Promise<ImportResult & { showIds: string[] }> {
    const pending = this.pending.get(previewId);
    if (pending === undefined || pending.expiresAt < Date.now()) {
      throw new StudioError('sales/import-expired', 'This import preview is gone; preview the file again.');
    }
    if (pending.badRowCount > 0 && !skipBadRows) {
      throw new StudioError('sales/import-bad-rows', 'The file has bad rows; nothing was imported.', {
        params: { count: pending.badRowCount, file: pending.fileName },
      });
    }
    this.emitProgress({ previewId, phase: 'committing', bytesRead: 0, totalBytes: 0, rows: 0 });
    const result = await this.store.call('commitImport', previewId, skipBadRows ? pending.badRowCount : 0);
    clearTimeout(pending.timer);
    this.pending.delete(previewId);
    if (saveMapping) await this.store.call('saveMapping', pending.mapping);
    this.emitProgress({ previewId, phase: 'done', bytesRead: 0, totalBytes: 0, rows: result.imported });
    this.logger.info('import committed', {
      file: pending.fileName,
      imported: result.imported,
      duplicates: result.duplicates,
    });
    return result;
  }

  private async discard(previewId: string): Promise<void> {
    const pending = this.pending.get(previewId);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.pending.delete(previewId);
    await this.store.call('dropStage', previewId).catch(() => undefined);
  }

  /** Drops every staged preview (on close). */
  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) await this.discard(id);
  }
}

function toFileSource(source: ImportSource): FileSource {
  if (source.kind === 'path') return { kind: 'path', path: source.path };
  const bytes = Buffer.from(source.base64, 'base64');
  if (bytes.length > maxUploadBytes) {
    throw new StudioError('sales/import-too-large', 'The file is too large to upload; import it on the studio PC.', {
      params: { file: source.name, mb: Math.round(bytes.length / 1024 ** 2), limitMb: 64 },
    });
  }
  return { kind: 'bytes', name: source.name, bytes };
}

export { platformOf };
