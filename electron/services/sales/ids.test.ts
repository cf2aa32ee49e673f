import { randomUUID } from 'node:crypto';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { stagedOrders } from '../../../test/support/sales/staged-orders';
import { useTempDirs } from '../../../test/support/temp-dirs';
import { newId } from './ids';
import { SalesDb } from './sales-db';
import { packStaged } from './staged-columns';

const tempDir = useTempDirs('harvest-ids-');
const urlSafe22 = /^[A-Za-z0-9_-]{22}$/u;

describe('sales ids', () => {
  it('are 22 URL-safe characters, and 100,000 of them are all different', () => {
    const ids = Array.from({ length: 100_000 }, newId);
    for (const id of ids.slice(0, 1000)) expect(id).toMatch(urlSafe22);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('name what the log makes from now on; a product an earlier build made with a UUID sells as before', () => {
    const file = path.join(tempDir(), 'sales.db');
    let db = new SalesDb({ file });
    const show = db.createShow({
      title: '专场',
      platforms: [],
      hosts: [],
      plannedStart: null,
      timeZone: 'Asia/Shanghai',
    });
    db.close();
    const uuid = randomUUID();
    const raw = new Database(file);
    raw
      .prepare(
        "INSERT INTO products (id, name, sku, price_fen, created_at, updated_at) VALUES (?, '赣南脐橙', 'A01', 5990, 1, 1)",
      )
      .run(uuid);
    raw.close();
    db = new SalesDb({ file });
    try {
      const { live } = db.startSegment({
        showId: show.id,
        productId: uuid,
        host: '小王',
        guest: null,
        presetId: null,
        startedAt: Date.UTC(2026, 3, 15, 12),
      });
      for (const id of [show.id, live.id]) expect(id).toMatch(urlSafe22);
      db.stageBegin('job-1', 'orders.csv', 'douyin');
      db.stageBatch('job-1', packStaged(stagedOrders(1)));
      expect(db.commitImport('job-1', 0)).toMatchObject({ imported: 1, attributed: 1 });
      const { segments, topProducts } = db.showAnalytics(show.id);
      expect(segments.find((s) => s.segment.id === live.id)).toMatchObject({
        productName: '赣南脐橙',
        totals: { gmvFen: 5990, orders: 1 },
      });
      expect(topProducts).toMatchObject([{ productId: uuid, totals: { gmvFen: 5990 } }]);
    } finally {
      db.close();
    }
  });
});
