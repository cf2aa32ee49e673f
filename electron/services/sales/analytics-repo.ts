import type {
  Product,
  ProductAnalytics,
  RecordedTotals,
  SalesTotals,
  Show,
  ShowAnalytics,
} from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';
import type { RollupRow } from '../../../shared/sales/analytics';
import { addTotals, buildShowAnalytics, emptyTotals, perMinute } from '../../../shared/sales/analytics';
import type { SalesConnection } from './connection';
import { salesQueries } from './queries';
import type { SegmentRow } from './rows';
import { toSegment } from './rows';

// The analytics repository: reads of the per-minute roll-up (kept exact by triggers and by each
// import chunk), never a scan of the sales table.

export interface AnalyticsLookups {
  getShow(id: string): Show;
  getProduct(id: string): Product;
  listProducts(includeArchived: boolean): Product[];
}

/** The summed columns of a roll-up row, as SQLite names them. */
interface RollupSums {
  gmv_fen: number;
  orders: number;
  units: number;
  refunded_fen: number;
  refunded_orders: number;
  off_air_orders: number;
}

/** Those sums as the analytics name them. */
function totalsOf(r: RollupSums): SalesTotals {
  return {
    gmvFen: r.gmv_fen as Fen,
    orders: r.orders,
    units: r.units,
    refundedFen: r.refunded_fen as Fen,
    refundedOrders: r.refunded_orders,
    offAirOrders: r.off_air_orders,
  };
}

export class AnalyticsRepo {
  constructor(
    private readonly conn: SalesConnection,
    private readonly lookups: AnalyticsLookups,
  ) {}

  /** The roll-up totals of a show and one of its segments (a few hundred minute rows at most). */
  recordedTotals(showId: string | null, segmentId: string | null): RecordedTotals | null {
    if (showId === null) return null;
    const sums = `ifnull(sum(gmv_fen), 0) gmvFen, ifnull(sum(orders), 0) orders, ifnull(sum(units), 0) units,
      ifnull(sum(refunded_fen), 0) refundedFen, ifnull(sum(refunded_orders), 0) refundedOrders,
      ifnull(sum(off_air_orders), 0) offAirOrders`;
    const show = this.conn.stmt(`SELECT ${sums} FROM sales_minute WHERE show_id = ?`).get(showId) as SalesTotals;
    const segment =
      segmentId === null
        ? null
        : (this.conn
            .stmt(`SELECT ${sums} FROM sales_minute WHERE show_id = ? AND segment_id = ?`)
            .get(showId, segmentId) as SalesTotals);
    return { showId, segmentId, segment, show };
  }

  rawTotals(showId: string): { gmvFen: number; orders: number; units: number } {
    return this.conn.db
      .prepare(
        `SELECT ifnull(sum(amount_fen), 0) gmvFen, ifnull(sum(order_count), 0) orders, ifnull(sum(quantity), 0) units
         FROM sales WHERE show_id = ? AND status IN ('placed', 'paid')`,
      )
      .get(showId) as { gmvFen: number; orders: number; units: number };
  }

  showAnalytics(showId: string): ShowAnalytics {
    const show = this.lookups.getShow(showId);
    const segments = (this.conn.stmt(salesQueries.showSegments).all(showId) as SegmentRow[]).map(toSegment);
    const rows = (
      this.conn.stmt(salesQueries.showRollup).all(showId) as (RollupSums & {
        segment_id: string;
        product_id: string;
        minute: number;
      })[]
    ).map((r): RollupRow => ({
      segmentId: r.segment_id === '' ? null : r.segment_id,
      productId: r.product_id === '' ? null : r.product_id,
      minute: r.minute,
      ...totalsOf(r),
    }));
    const products = new Map(this.lookups.listProducts(true).map((p) => [p.id, p]));
    return buildShowAnalytics({ show, segments, products, rows, now: this.conn.now() });
  }

  productAnalytics(productId: string): ProductAnalytics {
    const product = this.lookups.getProduct(productId);
    const now = this.conn.now();
    const rows = this.conn.stmt(salesQueries.productRollup).all(productId) as (RollupSums & {
      show_id: string;
      segment_id: string;
    })[];
    const onAir = new Map(
      (
        this.conn.stmt(salesQueries.productSegments).all(now, productId) as {
          show_id: string;
          n: number;
          ms: number;
        }[]
      ).map((r) => [r.show_id, r]),
    );
    const totals = emptyTotals();
    const byShow = new Map<string, ReturnType<typeof emptyTotals>>();
    for (const r of rows) {
      const row = totalsOf(r);
      addTotals(totals, row);
      if (r.show_id === '') continue;
      let t = byShow.get(r.show_id);
      if (t === undefined) byShow.set(r.show_id, (t = emptyTotals()));
      addTotals(t, row);
    }
    for (const showId of onAir.keys()) if (!byShow.has(showId)) byShow.set(showId, emptyTotals());
    const shows = [...byShow.entries()]
      .map(([showId, t]) => {
        const air = onAir.get(showId);
        const onAirMs = air?.ms ?? 0;
        return {
          show: this.lookups.getShow(showId),
          totals: t,
          segments: air?.n ?? 0,
          onAirMs,
          gmvPerMinuteFen: perMinute(t.gmvFen, onAirMs),
        };
      })
      .sort((a, b) => b.show.createdAt - a.show.createdAt);
    return { product, totals, shows };
  }
}
