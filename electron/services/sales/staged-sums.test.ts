import path from 'node:path';

import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { productInputSchema, segmentStartSchema, showInputSchema } from '../../../shared/api/sales';
import type { StagedOrder } from '../../../shared/sales/import/normalise';
import { rollupsOf } from '../../../test/support/sales/rollups';
import { useTempDirs } from '../../../test/support/temp-dirs';
import { SalesDb } from './sales-db';
import { packStaged } from './staged-columns';
import { blockAlignedEnd, StagedSums, stagedSumsBlockRows } from './staged-sums';

// The roll-up and totals an import commits are summed while its rows are staged (staged-sums.ts)
// wherever that is exact, and in SQL elsewhere. Either way the committed roll-up must equal the
// sales table grouped again, and the import's result must equal its rows in the log: checked
// here on random files (lines repeated in the file, lines already in the log, every status,
// matched and unmatched products, times in and out of segments, segments changed before the
// commit, ranges that are and are not whole blocks).

const tempDir = useTempDirs('harvest-sums-');
const start = Date.UTC(2026, 3, 15, 12);
const statuses = ['placed', 'paid', 'refunded', 'cancelled'] as const;

interface Line {
  minute: number;
  sku: 'A01' | 'B02' | 'Z99';
  status: (typeof statuses)[number];
  quantity: number;
  amountFen: number;
}

const lineArb: fc.Arbitrary<Line> = fc.record({
  minute: fc.integer({ min: -30, max: 200 }),
  sku: fc.constantFrom('A01', 'B02', 'Z99'),
  status: fc.constantFrom(...statuses),
  quantity: fc.integer({ min: 1, max: 5 }),
  amountFen: fc.integer({ min: 0, max: 99_999 }),
});

/** Line i is order `O${i}`, except where `sameAs` makes it repeat an earlier line's order. */
function staged(lines: readonly Line[], sameAs: ReadonlyMap<number, number> = new Map()): StagedOrder[] {
  return lines.map((l, i) => ({
    line: i + 2,
    orderId: `O${sameAs.get(i) ?? i}`,
    lineKey: '#1',
    orderCount: 1,
    orderedAt: start + l.minute * 60_000 + (i % 60) * 1000,
    isDateOnly: false,
    productTitle: l.sku === 'A01' ? '赣南脐橙' : l.sku === 'B02' ? '百花蜂蜜' : '未知商品',
    externalProductId: '',
    sku: l.sku,
    quantity: l.quantity,
    unitPriceFen: l.amountFen,
    amountFen: l.amountFen,
    status: l.status,
  })) as StagedOrder[];
}

function seed(db: SalesDb): string[] {
  const orange = db.saveProduct(productInputSchema.parse({ name: '赣南脐橙', sku: 'A01', unit: '箱', priceFen: 5990 }));
  const honey = db.saveProduct(productInputSchema.parse({ name: '百花蜂蜜', sku: 'B02', unit: '瓶', priceFen: 3900 }));
  const show = db.createShow(
    showInputSchema.parse({ title: '春季助农直播', platforms: ['douyin'], hosts: ['小王'], plannedStart: start }),
  );
  const segments: string[] = [];
  for (const [i, productId] of [orange.id, honey.id, orange.id].entries()) {
    const { live } = db.startSegment(
      segmentStartSchema.parse({
        showId: show.id,
        host: '小王',
        presetId: null,
        productId,
        guest: null,
        startedAt: start + i * 40 * 60_000,
      }),
    );
    segments.push(live.id);
  }
  db.endSegment(segments[2] as string, start + 150 * 60_000);
  return segments;
}

