import type { RecordedSale, SaleStatus } from '../../../shared/api/sales';
import { createProductMatcher } from '../../../shared/sales/product-match';
import type { Catalog } from './catalog';
import type { SalesConnection } from './connection';
import { salesQueries } from './queries';
import type { FeedSaleInput } from './repo-types';
import type { SaleRow } from './rows';
import type { SalesRepo } from './sales-repo';
import { checkedAmount, checkEntry } from './sales-repo';
import type { ShowsRepo } from './shows-repo';

// The live feed repository: orders pushed by oba-live-tool or another local tool (each counted
// once, status only moving forward) and the feed's product ids mapped to ours.

export class FeedRepo {
  constructor(
    private readonly conn: SalesConnection,
    private readonly catalog: Catalog,
    private readonly shows: ShowsRepo,
    private readonly sales: SalesRepo,
  ) {}

  feedMappings(): { externalId: string; title: string; productId: string | null }[] {
    return (
      this.conn.stmt('SELECT external_id, title, product_id FROM feed_products ORDER BY title').all() as {
        external_id: string;
        title: string;
        product_id: string | null;
      }[]
    ).map((r) => ({ externalId: r.external_id, title: r.title, productId: r.product_id }));
  }

  mapFeedProduct(externalId: string, title: string, productId: string | null): void {
    if (productId !== null) this.catalog.getProduct(productId);
    this.conn.db
      .prepare(
        `INSERT INTO feed_products (external_id, title, product_id) VALUES (?, ?, ?)
         ON CONFLICT (external_id) DO UPDATE SET product_id = excluded.product_id,
           title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE title END`,
      )
      .run(externalId, title, productId);
  }

  /**
   * One order from a live feed or another local tool. An order seen before (same platform,
   * order id and line) only moves forward in status (已下单 → 已付款 → refunded); it is never
   * counted twice.
   */
  ingestFeedOrder(input: FeedSaleInput): { sale: RecordedSale; isDuplicate: boolean; productId: string | null } {
    const now = this.conn.now();
    checkEntry(input.orderedAt, input.amountFen, input.quantity, now);
    return this.conn.db.transaction(() => {
      const existing = this.conn.stmt(salesQueries.byExternal).get(input.platform, input.orderId, input.lineId) as
        SaleRow | undefined;
      if (existing !== undefined) {
        const rank: Record<SaleStatus, number> = { placed: 0, paid: 1, refunded: 2, cancelled: 2, voided: 3 };
        if (rank[input.status] > rank[existing.status]) {
          this.conn.stmt('UPDATE sales SET status = ? WHERE id = ?').run(input.status, existing.id);
          this.conn.audit('status', 'sale', existing.id, {
            from: existing.status,
            to: input.status,
            reason: input.feed,
          });
        }
        return {
          sale: this.sales.recorded(this.sales.getSale(existing.id)),
          isDuplicate: true,
          productId: existing.product_id,
        };
      }
      let productId: string | null = null;
      const externalId = input.externalProductId ?? '';
      let isMapped = false;
      if (input.productId !== undefined) productId = this.catalog.getProduct(input.productId).id;
      else if (externalId !== '') {
        const mapped = this.conn.stmt('SELECT product_id FROM feed_products WHERE external_id = ?').get(externalId) as
          { product_id: string | null } | undefined;
        productId = mapped?.product_id ?? null;
        isMapped = productId !== null;
      }
      if (productId === null) {
        const match = createProductMatcher(this.catalog.listProducts(false));
        productId = match({ externalProductId: externalId, sku: '', title: input.productTitle });
      }
      // Learn the feed's product id: matched ones map themselves, the others wait for the user.
      if (externalId !== '' && !isMapped && input.productId === undefined) {
        this.conn
          .stmt(
            `INSERT INTO feed_products (external_id, title, product_id) VALUES (?, ?, ?)
           ON CONFLICT (external_id) DO UPDATE SET product_id = ifnull(product_id, excluded.product_id),
             title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE title END`,
          )
          .run(externalId, input.productTitle, productId);
      }
      const product = productId === null ? null : this.catalog.getProduct(productId);
      // oba-live-tool sends no amount: the product's price stands in for it.
      const unitPriceFen =
        input.amountFen !== undefined ? Math.trunc(input.amountFen / input.quantity) : (product?.priceFen ?? 0);
      const amountFen = input.amountFen ?? checkedAmount(unitPriceFen, input.quantity);
      const attribution = this.shows.attribute(input.orderedAt, productId);
      const sale = this.sales.insertSale({
        showId: attribution.showId,
        segmentId: attribution.segmentId,
        productId,
        productTitle: input.productTitle !== '' ? input.productTitle : (product?.name ?? ''),
        quantity: input.quantity,
        unitPriceFen,
        amountFen,
        platform: input.platform,
        source: 'feed',
        externalOrderId: input.orderId,
        externalLine: input.lineId,
        orderedAt: input.orderedAt,
        enteredAt: now,
        status: input.status,
        offAir: attribution.isOffAir,
        attribution: attribution.how,
        note: input.feed,
        entryKey: null,
        orderCount: 1,
      });
      return { sale: this.sales.recorded(sale), isDuplicate: false, productId };
    })();
  }
}
