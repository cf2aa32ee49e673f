import { StudioError } from '../../../shared/api/result';
import type {
  ColumnMapping,
  ImportCancelResult,
  ImportPlatform,
  ImportPreview,
  ImportProgress,
  ImportResult,
  ImportSource,
} from '../../../shared/api/sales';
import { amountMeaningOf, gmvColumnOf, platformOf } from '../../../shared/sales/import/presets';
import type { Logger } from '../logger';
import { newId } from './ids';
import { ImportWorkerClient } from './import-client';
import type { FileSource } from './import-reader';
import type { ScanResult } from './import-scan';
import { importRangeRows } from './staged-columns';
import type { SalesStore } from './store';

/** What the caller asked for, parsed. */
export interface PreviewRequest {
  source: ImportSource;
  platform: ImportPlatform | 'auto';
  mapping?: ColumnMapping | undefined;
  timeZone: string;
  /** The other file of a 淘宝/千牛 pair. */
  companion?: ImportSource | undefined;
}

interface PendingImport {
  fileName: string;
  mapping: ColumnMapping;
  badRowCount: number;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

/** A preview or a commit under way, and whether the user has asked to stop it. */
interface RunningImport {
  /** 'finishing': the commit's last step, past stopping. */
  phase: 'reading' | 'committing' | 'finishing';
  isCancelled: boolean;
}

function cancelled(): StudioError {
  return new StudioError('sales/import-cancelled', 'The import was cancelled; nothing was imported.');
}

/** What an import tells the rest of the studio. */
export interface ImportEvents {
  progress(progress: ImportProgress): void;
  /**
   * The log changed (sales:changed): a commit done, or one that failed or was stopped after it
   * had begun writing (its ranges were counted until they were taken out again); `showId` when
   * all of it went to one show. Not sent for a commit refused before it wrote anything.
   */
  changed(showId: string | null): void;
}

const previewTtlMs = 30 * 60_000;
/** Bytes of base64 a browser may send (the contract caps the string; this caps the file). */
const maxUploadBytes = 64 * 1024 ** 2;

/**
 * Order-file imports: preview reads and stages the whole file (so the user sees every bad row
 * and the duplicates before anything is written), commit moves the staged rows into the log in
 * ranges of short transactions, taken out again if it fails or is stopped. Memory stays bounded:
 * rows stream through in batches.
 */
export class SalesImporter {
  private readonly pending = new Map<string, PendingImport>();
  private readonly running = new Map<string, RunningImport>();

  constructor(
    private readonly store: SalesStore,
    private readonly events: ImportEvents,
    private readonly logger: Logger,
    private readonly reader = new ImportWorkerClient(logger),
  ) {}

  async preview(request: PreviewRequest): Promise<ImportPreview> {
    const source = toFileSource(request.source);
    const previewId = newId();
    const run: RunningImport = { phase: 'reading', isCancelled: false };
    this.running.set(previewId, run);
    try {
      return await this.read(previewId, source, request, run);
    } finally {
      this.running.delete(previewId);
    }
  }

  /**
   * Stops the import `previewId`: a preview still reading fails with sales/import-cancelled and
   * leaves nothing staged; a preview waiting for its commit is dropped; a commit stops after the
   * range it is writing and is rolled back, so its call fails with sales/import-cancelled and
   * the log holds nothing of the file. Nothing to stop (an unknown id, a commit already
   * finishing) is not an error: the answer says what was stopped.
   */
  cancel(previewId: string): ImportCancelResult {
    const run = this.running.get(previewId);
    if (run !== undefined) {
      if (run.isCancelled || run.phase === 'finishing') return { stopped: null };
      run.isCancelled = true;
      if (run.phase === 'reading') this.reader.cancel(previewId, cancelled());
      return { stopped: run.phase };
    }
    if (!this.pending.has(previewId)) return { stopped: null };
    void this.discard(previewId);
    return { stopped: 'preview' };
  }