describe('sums made while staging', () => {
  it('commit a roll-up equal to the sales table and totals equal to the imported rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 2_000, maxLength: 6_500 }),
        // Lines already in the log (their chunks are not whole), and lines repeated in the file.
        fc.uniqueArray(fc.integer({ min: 0, max: 6_499 }), { maxLength: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6_499 }), fc.integer({ min: 0, max: 6_499 })), { maxLength: 2 }),
        fc.integer({ min: 1, max: 2_600 }),
        fc.boolean(),
        fc.constantFrom(20_000, 3_000),
        async (lines, inLog, repeats, batchRows, isSegmentChanged, rangeRows) => {
          const file = path.join(tempDir(), 'sales.db');
          const db = new SalesDb({ file });
          try {
            const segments = seed(db);
            const orders = staged(
              lines,
              new Map(repeats.filter(([a, b]) => a < lines.length && b < a).map(([a, b]) => [a, b])),
            );
            const earlier = inLog.filter((i) => i < orders.length).map((i) => orders[i] as StagedOrder);
            if (earlier.length > 0) {
              db.stageBegin('earlier', 'earlier.csv', 'douyin');
              db.stageBatch('earlier', packStaged(earlier));
              db.commitImport('earlier', 0);
            }

            db.stageBegin('job', 'orders.csv', 'douyin');
            for (let i = 0; i < orders.length; i += batchRows) {
              db.stageBatch('job', packStaged(orders.slice(i, i + batchRows)));
            }
            if (isSegmentChanged) db.endSegment(segments[1] as string, start + 70 * 60_000);
            const { firstSeq, lastSeq } = db.commitBegin('job', 0);
            for (let from = firstSeq; from <= lastSeq; from += rangeRows) {
              await db.commitRange('job', from, Math.min(lastSeq, from + rangeRows - 1));
            }
            const result = db.commitEnd('job');
            db.close();

            const { stored, fromSales } = rollupsOf(file);
            expect(stored).toEqual(fromSales);
            const check = new Database(file);
            try {
              const rows = check
                .prepare(
                  `SELECT count(*) imported, ifnull(sum(segment_id IS NOT NULL), 0) attributed,
                     ifnull(sum(off_air), 0) offAir,
                     ifnull(sum(CASE WHEN status IN ('placed', 'paid') THEN amount_fen ELSE 0 END), 0) amountFen
                   FROM sales WHERE import_id = 'job'`,
                )
                .get();
              expect(result).toMatchObject(rows as object);
            } finally {
              check.close();
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('staged sums blocks', () => {
  const row = {
    showId: 's',
    segmentId: 'g',
    productId: 'p',
    orderedAt: start,
    status: 'paid',
    orderCount: 1,
    quantity: 2,
    amountFen: 100,
    isOffAir: false,
  };
  const b = stagedSumsBlockRows;

  it('are given for whole exact blocks only, once', () => {
    const sums = new StagedSums();
    const last = 4 * b + b / 2;
    for (let seq = 1; seq <= last; seq++) sums.add(seq, row);
    // Not a whole block: summed in SQL (and its block is given up).
    expect(sums.take(1, b / 2, last)).toBeUndefined();
    expect(sums.take(1, b, last)).toBeUndefined();
    const next = sums.take(b + 1, 3 * b, last);
    // One row per block and key (rollupAddSql adds them up).
    expect(next?.rollup).toEqual([
      ['s', 'g', 'p', start / 60_000, b * 100, b, 2 * b, 0, 0, 0],
      ['s', 'g', 'p', start / 60_000, b * 100, b, 2 * b, 0, 0, 0],
    ]);
    expect(next?.shows).toEqual([{ showId: 's', attributed: 2 * b, offAir: 0, amount: 2 * b * 100 }]);
    expect(sums.take(b + 1, 3 * b, last)).toBeUndefined();
    // The last block ends at the last staged row.
    expect(sums.take(3 * b + 1, last, last)?.shows[0]?.attributed).toBe(b + b / 2);
  });

  it('a block a batch with a repeated line wrote into is not exact', () => {
    const sums = new StagedSums();
    for (let seq = 1; seq <= 3 * b; seq++) sums.add(seq, row);
    sums.invalidate(2 * b - 10, 2 * b + 10);
    expect(sums.take(1, b, 3 * b)).toBeDefined();
    expect(sums.take(b + 1, 2 * b, 3 * b)).toBeUndefined();
    expect(sums.take(2 * b + 1, 3 * b, 3 * b)).toBeUndefined();
  });

  it('keep each show, segment, product and minute apart; a time beyond the number key leaves its block to SQL', () => {
    const sums = new StagedSums();
    const minute = start / 60_000;
    // The same ids in other places, and none at all: each its own roll-up row.
    const rows = [
      row,
      { ...row, productId: 'q' },
      { ...row, segmentId: 'p', productId: 'g' },
      { ...row, showId: null, segmentId: null, productId: null },
      { ...row, orderedAt: start + 60_000 },
      { ...row, orderedAt: -start },
    ];
    for (let seq = 1; seq <= b; seq++) sums.add(seq, rows[seq % rows.length] as typeof row);
    const keys = sums.take(1, b, 2 * b)?.rollup.map((r) => r.slice(0, 4).join('|'));
    expect(new Set(keys)).toEqual(
      new Set([
        's|g|p|' + minute,
        's|g|q|' + minute,
        's|p|g|' + minute,
        '|||' + minute,
        `s|g|p|${minute + 1}`,
        `s|g|p|${-minute}`,
      ]),
    );
    // 2^31 minutes is the year 6053: such a row's block is summed in SQL, the next one is not.
    sums.add(b + 1, { ...row, orderedAt: 2 ** 31 * 60_000 });
    for (let seq = b + 2; seq <= 3 * b; seq++) sums.add(seq, row);
    expect(sums.take(b + 1, 2 * b, 3 * b)).toBeUndefined();
    expect(sums.take(2 * b + 1, 3 * b, 3 * b)?.rollup).toEqual([['s', 'g', 'p', minute, b * 100, b, 2 * b, 0, 0, 0]]);
  });

  it('chunks end on whole blocks', () => {
    expect(blockAlignedEnd(1, b / 2, 100_000)).toBe(b);
    expect(blockAlignedEnd(1, 2 * b + 10, 100_000)).toBe(2 * b);
    expect(blockAlignedEnd(b + 1, 20_000, 3 * b - 7)).toBe(3 * b - 7);
  });
});
