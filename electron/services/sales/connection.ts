import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { migrate } from './migrations';

// The bottom of the sales database: one better-sqlite3 connection (opened with the pragmas that
// make an acknowledged sale durable), its prepared statements, the audit trail, transactions,
// checkpoints and backups. The repositories above (sales-db.ts and its parts) only ever talk to
// SQLite through this.

export interface SalesDbOptions {
  file: string;
  nativeBinding?: string | undefined;
  /** How long to wait for another connection's lock before reporting sales/db-locked. */
  busyTimeoutMs?: number;
  now?: () => number;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Free disk space, in multiples of what it writes, that preallocateWal leaves room for. */
const walPreallocRoom = 16;

export class SalesConnection {
  readonly file: string;
  readonly db: Database.Database;
  readonly now: () => number;
  private readonly statements = new Map<string, Database.Statement>();
  /** Where checkpoints run when not here: the sales worker's checkpoint thread. */
  private checkpointer: (() => Promise<void>) | undefined;

  constructor(options: SalesDbOptions) {
    this.file = options.file;
    this.now = options.now ?? Date.now;
    fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(
      options.file,
      options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding },
    );
    try {
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      // WAL + FULL: a commit is on disk (WAL fsynced) before the call returns, and readers never
      // block the writer. Proven by the crash test (SIGKILL at random moments).
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      // Statement journals and sorts in memory: with FILE, every insert inside a transaction
      // wrote its statement journal to a temp file. Import staging has its own file (ensureStage).
      this.db.pragma('temp_store = MEMORY');
      // 16 MB of page cache: index updates of a large import stay in memory.
      this.db.pragma('cache_size = -16000');
      // No checkpoint inside a commit (that is what made the slowest sales slow): the worker
      // checkpoints between requests instead (see checkpoint()).
      this.db.pragma('wal_autocheckpoint = 0');
      migrate(this.db);
      // A real write at open: a read-only folder, a full disk or a lock shows up now, not at
      // the first sale of the show.
      this.stmt("INSERT OR REPLACE INTO config (key, value) VALUES ('opened_at', ?)").run(String(this.now()));
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Prepared statements are cached: preparing costs more than running most of these. */
  stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A write transaction (BEGIN IMMEDIATE: the lock is taken before the first read). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A checkpoint is an optimisation; the WAL is replayed on the next open anyway.
    }
    this.db.close();
  }

  /** Copies the WAL back into the database file, here and now, without blocking on locks. */
  checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A failed checkpoint (disk full, busy reader) is retried later; the WAL still holds every commit.
    }
  }

  /**
   * A checkpoint of a large WAL (an import's): on the checkpoint thread when the worker has
   * given one (useCheckpointer), else here. Resolves when the copy is done; never rejects. Not
   * for the small ones between sales: a WAL is written again from its start only after a
   * checkpoint that nothing was written during, and sales kept coming while the thread copied,
   * so the WAL only grew (2,000 sales in a row: p50 0.49–0.57 ms against 0.35–0.37 inline).
   */
  checkpointAside(): Promise<void> {
    if (this.checkpointer !== undefined) return this.checkpointer();
    this.checkpoint();
    return Promise.resolve();
  }

  /**
   * Writes zeros past the end of the WAL file up to `bytes`, so that the commits after it write
   * over blocks the file already has instead of extending it. A commit that extends the WAL
   * makes its fsync commit the file's new size and blocks in the file system as well; measured
   * here in-process, 4,000 sales in a row from a fresh WAL (1,024 writes between checkpoints):
   * the first 1,000 took p50 0.56–0.67 ms and p99 0.99–2.13 ms, the same sales over a WAL
   * already that long p50 0.35–0.43 ms and p99 0.59–0.77 ms. A sparse file (ftruncate) did
   * not help: its blocks are still allocated at the first write. Safe for recovery: SQLite
   * reads a WAL only up to its first frame whose salt and checksum do not match, and zeros
   * never do (the bytes past a WAL restarted from its start are as unread).
   *
   * Under the write lock (BEGIN IMMEDIATE), so no connection appends a frame while the zeros go
   * in past the end it had. Skipped when the disk is short of room, and undone on any failure: an
   * optimisation, never a reason for the log not to open. Returns the bytes written.
   */
  preallocateWal(bytes: number): number {
    const wal = `${this.file}-wal`;
    try {
      return this.write(() => {
        const size = fs.statSync(wal).size;
        const missing = bytes - size;
        if (missing <= 0) return 0;
        const disk = fs.statfsSync(path.dirname(wal));
        if (disk.bavail * disk.bsize < walPreallocRoom * missing) return 0;
        const fd = fs.openSync(wal, 'r+');
        try {
          const zeros = Buffer.alloc(Math.min(missing, 1024 * 1024));
          for (let at = size; at < bytes; at += zeros.length) {
            fs.writeSync(fd, zeros, 0, Math.min(zeros.length, bytes - at), at);
          }
          fs.fdatasyncSync(fd);
          return missing;
        } catch (error) {
          fs.ftruncateSync(fd, size);
          throw error;
        } finally {
          fs.closeSync(fd);
        }
      });
    } catch {
      // No WAL yet, a full disk, a file it may not write: commits extend the WAL as they did.
      return 0;
    }
  }

  useCheckpointer(checkpointer: (() => Promise<void>) | undefined): void {
    this.checkpointer = checkpointer;
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  /** EXPLAIN QUERY PLAN of a statement, for the index tests. */
  explain(sql: string, params: unknown[] = []): string[] {
    return (this.stmt(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  }

  audit(action: string, entity: string, entityId: string | number, detail: unknown): void {
    this.stmt('INSERT INTO audit (at, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?)').run(
      this.now(),
      action,
      entity,
      String(entityId),
      JSON.stringify(detail),
    );
  }

  /** The audit trail of one entity, oldest first. */
  auditOf(entity: string, entityId: string | number): { at: number; action: string; detail: unknown }[] {
    return (
      this.db
        .prepare('SELECT at, action, detail FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id')
        .all(entity, String(entityId)) as { at: number; action: string; detail: string }[]
    ).map((r) => ({ at: r.at, action: r.action, detail: parseJson<unknown>(r.detail, null) }));
  }

  /** Copies the live database with SQLite's online backup API (consistent while writes go on). */
  async backupTo(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    fs.rmSync(partial, { force: true });
    await this.db.backup(partial);
    fs.renameSync(partial, file);
  }
}
