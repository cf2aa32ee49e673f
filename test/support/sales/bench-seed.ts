import { randomUUID } from 'node:crypto';

import Database from 'better-sqlite3';

import { rollupInsertSql } from '../../../electron/services/sales/migrations';
import type { SalesStore } from '../../../electron/services/sales/store';

// Seeding for the sales bench and the crash child: kept out of the app's sales code.

/** Gives a bare store one product, one show and a live segment, so `recordSale` has somewhere to land. */
export async function seedLiveSegment(store: SalesStore, title: string): Promise<void> {
  const product = await store.call('saveProduct', {
    name: '赣南脐橙',
    sku: 'A01',
    unit: '箱',
    priceFen: 5990 as never,
    origin: '',
    certifications: [],
    shopLinks: {},
  });
  const show = await store.call('createShow', {
    title,
    platforms: ['douyin'],
    hosts: [],
    plannedStart: null,
    timeZone: 'Asia/Shanghai',
  });
  await store.call('startSegment', { showId: show.id, productId: product.id, host: 'h', guest: null, presetId: null });
}

/**
 * Bulk insert for benchmarks, on a closed sales file (schema already made): `count` paid sales
 * spread evenly over the given segments, in one transaction, rolled up in one grouped pass (as
 * an import is). No audit rows.
 */
export function bulkInsertSales(
  file: string,
  input: {
    showId: string;
    segments: readonly { id: string; productId: string; startedAt: number; endedAt: number }[];
    count: number;
  },
): void {
  const db = new Database(file);
  try {
    const importId = `bench-${randomUUID()}`;
    const now = Date.now();
    // Only to make the fixture quickly: a large cache and no fsync while generating.
    db.pragma('journal_mode = WAL');
    db.pragma('cache_size = -262144');
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      `INSERT INTO sales (show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
         source, ordered_at, entered_at, status, attribution, import_id)
       VALUES (?, ?, ?, '', ?, ?, ?, 'import', ?, ?, 'paid', 'live', ?)`,
    );
    db.transaction(() => {
      db.prepare(
        `INSERT INTO imports (id, file_name, platform, rows_imported, rows_duplicate, rows_skipped, at)
         VALUES (?, 'bench', 'other', ?, 0, 0, ?)`,
      ).run(importId, input.count, now);
      const segments = input.segments;
      for (let i = 0; i < input.count; i++) {
        const seg = segments[Math.floor((i * segments.length) / input.count)];
        if (seg === undefined) continue;
        const span = seg.endedAt - seg.startedAt;
        const at = seg.startedAt + ((i * 7919) % span);
        const quantity = 1 + (i % 3);
        const unit = 990 + ((i * 37) % 9000);
        insert.run(input.showId, seg.id, seg.productId, quantity, unit, unit * quantity, at, now, importId);
      }
      db.prepare(rollupInsertSql('import_id = ?')).run(importId);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
