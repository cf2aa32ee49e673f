import { StudioError } from '../../../shared/api/result';
import type { RecordedSale, Sale, SaleSource, SaleStatus } from '../../../shared/api/sales';
import { assertNever } from '../../../shared/assert-never';
import type { Fen } from '../../../shared/money';
import type { Attribution } from '../../../shared/sales/attribution';
import { isPlausibleOrderTime } from '../../../shared/sales/time';
import type { AnalyticsRepo } from './analytics-repo';
import type { Catalog } from './catalog';
import type { SalesConnection } from './connection';
import { orderedInRange, orderedRangeParams, salesQueries } from './queries';
import type { ExportRow, ExportScope, SaleInput, SaleQuery } from './repo-types';
import type { SaleRow, SegmentRow } from './rows';
import { notFound, toSale } from './rows';
import type { ShowsRepo } from './shows-repo';

// The sales repository: quick entry (one committed sale, with its segment's new totals read in
// the same transaction), undo, status changes, listing and export pages.

/** The most one order line may be: 10,000,000 yuan (a typo or a hostile value beyond it). */
export const maxLineFen = 1_000_000_000;
export const maxLineQuantity = 100_000;

/** Sense checks on what enters the log by hand or through the feed: coded errors, never stored. */
export function checkEntry(orderedAt: number, amountFen: number | undefined, quantity: number, now: number): void {
  if (!isPlausibleOrderTime(orderedAt, now)) {
    throw new StudioError('sales/invalid-time', 'The order time is not within the last ten years.', {
      params: { value: String(orderedAt) },
    });
  }
  if (amountFen !== undefined && (!Number.isSafeInteger(amountFen) || Math.abs(amountFen) > maxLineFen)) {
    throw new StudioError('sales/invalid-amount', 'The amount is out of range.', { params: { amountFen } });
  }
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > maxLineQuantity) {
    throw new StudioError('sales/invalid-amount', 'The quantity is out of range.', { params: { quantity } });
  }
}

export function checkedAmount(unitFen: number, quantity: number): Fen {
  const amount = unitFen * quantity;
  if (!Number.isSafeInteger(amount)) {
    throw new StudioError('sales/invalid-amount', 'The amount is too large.', { params: { unitFen, quantity } });
  }
  return amount as Fen;
}

export class SalesRepo {
  constructor(
    private readonly conn: SalesConnection,
    private readonly catalog: Catalog,
    private readonly shows: ShowsRepo,
    private readonly analytics: AnalyticsRepo,
  ) {}

