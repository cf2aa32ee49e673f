// The analytics and lookup statements, by name (SalesDb.queries), so tests can check their plans.

const countedStatuses = "('placed', 'paid')";

/** The time ranges' index is by ten minutes: `ordered_at / 600000` exactly (migration 10). */
export const rangeBucketMs = 600_000;

/**
 * Sales ordered in [from, to), through the index by ten minutes (migration 10): four parameters,
 * orderedRangeParams(from, to). The bucket bounds hold every row of the range whether SQLite's
 * integer division truncates (a time before 1970) or the value is not an integer; the exact
 * bounds then decide.
 */
export function orderedInRange(alias: '' | 's.'): string {
  return `${alias}ordered_at / ${rangeBucketMs} BETWEEN ? AND ? AND ${alias}ordered_at >= ? AND ${alias}ordered_at < ?`;
}

/** The parameters of {@link orderedInRange}. */
export function orderedRangeParams(from: number, to: number): [number, number, number, number] {
  return [Math.floor(from / rangeBucketMs), Math.floor(to / rangeBucketMs) + 1, from, to];
}

export const salesQueries = {
  showRollup: `SELECT segment_id, product_id, minute, gmv_fen, orders, units, refunded_fen, refunded_orders,
    off_air_orders FROM sales_minute WHERE show_id = ?`,
  productRollup: `SELECT show_id, segment_id, sum(gmv_fen) gmv_fen, sum(orders) orders, sum(units) units,
    sum(refunded_fen) refunded_fen, sum(refunded_orders) refunded_orders, sum(off_air_orders) off_air_orders
    FROM sales_minute WHERE product_id = ? GROUP BY show_id, segment_id`,
  productSegments: `SELECT show_id, count(*) n, sum(ifnull(ended_at, ?) - started_at) ms FROM segments
    WHERE product_id = ? GROUP BY show_id`,
  showSegments: 'SELECT * FROM segments WHERE show_id = ? ORDER BY started_at',
  liveSegment: 'SELECT * FROM segments WHERE ended_at IS NULL ORDER BY started_at DESC LIMIT 1',
  segmentsBefore: 'SELECT * FROM segments WHERE started_at <= ? ORDER BY started_at DESC LIMIT 64',
  lastManual: `SELECT * FROM sales WHERE source = 'manual' AND status IN ${countedStatuses} ORDER BY id DESC LIMIT 1`,
  byExternal: `SELECT * FROM sales WHERE platform = ? AND external_order_id = ? AND external_line = ?`,
  byEntryKey: 'SELECT * FROM sales WHERE entry_key = ?',
  showSales: 'SELECT * FROM sales WHERE show_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
  salesInRange: `SELECT * FROM sales WHERE ${orderedInRange('')}`,
} as const;
