import fs from 'node:fs';
import path from 'node:path';

import type Database from 'better-sqlite3';

import { StudioError } from '../../../shared/api/result';
import type { ColumnMapping, ImportedOrder, ImportResult, SalesPlatform, SaleStatus } from '../../../shared/api/sales';
import { columnMappingSchema } from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';
import type { AttributableSegment, Attribution } from '../../../shared/sales/attribution';
import { attributeOrder } from '../../../shared/sales/attribution';
import { createProductMatcher } from '../../../shared/sales/product-match';
import type { Catalog } from './catalog';
import type { ConfigRepo } from './config-repo';
import type { SalesConnection } from './connection';
import { outboxNewSalesSql, rollupAddSql, rollupInsertSql } from './migrations';
import type { StageSummary } from './repo-types';
import { parseJson } from './rows';
import type { ShowsRepo } from './shows-repo';
import type { StagedColumns } from './staged-columns';
import { importChunkRows, stagedNumbers, stagedTexts, unpackTexts } from './staged-columns';
import type { ShowTotals } from './staged-sums';
import { blockAlignedEnd, StagedSums } from './staged-sums';

// The import staging repository: a file's order lines are staged in a scratch database beside
// the log while it is read (bounded memory; quick entry keeps working between batches), then
// moved into the sales table in chunks, each its own transaction; plus saved column mappings.

interface StageRow {
  seq: number;
  line: number;
  order_id: string;
  line_key: string;
  order_count: number;
  ordered_at: number;
  date_only: number;
  product_title: string;
  product_id: string | null;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  status: SaleStatus;
}

interface StageJob {
  fileName: string;
  platform: SalesPlatform;
  match: (hint: { externalProductId: string; sku: string; title: string }) => string | null;
  segments: AttributableSegment[];
  segmentsVersion: number;
  graceMs: number;
  staged: number;
  repeated: number;
  /** Summed as rows are staged, so the preview's summary costs no pass over a million rows. */
  sums: { orders: number; amount: number; unmatched: number; duplicates: number };
  /** A batch had a line twice: the sums above counted it twice, and are counted again in SQL. */
  isRecountNeeded: boolean;
  /** The roll-up and totals of the staged rows, summed as they are staged (staged-sums.ts). */
  rowSums: StagedSums;
  /** This job's table in the staging file (one per job: dropping it is cheap, no job column to index). */
  table: string;
  /** Prepared statements on that table, dropped with it. */
  statements: Map<string, Database.Statement>;
  /** While a commit runs: what the chunks added so far. */
  commit?:
    | {
        now: number;
        skippedBadRows: number;
        imported: number;
        staged: number;
        attributed: number;
        offAir: number;
        amountFen: number;
        showIds: Set<string>;
        /** Rows committed since the last checkpoint. */
        sinceCheckpoint: number;
        /** The next chunk's rows (nextChunkRows). */
        chunkRows: number;
        /** Checkpoints asked for so far. */
        checkpoints: number;
        /** The last staged seq. */
        lastSeq: number;
      }
    | undefined;
}

/**
 * Rows an import commits between two checkpoints of the WAL (10,000 rows' pages are ~3.5 MB to
 * copy), and checkpoints between two that the import waits for (the WAL is written again from
 * its start after those).
 */
const checkpointEveryRows = 10_000;
const checkpointsPerWait = 5;
const countedStatuses = "('placed', 'paid')";

/** The attributed and off-air lines and counted amount, per show, of the sales after an id (a chunk's new rows). */
const newSalesTotalsSql = `SELECT show_id showId, ifnull(sum(segment_id IS NOT NULL), 0) attributed,
    ifnull(sum(off_air), 0) offAir,
    ifnull(sum(CASE WHEN status IN ${countedStatuses} THEN amount_fen ELSE 0 END), 0) amount
  FROM sales WHERE id > ? GROUP BY show_id`;

