import type BetterSqlite3 from 'better-sqlite3';

// Numbered migrations of the sales database. Each runs in its own transaction together with the
// `PRAGMA user_version` bump, so a crash leaves the file at the previous version, never between.
// Never edit a migration that has shipped: add the next one.

const rollupColumns =
  'show_id, segment_id, product_id, minute, gmv_fen, orders, units, refunded_fen, refunded_orders, off_air_orders';
const rollupUpsert = `ON CONFLICT DO UPDATE SET
    gmv_fen = gmv_fen + excluded.gmv_fen,
    orders = orders + excluded.orders,
    units = units + excluded.units,
    refunded_fen = refunded_fen + excluded.refunded_fen,
    refunded_orders = refunded_orders + excluded.refunded_orders,
    off_air_orders = off_air_orders + excluded.off_air_orders`;
/** One sale's contribution to the roll-up, signed (+1 for NEW, -1 for OLD). */
const contribution = (
  row: 'NEW' | 'OLD',
  sign: '' | '-',
) => `(ifnull(${row}.show_id, ''), ifnull(${row}.segment_id, ''),
    ifnull(${row}.product_id, ''), ${row}.ordered_at / 60000,
    ${sign}(CASE WHEN ${row}.status IN ('placed', 'paid') THEN ${row}.amount_fen ELSE 0 END),
    ${sign}(CASE WHEN ${row}.status IN ('placed', 'paid') THEN ${row}.order_count ELSE 0 END),
    ${sign}(CASE WHEN ${row}.status IN ('placed', 'paid') THEN ${row}.quantity ELSE 0 END),
    ${sign}(CASE WHEN ${row}.status = 'refunded' THEN ${row}.amount_fen ELSE 0 END),
    ${sign}(CASE WHEN ${row}.status = 'refunded' THEN ${row}.order_count ELSE 0 END),
    ${sign}(CASE WHEN ${row}.status IN ('placed', 'paid') AND ${row}.off_air = 1 THEN ${row}.order_count ELSE 0 END))`;

/** Adds one roll-up row summed elsewhere (an import's staged rows), in rollupColumns order. */
export const rollupAddSql = `INSERT INTO sales_minute (${rollupColumns})
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${rollupUpsert}`;

/**
 * Adds the roll-up of the sales matching `where` (one grouped pass; used by imports). `from` may
 * name an import's staging table instead, which has the same columns.
 */
export function rollupInsertSql(where: string, from = 'sales', sign: '' | '-' = ''): string {
  return `INSERT INTO sales_minute (${rollupColumns})
    SELECT ifnull(show_id, ''), ifnull(segment_id, ''), ifnull(product_id, ''), ordered_at / 60000,
      ${sign}sum(CASE WHEN status IN ('placed', 'paid') THEN amount_fen ELSE 0 END),
      ${sign}sum(CASE WHEN status IN ('placed', 'paid') THEN order_count ELSE 0 END),
      ${sign}sum(CASE WHEN status IN ('placed', 'paid') THEN quantity ELSE 0 END),
      ${sign}sum(CASE WHEN status = 'refunded' THEN amount_fen ELSE 0 END),
      ${sign}sum(CASE WHEN status = 'refunded' THEN order_count ELSE 0 END),
      ${sign}sum(CASE WHEN status IN ('placed', 'paid') AND off_air = 1 THEN order_count ELSE 0 END)
    FROM ${from} WHERE ${where} GROUP BY 1, 2, 3, 4 ${rollupUpsert}`;
}

