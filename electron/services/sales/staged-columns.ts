import type { StagedOrder } from '../../../shared/sales/import/normalise';

/**
 * Staged orders column by column, as they cross to the worker: a few arrays clone much faster
 * than an object per order. Per order, `numbers` holds line, orderCount, orderedAt, isDateOnly
 * (0/1), quantity, unitPriceFen, amountFen; the texts orderId, lineKey, productTitle,
 * externalProductId, sku, status are concatenated into `text`, each one's length in `lengths`.
 * One string and two transferred buffers: cloning 12,000 small strings per batch, twice (import
 * worker → main → database worker), was most of what a batch cost the main thread.
 */
export interface StagedColumns {
  readonly count: number;
  readonly numbers: Float64Array;
  readonly text: string;
  readonly lengths: Uint32Array;
}

/**
 * Staged rows per commit chunk: each chunk is one short transaction between other requests, and
 * a sale entered meanwhile waits for the chunk under way. The importer starts at `first` and
 * sizes each next chunk to take about `budgetMs`, within `min` and `max` (a chunk's pace changes
 * over a large import). The first chunk runs cold (its code not yet optimised): 2,500 rows made
 * a 27–32 ms round trip at the start of every 100,000-order commit here (4 of 4 runs), 750 none
 * over 20 ms, and the pace has grown to full chunks within a few of them. commitRange then
 * rounds each down to whole blocks of the sums made while staging (stagedSumsBlockRows, 250 rows).
 */
export const importChunkRows = { first: 750, min: 250, max: 20_000, budgetMs: 15 } as const;

/**
 * Order lines per batch to the database worker, which answers nothing else while it stages one:
 * a sale entered meanwhile waits for it. Over a file's first lines the staging code runs cold
 * (not yet optimised) and a 2,000-line batch took 35-43 ms there against 12-20 ms after, so
 * batches are smaller until `warmAfter` lines have gone (a cold first stall of 40-59 ms was the
 * slowest API round trip of a 300,000-order import; 26-38 ms with these).
 */
export const stageBatchLines = { cold: 500, warmAfter: 20_000, warm: 2000 } as const;

/** The lines the next batch to the database worker holds, `sent` lines into a file. */
export function stageBatchLimit(sent: number): number {
  return sent < stageBatchLines.warmAfter ? stageBatchLines.cold : stageBatchLines.warm;
}

/** Staged rows per commitRange request (the commit's progress moves on after each). */
export const importRangeRows = 20_000;

/** Numbers and texts per order in {@link StagedColumns}. */
export const stagedNumbers = 7;
export const stagedTexts = 6;

/** Packs orders into {@link StagedColumns}. */
export function packStaged(orders: readonly StagedOrder[]): StagedColumns {
  const numbers = new Float64Array(orders.length * stagedNumbers);
  const lengths = new Uint32Array(orders.length * stagedTexts);
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
  for (let i = 0; i < texts.length; i++) lengths[i] = (texts[i] as string).length;
  return { count: orders.length, numbers, text: texts.join(''), lengths };
}

/** The texts of {@link StagedColumns} again, in order (one slice each, no copy for long ones). */
export function unpackTexts(batch: StagedColumns): string[] {
  const { text, lengths } = batch;
  const out = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + (lengths[i] as number);
    out[i] = text.slice(at, end);
    at = end;
  }
  return out;
}
