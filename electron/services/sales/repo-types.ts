import type { z } from 'zod';

import type {
  ImportedOrder,
  productInputSchema,
  Sale,
  saleListQuerySchema,
  saleRecordSchema,
  SalesPlatform,
  segmentStartSchema,
  showInputSchema,
} from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';

// What the repositories take and give besides the contract's own types.

/**
 * Validated inputs, as the handlers pass them on: the contract's zod schemas after parsing (so a
 * field added to the contract reaches the repositories without a second declaration here).
 */
export type ProductSave = z.output<typeof productInputSchema>;
export type ShowCreate = z.output<typeof showInputSchema>;
export type SegmentStartInput = z.output<typeof segmentStartSchema>;
export type SaleInput = z.output<typeof saleRecordSchema>;

/** A feed order after the service resolved its time to UTC ms. */
export interface FeedSaleInput {
  feed: string;
  platform: SalesPlatform;
  orderId: string;
  lineId: string;
  status: 'placed' | 'paid' | 'refunded' | 'cancelled';
  orderedAt: number;
  productId?: string | undefined;
  externalProductId?: string | undefined;
  productTitle: string;
  quantity: number;
  amountFen?: Fen | undefined;
}

export type SaleQuery = z.output<typeof saleListQuerySchema>;

/** One row of an export, joined with its show, segment and product. */
export interface ExportRow {
  sale: Sale;
  showTitle: string | null;
  timeZone: string | null;
  host: string | null;
  guest: string | null;
  productName: string | null;
}

export type ExportScope =
  | { kind: 'show'; showId: string }
  | { kind: 'product'; productId: string }
  | { kind: 'range'; from: number; to: number };

/** Totals of an import file once staged. */
export interface StageSummary {
  staged: number;
  repeatedRows: number;
  duplicateRows: number;
  orders: number;
  amountFen: number;
  unmatchedProducts: number;
  sample: ImportedOrder[];
}
