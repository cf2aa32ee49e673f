import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { StudioError } from '../../../shared/api/result';
import { fen } from '../../../shared/fen';
import { seedLiveSegment } from '../../../test/support/sales/bench-seed';
import type { SalesKit } from '../../../test/support/sales/test-kit';
import { cst, makeSalesKit, seedShow } from '../../../test/support/sales/test-kit';
import { useTempDirs } from '../../../test/support/temp-dirs';
import { createNullLogger } from '../logger';
import { latestVersion, migrate, migrations } from './migrations';
import { rangeBucketMs } from './queries';
import { SalesDb } from './sales-db';
import { SalesStore } from './store';
import { toSalesError } from './store-errors';

const tempDir = useTempDirs('harvest-sales-db-');
const kits: SalesKit[] = [];
async function kitIn(dir?: string, options: Parameters<typeof makeSalesKit>[0] = {}): Promise<SalesKit> {
  const kit = await makeSalesKit({ ...options, ...(dir === undefined ? {} : { dir }) });
  kits.push(kit);
  if (dir === undefined) tempDir.track(kit.dir);
  return kit;
}
afterEach(async () => {
  for (const kit of kits.splice(0)) await kit.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof StudioError ? error.code : `not a StudioError: ${String(error)}`;
}

function schemaOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .all() as { type: string; name: string; sql: string | null }[]
    ).map((r) => `${r.type} ${r.name}: ${r.sql ?? ''}`);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('builds the schema from an empty file', () => {
    const file = path.join(tempDir(), 'sales.db');
    const db = new SalesDb({ file });
    expect(db.schemaVersion()).toBe(latestVersion);
    expect(latestVersion).toBe(migrations.length);
    db.close();
    expect(schemaOf(file).some((s) => s.startsWith('table sales_minute'))).toBe(true);
  });

  // Data as each version could hold it, then the upgrade to the latest: same schema as a fresh
  // file, nothing lost, attribution and roll-up back-filled.
  for (let from = 1; from < latestVersion; from++) {
    it(`upgrades a version-${from} file with data in it`, () => {
      const dir = tempDir();
      const fresh = path.join(dir, 'fresh.db');
      new SalesDb({ file: fresh }).close();
      const file = path.join(dir, 'old.db');
      const raw = new Database(file);
      migrate(raw, from);
      expect(raw.pragma('user_version', { simple: true })).toBe(from);
      raw.exec(`
        INSERT INTO products (id, name, price_fen, created_at, updated_at) VALUES ('p1', '脐橙', 5990, 1, 1), ('p2', '蜂蜜', 3900, 1, 1);
        INSERT INTO shows (id, title, time_zone, created_at) VALUES ('s1', '老场次', 'Asia/Shanghai', 1);
        INSERT INTO segments (id, show_id, product_id, host, started_at, ended_at) VALUES ('g1', 's1', 'p1', '小王', 1000, 900000);
        INSERT INTO sales (show_id, segment_id, product_id, quantity, unit_price_fen, amount_fen, source, ordered_at, entered_at, status)
          VALUES ('s1', 'g1', 'p1', 2, 5990, 11980, 'manual', 60000, 60000, 'paid'),
                 ('s1', 'g1', 'p2', 1, 3900, 3900, 'manual', 120000, 120000, 'paid'),
                 ('s1', 'g1', 'p1', 1, 5990, 5990, 'manual', 130000, 130000, 'refunded');
      `);
      // From version 2 on, the app itself records attribution when it writes a sale.
      if (from >= 2) raw.exec("UPDATE sales SET attribution = 'live', off_air = (product_id = 'p2')");
      raw.close();

      const db = new SalesDb({ file });
      expect(db.schemaVersion()).toBe(latestVersion);
      const analytics = db.showAnalytics('s1');
      expect(analytics.totals).toMatchObject({
        gmvFen: 15880,
        orders: 2,
        units: 3,
        refundedFen: 5990,
        offAirOrders: 1,
      });
      expect(db.rawTotals('s1')).toEqual({ gmvFen: 15880, orders: 2, units: 3 });
      const sales = db.listSales({ limit: 10 }).sales;
      expect(sales.map((s) => [s.attribution, s.isOffAir])).toEqual([
        ['live', false],
        ['live', true],
        ['live', false],
      ]);
      db.close();
      expect(schemaOf(file)).toEqual(schemaOf(fresh));
    });
  }

  it('refuses a file from a newer build instead of writing into it', () => {
    const file = path.join(tempDir(), 'sales.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion + 5}`);
    raw.close();
    let error: unknown;
    try {
      new SalesDb({ file });
    } catch (e) {
      error = e;
    }
    expect(toSalesError(error, file, true).code).toBe('sales/db-too-new');
  });

  it('uses indexes for analytics and lookups (EXPLAIN QUERY PLAN)', () => {
    const db = new SalesDb({ file: path.join(tempDir(), 'sales.db') });
    const plans: Record<string, string[]> = {};
    for (const [name, sql] of Object.entries(SalesDb.queries)) {
      const params = Array.from({ length: (sql.match(/\?/gu) ?? []).length }, () => 1);
      plans[name] = db.explain(sql, params);
    }
    db.close();
    for (const [name, plan] of Object.entries(plans)) {
      for (const step of plan) {
        // A SCAN is only acceptable through an index; never a full table scan.
        if (/^SCAN /u.test(step)) expect(step, `${name}: ${step}`).toMatch(/USING (COVERING )?INDEX/u);
      }
      expect(plan.join(' | '), name).toMatch(/USING (COVERING INDEX|INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/u);
    }
    expect(plans.showRollup?.join()).toContain('SEARCH sales_minute USING PRIMARY KEY (show_id=?)');
    expect(plans.productRollup?.join()).toContain('sales_minute_product (product_id=?)');
    expect(plans.byExternal?.join()).toContain('sales_external');
    expect(plans.salesInRange?.join()).toContain('sales_ordered_bucket');
  });

  // The range index is by ten minutes (migration 10), the range itself exact: whatever the
  // bounds (mid-bucket, before 1970, where SQLite's division truncates) and whatever an old file
  // holds (a time stored as a real), a range gives the sales a plain comparison would, no more.
  it('finds exactly the sales of a time range through the ten-minute index', () => {
    const file = path.join(tempDir(), 'sales.db');
    new SalesDb({ file }).close();
    const raw = new Database(file);
    const times: number[] = [];
    const b = rangeBucketMs;
    for (let t = -3 * b; t <= 6 * b; t += 79_193) times.push(t);
    for (const edge of [-2 * b, -b - 1, -b, -1, 0, b - 1, b, b + 1, 2 * b]) times.push(edge);
    times.push(2 * b - 0.5, b + 0.25, -b + 0.5);
    const insert = raw.prepare(
      `INSERT INTO sales (quantity, unit_price_fen, amount_fen, source, ordered_at, entered_at, status)
       VALUES (1, 100, 100, 'manual', ?, 1, 'paid')`,
    );
    const idOf = new Map<number, number>();
    for (const t of times) idOf.set(Number(insert.run(t).lastInsertRowid), t);
    raw.close();
    const db = new SalesDb({ file });
    try {
      const bound = fc.oneof(
        fc.integer({ min: -4 * b, max: 7 * b }),
        fc.constantFrom(...times),
        fc.integer({ min: -4, max: 7 }).map((m) => m * b),
      );
      fc.assert(
        fc.property(bound, bound, (a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const found = db.exportPage({ kind: 'range', from, to }, 0, 1000).map((r) => r.sale.id);
          const expected = [...idOf].filter(([, t]) => t >= from && t < to).map(([id]) => id);
          expect(found).toEqual(expected);
        }),
        { numRuns: 400 },
      );
    } finally {
      db.close();
    }
  });
});

