import path from 'node:path';
import { parentPort } from 'node:worker_threads';

import type { SalesPlatform } from '../../../shared/api/sales';
import type { StudioErrorData } from '../../../shared/api/studio-error';
import { StudioError } from '../../../shared/api/studio-error';
import { assertNever } from '../../../shared/assert-never';
import { lowerThreadPriority } from '../thread-priority';
import type { FileSource } from './import-reader';
import type { ScanRequest, ScanResult } from './import-scan';
import { scanFile } from './import-scan';
import type { StagedColumns } from './staged-columns';

// The import worker thread: reads order files (CSV, XLSX, HTML ".xls") and turns their rows into
// packed order lines. It owns no database: batches go back to the main thread, which hands them
// to the database worker. Several files may be read at once, each under its own job id.

/** Main thread → import worker. */
export type ImportWorkerRequest =
  | { readonly type: 'scan'; readonly job: string; readonly request: ScanRequest }
  /** The previous 'begin' or 'batch' of this job was taken. */
  | { readonly type: 'ack'; readonly job: string }
  | { readonly type: 'cancel'; readonly job: string };

/** Import worker → main thread. */
export type ImportWorkerMessage =
  | { readonly type: 'begin'; readonly job: string; readonly fileName: string; readonly platform: SalesPlatform }
  | { readonly type: 'batch'; readonly job: string; readonly columns: StagedColumns }
  | { readonly type: 'progress'; readonly job: string; readonly bytesRead: number; readonly rows: number }
  | { readonly type: 'done'; readonly job: string; readonly result: ScanResult }
  | { readonly type: 'error'; readonly job: string; readonly error: StudioErrorData };

const port = parentPort;
if (port === null) throw new Error('import-worker must run as a worker thread');

interface Job {
  /** Batches (and the begin) posted but not yet taken. */
  inFlight: number;
  /** Waiting for room: resolved by the next ack. */
  wakeUp: (() => void) | undefined;
  isCancelled: boolean;
}

// Reading files is bulk work: below the sales worker, which answers people between batches.
lowerThreadPriority();

const jobs = new Map<string, Job>();
const maxInFlight = 2;

function post(message: ImportWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

class Cancelled extends Error {}

/** Structured clone turns a Buffer into a plain Uint8Array: make it a Buffer again, without a copy. */
function asSource(source: FileSource): FileSource {
  if (source.kind === 'path') return source;
  const bytes = source.bytes as Uint8Array;
  return { kind: 'bytes', name: source.name, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

async function run(id: string, request: ScanRequest): Promise<void> {
  const job: Job = { inFlight: 0, wakeUp: undefined, isCancelled: false };
  jobs.set(id, job);
  const room = async (limit: number) => {
    while (job.inFlight >= limit) {
      await new Promise<void>((resolve) => (job.wakeUp = resolve));
      if (job.isCancelled) throw new Cancelled();
    }
  };
  try {
    const result = await scanFile(
      { ...request, source: asSource(request.source) },
      {
        async begin(fileName, platform) {
          job.inFlight += 1;
          post({ type: 'begin', job: id, fileName, platform });
          await room(1);
        },
        async batch(columns) {
          if (job.isCancelled) throw new Cancelled();
          job.inFlight += 1;
          post({ type: 'batch', job: id, columns }, [
            columns.numbers.buffer as ArrayBuffer,
            columns.lengths.buffer as ArrayBuffer,
          ]);
          await room(maxInFlight);
        },
        progress(bytesRead, rows) {
          post({ type: 'progress', job: id, bytesRead, rows });
        },
      },
    );
    await room(1); // every batch taken before 'done'
    post({ type: 'done', job: id, result });
  } catch (error) {
    if (error instanceof Cancelled) return;
    const coded =
      error instanceof StudioError
        ? error
        : new StudioError('sales/import-unreadable', 'The file cannot be read.', {
            detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
            params: { file: request.source.kind === 'path' ? path.basename(request.source.path) : request.source.name },
          });
    post({ type: 'error', job: id, error: coded.toData() });
  } finally {
    jobs.delete(id);
  }
}

port.on('message', (message: ImportWorkerRequest) => {
  switch (message.type) {
    case 'scan':
      void run(message.job, message.request);
      break;
    case 'ack': {
      const job = jobs.get(message.job);
      if (job === undefined) return;
      job.inFlight -= 1;
      const wake = job.wakeUp;
      job.wakeUp = undefined;
      wake?.();
      break;
    }
    case 'cancel': {
      const job = jobs.get(message.job);
      if (job === undefined) return;
      job.isCancelled = true;
      const wake = job.wakeUp;
      job.wakeUp = undefined;
      wake?.();
      break;
    }
    default:
      return assertNever(message);
  }
});
