import type { StagedOrder } from '../../../shared/sales/import/normalise';

/**
 * Staged orders column by column, as they cross to the worker: a few arrays clone much faster
 * than an object per order. Per order, `numbers` holds line, orderCount, orderedAt, isDateOnly
 * (0/1), quantity, unitPriceFen, amountFen; `texts` holds orderId, lineKey, productTitle,
 * externalProductId, sku, status.
 */
export interface StagedColumns {
  readonly count: number;
  readonly numbers: Float64Array;
  readonly texts: string[];
}

/** Staged rows per commit chunk: each chunk is one short transaction between other requests. */
export const importChunkRows = 2_500;

/** Numbers and texts per order in {@link StagedColumns}. */
export const stagedNumbers = 7;
export const stagedTexts = 6;

/** Packs orders into {@link StagedColumns}. */
export function packStaged(orders: readonly StagedOrder[]): StagedColumns {
  const numbers = new Float64Array(orders.length * stagedNumbers);
  const texts: string[] = new Array<string>(orders.length * stagedTexts);
  let n = 0;
  let t = 0;
  for (const o of orders) {
    numbers[n++] = o.line;
    numbers[n++] = o.orderCount;
    numbers[n++] = o.orderedAt;
    numbers[n++] = o.isDateOnly ? 1 : 0;
    numbers[n++] = o.quantity;
    numbers[n++] = o.unitPriceFen;
    numbers[n++] = o.amountFen;
    texts[t++] = o.orderId;
    texts[t++] = o.lineKey;
    texts[t++] = o.productTitle;
    texts[t++] = o.externalProductId;
    texts[t++] = o.sku;
    texts[t++] = o.status;
  }
  return { count: orders.length, numbers, texts };
}