describe('money never floats', () => {
  it('the database refuses a non-integer amount, and the roll-up sums integers exactly', () => {
    const file = path.join(tempDir(), 'sales.db');
    const db = new SalesDb({ file });
    db.close();
    const raw = new Database(file);
    const insert = (amount: number) =>
      raw
        .prepare(
          `INSERT INTO sales (quantity, unit_price_fen, amount_fen, source, ordered_at, entered_at, status)
           VALUES (1, 10, ?, 'manual', 1, 1, 'paid')`,
        )
        .run(amount);
    expect(() => insert(0.1)).toThrow(/CHECK constraint failed/u);
    expect(() => insert(29.9)).toThrow(/CHECK constraint failed/u);
    // 10,000 sales of 0.10 yuan: 1,000.00 yuan exactly (as floats, 0.1 × 10,000 drifts).
    raw.transaction(() => {
      for (let i = 0; i < 10_000; i++) insert(10);
    })();
    const sum = raw.prepare("SELECT sum(gmv_fen) s, typeof(sum(gmv_fen)) t FROM sales_minute WHERE show_id = ''").get();
    expect(sum).toEqual({ s: 100_000, t: 'integer' });
    raw.close();
  });

  it('API inputs with fractional fen are refused before they reach the store', async () => {
    const kit = await kitIn();
    const product = await kit.call('products:save', { name: '脐橙', priceFen: 5990 });
    expect(product.priceFen).toBe(5990);
    expect(await codeOf(kit.call('products:save', { name: '脐橙', priceFen: 59.9 }))).toBe('app/invalid-payload');
  });
});

