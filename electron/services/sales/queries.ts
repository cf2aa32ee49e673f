// The analytics and lookup statements, by name (SalesDb.queries), so tests can check their plans.

const countedStatuses = "('placed', 'paid')";

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
  salesInRange: 'SELECT * FROM sales WHERE ordered_at >= ? AND ordered_at < ?',
} as const;