/** The migrations, in order; index + 1 is the user_version after each. */
export const migrations: readonly { readonly name: string; readonly up: string }[] = [
  {
    name: 'products, shows, segments, sales, audit',
    up: `
      CREATE TABLE products (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        sku TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        price_fen INTEGER NOT NULL CHECK (typeof(price_fen) = 'integer' AND price_fen >= 0),
        origin TEXT NOT NULL DEFAULT '',
        certifications TEXT NOT NULL DEFAULT '[]',
        shop_links TEXT NOT NULL DEFAULT '{}',
        archived INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE shows (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        platforms TEXT NOT NULL DEFAULT '[]',
        hosts TEXT NOT NULL DEFAULT '[]',
        planned_start INTEGER,
        time_zone TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE segments (
        id TEXT PRIMARY KEY,
        show_id TEXT NOT NULL REFERENCES shows(id),
        product_id TEXT REFERENCES products(id),
        host TEXT NOT NULL DEFAULT '',
        guest TEXT,
        preset_id TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        CHECK (ended_at IS NULL OR ended_at >= started_at)
      );
      CREATE INDEX segments_started ON segments(started_at);
      CREATE INDEX segments_show ON segments(show_id, started_at);
      -- Money columns refuse anything but integers: a float can never be stored as fen.
      CREATE TABLE sales (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        show_id TEXT REFERENCES shows(id),
        segment_id TEXT REFERENCES segments(id),
        product_id TEXT REFERENCES products(id),
        product_title TEXT NOT NULL DEFAULT '',
        quantity INTEGER NOT NULL CHECK (typeof(quantity) = 'integer'),
        unit_price_fen INTEGER NOT NULL CHECK (typeof(unit_price_fen) = 'integer'),
        amount_fen INTEGER NOT NULL CHECK (typeof(amount_fen) = 'integer'),
        platform TEXT,
        source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'feed')),
        external_order_id TEXT,
        external_line TEXT NOT NULL DEFAULT '',
        ordered_at INTEGER NOT NULL,
        entered_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('placed', 'paid', 'refunded', 'cancelled', 'voided')),
        note TEXT NOT NULL DEFAULT ''
      );
      -- Importing the same file twice adds nothing: one row per platform + order + line.
      CREATE UNIQUE INDEX sales_external ON sales(platform, external_order_id, external_line)
        WHERE external_order_id IS NOT NULL;
      CREATE INDEX sales_show ON sales(show_id, id);
      CREATE TRIGGER sales_never_deleted BEFORE DELETE ON sales
        BEGIN SELECT RAISE(ABORT, 'sales are never deleted; change their status'); END;
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
  {
    name: 'attribution columns, entry keys, import history, config',
    up: `
      ALTER TABLE sales ADD COLUMN order_count INTEGER NOT NULL DEFAULT 1 CHECK (order_count IN (0, 1));
      ALTER TABLE sales ADD COLUMN off_air INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE sales ADD COLUMN attribution TEXT NOT NULL DEFAULT 'none';
      ALTER TABLE sales ADD COLUMN entry_key TEXT;
      CREATE TABLE imports (
        id TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        platform TEXT NOT NULL,
        rows_imported INTEGER NOT NULL,
        rows_duplicate INTEGER NOT NULL,
        rows_skipped INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      ALTER TABLE sales ADD COLUMN import_id TEXT REFERENCES imports(id);
      UPDATE sales SET attribution = 'live' WHERE segment_id IS NOT NULL;
      UPDATE sales SET off_air = 1 WHERE segment_id IS NOT NULL AND product_id IS NOT NULL
        AND product_id <> ifnull((SELECT product_id FROM segments WHERE segments.id = sales.segment_id), product_id);
      CREATE UNIQUE INDEX sales_entry_key ON sales(entry_key) WHERE entry_key IS NOT NULL;
      CREATE INDEX sales_import ON sales(import_id) WHERE import_id IS NOT NULL;
      -- Undo looks for the newest manual entry still counted; imports stay out of this index.
      CREATE INDEX sales_manual ON sales(id) WHERE source = 'manual';
      CREATE INDEX segments_live ON segments(started_at) WHERE ended_at IS NULL;
      CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    name: 'per-minute roll-up for analytics',
    up: `
      -- Analytics read this instead of scanning sales: one row per show × segment × product × minute,
      -- kept exact by triggers (a status change subtracts the old contribution, adds the new).
      CREATE TABLE sales_minute (
        show_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        product_id TEXT NOT NULL,
        minute INTEGER NOT NULL,
        gmv_fen INTEGER NOT NULL DEFAULT 0,
        orders INTEGER NOT NULL DEFAULT 0,
        units INTEGER NOT NULL DEFAULT 0,
        refunded_fen INTEGER NOT NULL DEFAULT 0,
        refunded_orders INTEGER NOT NULL DEFAULT 0,
        off_air_orders INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (show_id, segment_id, product_id, minute)
      ) WITHOUT ROWID;
      CREATE INDEX sales_minute_product ON sales_minute(product_id, show_id, segment_id);
      CREATE INDEX segments_product ON segments(product_id, show_id);
      CREATE INDEX sales_ordered ON sales(ordered_at);
      CREATE INDEX sales_product ON sales(product_id, id);
      ${rollupInsertSql('true')};
      -- Imports add their roll-up in one grouped statement in the same transaction (much faster
      -- than a row at a time), so the row trigger skips them.
      CREATE TRIGGER sales_rollup_insert AFTER INSERT ON sales WHEN NEW.import_id IS NULL BEGIN
        INSERT INTO sales_minute (${rollupColumns}) VALUES ${contribution('NEW', '')} ${rollupUpsert};
      END;
      CREATE TRIGGER sales_rollup_update
        AFTER UPDATE OF show_id, segment_id, product_id, ordered_at, status, amount_fen, quantity, order_count, off_air
        ON sales BEGIN
        INSERT INTO sales_minute (${rollupColumns}) VALUES ${contribution('OLD', '-')} ${rollupUpsert};
        INSERT INTO sales_minute (${rollupColumns}) VALUES ${contribution('NEW', '')} ${rollupUpsert};
      END;
    `,
  },
  {
    name: 'saved column mappings, feed product mappings',
    up: `
      CREATE TABLE column_mappings (name TEXT PRIMARY KEY, mapping TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE feed_products (
        external_id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        product_id TEXT REFERENCES products(id)
      );
    `,
  },
  {
    name: 'imports committed in chunks',
    up: `
      -- A large import is committed in chunks (quick entry keeps answering between them); until its
      -- last chunk it is 'committing', and one found so at open (a crash mid-commit) is rolled back.
      ALTER TABLE imports ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
      -- Sales stay undeletable, except the rows of an import still 'committing' (its roll-back).
      DROP TRIGGER sales_never_deleted;
      CREATE TRIGGER sales_never_deleted BEFORE DELETE ON sales
        WHEN OLD.import_id IS NULL OR ifnull((SELECT state FROM imports WHERE id = OLD.import_id), 'done') <> 'committing'
        BEGIN SELECT RAISE(ABORT, 'sales are never deleted; change their status'); END;
    `,
  },
  {
    name: 'outbox for the county centre',
    up: `
      -- What the centre has not seen yet, in order (electron/services/centre/pusher.ts reads it):
      -- one row per sale, moved to a new seq with the next revision whenever the sale changes, so
      -- the outbox never outgrows the sales table and a refund after days offline travels once. The
      -- sale itself is read at push time; a sale gone (an import rolled back) travels as a tombstone.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        sale_id INTEGER NOT NULL UNIQUE,
        revision INTEGER NOT NULL
      );
      INSERT INTO outbox (sale_id, revision) SELECT id, 1 FROM sales ORDER BY id;
      CREATE TRIGGER outbox_sale_insert AFTER INSERT ON sales BEGIN
        INSERT OR REPLACE INTO outbox (sale_id, revision)
          VALUES (NEW.id, ifnull((SELECT revision FROM outbox WHERE sale_id = NEW.id), 0) + 1);
      END;
      CREATE TRIGGER outbox_sale_update
        AFTER UPDATE OF show_id, product_id, product_title, quantity, unit_price_fen, amount_fen, platform, ordered_at,
          status, order_count
        ON sales BEGIN
        INSERT OR REPLACE INTO outbox (sale_id, revision)
          VALUES (NEW.id, ifnull((SELECT revision FROM outbox WHERE sale_id = NEW.id), 0) + 1);
      END;
      CREATE TRIGGER outbox_sale_delete AFTER DELETE ON sales BEGIN
        INSERT OR REPLACE INTO outbox (sale_id, revision)
          VALUES (OLD.id, ifnull((SELECT revision FROM outbox WHERE sale_id = OLD.id), 0) + 1);
      END;
    `,
  },
  {
    name: 'imported sales reach the outbox in one statement per chunk',
    up: `
      -- An import chunk (import-staging.ts commitChunk, the one writer of rows with both an import
      -- and a platform order id) adds its rows' outbox entries itself, in one statement in the same
      -- transaction (outboxImportSql), as it does their roll-up: firing the row trigger 100,000
      -- times cost more than the inserts it made. Every other sale still goes through it.
      DROP TRIGGER outbox_sale_insert;
      CREATE TRIGGER outbox_sale_insert AFTER INSERT ON sales
        WHEN NEW.import_id IS NULL OR NEW.external_order_id IS NULL BEGIN
        INSERT OR REPLACE INTO outbox (sale_id, revision)
          VALUES (NEW.id, ifnull((SELECT revision FROM outbox WHERE sale_id = NEW.id), 0) + 1);
      END;
    `,
  },
  {
    name: 'time ranges found by the minute',
    up: `
      -- Time ranges (re-attribution, a range export) find their sales by the minute, and within a
      -- minute by id, so a new sale goes at the end of its minute instead of among the sales of
      -- the same second. With an index on ordered_at itself, every chunk of an import whose times
      -- repeat the times already in the log (a long show's orders, imported on top of the sales
      -- of that show) rewrote one index page for nearly every row: a million-order import wrote
      -- 0.7 WAL frames a row by its end, and its commit slowed from 10 to 20 µs a row. The
      -- queries add the exact bounds (queries.ts orderedInRange).
      DROP INDEX sales_ordered;
      CREATE INDEX sales_ordered_minute ON sales(ordered_at / 60000);
    `,
  },
  {
    name: 'time ranges found by ten minutes',
    up: `
      -- By ten minutes, not by the minute (queries.ts rangeBucketMs): an import chunk's rows
      -- land at the end of every bucket their times fall in, and each such end is a leaf page
      -- the chunk writes into the WAL again. A chunk of a show's orders that are not in time
      -- order (3,300 rows covering 55 minutes of a two-hour show) touched some 55 leaves of the
      -- minute index and now touches 6: a million-order import wrote 1,464-1,479 MB in its
      -- commit, 1,192-1,197 MB with this (1,113-1,124 MB with no such index at all), and the
      -- insert of 200,000 staged rows took 856-876 ms against 760-785 ms. A range then reads
      -- at most two buckets' worth of sales outside itself, each filtered by its exact time.
      DROP INDEX sales_ordered_minute;
      CREATE INDEX sales_ordered_bucket ON sales(ordered_at / 600000);
    `,
  },
  {
    name: 'shows, segments and products are never deleted',
    up: `
      -- Nothing deletes them (a product is archived, a show or segment stays in the log's
      -- history); the schema now says so, and an import chunk relies on it to insert without
      -- looking each row's show, segment and product up again (import-staging.ts).
      CREATE TRIGGER products_never_deleted BEFORE DELETE ON products
        BEGIN SELECT RAISE(ABORT, 'products are never deleted; archive them'); END;
      CREATE TRIGGER shows_never_deleted BEFORE DELETE ON shows
        BEGIN SELECT RAISE(ABORT, 'shows are never deleted'); END;
      CREATE TRIGGER segments_never_deleted BEFORE DELETE ON segments
        BEGIN SELECT RAISE(ABORT, 'segments are never deleted'); END;
    `,
  },
];

/**
 * The outbox entries of the sales an import chunk has just added, the rows with `id > ?` (one
 * parameter: the largest id before the chunk), in id order: what the insert trigger writes for
 * any other sale (migration 7). Each is a first revision: ids are AUTOINCREMENT, never reused,
 * so no outbox row (not even a rolled-back import's tombstone) can name a sale this new.
 */
export const outboxNewSalesSql = `INSERT INTO outbox (sale_id, revision)
  SELECT id, 1 FROM sales WHERE id > ? AND external_order_id IS NOT NULL ORDER BY id`;

/** The schema version this build writes. */
export const latestVersion = migrations.length;

/**
 * Brings a database up to `target` (default: latest). Refuses a file from a newer build, whose
 * schema this code does not know, instead of writing into it.
 */
export function migrate(db: BetterSqlite3.Database, target = latestVersion): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latestVersion) {
    throw Object.assign(new Error(`database schema ${from} is newer than ${latestVersion}`), { code: 'SALES_TOO_NEW' });
  }
  for (let version = from; version < target; version++) {
    const migration = migrations[version];
    if (migration === undefined) break;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return { from, to: Math.max(from, target) };
}