describe('quick entry', () => {
  it('needs a live segment, lands in it, and is on disk when the UI hears of it', async () => {
    const kit = await kitIn();
    expect(await codeOf(kit.call('sales:record', {}))).toBe('sales/no-live-segment');
    const product = await kit.call('products:save', { name: '赣南脐橙', sku: 'A01', priceFen: 5990 });
    const show = await kit.call('sales:show-create', { title: '今晚', platforms: ['douyin'] });
    const segment = await kit.call('sales:segment-start', {
      showId: show.id,
      productId: product.id,
      host: '小王',
      guest: null,
      presetId: null,
    });
    expect(kit.events.find((e) => e.name === 'sales:segment-changed')?.payload).toMatchObject({
      live: { id: segment.id },
    });

    // When the event fires, another connection must already see the row: acknowledged = committed.
    const file = path.join(kit.dir, 'sales', 'sales.db');
    let seenByOtherConnection: unknown;
    const heard = kit.next('sales:recorded').then((sale) => {
      const reader = new Database(file, { readonly: true });
      seenByOtherConnection = reader.prepare('SELECT amount_fen FROM sales WHERE id = ?').get(sale.id);
      reader.close();
      return sale;
    });
    const sale = await kit.call('sales:record', { quantity: 3 });
    expect(await heard).toEqual(sale);
    expect(seenByOtherConnection).toEqual({ amount_fen: 17970 });
    expect(sale).toMatchObject({
      segmentId: segment.id,
      showId: show.id,
      amountFen: 17970,
      platform: 'douyin',
      attribution: 'live',
    });

    const edited = await kit.call('sales:record', { quantity: 2, amountFen: 10000, entryKey: 'click-0001' });
    const retried = await kit.call('sales:record', { quantity: 2, amountFen: 10000, entryKey: 'click-0001' });
    expect(retried.id).toBe(edited.id);
    expect((await kit.call('sales:analytics-show', { showId: show.id })).totals).toMatchObject({
      gmvFen: 27970,
      orders: 2,
      units: 5,
    });

    const undone = await kit.call('sales:undo-last');
    expect(undone).toMatchObject({ id: edited.id, status: 'voided' });
    const refunded = await kit.call('sales:set-status', { saleId: sale.id, status: 'refunded', reason: '买家退款' });
    expect(refunded.status).toBe('refunded');
    const analytics = await kit.call('sales:analytics-show', { showId: show.id });
    expect(analytics.totals).toMatchObject({ gmvFen: 0, orders: 0, refundedFen: 17970, refundedOrders: 1 });
    // Nothing was deleted: both rows are still there with their history.
    expect((await kit.call('sales:list', { showId: show.id })).sales).toHaveLength(2);
    expect(await codeOf(kit.call('sales:set-status', { saleId: 9999, status: 'paid' }))).toBe('sales/not-found');
    const raw = new Database(file);
    expect(() => raw.prepare('DELETE FROM sales').run()).toThrow(/never deleted/u);
    const audit = raw.prepare("SELECT action, detail FROM audit WHERE entity = 'sale' ORDER BY id").all();
    raw.close();
    expect(audit).toEqual([
      { action: 'status', detail: JSON.stringify({ from: 'paid', to: 'voided', reason: 'undo' }) },
      { action: 'status', detail: JSON.stringify({ from: 'paid', to: 'refunded', reason: '买家退款' }) },
    ]);
  });

  it('a segment started in the past takes the sales recorded since then', async () => {
    const kit = await kitIn();
    const seed = await seedShow(kit);
    // After the show: a manual sale for honey at 20:40 recorded late.
    const late = await kit.call('sales:record', { productId: seed.honey.id, orderedAt: cst('21:45') });
    expect(late.segmentId).toBeNull();
    const encore = await kit.call('sales:segment-start', {
      showId: seed.show.id,
      productId: seed.honey.id,
      host: '小王',
      guest: null,
      presetId: null,
      startedAt: cst('21:40'),
    });
    const [moved] = (await kit.call('sales:list', { segmentId: encore.id })).sales;
    expect(moved).toMatchObject({ id: late.id, segmentId: encore.id, attribution: 'live' });
    const live = await kit.call('sales:live-segment');
    expect(live?.segment.id).toBe(encore.id);
    expect(live?.product?.name).toBe('百花蜂蜜');
  });

  it('per product across shows', async () => {
    const kit = await kitIn();
    const seed = await seedShow(kit);
    await kit.call('sales:record', { productId: seed.orange.id, orderedAt: cst('20:10'), quantity: 2 });
    await kit.call('sales:record', { productId: seed.orange.id, orderedAt: cst('21:05') });
    const stats = await kit.call('sales:analytics-product', { productId: seed.orange.id });
    expect(stats.totals).toMatchObject({ gmvFen: 3 * 5990, orders: 2, units: 3, offAirOrders: 1 });
    expect(stats.shows).toHaveLength(1);
    expect(stats.shows[0]).toMatchObject({
      segments: 1,
      onAirMs: 30 * 60_000,
      gmvPerMinuteFen: Math.round((3 * 5990) / 30),
    });
  });
});

