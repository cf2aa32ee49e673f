import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { migrate } from '../sales/migrations';
import { OutboxReader } from './outbox-reader';

// The outbox on a real SQLite file: what the triggers write for inserts, status changes and an
// import rolled back, what the reader gives the pusher, and that its batch query uses the keys.

function salesFile(): { file: string; db: Database.Database } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-outbox-')), 'sales.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db);
  db.prepare(
    `INSERT INTO products (id, name, price_fen, created_at, updated_at) VALUES ('p1', '百花蜂蜜', 3900, 0, 0)`,
  ).run();
  return { file, db };
}

const insertSale = (db: Database.Database, importId: string | null = null) =>
  Number(
    db
      .prepare(
        `INSERT INTO sales (product_id, quantity, unit_price_fen, amount_fen, source, ordered_at, entered_at, status, import_id)
         VALUES ('p1', 1, 3900, 3900, ?, 1, 1, 'paid', ?)`,
      )
      .run(importId === null ? 'manual' : 'import', importId).lastInsertRowid,
  );

describe('outbox (sales migration 6)', () => {
  it('one row per sale, moved to a new seq at the next revision on each change; a sale gone reads as voided', () => {
    const { file, db } = salesFile();
    const a = insertSale(db);
    const b = insertSale(db);
    db.prepare(`UPDATE sales SET status = 'refunded' WHERE id = ?`).run(a);
    db.prepare(`UPDATE sales SET note = 'only a note' WHERE id = ?`).run(b);
    db.prepare(
      `INSERT INTO imports (id, file_name, platform, rows_imported, rows_duplicate, rows_skipped, at, state)
      VALUES ('imp', 'x.csv', 'douyin', 1, 0, 0, 1, 'committing')`,
    ).run();
    const c = insertSale(db, 'imp');
    db.prepare('DELETE FROM sales WHERE id = ?').run(c);

    const reader = new OutboxReader(file);
    const rows = reader.batch(0, 100);
    expect(rows.map((r) => [r.saleId, r.revision, r.status])).toEqual([
      [b, 1, 'paid'],
      [a, 2, 'refunded'],
      [c, 2, 'voided'],
    ]);
    expect(rows[0]).toMatchObject({ product: '百花蜂蜜', amountFen: 3900, orderCount: 1 });
    expect(reader.pending(rows[0]!.seq)).toBe(2);
    expect(reader.lastSeq()).toBe(rows[2]!.seq);
    expect(reader.batch(rows[2]!.seq, 100)).toEqual([]);

    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT o.seq, s.status, p.name FROM outbox o LEFT JOIN sales s ON s.id = o.sale_id
         LEFT JOIN products p ON p.id = s.product_id WHERE o.seq > ? ORDER BY o.seq LIMIT ?`,
      )
      .all(0, 10) as { detail: string }[];
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toMatch(/SEARCH o USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
    expect(details).toMatch(/SEARCH s USING INTEGER PRIMARY KEY/);
    reader.close();
    db.close();
  });

  it('the reader is read-only and says so with a code when the log is missing', () => {
    const { file, db } = salesFile();
    insertSale(db);
    const reader = new OutboxReader(file);
    expect(reader.batch(0, 10)).toHaveLength(1);
    // Writes from the sales worker go on while the reader holds its connection (WAL).
    insertSale(db);
    expect(reader.pending(0)).toBe(2);
    reader.close();
    db.close();
    expect(() => new OutboxReader(path.join(path.dirname(file), 'nope.db')).batch(0, 1)).toThrow(
      expect.objectContaining({ code: 'centre/outbox-unreadable' }),
    );
  });
});
