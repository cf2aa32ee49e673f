import { parentPort } from 'node:worker_threads';

import type { StudioErrorData } from '../../../shared/api/result';
import { StudioError } from '../../../shared/api/result';
import { CheckpointThread } from './checkpoint-thread';
import type { SalesDbOptions } from './connection';
import { SalesDb } from './sales-db';
import { toSalesError } from './store-errors';

// The sales worker thread: owns the one SQLite connection. Messages are handled strictly in
// arrival order (each synchronous call finishes before the next message is read), so writes are
// serialised and a 'close' sent after pending writes drains them first.

/** A request from SalesStore. */
export interface WorkerRequest {
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** The worker's answer to one request. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: StudioErrorData };

const port = parentPort;
if (port === null) throw new Error('sales-worker must run as a worker thread');

let db: SalesDb | undefined;
let file = '';
let checkpoints: CheckpointThread | undefined;

/**
 * Opens the log. Its checkpoint thread starts at the first large checkpoint (an import's), so a
 * studio that never imports never has it; if it fails, checkpoints run here again.
 */
function open(options: SalesDbOptions): SalesDb {
  const opened = new SalesDb(options);
  // The WAL the sales between two per-writes checkpoints fill, written out now (~45 ms here for
  // 48 MB, on this thread, before the first request): a WAL that grows makes every commit's fsync
  // slower (see preallocateWal), and it grows for the first checkpointEveryWrites writes of every
  // session, as close truncates it.
  opened.preallocateWal(checkpointEveryWrites * walBytesPerWrite);
  opened.useCheckpointer(() => {
    if (checkpoints === undefined) {
      const thread = new CheckpointThread({ file: options.file, nativeBinding: options.nativeBinding }, () => {
        if (checkpoints !== thread) return;
        checkpoints = undefined;
        opened.useCheckpointer(undefined);
      });
      checkpoints = thread;
    }
    return checkpoints.checkpoint();
  });
  return opened;
}

/** Closes the checkpoint thread's connection, then the log's own (the last to close removes the WAL). */
async function close(): Promise<void> {
  const thread = checkpoints;
  checkpoints = undefined;
  db?.useCheckpointer(undefined);
  await thread?.close();
  db?.close();
  db = undefined;
}

/**
 * The SalesDb methods the main thread may call, as two explicit lists (reads, writes); any other
 * name, private helpers included, is refused. Adding a method to SalesDb exposes nothing until it
 * is listed here.
 */
export const readMethods = [
  'config',
  'getSetting',
  'listProducts',
  'getProduct',
  'getShow',
  'listShows',
  'liveSegment',
  'listSales',
  'feedMappings',
  'stageSummary',
  'listMappings',
  'showAnalytics',
  'productAnalytics',
  'exportPage',
  'recordedTotals',
] as const satisfies readonly (keyof SalesDb)[];

export const writeMethods = [
  'updateConfig',
  'setSetting',
  'saveProduct',
  'archiveProduct',
  'createShow',
  'startSegment',
  'endSegment',
  'recordSale',
  'undoLast',
  'setStatus',
  'mapFeedProduct',
  'ingestFeedOrder',
  'stageBegin',
  'stageBatch',
  'dropStage',
  'commitImport',
  'commitBegin',
  'commitRange',
  'commitEnd',
  'rollbackRanges',
  'saveMapping',
  'deleteMapping',
  'backupTo',
] as const satisfies readonly (keyof SalesDb)[];

export type ReadMethod = (typeof readMethods)[number];
export type WriteMethod = (typeof writeMethods)[number];

const callable = new Set<string>([...readMethods, ...writeMethods]);

async function handle(message: WorkerRequest): Promise<WorkerReply> {
  const { id, method, args } = message;
  try {
    if (method === 'open') {
      await close();
      const options = args[0] as SalesDbOptions;
      file = options.file;
      try {
        db = open(options);
      } catch (error) {
        return { id, ok: false, error: toSalesError(error, file, true).toData() };
      }
      return { id, ok: true, value: { version: db.schemaVersion() } };
    }
    if (method === 'close') {
      await close();
      return { id, ok: true, value: null };
    }
    if (db === undefined) {
      return { id, ok: false, error: { code: 'sales/db-unavailable', message: 'The sales log is not open.' } };
    }
    const fn = callable.has(method)
      ? (db as unknown as Record<string, ((...a: unknown[]) => unknown) | undefined>)[method]
      : undefined;
    if (typeof fn !== 'function') {
      // Not on the read or write list (a private helper, a typo, a name from a newer build).
      return {
        id,
        ok: false,
        error: new StudioError('sales/unknown-method', 'The sales log does not do that.', {
          detail: `sales worker: ${method} is not on its read or write list`,
        }).toData(),
      };
    }
    let value = fn.apply(db, [...args]);
    if (value instanceof Promise) value = await value;
    return { id, ok: true, value };
  } catch (error) {
    return { id, ok: false, error: toSalesError(error, file).toData() };
  }
}

// Checkpoints run between requests, never inside a commit: when the worker has been
// idle for a moment, at the latest every few seconds under constant load, and after every
// checkpointEveryWrites writes (an import's large ones run on the checkpoint thread, see
// checkpoint-thread.ts). The per-writes one keeps the WAL short under a steady stream of sales:
// a WAL that only grows makes every commit's fsync extend the file (block allocation and a
// journal commit in the file system) and copied hundreds of megabytes at the 5-second
// checkpoint; a WAL reset after a checkpoint is written again from its start, over blocks the
// file already has. Each such checkpoint holds up the sale behind it (measured in-process, 4,096
// sales in a row: a checkpoint every 64 writes took 0.89 ms, every 256 1.28 ms, every 1,024
// 1.94 ms, and the sale after it ~0.3 ms more for the WAL header it writes and syncs again), so
// its cost per sale falls as it runs less often, while the WAL it bounds grows (3, 12, 47 MB).
// Every 1,024 writes: 8,000 sales in a row through the worker, p99 0.97–1.87 ms (median of 11
// runs 1.37) against 1.13–2.39 ms (median 1.46) every 256, the runs interleaved.
let lastMessageAt = 0;
let lastCheckpointAt = 0;
let isDirty = false;
let writesSinceCheckpoint = 0;
/** Requests not yet answered: an import's commitRange stays so while it yields between chunks. */
let unanswered = 0;
const checkpointEveryWrites = 1024;
/**
 * WAL bytes one write adds, rounded up: 1,024 sales in a row grew a fresh WAL to 47 MB (eleven
 * 4 KB pages a sale: the row, its indexes, the roll-up, the outbox).
 */
const walBytesPerWrite = 48 * 1024;
const writes = new Set<string>(writeMethods);

function checkpoint(now: number): void {
  if (db === undefined) return;
  db.checkpoint();
  isDirty = false;
  writesSinceCheckpoint = 0;
  lastCheckpointAt = now;
}

const checkpointTimer = setInterval(() => {
  const now = Date.now();
  if (db === undefined || !isDirty) return;
  // Not while an import commits: it checkpoints on its own pace (on the checkpoint thread), and
  // this one, here, copied its chunks' pages while other requests waited.
  if (unanswered > 0) return;
  if (now - lastMessageAt < 50 && now - lastCheckpointAt < 5000) return;
  checkpoint(now);
}, 250);
checkpointTimer.unref();

port.on('message', (message: WorkerRequest) => {
  lastMessageAt = Date.now();
  const isWrite = writes.has(message.method);
  if (isWrite) isDirty = true;
  unanswered += 1;
  void handle(message).then((reply) => {
    unanswered -= 1;
    port.postMessage(reply);
    // After the reply has gone: the caller is not kept waiting for the copy.
    if (isWrite && ++writesSinceCheckpoint >= checkpointEveryWrites) checkpoint(Date.now());
  });
});