describe('the sales worker', () => {
  it('runs only the methods on its read and write lists; any other name is a coded error', async () => {
    const store = new SalesStore({ file: path.join(tempDir(), 'sales.db') }, createNullLogger());
    await store.open();
    try {
      // Private helpers of the repositories, SalesDb's own plumbing, and names from Object.prototype.
      for (const name of ['insertSale', 'recorded', 'checkpoint', 'explain', 'constructor', 'toString', '__proto__']) {
        expect(await codeOf(store.call(name as never)), name).toBe('sales/unknown-method');
      }
      // Still open and answering listed methods.
      expect(await store.call('listShows', 5)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps the WAL short under a steady stream of sales, with no idle moment to checkpoint in', async () => {
    const perSale = walBytesPerSale();
    const file = path.join(tempDir(), 'sales.db');
    const store = new SalesStore({ file }, createNullLogger());
    await store.open();
    try {
      await seedLiveSegment(store, 'stream');
      const sales = 3000;
      for (let i = 0; i < sales; i++) await store.call('recordSale', { quantity: 1, note: '' });
      // The WAL file keeps the largest size it reached: a checkpoint every 1,024 writes holds it
      // near 1,024 sales' worth; without one it would hold all 3,000.
      expect(walOf(file)).toBeLessThan(1500 * perSale);
    } finally {
      await store.close();
    }
  });

  it('writes the WAL out at open, so a run of sales writes over it instead of growing it', async () => {
    const perSale = walBytesPerSale();
    const file = path.join(tempDir(), 'sales.db');
    const store = new SalesStore({ file }, createNullLogger());
    await store.open();
    try {
      // Room for the sales between two per-writes checkpoints (1,024 writes).
      const opened = walOf(file);
      expect(opened).toBeGreaterThanOrEqual(1024 * perSale);
      await seedLiveSegment(store, 'ahead');
      for (let i = 0; i < 900; i++) await store.call('recordSale', { quantity: 1, note: '' });
      expect(walOf(file)).toBe(opened);
    } finally {
      await store.close();
    }
    // Closed cleanly, every sale is in the file and the WAL is gone with its zeros.
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT count(*) n FROM sales').get()).toEqual({ n: 900 });
    raw.close();
  });

  it('a WAL written out ahead gives back every commit after a crash; an impossible size writes nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'sales.db');
    const db = new SalesDb({ file });
    const size = walOf(file);
    const ahead = 4 * 1024 * 1024;
    expect(db.preallocateWal(ahead)).toBe(ahead - size);
    expect(walOf(file)).toBe(ahead);
    expect(db.preallocateWal(ahead / 2)).toBe(0);
    // More than the disk has room for: nothing is written, the file is as it was.
    expect(db.preallocateWal(Number.MAX_SAFE_INTEGER)).toBe(0);
    expect(walOf(file)).toBe(ahead);
    seedSegmentIn(db);
    for (let i = 0; i < 60; i++) db.recordSale({ quantity: 1, note: '', entryKey: `crash-${i}` });
    expect(walOf(file)).toBe(ahead);
    // The files as a crash leaves them (no wal-index, so the next open recovers from the WAL
    // itself and reads it up to the zeros); the database file holds none of the sales yet.
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(file, copy);
    fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    db.close();
    const raw = new Database(copy);
    expect(raw.prepare('SELECT count(*) n FROM sales').get()).toEqual({ n: 60 });
    expect(raw.prepare("SELECT entry_key FROM sales WHERE entry_key = 'crash-59'").get()).toEqual({
      entry_key: 'crash-59',
    });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });
});

function walOf(file: string): number {
  return fs.statSync(`${file}-wal`).size;
}

/** A product and a live segment, straight into a SalesDb. */
function seedSegmentIn(db: SalesDb): void {
  const product = db.saveProduct({
    name: '赣南脐橙',
    sku: 'A01',
    unit: '箱',
    priceFen: fen(5990),
    origin: '',
    certifications: [],
    shopLinks: {},
  });
  const show = db.createShow({
    title: '今晚',
    platforms: ['douyin'],
    hosts: [],
    plannedStart: null,
    timeZone: 'Asia/Shanghai',
  });
  db.startSegment({ showId: show.id, productId: product.id, host: '小王', guest: null, presetId: null });
}

/** What one sale adds to a WAL that is never checkpointed nor written out ahead (a connection of its own). */
function walBytesPerSale(): number {
  const probe = new SalesDb({ file: path.join(tempDir(), 'probe.db') });
  seedSegmentIn(probe);
  for (let i = 0; i < 100; i++) probe.recordSale({ quantity: 1, note: '' });
  const before = walOf(probe.file);
  for (let i = 0; i < 200; i++) probe.recordSale({ quantity: 1, note: '' });
  const perSale = (walOf(probe.file) - before) / 200;
  probe.close();
  return perSale;
}

describe('a database that cannot be opened', () => {
  it('corrupt: a coded error, the app keeps answering, and a backup brings the log back', async () => {
    const dir = tempDir();
    let clock = Date.now();
    const first = await kitIn(dir, { now: () => clock });
    const product = await first.call('products:save', { name: '脐橙', priceFen: 5990 });
    // The start-up backup may predate the product; tomorrow's certainly holds it.
    await first.domain.service.backupNow();
    clock += 86_400_000;
    const backup = await first.domain.service.backupNow();
    expect(backup).not.toBeNull();
    await first.close();
    kits.splice(kits.indexOf(first), 1);

    const file = path.join(dir, 'sales', 'sales.db');
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    fs.closeSync(fd);

    const second = await kitIn(dir);
    const status = await second.call('sales:db-status');
    expect(status).toMatchObject({ state: 'error', errorCode: 'sales/db-corrupt' });
    expect(status.backups).toHaveLength(2);
    expect(status.backups[0]?.name).toBe(path.basename(backup ?? ''));
    expect(await codeOf(second.call('sales:record', {}))).toBe('sales/db-corrupt');
    expect(await codeOf(second.call('sales:open-backup', { name: 'nope.db' }))).toBe('sales/backup-not-found');

    const restored = await second.call('sales:open-backup', { name: status.backups[0]?.name ?? '' });
    expect(restored).toMatchObject({ state: 'open', errorCode: null, schemaVersion: latestVersion });
    expect((await second.call('products:get', { id: product.id })).name).toBe('脐橙');
    // The damaged file is kept aside for support, never deleted.
    expect(fs.readdirSync(path.join(dir, 'sales')).some((n) => n.startsWith('sales.db.damaged-'))).toBe(true);
  });

  it('locked by another program: sales/db-locked, then another folder works', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'sales', 'sales.db');
    new SalesDb({ file }).close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const kit = await kitIn(dir, { busyTimeoutMs: 100 });
      expect(await kit.call('sales:db-status')).toMatchObject({ state: 'error', errorCode: 'sales/db-locked' });
      expect(await codeOf(kit.call('products:list', {}))).toBe('sales/db-locked');
      const blocker = path.join(dir, 'a-file');
      fs.writeFileSync(blocker, 'x');
      expect(await codeOf(kit.call('sales:choose-folder', { folder: path.join(blocker, 'sub') }))).toBe(
        'sales/folder-unusable',
      );
      const other = path.join(dir, '其他 文件夹');
      const status = await kit.call('sales:choose-folder', { folder: other });
      expect(status).toMatchObject({ state: 'open', folder: other });
      expect(await kit.call('products:list', {})).toEqual([]);
      // Remembered for the next start.
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'sales-location.json'), 'utf8'))).toEqual({ folder: other });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('maps real SQLite and file-system failures to our codes', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE t (x TEXT)');
    raw.pragma('max_page_count = 3');
    let full: unknown;
    try {
      raw.transaction(() => {
        for (let i = 0; i < 1000; i++) raw.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000));
      })();
    } catch (e) {
      full = e;
    }
    raw.close();
    expect(toSalesError(full, file).code).toBe('sales/disk-full');
    const ro = new Database(file, { readonly: true });
    let readOnly: unknown;
    try {
      ro.exec("INSERT INTO t VALUES ('y')");
    } catch (e) {
      readOnly = e;
    }
    ro.close();
    expect(toSalesError(readOnly, file).code).toBe('sales/read-only');
    expect(toSalesError(Object.assign(new Error('x'), { code: 'ENOSPC' }), file).code).toBe('sales/disk-full');
    expect(toSalesError(new TypeError('bug'), file).code).toBe('app/internal');
  });

  it('keeps one backup a day and rotates old ones', async () => {
    let clock = Date.UTC(2026, 3, 1, 4);
    const kit = await kitIn(undefined, { now: () => clock });
    await kit.call('products:save', { name: '脐橙', priceFen: 5990 });
    for (let day = 0; day < 10; day++) {
      clock += 86_400_000;
      await kit.domain.service.backupNow();
    }
    const status = await kit.call('sales:db-status');
    expect(status.backups).toHaveLength(7);
    expect(status.backups[0]?.name).toBe(`sales-2026-04-11.db`);
    const copy = new Database(path.join(kit.dir, 'sales', 'backups', status.backups[0]?.name ?? ''), {
      readonly: true,
    });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT name FROM products').all()).toEqual([{ name: '脐橙' }]);
    copy.close();
  });
});