/** The next chunk's rows: as many as the last chunk's pace fits in the budget, within the bounds. */
export function nextChunkRows(rows: number, lastRows: number, lastMs: number): number {
  const { min, max, budgetMs } = importChunkRows;
  const paced = lastMs > 0 ? Math.round((lastRows * budgetMs) / lastMs) : max;
  // Grows at most twofold a chunk: one quick chunk (all in the page cache) says little of the next.
  return Math.max(min, Math.min(max, 2 * rows, paced));
}

/** What a staged row holds, in insert order (seq is the rowid). */
const stageColumns = [
  'line',
  'order_id',
  'line_key',
  'order_count',
  'ordered_at',
  'date_only',
  'product_title',
  'product_id',
  'quantity',
  'unit_price_fen',
  'amount_fen',
  'status',
  'show_id',
  'segment_id',
  'off_air',
  'attribution',
] as const;

/**
 * Staged rows per INSERT statement. One row per statement spent more in each call than in the
 * row: measured on 100,000 rows, 274–438 ms one by one against 157–172 ms ten at a time (and no
 * better at 50 or 100).
 */
const rowsPerStageInsert = 10;

function stageInsertSql(rows: number): string {
  const row = `(${stageColumns.map(() => '?').join(', ')})`;
  return `INSERT OR IGNORE INTO $stage (${stageColumns.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

export class ImportStaging {
  private readonly jobs = new Map<string, StageJob>();
  private hasStageTable = false;
  private stageTables = 0;
  private discardedFiles = 0;
  /** The scratch file: no journal, no fsync, thrown away at every open and close. */
  private readonly stageFile: string;

  constructor(
    private readonly conn: SalesConnection,
    private readonly catalog: Catalog,
    private readonly shows: ShowsRepo,
    private readonly settings: ConfigRepo,
  ) {
    this.stageFile = path.join(path.dirname(conn.file), 'import-staging.db');
    // Staging files a crash left behind while they were being removed.
    const folder = path.dirname(conn.file);
    for (const name of fs.readdirSync(folder)) {
      if (name.startsWith('import-staging.db.') && name.endsWith('.old'))
        fs.rmSync(path.join(folder, name), { force: true });
    }
  }

  /** Detaches and removes the scratch file (before the connection closes). */
  close(): void {
    if (!this.hasStageTable) return;
    try {
      this.conn.db.exec('DETACH DATABASE stage');
      for (const suffix of ['', '-journal']) fs.rmSync(this.stageFile + suffix, { force: true });
    } catch {
      // Removed at the next open anyway.
    }
  }

  private ensureStage(): void {
    if (this.hasStageTable) return;
    // Staged rows live in a scratch file beside the log, not in memory and not in the WAL:
    // no journal, no fsync, thrown away at every open and close.
    const stageFile = this.stageFile;
    for (const suffix of ['', '-journal']) fs.rmSync(stageFile + suffix, { force: true });
    this.conn.db.prepare('ATTACH DATABASE ? AS stage').run(stageFile);
    this.conn.db.pragma('stage.journal_mode = OFF');
    this.conn.db.pragma('stage.synchronous = OFF');
    this.hasStageTable = true;
  }

  stageBegin(jobId: string, fileName: string, platform: SalesPlatform): void {
    this.ensureStage();
    const table = `stage.orders_${++this.stageTables}`;
    this.conn.db.exec(`
      CREATE TABLE ${table} (
        seq INTEGER PRIMARY KEY,
        line INTEGER NOT NULL,
        order_id TEXT NOT NULL,
        line_key TEXT NOT NULL,
        order_count INTEGER NOT NULL,
        ordered_at INTEGER NOT NULL,
        date_only INTEGER NOT NULL,
        product_title TEXT NOT NULL,
        product_id TEXT,
        quantity INTEGER NOT NULL,
        unit_price_fen INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL,
        status TEXT NOT NULL,
        show_id TEXT,
        segment_id TEXT,
        off_air INTEGER NOT NULL,
        attribution TEXT NOT NULL,
        UNIQUE (order_id, line_key)
      )`);
    this.jobs.set(jobId, {
      table,
      statements: new Map(),
      fileName,
      platform,
      match: createProductMatcher(this.catalog.listProducts(true)),
      segments: this.shows.allSegments(),
      segmentsVersion: this.shows.version,
      graceMs: this.settings.config().graceMs,
      staged: 0,
      repeated: 0,
      sums: { orders: 0, amount: 0, unmatched: 0, duplicates: 0 },
      isRecountNeeded: false,
      rowSums: new StagedSums(),
    });
  }

  /** A statement on a job's staging table (`$stage` in `sql` names it). */
  private stageStmt(job: StageJob, sql: string): Database.Statement {
    let statement = job.statements.get(sql);
    if (statement === undefined) {
      statement = this.conn.db.prepare(sql.replaceAll('$stage', job.table));
      job.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Removes the detached scratch file without waiting for it: unlinking a large file holds the
   * thread for as long as the file system frees its blocks (100 ms for 300 MB here, the slowest
   * request of a million-row import), so it is renamed out of the way now and removed in the
   * background.
   */
  private discardStageFile(): void {
    const trash = `${this.stageFile}.${++this.discardedFiles}.old`;
    try {
      fs.renameSync(this.stageFile, trash);
    } catch {
      return; // Not there: nothing to remove.
    }
    fs.promises.rm(trash, { force: true }).catch(() => undefined);
    fs.rmSync(`${this.stageFile}-journal`, { force: true });
  }

  /** Throws a job's staged rows away: the whole scratch file when no other preview is pending. */
  private dropJob(jobId: string, job: StageJob): void {
    this.jobs.delete(jobId);
    job.statements.clear();
    if (this.jobs.size > 0) {
      this.conn.db.exec(`DROP TABLE IF EXISTS ${job.table}`);
      return;
    }
    try {
      this.conn.db.exec('DETACH DATABASE stage');
      this.hasStageTable = false;
      this.discardStageFile();
    } catch {
      // Still attached (a statement was busy): the table goes now, the file at close or the next open.
      if (this.hasStageTable) this.conn.db.exec(`DROP TABLE IF EXISTS ${job.table}`);
    }
  }

  private job(jobId: string): StageJob {
    const job = this.jobs.get(jobId);
    if (job === undefined) {
      throw new StudioError('sales/import-expired', 'This import preview is gone; preview the file again.');
    }
    return job;
  }

  stageBatch(jobId: string, batch: StagedColumns): void {
    const job = this.job(jobId);
    const many = this.stageStmt(job, stageInsertSql(rowsPerStageInsert));
    const one = this.stageStmt(job, stageInsertSql(1));
    const args = new Array<unknown>(stageColumns.length * rowsPerStageInsert);
    let filled = 0;
    let inserted = 0;
    // Temp tables are not in the WAL: staging costs no fsync.
    this.conn.db.transaction(() => {
      const { numbers } = batch;
      const texts = unpackTexts(batch);
      for (let i = 0; i < batch.count; i++) {
        const n = i * stagedNumbers;
        const t = i * stagedTexts;
        const productTitle = texts[t + 2] as string;
        const productId = job.match({
          externalProductId: texts[t + 3] as string,
          sku: texts[t + 4] as string,
          title: productTitle,
        });
        const orderedAt = numbers[n + 2] as number;
        const isDateOnly = numbers[n + 3] === 1;
        const a = this.attributeStaged(job, orderedAt, isDateOnly, productId);
        // At the seq it gets if no line of this batch is left out (if one is, see below).
        job.rowSums.add(job.staged + i + 1, {
          showId: a.showId,
          segmentId: a.segmentId,
          productId,
          orderedAt,
          status: texts[t + 5] as string,
          orderCount: numbers[n + 1] as number,
          quantity: numbers[n + 4] as number,
          amountFen: numbers[n + 6] as number,
          isOffAir: a.isOffAir,
        });
        let at = filled * stageColumns.length;
        args[at++] = numbers[n];
        args[at++] = texts[t];
        args[at++] = texts[t + 1];
        args[at++] = numbers[n + 1];
        args[at++] = orderedAt;
        args[at++] = isDateOnly ? 1 : 0;
        args[at++] = productTitle;
        args[at++] = productId;
        args[at++] = numbers[n + 4];
        args[at++] = numbers[n + 5];
        args[at++] = numbers[n + 6];
        args[at++] = texts[t + 5];
        args[at++] = a.showId;
        args[at++] = a.segmentId;
        args[at++] = a.isOffAir ? 1 : 0;
        args[at] = a.how;
        // Summed as if every row goes in; a batch with a repeated line has its sums counted
        // again in SQL (stageSummary), as no row-by-row answer says which one was left out.
        job.sums.orders += numbers[n + 1] as number;
        job.sums.amount += numbers[n + 6] as number;
        if (productId === null) job.sums.unmatched += 1;
        if (++filled === rowsPerStageInsert) {
          // Spread, not the array: better-sqlite3 reads an array's 160 values through V8's
          // generic property lookup, one by one; arguments it reads straight off the call
          // (300,000 rows staged in 2.13-2.34 µs each against 2.51-2.62).
          inserted += many.run(...args).changes;
          filled = 0;
        }
      }
      for (let r = 0; r < filled; r++) {
        const from = r * stageColumns.length;
        inserted += one.run(...args.slice(from, from + stageColumns.length)).changes;
      }
    })();
    if (inserted < batch.count) {
      job.isRecountNeeded = true;
      job.rowSums.invalidate(job.staged + 1, job.staged + batch.count);
    }
    job.staged += inserted;
    job.repeated += batch.count - inserted;
  }

  /** A date without a time of day says nothing about which segment sold it. */
  private attributeStaged(job: StageJob, at: number, isDateOnly: boolean, productId: string | null): Attribution {
    if (isDateOnly) return { segmentId: null, showId: null, how: 'none', isOffAir: false };
    return attributeOrder(job.segments, at, productId, job.graceMs);
  }

  stageSummary(jobId: string): StageSummary {
    const job = this.job(jobId);
    if (job.isRecountNeeded) {
      const counted = this.stageStmt(
        job,
        `SELECT ifnull(sum(order_count), 0) orders, ifnull(sum(amount_fen), 0) amount,
           ifnull(sum(product_id IS NULL), 0) unmatched FROM $stage`,
      ).get() as { orders: number; amount: number; unmatched: number };
      job.sums = { ...job.sums, ...counted };
      job.isRecountNeeded = false;
    }
    // Lines already in the log (same platform, order and line): importing adds nothing for them.
    // Counted once here in one statement, not probed per staged row; none at all to look for
    // when the log holds nothing from this platform.
    const hasPlatformSales = this.conn
      .stmt('SELECT 1 FROM sales WHERE platform = ? AND external_order_id IS NOT NULL LIMIT 1')
      .get(job.platform);
    job.sums.duplicates =
      hasPlatformSales === undefined
        ? 0
        : (
            this.stageStmt(
              job,
              `SELECT count(*) n FROM $stage s WHERE EXISTS (SELECT 1 FROM sales
                 WHERE platform = ? AND external_order_id = s.order_id AND external_line = s.line_key)`,
            ).get(job.platform) as { n: number }
          ).n;
    const sample = (this.stageStmt(job, 'SELECT * FROM $stage ORDER BY seq LIMIT 20').all() as StageRow[]).map(
      (r): ImportedOrder => ({
        line: r.line,
        orderId: r.order_id,
        lineId: r.line_key,
        orderedAt: r.ordered_at,
        productTitle: r.product_title,
        productId: r.product_id,
        quantity: r.quantity,
        amountFen: r.amount_fen as Fen,
        status: r.status,
      }),
    );
    return {
      staged: job.staged,
      repeatedRows: job.repeated,
      duplicateRows: job.sums.duplicates,
      orders: job.sums.orders,
      amountFen: job.sums.amount,
      unmatchedProducts: job.sums.unmatched,
      sample,
    };
  }

  dropStage(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job !== undefined) this.dropJob(jobId, job);
  }

  /**
   * Starts moving a staged file into the log. The move is cut into chunks (commitRange), each
   * its own short transaction, so quick entry and every other request keep answering during a
   * million-row import; the import stays 'committing' until commitEnd, and one left so by a
   * crash is rolled back at the next open (rollbackImport). Returns the staged seq range.
   */
  commitBegin(jobId: string, skippedBadRows: number): { firstSeq: number; lastSeq: number } {
    const job = this.job(jobId);
    const now = this.conn.now();
    // Segments changed since the preview (or the grace window did): attribute again.
    const graceMs = this.settings.config().graceMs;
    if (job.segmentsVersion !== this.shows.version || job.graceMs !== graceMs) {
      job.rowSums.invalidateAll();
      job.segments = this.shows.allSegments();
      job.graceMs = graceMs;
      const update = this.stageStmt(
        job,
        'UPDATE $stage SET show_id = ?, segment_id = ?, off_air = ?, attribution = ? WHERE seq = ?',
      );
      const rows = this.stageStmt(
        job,
        'SELECT seq, ordered_at, date_only, product_id FROM $stage ORDER BY seq',
      ).all() as {
        seq: number;
        ordered_at: number;
        date_only: number;
        product_id: string | null;
      }[];
      // The staging file has no journal: this costs no fsync and touches nothing in the log.
      this.conn.db.transaction(() => {
        for (const r of rows) {
          const a = this.attributeStaged(job, r.ordered_at, r.date_only === 1, r.product_id);
          update.run(a.showId, a.segmentId, a.isOffAir ? 1 : 0, a.how, r.seq);
        }
      })();
    }
    // Two subqueries, each answered from the end of the rowid B-tree: min and max in one
    // SELECT scanned the whole table (50 ms for a million staged rows, every request waiting).
    const range = this.stageStmt(
      job,
      'SELECT ifnull((SELECT min(seq) FROM $stage), 1) first, ifnull((SELECT max(seq) FROM $stage), 0) last',
    ).get() as {
      first: number;
      last: number;
    };
    // Not synced, as the chunks after it are not (see commitChunk): nothing is acknowledged
    // before commitEnd, and a WAL is replayed in order, so no chunk outlives this row. A FULL
    // commit here synced the WAL right after the preview had written hundreds of megabytes of
    // staging file that the file system may have to write out first (one million-row run
    // here had its slowest request, 159 ms, begin 8 ms into the commit).
    this.withoutSync(() =>
      this.conn
        .stmt(
          `INSERT INTO imports (id, file_name, platform, rows_imported, rows_duplicate, rows_skipped, at, state)
         VALUES (?, ?, ?, 0, 0, ?, ?, 'committing')`,
        )
        .run(jobId, job.fileName, job.platform, skippedBadRows, now),
    );
    job.commit = {
      now,
      skippedBadRows,
      imported: 0,
      staged: 0,
      attributed: 0,
      offAir: 0,
      amountFen: 0,
      showIds: new Set(),
      sinceCheckpoint: 0,
      chunkRows: importChunkRows.first,
      checkpoints: 0,
      lastSeq: range.last,
    };
    return { firstSeq: range.first, lastSeq: range.last };
  }

  /**
   * Moves staged rows seq ∈ [from, to] into the log in chunks, each its own short transaction
   * with its roll-up, sized to take about importChunkRows.budgetMs. Between two chunks the
   * worker answers whatever requests came in meanwhile (a sale entered during a million-row
   * import waits for one chunk). Every checkpointEveryRows rows it asks the checkpoint thread
   * for a checkpoint, and waits for every checkpointsPerWait-th. The chunks run here, not one
   * request each from the main thread: a round trip per chunk cost more than the chunk when the
   * machine was busy.
   */
  async commitRange(jobId: string, from: number, to: number): Promise<void> {
    for (let at = from; at <= to;) {
      // Looked up again after every wait: a preview dropped meanwhile ends the commit.
      const job = this.job(jobId);
      const commit = job.commit;
      if (commit === undefined) throw new StudioError('sales/import-expired', 'This import is not being committed.');
      // Whole blocks of staged sums (a chunk that is not is summed in SQL).
      const end = blockAlignedEnd(at, commit.chunkRows, to);
      const started = performance.now();
      this.commitChunk(job, commit, jobId, at, end);
      commit.chunkRows = nextChunkRows(commit.chunkRows, end - at + 1, performance.now() - started);
      commit.sinceCheckpoint += end - at + 1;
      at = end + 1;
      // A checkpoint every few chunks, on the checkpoint thread while the chunks go on: the WAL
      // never holds the whole import, so no later checkpoint has hundreds of megabytes to copy
      // at once. Not after every chunk: the index pages each chunk touches were copied again
      // every time (a third of the commit's CPU on a 100,000-order file). Every few of them the
      // next chunk waits for one: written while a checkpoint copies, the WAL is never all
      // copied, so it is never written again from its start and only grows.
      if (commit.sinceCheckpoint >= checkpointEveryRows) {
        commit.sinceCheckpoint = 0;
        const checkpoint = this.conn.checkpointAside();
        // Not after the last chunk: no more of the import is written into the WAL after it.
        if (++commit.checkpoints % checkpointsPerWait === 0 && at <= commit.lastSeq) {
          await checkpoint;
          continue;
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Moves staged rows seq ∈ [from, to] into the log, with their roll-up, in one transaction. */
  private commitChunk(
    job: StageJob,
    commit: NonNullable<StageJob['commit']>,
    jobId: string,
    from: number,
    to: number,
  ): void {
    // A chunk need not be on disk when it commits: nothing of the import is acknowledged before
    // commitEnd, whose FULL commit syncs the WAL and with it every chunk written before it, and
    // an import a power cut leaves 'committing' is rolled back at the next open (WAL with
    // synchronous=NORMAL stays consistent through a power cut). Nor are its rows' references
    // looked up again (withoutReferenceChecks).
    this.withoutChecks(() => {
      this.conn.db
        .transaction(() => {
          const lastId = (this.conn.stmt('SELECT ifnull(max(id), 0) id FROM sales').get() as { id: number }).id;
          // One statement: rows already in the log (same platform, order and line) are skipped.
          const inserted = this.stageStmt(
            job,
            `INSERT INTO sales (show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
             platform, source, external_order_id, external_line, ordered_at, entered_at, status, off_air, attribution,
             note, order_count, import_id)
           SELECT show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
             @platform, 'import', order_id, line_key, ordered_at, @now, status, off_air, attribution,
             '', order_count, @job
           FROM $stage WHERE seq BETWEEN @from AND @to ORDER BY seq
           ON CONFLICT (platform, external_order_id, external_line) WHERE external_order_id IS NOT NULL DO NOTHING`,
          ).run({ platform: job.platform, now: commit.now, job: jobId, from, to });
          const staged = (
            this.stageStmt(job, 'SELECT count(*) n FROM $stage WHERE seq BETWEEN ? AND ?').get(from, to) as {
              n: number;
            }
          ).n;
          commit.imported += inserted.changes;
          commit.staged += staged;
          // Roll-up, outbox entries and totals of exactly the rows this chunk added: the rows
          // after lastId. When every staged row went in (none was in the log already), the sums
          // made while staging are those rows' (staged-sums.ts); otherwise, or when those sums
          // are not exact, they are summed here in SQL.
          const sums = job.rowSums.take(from, to, commit.lastSeq);
          const isWhole = inserted.changes === staged;
          let perShow: ShowTotals[];
          if (isWhole && sums !== undefined) {
            const add = this.conn.stmt(rollupAddSql);
            for (const row of sums.rollup) add.run(row);
            perShow = sums.shows;
          } else {
            this.conn.stmt(rollupInsertSql('id > ?')).run(lastId);
            perShow = this.conn.stmt(newSalesTotalsSql).all(lastId) as ShowTotals[];
          }
          this.conn.stmt(outboxNewSalesSql).run(lastId);
          for (const r of perShow) {
            commit.attributed += r.attributed;
            commit.offAir += r.offAir;
            commit.amountFen += r.amount;
            if (r.showId !== null) commit.showIds.add(r.showId);
          }
        })
        .immediate();
    });
  }

  /** An import chunk's write: not synced, and without foreign-key checks. */
  private withoutChecks(write: () => void): void {
    this.withoutReferenceChecks(() => this.withoutSync(write));
  }

  /**
   * Runs `write` without foreign-key checks, then with them again. An import chunk's rows name
   * only rows that cannot be gone: the shows and segments their attribution found and the
   * products the matcher found are never deleted (the schema refuses it, migration 11), and the
   * import's own row goes only after its sales (rollbackImport). Four parent lookups a row were
   * a tenth of the chunk's insert: 200,000 staged rows took 856-876 ms with them, 812-858
   * without. Set outside the transaction: inside one the pragma does nothing.
   */
  private withoutReferenceChecks<T>(write: () => T): T {
    return this.withPragma('foreign_keys = OFF', 'foreign_keys = ON', write);
  }

  /** Runs `write` with commits that do not sync the WAL (synchronous=NORMAL), then FULL again. */
  private withoutSync<T>(write: () => T): T {
    return this.withPragma('synchronous = NORMAL', 'synchronous = FULL', write);
  }

  /** Runs `write` with the pragma `during` set, then sets `after`, whether it returned or threw. */
  private withPragma<T>(during: string, after: string, write: () => T): T {
    this.conn.stmt(`PRAGMA ${during}`).run();
    try {
      return write();
    } finally {
      this.conn.stmt(`PRAGMA ${after}`).run();
    }
  }

  /** Marks a chunked import done; its result. */
  commitEnd(jobId: string): ImportResult & { showIds: string[] } {
    const job = this.job(jobId);
    const commit = job.commit;
    if (commit === undefined) throw new StudioError('sales/import-expired', 'This import is not being committed.');
    const result = {
      imported: commit.imported,
      duplicates: commit.staged - commit.imported,
      skippedBadRows: commit.skippedBadRows,
      attributed: commit.attributed,
      offAir: commit.offAir,
      amountFen: commit.amountFen as Fen,
    };
    this.conn.db
      .transaction(() => {
        this.conn
          .stmt("UPDATE imports SET rows_imported = ?, rows_duplicate = ?, state = 'done' WHERE id = ?")
          .run(result.imported, result.duplicates, jobId);
        this.conn.audit('import', 'import', jobId, { file: job.fileName, platform: job.platform, ...result });
      })
      .immediate();
    job.commit = undefined;
    this.dropJob(jobId, job);
    return { ...result, showIds: [...commit.showIds] };
  }

  /**
   * Takes a half-committed import out again, all at once (found 'committing' at open, or a
   * failed chunk of commitImport); a stopped or failed chunked commit uses rollbackRanges.
   */
  rollbackImport(importId: string): void {
    while (this.rollbackChunk(importId, -1) > 0);
  }

  /**
   * Takes a half-committed import out again, newest rows first, in chunks sized like the
   * commit's, each its own transaction, answering other requests between them: a
   * million-order import stopped near its end took 8.8 s to take out in one transaction, and a
   * sale entered meanwhile waited for all of it. The import stays 'committing' until its last
   * row is gone, so a crash part way leaves the rest to the next open (recoverImports). The rows
   * taken out: 0 when the import is not committing (one short transaction says so).
   */
  async rollbackRanges(importId: string): Promise<number> {
    let rows: number = importChunkRows.first;
    let total = 0;
    for (;;) {
      const started = performance.now();
      const taken = this.rollbackChunk(importId, rows);
      if (taken <= 0) return total;
      total += taken;
      rows = nextChunkRows(rows, taken, performance.now() - started);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Takes out the newest `limit` rows (-1: all) of a committing import, with their roll-up, in
   * one transaction; when none is left, the import's own row. The rows taken out, 0 when it
   * took the import's row, -1 when the import is not committing (done, or gone).
   */
  private rollbackChunk(importId: string, limit: number): number {
    const taken = this.conn.db
      .transaction(() => {
        const state = this.conn.stmt('SELECT state FROM imports WHERE id = ?').get(importId) as
          { state: string } | undefined;
        if (state?.state !== 'committing') return -1;
        // The lowest id among the newest `limit` rows (sales_import walks them newest first).
        const low = (
          this.conn
            .stmt(
              'SELECT min(id) id FROM (SELECT id FROM sales WHERE import_id = ? ORDER BY import_id DESC, id DESC LIMIT ?)',
            )
            .get(importId, limit) as { id: number | null }
        ).id;
        if (low === null) {
          this.conn.stmt('DELETE FROM imports WHERE id = ?').run(importId);
          this.conn.audit('import-rolled-back', 'import', importId, {});
          return 0;
        }
        this.conn.stmt(rollupInsertSql('import_id = ? AND id >= ?', 'sales', '-')).run(importId, low);
        return this.conn.stmt('DELETE FROM sales WHERE import_id = ? AND id >= ?').run(importId, low).changes;
      })
      .immediate();
    if (taken <= 0) {
      const job = this.jobs.get(importId);
      if (job !== undefined) job.commit = undefined;
    }
    return taken;
  }

  /** Imports a crash left half-committed are rolled back (at open). */
  recoverImports(): void {
    const open = this.conn.stmt("SELECT id FROM imports WHERE state = 'committing'").all() as { id: string }[];
    for (const { id } of open) this.rollbackImport(id);
  }

  /** Moves a staged file into the log, all chunks in one call (tests, small files). */
  commitImport(jobId: string, skippedBadRows: number): ImportResult & { showIds: string[] } {
    const { firstSeq, lastSeq } = this.commitBegin(jobId, skippedBadRows);
    try {
      const job = this.job(jobId);
      const commit = job.commit as NonNullable<StageJob['commit']>;
      for (let from = firstSeq; from <= lastSeq;) {
        const to = blockAlignedEnd(from, importChunkRows.first, lastSeq);
        this.commitChunk(job, commit, jobId, from, to);
        from = to + 1;
      }
      return this.commitEnd(jobId);
    } catch (error) {
      // A failed last step too: its chunks are in the log until they are taken out.
      this.rollbackImport(jobId);
      throw error;
    }
  }

  listMappings(): ColumnMapping[] {
    const rows = this.conn.stmt('SELECT mapping FROM column_mappings ORDER BY updated_at DESC').all() as {
      mapping: string;
    }[];
    const out: ColumnMapping[] = [];
    for (const r of rows) {
      const parsed = columnMappingSchema.safeParse(parseJson<unknown>(r.mapping, null));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  saveMapping(mapping: ColumnMapping): ColumnMapping[] {
    this.conn.db
      .prepare('INSERT OR REPLACE INTO column_mappings (name, mapping, updated_at) VALUES (?, ?, ?)')
      .run(mapping.name, JSON.stringify(mapping), this.conn.now());
    return this.listMappings();
  }

  deleteMapping(name: string): ColumnMapping[] {
    this.conn.stmt('DELETE FROM column_mappings WHERE name = ?').run(name);
    return this.listMappings();
  }
}
