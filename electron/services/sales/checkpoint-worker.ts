import { parentPort, workerData } from 'node:worker_threads';

import Database from 'better-sqlite3';

// The checkpoint thread: a second connection to the sales log that only copies the WAL back
// into the database file. A checkpoint run by the sales worker itself held up every request
// queued behind it for as long as it copied (a million-row import's checkpoints were 3.7 s of
// its 14 s commit, and its slowest API round trips); here it runs beside the worker, which
// goes on answering. PASSIVE: it never waits for a lock nor blocks the writer.

/** Sales worker → checkpoint thread: one checkpoint per message, or the last one, 'close'. */
export interface CheckpointRequest {
  readonly id: number;
  readonly close?: true;
}

/** Its answer: SQLite's own figures, or why it failed (the WAL still holds every commit). */
export interface CheckpointReply {
  readonly id: number;
  readonly error?: string;
}

/** What the thread opens, as workerData. */
export interface CheckpointThreadData {
  readonly file: string;
  readonly nativeBinding?: string | undefined;
}

const port = parentPort;
if (port === null) throw new Error('checkpoint-worker must run as a worker thread');

const { file, nativeBinding } = workerData as CheckpointThreadData;
// Opened on the existing file only: the sales worker has made and migrated it.
const db = new Database(file, { fileMustExist: true, ...(nativeBinding === undefined ? {} : { nativeBinding }) });
// This connection writes nothing, so it never checkpoints on its own; FULL makes its checkpoint
// sync the WAL before copying from it (chunks of an import commit with synchronous=NORMAL).
db.pragma('wal_autocheckpoint = 0');
db.pragma('synchronous = FULL');

port.on('message', (message: CheckpointRequest) => {
  let error: string | undefined;
  try {
    if (message.close === true) db.close();
    else db.pragma('wal_checkpoint(PASSIVE)');
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  port.postMessage({ id: message.id, ...(error === undefined ? {} : { error }) } satisfies CheckpointReply);
  // Closed before the sales worker closes its own connection (the last one to close removes the
  // WAL); then nothing holds the thread open.
  if (message.close === true) port.close();
});