  getSale(id: number): Sale {
    const row = this.conn.stmt('SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
    if (row === undefined) throw notFound('sale', id);
    return toSale(row);
  }

  insertSale(values: {
    showId: string | null;
    segmentId: string | null;
    productId: string | null;
    productTitle: string;
    quantity: number;
    unitPriceFen: number;
    amountFen: number;
    platform: string | null;
    source: SaleSource;
    externalOrderId: string | null;
    externalLine: string;
    orderedAt: number;
    enteredAt: number;
    status: SaleStatus;
    offAir: boolean;
    attribution: Attribution['how'];
    note: string;
    entryKey: string | null;
    orderCount: number;
  }): Sale {
    // RETURNING: the stored row comes back from the insert itself, no second lookup.
    const row = this.conn
      .stmt(
        `INSERT INTO sales (show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
         platform, source, external_order_id, external_line, ordered_at, entered_at, status, off_air, attribution,
         note, entry_key, order_count)
       VALUES (@showId, @segmentId, @productId, @productTitle, @quantity, @unitPriceFen, @amountFen, @platform,
         @source, @externalOrderId, @externalLine, @orderedAt, @enteredAt, @status, @offAir, @attribution, @note,
         @entryKey, @orderCount)
       RETURNING *`,
      )
      .get({ ...values, offAir: values.offAir ? 1 : 0 }) as SaleRow;
    return toSale(row);
  }

  recorded(sale: Sale): RecordedSale {
    return { ...sale, totals: this.analytics.recordedTotals(sale.showId, sale.segmentId) };
  }

  /** Records a quick-entry sale; returns it with its segment's and show's new totals. */
  recordSale(input: SaleInput): RecordedSale {
    const now = this.conn.now();
    if (input.orderedAt !== undefined) checkEntry(input.orderedAt, input.amountFen, input.quantity, now);
    return this.conn.db.transaction(() => {
      if (input.entryKey !== undefined) {
        const existing = this.conn.stmt(salesQueries.byEntryKey).get(input.entryKey) as SaleRow | undefined;
        if (existing !== undefined) return this.recorded(toSale(existing));
      }
      // Only the live segment's row: its show and product are not needed unless attributed.
      const live = this.conn.stmt(salesQueries.liveSegment).get() as SegmentRow | undefined;
      const productId = input.productId ?? live?.product_id ?? null;
      if (productId === null) {
        if (live === undefined) throw new StudioError('sales/no-live-segment', 'No segment is on air.');
        throw new StudioError('sales/no-product', 'No product is on air: choose one.');
      }
      const product = this.catalog.getProduct(productId);
      const unitPriceFen = input.unitPriceFen ?? product.priceFen;
      const amountFen = input.amountFen ?? checkedAmount(unitPriceFen, input.quantity);
      const orderedAt = input.orderedAt ?? now;
      checkEntry(orderedAt, amountFen, input.quantity, now);
      const attribution = this.shows.attribute(orderedAt, productId);
      const show = attribution.showId === null ? null : this.shows.getShow(attribution.showId);
      const platform = input.platform ?? (show?.platforms.length === 1 ? (show.platforms[0] ?? null) : null);
      const sale = this.insertSale({
        showId: attribution.showId,
        segmentId: attribution.segmentId,
        productId,
        productTitle: product.name,
        quantity: input.quantity,
        unitPriceFen,
        amountFen,
        platform,
        source: 'manual',
        externalOrderId: null,
        externalLine: '',
        orderedAt,
        enteredAt: now,
        status: 'paid',
        offAir: attribution.isOffAir,
        attribution: attribution.how,
        note: input.note,
        entryKey: input.entryKey ?? null,
        orderCount: 1,
      });
      return this.recorded(sale);
    })();
  }

  /** Voids the newest manual entry still counted (an entry mistake); null if none. */
  undoLast(): Sale | null {
    return this.conn.db.transaction(() => {
      const row = this.conn.stmt(salesQueries.lastManual).get() as SaleRow | undefined;
      if (row === undefined) return null;
      this.conn.stmt("UPDATE sales SET status = 'voided' WHERE id = ?").run(row.id);
      this.conn.audit('status', 'sale', row.id, { from: row.status, to: 'voided', reason: 'undo' });
      return this.getSale(row.id);
    })();
  }

  setStatus(saleId: number, status: SaleStatus, reason: string): Sale {
    return this.conn.db.transaction(() => {
      const before = this.getSale(saleId);
      if (before.status === status) return before;
      this.conn.stmt('UPDATE sales SET status = ? WHERE id = ?').run(status, saleId);
      this.conn.audit('status', 'sale', saleId, { from: before.status, to: status, reason });
      return this.getSale(saleId);
    })();
  }

  listSales(query: SaleQuery): { sales: Sale[]; nextBeforeId: number | null } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.showId !== undefined) {
      where.push('show_id = ?');
      params.push(query.showId);
    }
    if (query.segmentId !== undefined) {
      where.push('segment_id = ?');
      params.push(query.segmentId);
    }
    if (query.productId !== undefined) {
      where.push('product_id = ?');
      params.push(query.productId);
    }
    if (query.source !== undefined) {
      where.push('source = ?');
      params.push(query.source);
    }
    if (query.beforeId !== undefined) {
      where.push('id < ?');
      params.push(query.beforeId);
    }
    const sql = `SELECT * FROM sales ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.conn.stmt(sql).all(...params, query.limit + 1) as SaleRow[];
    const page = rows.slice(0, query.limit).map(toSale);
    return { sales: page, nextBeforeId: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** One page of sales for an export, joined with show, segment and product; ascending ids. */
  exportPage(scope: ExportScope, afterId: number, limit: number): ExportRow[] {
    let where: string;
    let params: unknown[];
    switch (scope.kind) {
      case 'show':
        where = 's.show_id = ?';
        params = [scope.showId];
        break;
      case 'product':
        where = 's.product_id = ?';
        params = [scope.productId];
        break;
      case 'range':
        where = orderedInRange('s.');
        params = orderedRangeParams(scope.from, scope.to);
        break;
      default:
        return assertNever(scope);
    }
    const rows = this.conn.db
      .prepare(
        `SELECT s.*, sh.title show_title, sh.time_zone, g.host, g.guest, p.name product_name
         FROM sales s
         LEFT JOIN shows sh ON sh.id = s.show_id
         LEFT JOIN segments g ON g.id = s.segment_id
         LEFT JOIN products p ON p.id = s.product_id
         WHERE ${where} AND s.id > ? ORDER BY s.id LIMIT ?`,
      )
      .all(...params, afterId, limit) as (SaleRow & {
      show_title: string | null;
      time_zone: string | null;
      host: string | null;
      guest: string | null;
      product_name: string | null;
    })[];
    return rows.map((r) => ({
      sale: toSale(r),
      showTitle: r.show_title,
      timeZone: r.time_zone,
      host: r.host,
      guest: r.guest,
      productName: r.product_name,
    }));
  }
}
