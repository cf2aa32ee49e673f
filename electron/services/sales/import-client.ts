import type { Worker } from 'node:worker_threads';

import { StudioError } from '../../../shared/api/result';
import type { SalesPlatform } from '../../../shared/api/sales';
import { assertNever } from '../../../shared/assert-never';
import type { Logger } from '../logger';
import { startWorker } from '../worker-entry';
import type { ScanRequest, ScanResult } from './import-scan';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-worker';
import type { StagedColumns } from './staged-columns';

/** What the main thread does with one file's scan as it arrives. */
export interface ScanHandlers {
  begin(fileName: string, platform: SalesPlatform): Promise<void>;
  batch(columns: StagedColumns): Promise<void>;
  progress(bytesRead: number, rows: number): void;
}

interface RunningScan {
  readonly handlers: ScanHandlers;
  resolve(result: ScanResult): void;
  reject(error: StudioError): void;
  /** begin/batch handling is serial per job, in arrival order. */
  chain: Promise<void>;
  failed: StudioError | undefined;
}

/** How long an import worker with nothing to read is kept for the next file. */
const idleWorkerMs = 250;

/**
 * The main thread's side of the import worker: one worker thread, started by an import and
 * ended a moment after the last (idleWorkerMs), reads every file; this side only forwards
 * batches to the database worker. A crashed worker
 * fails the scans it was running (sales/import-unreadable) and the next import starts a new one.
 */
export class ImportWorkerClient {
  private worker: Worker | undefined;
  private readonly scans = new Map<string, RunningScan>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly logger: Logger) {}

  /** Whether a worker is up (it ends a moment after its last scan). */
  get isWorkerRunning(): boolean {
    return this.worker !== undefined;
  }

  scan(job: string, request: ScanRequest, handlers: ScanHandlers): Promise<ScanResult> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= this.spawn());
    return new Promise<ScanResult>((resolve, reject) => {
      const settle = () => {
        this.scans.delete(job);
        if (this.scans.size === 0) this.retireWhenIdle();
      };
      this.scans.set(job, {
        handlers,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        chain: Promise.resolve(),
        failed: undefined,
      });
      const transfer: ArrayBuffer[] = [];
      const message: ImportWorkerRequest = { type: 'scan', job, request };
      worker.postMessage(message, transfer);
    });
  }

  /**
   * Ends the worker a moment after its last scan: its heap (tens of megabytes after a large
   * file) stayed resident through the commit that follows a preview, and starting one again
   * for the next file is quick now that exceljs loads only for spreadsheets.
   */
  private retireWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const worker = this.worker;
      if (worker === undefined || this.scans.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, idleWorkerMs);
    this.idleTimer.unref();
  }

  private send(message: ImportWorkerRequest): void {
    this.worker?.postMessage(message);
  }

  private spawn(): Worker {
    // Node's usual young generation (16 MB semi-spaces): the reader's per-row arrays and strings
    // then mostly die before a scavenge instead of being copied and promoted. An 8 MB one (tried
    // for resident memory) cost 100,000 orders' preview 763 ms against 692 (median of six
    // each, interleaved) for 15–40 MB less peak memory, and the million-order import stays
    // within its 350 MB with room (bench: sales-million.ts). The old
    // generation cap bounds what one hostile file can take (past it the worker ends, the import
    // fails with a coded error, the studio stays up).
    const worker = startWorker(import.meta.url, 'import-worker', {
      name: 'sales-import',
      resourceLimits: { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 384 },
    });
    worker.on('message', (message: ImportWorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => {
      this.logger.error('import worker failed', { error: error.stack ?? error.message });
    });
    worker.on('exit', (code) => {
      // A worker retired when idle may end after the next file's worker has started: the scans
      // under way are that one's, not this one's.
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.scans.size === 0) return;
      this.logger.error('import worker exited during an import', { code });
      for (const [job, scan] of this.scans) {
        this.scans.delete(job);
        scan.reject(
          new StudioError('sales/import-unreadable', 'Reading the file stopped; try again.', {
            detail: `import worker exited with ${code}`,
            params: { file: '' },
          }),
        );
      }
    });
    worker.unref();
    return worker;
  }

  private onMessage(message: ImportWorkerMessage): void {
    const scan = this.scans.get(message.job);
    if (scan === undefined) return;
    const step = (work: () => Promise<void>) => {
      scan.chain = scan.chain.then(async () => {
        if (scan.failed !== undefined) return;
        try {
          await work();
          this.send({ type: 'ack', job: message.job });
        } catch (error) {
          scan.failed =
            error instanceof StudioError
              ? error
              : new StudioError('sales/db-unavailable', String(error), { cause: error });
          this.send({ type: 'cancel', job: message.job });
          this.scans.delete(message.job);
          scan.reject(scan.failed);
        }
      });
    };
    switch (message.type) {
      case 'begin':
        step(() => scan.handlers.begin(message.fileName, message.platform));
        break;
      case 'batch': {
        // The transferred Float64Array arrives as one; texts as a plain array.
        step(() => scan.handlers.batch(message.columns));
        break;
      }
      case 'progress':
        scan.handlers.progress(message.bytesRead, message.rows);
        break;
      case 'done':
        void scan.chain.then(() => {
          if (scan.failed !== undefined) return;
          this.scans.delete(message.job);
          scan.resolve(message.result);
        });
        break;
      case 'error':
        void scan.chain.then(() => {
          this.scans.delete(message.job);
          if (scan.failed === undefined) scan.reject(StudioError.fromData(message.error));
        });
        break;
      default:
        return assertNever(message);
    }
  }

  /**
   * Stops a running scan: the worker stops reading it, and the scan fails with `error` once the
   * batch being staged (if any) is staged, so whoever staged it knows what is there to drop.
   * False when no scan runs under `job`.
   */
  cancel(job: string, error: StudioError): boolean {
    const scan = this.scans.get(job);
    if (scan === undefined || scan.failed !== undefined) return false;
    scan.failed = error;
    this.send({ type: 'cancel', job });
    void scan.chain.then(() => scan.reject(error));
    return true;
  }

  /** Ends the worker (running scans fail). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    for (const [job, scan] of this.scans) {
      this.scans.delete(job);
      scan.reject(new StudioError('sales/db-unavailable', 'The sales log is closing.'));
    }
    clearTimeout(this.idleTimer);
    if (worker !== undefined) await worker.terminate();
  }
}