  private async read(
    previewId: string,
    source: FileSource,
    request: PreviewRequest,
    run: RunningImport,
  ): Promise<ImportPreview> {
    const savedMappings =
      request.platform === 'auto' || request.platform === 'generic' ? await this.store.call('listMappings') : [];
    let isStaging = false;
    /** A stop asked for while no scan ran to be told (before it, after its last batch, during the summary). */
    const stopIfCancelled = async () => {
      if (!run.isCancelled) return;
      if (isStaging) await this.dropStage(previewId);
      throw cancelled();
    };
    await stopIfCancelled();
    let totalBytes = 0;
    let result: ScanResult;
    try {
      result = await this.reader.scan(
        previewId,
        {
          source,
          platform: request.platform,
          mapping: request.mapping,
          timeZone: request.timeZone,
          savedMappings,
          companion: request.companion === undefined ? undefined : toFileSource(request.companion),
        },
        {
          begin: async (fileName, platform) => {
            await this.store.call('stageBegin', previewId, fileName, platform);
            isStaging = true;
          },
          batch: async (columns) => this.store.call('stageBatch', previewId, columns),
          progress: (bytesRead, rows) => {
            totalBytes = Math.max(totalBytes, bytesRead);
            this.events.progress({ previewId, phase: 'reading', bytesRead, totalBytes, rows });
          },
        },
      );
    } catch (error) {
      if (isStaging) await this.dropStage(previewId);
      throw error;
    }
    await stopIfCancelled();
    const { sniff } = result;
    this.events.progress({ previewId, phase: 'reading', bytesRead: sniff.size, totalBytes: sniff.size, rows: 0 });
    const file = {
      previewId,
      fileName: sniff.name,
      fileBytes: sniff.size,
      kind: sniff.kind,
      encoding: sniff.encoding,
      sheet: result.sheet,
      headerLine: result.headerLine,
    };

    if (result.kind === 'needs-mapping') {
      return {
        ...file,
        platform: 'generic',
        isDetected: false,
        needsMapping: true,
        columns: result.columns,
        mapping: request.mapping ?? {
          name: sniff.name.slice(0, 60),
          platform: 'other',
          columns: {},
          amountUnit: 'yuan',
        },
        gmv: null,
        totalRows: result.totalRows,
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

    const { counts, mapping } = result;
    if (counts.ok === 0 && counts.bad === 0) {
      await this.dropStage(previewId);
      throw new StudioError('sales/import-empty', 'The file has a header but no orders.', {
        params: { file: sniff.name },
      });
    }
    const summary = await this.store.call('stageSummary', previewId);
    await stopIfCancelled();
    const platform: ImportPlatform = result.isPreset
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
      ...file,
      platform,
      isDetected: request.platform === 'auto' && result.isPreset,
      needsMapping: false,
      columns: result.headers.filter((h) => h !== ''),
      mapping,
      gmv:
        result.pairAmountColumn === undefined
          ? gmvColumnOf(mapping)
          : {
              column: result.pairAmountColumn,
              field: 'orderAmount',
              meaning: amountMeaningOf(result.pairAmountColumn),
            },
      totalRows: counts.total,
      okRows: counts.ok,
      badRowCount: counts.bad,
      badRows: result.badRows,
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
  async commit(previewId: string, skipBadRows: boolean, saveMapping: boolean): Promise<ImportResult> {
    const pending = this.pending.get(previewId);
    if (pending === undefined || pending.expiresAt < Date.now()) {
      throw new StudioError('sales/import-expired', 'This import preview is gone; preview the file again.');
    }
    if (pending.badRowCount > 0 && !skipBadRows) {
      throw new StudioError('sales/import-bad-rows', 'The file has bad rows; nothing was imported.', {
        params: { count: pending.badRowCount, file: pending.fileName },
      });
    }
    if (this.running.has(previewId)) {
      throw new StudioError('sales/import-expired', 'This import is already being committed.');
    }
    const run: RunningImport = { phase: 'committing', isCancelled: false };
    this.running.set(previewId, run);
    try {
      return await this.write(previewId, pending, skipBadRows, saveMapping, run);
    } finally {
      this.running.delete(previewId);
    }
  }

  private async write(
    previewId: string,
    pending: PendingImport,
    skipBadRows: boolean,
    saveMapping: boolean,
    run: RunningImport,
  ): Promise<ImportResult> {
    this.events.progress({ previewId, phase: 'committing', bytesRead: 0, totalBytes: 0, rows: 0 });
    // What an earlier try left in the log when taking it out failed too (a full disk refuses the
    // deletes as well) goes first; with nothing left, one short transaction says so.
    if ((await this.store.call('rollbackRanges', previewId)) > 0) this.events.changed(null);
    // Chunk by chunk, each its own short transaction in the database worker: a sale entered
    // during a million-row import waits for one chunk, not for the whole file.
    const { firstSeq, lastSeq } = await this.store.call(
      'commitBegin',
      previewId,
      skipBadRows ? pending.badRowCount : 0,
    );
    let written: ImportResult & { showIds: string[] };
    try {
      for (let from = firstSeq; from <= lastSeq; from += importRangeRows) {
        if (run.isCancelled) throw cancelled();
        const to = Math.min(lastSeq, from + importRangeRows - 1);
        await this.store.call('commitRange', previewId, from, to);
        this.events.progress({
          previewId,
          phase: 'committing',
          bytesRead: 0,
          totalBytes: 0,
          rows: to - firstSeq + 1,
        });
      }
      // Asked during the last range: still in time, nothing is acknowledged before commitEnd.
      if (run.isCancelled) throw cancelled();
      // From here it is too late to stop the import (cancel says so); if its last steps fail,
      // its rows are taken out all the same, so no retry finds them in the log already.
      run.phase = 'finishing';
      // Before the import is done, not after: a failure here (a full disk) answered an import
      // that was in the log with an error, and a retry with sales/import-expired.
      if (saveMapping) await this.store.call('saveMapping', pending.mapping);
      written = await this.store.call('commitEnd', previewId);
    } catch (error) {
      await this.takeOut(previewId, pending.fileName);
      // The ranges written before the failure were counted until they were taken out.
      this.events.changed(null);
      throw error;
    }
    const { showIds, ...result } = written;
    this.events.changed(showIds.length === 1 ? (showIds[0] ?? null) : null);
    clearTimeout(pending.timer);
    this.pending.delete(previewId);
    this.events.progress({ previewId, phase: 'done', bytesRead: 0, totalBytes: 0, rows: result.imported });
    this.logger.info('import committed', {
      file: pending.fileName,
      imported: result.imported,
      duplicates: result.duplicates,
    });
    return result;
  }

  /**
   * Takes what a failed commit of this preview wrote out of the log again; the rows taken out.
   * If that fails too, the rows stay, counted, until the next try or the preview's drop takes them
   * out (at the latest, the next open does).
   */
  private async takeOut(previewId: string, fileName: string): Promise<number> {
    try {
      return await this.store.call('rollbackRanges', previewId);
    } catch (error) {
      this.logger.error('a failed import could not be taken out again', {
        file: fileName,
        code: error instanceof StudioError ? error.code : 'app/internal',
      });
      return 0;
    }
  }

  private async discard(previewId: string): Promise<void> {
    const pending = this.pending.get(previewId);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.pending.delete(previewId);
    // Not under a commit that is running (its preview's time ran out meanwhile): that one takes
    // its own rows out when dropping its stage makes it fail.
    if (!this.running.has(previewId) && (await this.takeOut(previewId, pending.fileName)) > 0) {
      this.events.changed(null);
    }
    await this.dropStage(previewId);
  }

  /** Drops a preview's staged rows; one already gone is no failure. */
  private async dropStage(previewId: string): Promise<void> {
    await this.store.call('dropStage', previewId).catch(() => undefined);
  }

  /** Drops every staged preview (on close). */
  async close(): Promise<void> {
    await this.reader.close();
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
