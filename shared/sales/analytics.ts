import type { Product, SalesTotals, Segment, SegmentStats, Show, ShowAnalytics } from '../api/sales';
import type { Fen } from '../money';

/** One row of the per-minute roll-up the store keeps (segment × product × minute). */
export interface RollupRow {
  readonly segmentId: string | null;
  readonly productId: string | null;
  /** Minute index: floor(orderedAt / 60000). */
  readonly minute: number;
  readonly gmvFen: number;
  readonly orders: number;
  readonly units: number;
  readonly refundedFen: number;
  readonly refundedOrders: number;
  readonly offAirOrders: number;
}

/** All zeros. */
export function emptyTotals(): SalesTotals {
  return { gmvFen: 0 as Fen, orders: 0, units: 0, refundedFen: 0 as Fen, refundedOrders: 0, offAirOrders: 0 };
}

/** Adds a roll-up row into running totals (integer sums only). */
export function addTotals(into: SalesTotals, row: Omit<RollupRow, 'segmentId' | 'productId' | 'minute'>): void {
  into.gmvFen = (into.gmvFen + row.gmvFen) as Fen;
  into.orders += row.orders;
  into.units += row.units;
  into.refundedFen = (into.refundedFen + row.refundedFen) as Fen;
  into.refundedOrders += row.refundedOrders;
  into.offAirOrders += row.offAirOrders;
}

/** GMV per on-air minute, rounded to whole fen (integer division, no floats kept). */
export function perMinute(gmvFen: number, durationMs: number): Fen {
  if (durationMs <= 0) return 0 as Fen;
  return Math.round((gmvFen * 60_000) / durationMs) as Fen;
}

const maxPoints = 24 * 60;

/**
 * Shapes one show's numbers for the analytics page: totals, per segment, the orders-per-minute
 * curve (with the segments as bands, drawn by the UI from `segments`), host vs guest, top
 * products. Pure: the store runs the queries, this only adds up.
 */
export function buildShowAnalytics(input: {
  show: Show;
  segments: readonly Segment[];
  products: ReadonlyMap<string, Pick<Product, 'name'>>;
  rows: readonly RollupRow[];
  now: number;
}): ShowAnalytics {
  const { show, segments, products, rows, now } = input;
  const totals = emptyTotals();
  const unattributed = emptyTotals();
  const bySegment = new Map<string, SalesTotals>();
  const byProduct = new Map<string, SalesTotals>();
  const byMinute = new Map<number, { orders: number; gmvFen: number }>();
  let firstMinute = Number.POSITIVE_INFINITY;
  let lastMinute = Number.NEGATIVE_INFINITY;

  for (const row of rows) {
    addTotals(totals, row);
    if (row.segmentId === null) addTotals(unattributed, row);
    else {
      let seg = bySegment.get(row.segmentId);
      if (seg === undefined) bySegment.set(row.segmentId, (seg = emptyTotals()));
      addTotals(seg, row);
    }
    const productKey = row.productId ?? '';
    let prod = byProduct.get(productKey);
    if (prod === undefined) byProduct.set(productKey, (prod = emptyTotals()));
    addTotals(prod, row);
    const point = byMinute.get(row.minute) ?? { orders: 0, gmvFen: 0 };
    point.orders += row.orders;
    point.gmvFen += row.gmvFen;
    byMinute.set(row.minute, point);
    if (row.orders !== 0 || row.gmvFen !== 0) {
      firstMinute = Math.min(firstMinute, row.minute);
      lastMinute = Math.max(lastMinute, row.minute);
    }
  }

  const segmentStats: SegmentStats[] = segments.map((segment) => {
    const segTotals = bySegment.get(segment.id) ?? emptyTotals();
    const durationMs = Math.max(0, (segment.endedAt ?? now) - segment.startedAt);
    return {
      segment,
      productName: segment.productId === null ? null : (products.get(segment.productId)?.name ?? null),
      totals: segTotals,
      durationMs,
      gmvPerMinuteFen: perMinute(segTotals.gmvFen, durationMs),
    };
  });

  for (const segment of segments) {
    firstMinute = Math.min(firstMinute, Math.floor(segment.startedAt / 60_000));
    lastMinute = Math.max(lastMinute, Math.floor((segment.endedAt ?? Math.max(now, segment.startedAt)) / 60_000));
  }
  const points: ShowAnalytics['perMinute'] = [];
  if (Number.isFinite(firstMinute)) {
    const end = Math.min(lastMinute, firstMinute + maxPoints - 1);
    for (let m = firstMinute; m <= end; m++) {
      const p = byMinute.get(m);
      points.push({ minute: m * 60_000, orders: p?.orders ?? 0, gmvFen: (p?.gmvFen ?? 0) as Fen });
    }
  }

  const people = new Map<string, ShowAnalytics['hostVsGuest'][number]>();
  let onAirMs = 0;
  let onAirGmv = 0;
  for (const stats of segmentStats) {
    const { segment } = stats;
    const kind = segment.guest !== null && segment.guest !== '' ? 'guest' : 'host';
    const name = kind === 'guest' ? (segment.guest ?? '') : segment.host;
    const key = `${kind}\u0000${name}`;
    let entry = people.get(key);
    if (entry === undefined) people.set(key, (entry = { kind, name, totals: emptyTotals(), durationMs: 0 }));
    addTotals(entry.totals, stats.totals);
    entry.durationMs += stats.durationMs;
    onAirMs += stats.durationMs;
    onAirGmv += stats.totals.gmvFen;
  }

  const topProducts = [...byProduct.entries()]
    .map(([productId, t]) => ({
      productId: productId === '' ? null : productId,
      name: productId === '' ? '' : (products.get(productId)?.name ?? ''),
      totals: t,
    }))
    .sort((a, b) => b.totals.gmvFen - a.totals.gmvFen || b.totals.units - a.totals.units)
    .slice(0, 10);

  return {
    show,
    totals,
    segments: segmentStats,
    perMinute: points,
    onAirGmvPerMinuteFen: perMinute(onAirGmv, onAirMs),
    hostVsGuest: [...people.values()].sort((a, b) => b.totals.gmvFen - a.totals.gmvFen),
    topProducts,
    unattributed,
  };
}
