import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import type { StagedOrder } from '../../../shared/sales/import/normalise';
import { writeDouyinOrders } from '../../../test/fixtures/orders/make-fixtures';
import { rollupsOf } from '../../../test/support/sales/rollups';
import { stagedOrders } from '../../../test/support/sales/staged-orders';
import { makeSalesKit, seedShow } from '../../../test/support/sales/test-kit';
import { useTempDirs } from '../../../test/support/temp-dirs';
import { Catalog } from './catalog';
import { ConfigRepo } from './config-repo';
import { SalesConnection } from './connection';
import { ImportStaging, nextChunkRows } from './import-staging';
import { SalesDb } from './sales-db';
import { ShowsRepo } from './shows-repo';
import { packStaged } from './staged-columns';

// A large import is committed in chunks, each its own transaction, so other requests get in
// between; a crash between chunks leaves the import 'committing', and the next open takes it
// out again (rows and roll-up), so the log never keeps half a file.

const tempDir = useTempDirs('harvest-chunks-');

describe('chunked import commit', () => {
  it('rolls back an import a crash left half-committed, rows and roll-up, at the next open', async () => {
    const file = path.join(tempDir(), 'sales.db');
    let db = new SalesDb({ file });
    db.stageBegin('job-1', 'orders.csv', 'douyin');
    db.stageBatch('job-1', packStaged(stagedOrders(25_000)));
    const { firstSeq } = db.commitBegin('job-1', 0);
    await db.commitRange('job-1', firstSeq, firstSeq + 9_999);
    // Committed but not finished: what a crash between chunks leaves (a power cut may also take
    // the last chunks, which commit unsynced; the import is rolled back all the same).
    db.close();
    const half = new Database(file);
    expect((half.prepare("SELECT count(*) n FROM sales WHERE import_id = 'job-1'").get() as { n: number }).n).toBe(
      10_000,
    );
    half.close();

    db = new SalesDb({ file });
    db.close();
    const after = new Database(file);
    expect((after.prepare('SELECT count(*) n FROM sales').get() as { n: number }).n).toBe(0);
    expect(after.prepare('SELECT * FROM imports').all()).toEqual([]);
    after.close();
    const { stored, fromSales } = rollupsOf(file);
    expect(stored).toEqual(fromSales);
    expect(stored).toEqual([]);
  });

  it('a finished chunked commit has every row once and a roll-up equal to the sales table', () => {
    const file = path.join(tempDir(), 'sales.db');
    const db = new SalesDb({ file });
    db.stageBegin('job-2', 'orders.csv', 'douyin');
    db.stageBatch('job-2', packStaged(stagedOrders(25_000)));
    const result = db.commitImport('job-2', 0);
    expect(result).toMatchObject({ imported: 25_000, duplicates: 0, amountFen: 25_000 * 5990 });
    db.close();
    const { stored, fromSales } = rollupsOf(file);
    expect(stored).toEqual(fromSales);
  });

  it('a one-call commit whose last step fails takes its chunks out again, then commits whole', () => {
    const file = path.join(tempDir(), 'sales.db');
    const db = new SalesDb({ file });
    db.stageBegin('job-e', 'orders.csv', 'douyin');
    db.stageBatch('job-e', packStaged(stagedOrders(25_000)));
    const other = new Database(file);
    other.exec(`CREATE TRIGGER refuse_done BEFORE UPDATE OF state ON imports WHEN NEW.state = 'done'
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    const count = (sql: string) => (other.prepare(sql).get() as { n: number }).n;
    try {
      expect(() => db.commitImport('job-e', 0)).toThrow(/refused by the test/u);
      expect(count('SELECT count(*) n FROM sales')).toBe(0);
      expect(count('SELECT count(*) n FROM imports')).toBe(0);
      other.exec('DROP TRIGGER refuse_done');
      expect(db.commitImport('job-e', 0)).toMatchObject({ imported: 25_000 });
      expect(count('SELECT count(*) n FROM sales')).toBe(25_000);
    } finally {
      other.close();
      db.close();
    }
    const { stored, fromSales } = rollupsOf(file);
    expect(stored).toEqual(fromSales);
  });

  it('every imported sale reaches the outbox once, in id order, beside the manual ones; a roll-back leaves tombstones', async () => {
    const file = path.join(tempDir(), 'sales.db');
    const db = new SalesDb({ file });
    db.stageBegin('job-3', 'orders.csv', 'douyin');
    db.stageBatch('job-3', packStaged(stagedOrders(6_000)));
    db.commitImport('job-3', 0);
    // The same orders again, plus new ones: only the new lines are inserted and enter the outbox.
    db.stageBegin('job-4', 'orders.csv', 'douyin');
    db.stageBatch('job-4', packStaged(stagedOrders(7_000)));
    const { firstSeq } = db.commitBegin('job-4', 0);
    await db.commitRange('job-4', firstSeq, firstSeq + 6_999);
    db.rollbackImport('job-4');
    db.stageBegin('job-5', 'orders.csv', 'douyin');
    db.stageBatch('job-5', packStaged(stagedOrders(8_000)));
    expect(db.commitImport('job-5', 0)).toMatchObject({ imported: 2_000, duplicates: 6_000 });
    db.close();
    const check = new Database(file);
    try {
      const outbox = check
        .prepare(
          'SELECT o.sale_id id, o.revision, s.import_id FROM outbox o LEFT JOIN sales s ON s.id = o.sale_id ORDER BY o.seq',
        )
        .all() as { id: number; revision: number; import_id: string | null }[];
      const sales = check.prepare('SELECT id FROM sales ORDER BY id').all() as { id: number }[];
      // Job 4's 1,000 new lines were rolled back: tombstones (revision 2, no sale) before job 5's rows.
      const live = outbox.filter((o) => o.import_id !== null);
      expect(live.map((o) => o.id)).toEqual(sales.map((s) => s.id));
      expect(live.every((o) => o.revision === 1)).toBe(true);
      const gone = outbox.filter((o) => o.import_id === null);
      expect(gone).toHaveLength(1_000);
      expect(gone.every((o) => o.revision === 2)).toBe(true);
      expect(outbox.map((o) => o.import_id)).toEqual([
        ...Array<string>(6_000).fill('job-3'),
        ...Array<null>(1_000).fill(null),
        ...Array<string>(2_000).fill('job-5'),
      ]);
    } finally {
      check.close();
    }
    // Job 5's chunks had lines already in the log (their roll-up is read from the new sales
    // rows, not from the staging table): the roll-up still equals the sales table.
    const { stored, fromSales } = rollupsOf(file);
    expect(stored).toEqual(fromSales);
  });

  it('a sale entered during a large commit is answered between its chunks', async () => {
    const kit = await makeSalesKit({ dir: tempDir() });
    try {
      const seed = await seedShow(kit);
      const csv = path.join(kit.dir, 'orders.csv');
      await writeDouyinOrders(csv, { rows: 30_000 });
      const preview = await kit.call('sales:import-preview', { source: { kind: 'path', path: csv } });
      let isCommitted = false;
      const commit = kit.call('sales:import-commit', { previewId: preview.previewId }).then((r) => {
        isCommitted = true;
        return r;
      });
      // Sales entered one after another while it commits: the first that lands after imported
      // rows waited for one chunk or two (a few thousand rows), not for a whole range the worker
      // was asked to commit (20,000 rows) nor for the first checkpoint (10,000).
      let manual = 0;
      let importedBefore = 0;
      while (!isCommitted && importedBefore === 0) {
        const sale = await kit.call('sales:record', { productId: seed.orange.id, quantity: 1 });
        manual += 1;
        importedBefore = sale.id - manual;
      }
      expect(importedBefore).toBeGreaterThan(0);
      expect(importedBefore).toBeLessThan(10_000);
      expect((await commit).imported).toBe(30_000);
    } finally {
      await kit.close();
    }
  });
});

describe('import staging', () => {
  it('removes at open the scratch files a crash left while they were being removed', () => {
    const dir = tempDir();
    const stale = path.join(dir, 'import-staging.db.7.old');
    fs.writeFileSync(stale, 'x'.repeat(1024));
    const db = new SalesDb({ file: path.join(dir, 'sales.db') });
    db.close();
    expect(fs.existsSync(stale)).toBe(false);
  });

  it('a line repeated in a file is staged once, and the preview counts it once', () => {
    const db = new SalesDb({ file: path.join(tempDir(), 'sales.db') });
    try {
      // 27 lines: the first 20 staged ten to a statement, the last 7 one by one; three of
      // them repeat earlier lines (one inside a ten, one across two tens, one in the tail),
      // each with a different amount, so a sum that took the repeat would show it.
      const lines = stagedOrders(24);
      const again = (i: number, amountFen: number) => ({ ...(lines[i] as StagedOrder), amountFen, orderCount: 3 });
      lines.splice(5, 0, again(2, 100) as StagedOrder);
      lines.splice(15, 0, again(4, 200) as StagedOrder);
      lines.push(again(20, 300) as StagedOrder);
      db.stageBegin('job-r', 'orders.csv', 'douyin');
      db.stageBatch('job-r', packStaged(lines));
      expect(db.stageSummary('job-r')).toMatchObject({
        staged: 24,
        repeatedRows: 3,
        orders: 24,
        amountFen: 24 * 5990,
        unmatchedProducts: 24,
      });
      // A second batch with nothing repeated adds to the recounted sums.
      db.stageBatch('job-r', packStaged(stagedOrders(30).slice(24)));
      expect(db.stageSummary('job-r')).toMatchObject({ staged: 30, repeatedRows: 3, orders: 30, amountFen: 30 * 5990 });
    } finally {
      db.close();
    }
  });

  // A chunk inserts without foreign-key checks (import-staging.ts withoutReferenceChecks): what
  // they would check holds because nothing a chunk's rows name can be deleted, and the checks are
  // on again for every other write the moment a chunk is done, or fails.
  it('commits without looking references up, which hold all the same; the checks are back after every chunk', async () => {
    const file = path.join(tempDir(), 'sales.db');
    const conn = new SalesConnection({ file });
    const settings = new ConfigRepo(conn);
    const catalog = new Catalog(conn);
    const shows = new ShowsRepo(conn, catalog, settings);
    const staging = new ImportStaging(conn, catalog, shows, settings);
    const isChecking = () => conn.db.pragma('foreign_keys', { simple: true });
    try {
      const product = catalog.saveProduct({
        name: '赣南脐橙',
        sku: 'A01',
        unit: '',
        priceFen: 5990 as never,
        origin: '',
        certifications: [],
        shopLinks: {},
      });
      const show = shows.createShow({
        title: '脐橙专场',
        platforms: [],
        hosts: [],
        plannedStart: null,
        timeZone: 'Asia/Shanghai',
      });
      const { live } = shows.startSegment({
        showId: show.id,
        productId: product.id,
        host: '小王',
        guest: null,
        presetId: null,
        startedAt: Date.UTC(2026, 3, 15, 12),
      });
      staging.stageBegin('job-f', 'orders.csv', 'douyin');
      staging.stageBatch('job-f', packStaged(stagedOrders(12_000)));
      const { firstSeq, lastSeq } = staging.commitBegin('job-f', 0);
      await staging.commitRange('job-f', firstSeq, lastSeq);
      expect(isChecking()).toBe(1);
      expect(staging.commitEnd('job-f')).toMatchObject({ imported: 12_000, attributed: 12_000 });
      const named = conn.db
        .prepare(
          'SELECT count(*) n FROM sales WHERE product_id = ? AND show_id = ? AND segment_id = ? AND import_id = ?',
        )
        .get(product.id, show.id, live.id, 'job-f') as { n: number };
      expect(named.n).toBe(12_000);
      expect(conn.db.pragma('foreign_key_check')).toEqual([]);
      // What the checks were skipped for cannot go: the schema refuses it.
      for (const [table, id] of [
        ['products', product.id],
        ['shows', show.id],
        ['segments', live.id],
      ] as const) {
        expect(() => conn.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id)).toThrow(/never deleted/u);
      }
      // A chunk that fails leaves the checks on too.
      staging.stageBegin('job-g', 'orders.csv', 'douyin');
      staging.stageBatch('job-g', packStaged(stagedOrders(3_000)));
      const range = staging.commitBegin('job-g', 0);
      conn.db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON sales BEGIN SELECT RAISE(ABORT, 'disk full'); END");
      await expect(staging.commitRange('job-g', range.firstSeq, range.lastSeq)).rejects.toThrow(/disk full/u);
      expect(isChecking()).toBe(1);
      // And with them on, a sale naming a product that is not there is refused.
      conn.db.exec('DROP TRIGGER temp.refuse');
      expect(() =>
        conn.db
          .prepare(
            `INSERT INTO sales (product_id, quantity, unit_price_fen, amount_fen, source, ordered_at, entered_at, status)
             VALUES ('no-such-product', 1, 100, 100, 'manual', 1, 1, 'paid')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/u);
    } finally {
      staging.close();
      conn.close();
    }
  });
});

describe('commit chunk sizing', () => {
  it.each([
    { why: 'a slow chunk: the next takes what fits in 15 ms', rows: 2_500, ms: 30, next: 1_250 },
    { why: 'a quick chunk: twice as many, not all the pace allows', rows: 2_500, ms: 1, next: 5_000 },
    { why: 'no measurable time: twice as many', rows: 2_500, ms: 0, next: 5_000 },
    { why: 'never fewer than the floor', rows: 2_500, ms: 1_000, next: 250 },
    { why: 'never more than the ceiling', rows: 15_000, ms: 5, next: 20_000 },
  ])('$why', ({ rows, ms, next }) => {
    expect(nextChunkRows(rows, rows, ms)).toBe(next);
  });
});
