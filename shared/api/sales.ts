import { z } from 'zod';

import { fenSchema, signedFenSchema } from '../money';
import { request } from './define';
import { wsMaxBase64Chars } from './wire';

// The 'sales' domain of the API contract: products, shows and their segments, the durable sales
// log (quick entry, imports, the live order feed), attribution and analytics.
// Requests are named 'sales:verb' (products CRUD uses 'products:verb'). Money is integer fen;
// times are UTC epoch milliseconds, shown in the show's IANA time zone.

/** Where an order was placed. */
export const salesPlatformSchema = z.enum([
  'douyin',
  'taobao',
  'kuaishou',
  'pinduoduo',
  'weixin',
  'xiaohongshu',
  'other',
]);
export type SalesPlatform = z.infer<typeof salesPlatformSchema>;

/** Import presets: one per platform export, plus a user-edited generic mapping. */
export const importPlatformSchema = z.enum([
  'douyin',
  'taobao',
  'kuaishou',
  'pinduoduo',
  'weixin',
  'xiaohongshu',
  'generic',
]);
export type ImportPlatform = z.infer<typeof importPlatformSchema>;

/** How a sale got into the log. */
export const saleSourceSchema = z.enum(['manual', 'import', 'feed']);
export type SaleSource = z.infer<typeof saleSourceSchema>;

/**
 * placed = ordered, not yet paid; paid; refunded; cancelled by the platform or buyer;
 * voided = an entry mistake undone by the operator. Only placed and paid count towards GMV.
 */
export const saleStatusSchema = z.enum(['placed', 'paid', 'refunded', 'cancelled', 'voided']);
export type SaleStatus = z.infer<typeof saleStatusSchema>;

const id = z.string().min(1).max(64);
const epochMs = z.number().int().min(0).max(8.64e15);
/** An IANA time zone name such as Asia/Shanghai. */
const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

// ---------------------------------------------------------------------------------------------
// Products

export const productInputSchema = z.object({
  /** Omit to create a product; give it to update one. */
  id: id.optional(),
  name: z.string().trim().min(1).max(60),
  sku: z.string().trim().max(64).default(''),
  unit: z.string().trim().max(20).default(''),
  priceFen: fenSchema,
  origin: z.string().trim().max(60).default(''),
  certifications: z.array(z.string().trim().min(1).max(20)).max(6).default([]),
  /** Shop page per platform; the platform's product id inside the link helps match imported orders. */
  shopLinks: z.partialRecord(salesPlatformSchema, z.string().trim().max(2000)).default({}),
});
export type ProductInput = z.input<typeof productInputSchema>;

export const productSchema = z.object({
  id,
  name: z.string(),
  sku: z.string(),
  unit: z.string(),
  priceFen: fenSchema,
  origin: z.string(),
  certifications: z.array(z.string()),
  shopLinks: z.partialRecord(salesPlatformSchema, z.string()),
  isArchived: z.boolean(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
/** A product the studio sells. */
export type Product = z.infer<typeof productSchema>;

// ---------------------------------------------------------------------------------------------
// Shows and segments

export const showInputSchema = z.object({
  title: z.string().trim().min(1).max(100),
  platforms: z.array(salesPlatformSchema).max(7).default([]),
  hosts: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  plannedStart: epochMs.nullable().default(null),
  timeZone: timeZone.default('Asia/Shanghai'),
});
export type ShowInput = z.input<typeof showInputSchema>;

export const showSchema = z.object({
  id,
  title: z.string(),
  platforms: z.array(salesPlatformSchema),
  hosts: z.array(z.string()),
  plannedStart: epochMs.nullable(),
  timeZone: z.string(),
  createdAt: epochMs,
});
/** A live show (one broadcast), made of segments. */
export type Show = z.infer<typeof showSchema>;

export const segmentStartSchema = z.object({
  showId: id,
  productId: id.nullable(),
  host: z.string().trim().max(40),
  guest: z.string().trim().max(40).nullable(),
  presetId: z.string().max(64).nullable(),
  /** Defaults to now. */
  startedAt: epochMs.optional(),
});
export type SegmentStart = z.input<typeof segmentStartSchema>;

export const segmentSchema = z.object({
  id,
  showId: id,
  productId: id.nullable(),
  host: z.string(),
  guest: z.string().nullable(),
  presetId: z.string().nullable(),
  startedAt: epochMs,
  endedAt: epochMs.nullable(),
});
/** A stretch of a show with one product, host and guest on air. endedAt null = live now. */
export type Segment = z.infer<typeof segmentSchema>;

/** The live segment with what the quick-entry panel needs to show. */
export const liveSegmentSchema = z.object({
  segment: segmentSchema,
  show: showSchema,
  product: productSchema.nullable(),
});
export type LiveSegment = z.infer<typeof liveSegmentSchema>;

// ---------------------------------------------------------------------------------------------
// Sales

export const saleSchema = z.object({
  id: z.number().int().positive(),
  showId: id.nullable(),
  segmentId: id.nullable(),
  productId: id.nullable(),
  /** The product name as the platform wrote it (imports, feed), or ours. */
  productTitle: z.string(),
  quantity: z.number().int(),
  unitPriceFen: signedFenSchema,
  amountFen: signedFenSchema,
  platform: salesPlatformSchema.nullable(),
  source: saleSourceSchema,
  externalOrderId: z.string().nullable(),
  orderedAt: epochMs,
  enteredAt: epochMs,
  status: saleStatusSchema,
  /** True when the order is for a product other than the one on air in its segment. */
  isOffAir: z.boolean(),
  /** How attribution chose the segment: live at order time, within the grace window after one, or none. */
  attribution: z.enum(['live', 'grace', 'none']),
  note: z.string(),
});
/** One line of the sales log; never deleted, only re-statused. */
export type Sale = z.infer<typeof saleSchema>;

export const saleRecordSchema = z.object({
  /** Defaults to the product on air. */
  productId: id.optional(),
  quantity: z.number().int().min(1).max(100_000).default(1),
  /** Total for this entry; defaults to quantity × unit price. */
  amountFen: fenSchema.optional(),
  /** Defaults to the product's price. */
  unitPriceFen: fenSchema.optional(),
  platform: salesPlatformSchema.optional(),
  /** Defaults to now. */
  orderedAt: epochMs.optional(),
  note: z.string().max(200).default(''),
  /** Idempotency key from the UI: a retried entry with the same key is not counted twice. */
  entryKey: z.string().min(8).max(64).optional(),
});
export type SaleRecord = z.input<typeof saleRecordSchema>;

export const saleListQuerySchema = z.object({
  showId: id.optional(),
  segmentId: id.optional(),
  productId: id.optional(),
  source: saleSourceSchema.optional(),
  /** Only sales with an id below this (paging newest first). */
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const saleListSchema = z.object({ sales: z.array(saleSchema), nextBeforeId: z.number().int().nullable() });

// ---------------------------------------------------------------------------------------------
// Imports

/** The fields an order import fills; each maps to one column of the file. */
export const importFieldSchema = z.enum([
  'orderId',
  'lineId',
  'orderedAt',
  'paidAt',
  'productTitle',
  'externalProductId',
  'sku',
  'quantity',
  'unitPrice',
  'lineAmount',
  'orderAmount',
  'status',
  'afterSale',
]);
export type ImportField = z.infer<typeof importFieldSchema>;

/** A column mapping: field → header text as it appears in the file. */
export const columnMappingSchema = z.object({
  name: z.string().trim().min(1).max(60),
  platform: salesPlatformSchema,
  columns: z.partialRecord(importFieldSchema, z.string().max(100)),
  /** Amount columns in yuan (platform exports) or fen (some APIs). */
  amountUnit: z.enum(['yuan', 'fen']).default('yuan'),
});
export type ColumnMapping = z.output<typeof columnMappingSchema>;

export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  /** The file's bytes, base64, within one WebSocket message; bigger files are uploaded and passed by path. */
  z.object({ kind: z.literal('bytes'), name: z.string().min(1).max(255), base64: z.string().max(wsMaxBase64Chars) }),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const importPreviewInputSchema = z.object({
  source: importSourceSchema,
  /** 'auto' detects the platform from the headers. */
  platform: z.union([importPlatformSchema, z.literal('auto')]).default('auto'),
  /** Required for 'generic' unless a saved mapping fits the headers. */
  mapping: columnMappingSchema.optional(),
  /** Zone of times written without one; platform exports use China time. */
  timeZone: timeZone.default('Asia/Shanghai'),
  /**
   * The other file of a 淘宝/千牛 pair: the order file and the item (宝贝) file, in either order,
   * joined on the order id (items carry the products, postage comes from the order file).
   */
  companion: importSourceSchema.optional(),
});
export type ImportPreviewInput = z.input<typeof importPreviewInputSchema>;

/** Why a row cannot be imported; the UI translates `sales:importRow.<code>`. */
export const badRowCodeSchema = z.enum([
  'missing-order-id',
  'order-id-scientific',
  'missing-time',
  'bad-time',
  'bad-amount',
  'bad-quantity',
  'column-count',
  /** A calendar-valid time, but not within the last ten years. */
  'time-out-of-range',
  /** An amount or quantity beyond any real order line (10,000,000 yuan, 100,000 units). */
  'amount-out-of-range',
]);
export type BadRowCode = z.infer<typeof badRowCodeSchema>;

export const badRowSchema = z.object({
  /** Row number as a spreadsheet shows it (1 = first row of the file). */
  line: z.number().int().positive(),
  code: badRowCodeSchema,
  /** The column concerned, as written in the file. */
  column: z.string(),
  /** The offending cell, cut to 80 characters. */
  value: z.string(),
});
export type BadRow = z.infer<typeof badRowSchema>;

/** One order line as the import understood it (preview sample). */
export const importedOrderSchema = saleSchema
  .pick({ orderedAt: true, productTitle: true, productId: true, quantity: true, amountFen: true, status: true })
  .extend({
    line: z.number().int().positive(),
    orderId: z.string(),
    lineId: z.string(),
  });
export type ImportedOrder = z.infer<typeof importedOrderSchema>;

/**
 * What a money column means on its platform: what the buyer paid (after discounts), what the
 * merchant receives (adds back platform-funded discounts), or the list price before discounts.
 */
export const amountMeaningSchema = z.enum(['buyer-paid', 'merchant-received', 'list-price', 'unknown']);
export type AmountMeaning = z.infer<typeof amountMeaningSchema>;

export const gmvColumnSchema = z.object({
  /** The header as written in the file. */
  column: z.string(),
  /** lineAmount: summed per line; orderAmount: once per order; unitPrice: times the quantity. */
  field: z.enum(['lineAmount', 'orderAmount', 'unitPrice']),
  meaning: amountMeaningSchema,
});
export type GmvColumn = z.infer<typeof gmvColumnSchema>;

export const importPreviewSchema = z.object({
  /** Pass to 'sales:import-commit'; valid for 30 minutes. */
  previewId: id,
  fileName: z.string(),
  fileBytes: z.number().int().min(0),
  kind: z.enum(['csv', 'xlsx', 'html']),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'gb18030', 'utf-16le', 'utf-16be', 'binary']),
  sheet: z.string().nullable(),
  platform: importPlatformSchema,
  /** True when the platform came from the headers rather than the caller. */
  isDetected: z.boolean(),
  /** True when no preset or saved mapping fits: the user must map columns, then preview again. */
  needsMapping: z.boolean(),
  headerLine: z.number().int().positive(),
  columns: z.array(z.string()),
  mapping: columnMappingSchema,
  /** Which column the GMV sums and what the platform means by it; null when no amount column is mapped. */
  gmv: gmvColumnSchema.nullable(),
  /** Data rows read (after the header), including bad, skipped and duplicate rows. */
  totalRows: z.number().int().min(0),
  okRows: z.number().int().min(0),
  badRowCount: z.number().int().min(0),
  /** The first 200 bad rows. */
  badRows: z.array(badRowSchema),
  /** Totals / 合计 rows and description rows left out on purpose. */
  skippedRows: z.number().int().min(0),
  /** Rows repeating an order line already seen earlier in the same file. */
  repeatedRows: z.number().int().min(0),
  /** Order lines already in the log (same platform + order id): importing adds nothing for them. */
  duplicateRows: z.number().int().min(0),
  orders: z.number().int().min(0),
  amountFen: signedFenSchema,
  sample: z.array(importedOrderSchema),
  /** Order lines whose product matched none of ours. */
  unmatchedProducts: z.number().int().min(0),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const importCommitInputSchema = z.object({
  previewId: id,
  /** Without it, a file with bad rows is refused whole (all-or-nothing). */
  skipBadRows: z.boolean().default(false),
  /** Keep the mapping used under its name for next time. */
  saveMapping: z.boolean().default(false),
});

/**
 * What 'sales:import-cancel' stopped: a preview still reading the file (its staged rows dropped),
 * a preview waiting to be committed (dropped), a commit under way (rolled back: nothing of the
 * file stays in the log), or nothing (unknown, already committed or past the point of no return).
 */
export const importCancelResultSchema = z.object({
  stopped: z.enum(['reading', 'preview', 'committing']).nullable(),
});
export type ImportCancelResult = z.infer<typeof importCancelResultSchema>;

export const importResultSchema = z.object({
  imported: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  skippedBadRows: z.number().int().min(0),
  attributed: z.number().int().min(0),
  offAir: z.number().int().min(0),
  amountFen: signedFenSchema,
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const importProgressSchema = z.object({
  previewId: id,
  phase: z.enum(['reading', 'committing', 'done']),
  bytesRead: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
  rows: z.number().int().min(0),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

// ---------------------------------------------------------------------------------------------
// Live order feed

/** Where the live feed client stands. 'waiting' = lost or not reachable, retrying by itself. */
export const feedStateSchema = z.object({
  isEnabled: z.boolean(),
  url: z.string(),
  status: z.enum(['off', 'connecting', 'connected', 'waiting']),
  lastError: z.string().nullable(),
  lastOrderAt: epochMs.nullable(),
  ordersReceived: z.number().int().min(0),
  /** Feed product ids seen that map to none of ours (the UI offers to map them). */
  unmappedProducts: z.array(z.object({ externalId: z.string(), title: z.string() })),
});
export type FeedState = z.infer<typeof feedStateSchema>;

export const feedConnectInputSchema = z.object({
  isEnabled: z.boolean(),
  /** oba-live-tool's WebSocket server. */
  url: z
    .string()
    .max(200)
    .regex(/^wss?:\/\//)
    .default('ws://127.0.0.1:12354'),
});

export const feedProductMapSchema = z.object({
  externalId: z.string().min(1).max(100),
  title: z.string().max(200).default(''),
  productId: id.nullable(),
});

/**
 * An order pushed by another local tool through the studio API ('sales:feed-push').
 * Documented shape; anything else is refused with app/invalid-payload.
 *
 * { "source": "my-tool", "platform": "douyin", "orderId": "6917926768823643751",
 *   "status": "paid", "orderedAt": 1724300000000, "productId": "…" | "externalProductId": "…",
 *   "productTitle": "赣南脐橙 5斤", "quantity": 2, "amountFen": 5980 }
 */
export const feedOrderSchema = z.object({
  source: z.string().min(1).max(40),
  platform: salesPlatformSchema,
  orderId: z.string().min(1).max(100),
  /** Sub-order / line id when an order has several products. */
  lineId: z.string().max(100).default(''),
  status: z.enum(['placed', 'paid', 'refunded', 'cancelled']).default('paid'),
  /** UTC ms, or seconds (detected), or an ISO 8601 string with zone. */
  orderedAt: z.union([z.number().positive().max(8.64e15), z.string().max(40)]),
  productId: id.optional(),
  externalProductId: z.string().max(100).optional(),
  productTitle: z.string().max(200).default(''),
  quantity: z.number().int().min(1).max(100_000).default(1),
  /** Total for the line; defaults to quantity × the product's price. */
  amountFen: fenSchema.optional(),
});
export type FeedOrder = z.input<typeof feedOrderSchema>;

export const feedPushResultSchema = z.object({
  sale: saleSchema,
  /** True when this order was already in the log (its status may have been updated). */
  isDuplicate: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Analytics

export const salesTotalsSchema = z.object({
  gmvFen: signedFenSchema,
  orders: z.number().int(),
  units: z.number().int(),
  refundedFen: signedFenSchema,
  refundedOrders: z.number().int(),
  offAirOrders: z.number().int(),
});
export type SalesTotals = z.infer<typeof salesTotalsSchema>;

/**
 * A recorded sale with the new totals of its segment and show, read in the same transaction,
 * so the UI updates its counters from the event instead of refetching the show's analytics.
 * Null when the sale fell outside every show.
 */
export const recordedTotalsSchema = z.object({
  showId: id,
  segmentId: id.nullable(),
  segment: salesTotalsSchema.nullable(),
  show: salesTotalsSchema,
});
export type RecordedTotals = z.infer<typeof recordedTotalsSchema>;
export const recordedSaleSchema = saleSchema.extend({ totals: recordedTotalsSchema.nullable() });
export type RecordedSale = z.infer<typeof recordedSaleSchema>;

export const segmentStatsSchema = z.object({
  segment: segmentSchema,
  productName: z.string().nullable(),
  totals: salesTotalsSchema,
  /** On-air time; live segments count up to now. */
  durationMs: z.number().int().min(0),
  gmvPerMinuteFen: signedFenSchema,
});
export type SegmentStats = z.infer<typeof segmentStatsSchema>;

export const showAnalyticsSchema = z.object({
  show: showSchema,
  totals: salesTotalsSchema,
  segments: z.array(segmentStatsSchema),
  /** One point per minute from the first segment's start (or first order) to the last. */
  perMinute: z.array(z.object({ minute: epochMs, orders: z.number().int(), gmvFen: signedFenSchema })),
  /** On-air GMV per minute, only minutes inside a segment. */
  onAirGmvPerMinuteFen: signedFenSchema,
  hostVsGuest: z.array(
    z.object({ kind: z.enum(['host', 'guest']), name: z.string(), totals: salesTotalsSchema, durationMs: z.number() }),
  ),
  topProducts: z.array(z.object({ productId: id.nullable(), name: z.string(), totals: salesTotalsSchema })),
  /** Sales of this show recorded outside any segment. */
  unattributed: salesTotalsSchema,
});
export type ShowAnalytics = z.infer<typeof showAnalyticsSchema>;

export const productAnalyticsSchema = z.object({
  product: productSchema,
  totals: salesTotalsSchema,
  shows: z.array(
    z.object({
      show: showSchema,
      totals: salesTotalsSchema,
      segments: z.number().int(),
      onAirMs: z.number().int(),
      gmvPerMinuteFen: signedFenSchema,
    }),
  ),
});
export type ProductAnalytics = z.infer<typeof productAnalyticsSchema>;

// ---------------------------------------------------------------------------------------------
// Export and database health

export const exportInputSchema = z.object({
  scope: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('show'), showId: id }),
    z.object({ kind: z.literal('product'), productId: id }),
    z.object({ kind: z.literal('range'), from: epochMs, to: epochMs }),
  ]),
  format: z.enum(['csv', 'xlsx']),
  /** 'file' writes into the exports folder (or `path`); 'bytes' returns base64 for a browser download. */
  target: z.enum(['file', 'bytes']).default('file'),
  path: z.string().max(4096).optional(),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
});

export const exportResultSchema = z.object({
  fileName: z.string(),
  path: z.string().nullable(),
  base64: z.string().nullable(),
  mime: z.string(),
  rows: z.number().int().min(0),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const dbStatusSchema = z.object({
  state: z.enum(['open', 'error']),
  /** The sales/* error code when state is 'error'. */
  errorCode: z.string().nullable(),
  errorDetail: z.string().nullable(),
  folder: z.string(),
  file: z.string(),
  schemaVersion: z.number().int(),
  backups: z.array(z.object({ name: z.string(), takenAt: epochMs, bytes: z.number().int() })),
});
export type DbStatus = z.infer<typeof dbStatusSchema>;

export const salesConfigSchema = z.object({
  /** Orders this long after a segment ends still count for it (for its product). */
  graceMs: z.number().int().min(0).max(3_600_000),
});
export type SalesConfig = z.infer<typeof salesConfigSchema>;

export const salesRequests = {
  'products:list': request(
    z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }),
    z.array(productSchema),
  ),
  'products:get': request(z.object({ id }), productSchema),
  'products:save': request(productInputSchema, productSchema),
  'products:archive': request(z.object({ id, isArchived: z.boolean().default(true) }), productSchema),

  'sales:show-create': request(showInputSchema, showSchema),
  'sales:show-list': request(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    z.array(showSchema),
  ),
  'sales:segment-start': request(segmentStartSchema, segmentSchema),
  'sales:segment-end': request(z.object({ segmentId: id, endedAt: epochMs.optional() }), segmentSchema),
  'sales:live-segment': request(z.void(), liveSegmentSchema.nullable()),

  /** Quick entry: resolves only after the sale is committed to disk. */
  'sales:record': request(saleRecordSchema, recordedSaleSchema),
  /** Voids the latest manual entry still counted; null when there is none. */
  'sales:undo-last': request(z.void(), saleSchema.nullable()),
  'sales:set-status': request(
    z.object({
      saleId: z.number().int().positive(),
      status: saleStatusSchema,
      reason: z.string().max(200).default(''),
    }),
    saleSchema,
  ),
  'sales:list': request(saleListQuerySchema, saleListSchema),
  'sales:config-get': request(z.void(), salesConfigSchema),
  'sales:config-update': request(salesConfigSchema.partial(), salesConfigSchema),

  'sales:import-preview': request(importPreviewInputSchema, importPreviewSchema),
  'sales:import-commit': request(importCommitInputSchema, importResultSchema),
  /**
   * Stops an import: the running preview or commit of this previewId fails with
   * sales/import-cancelled, a finished preview is dropped. Safe to send twice or too late.
   */
  'sales:import-cancel': request(z.object({ previewId: id }), importCancelResultSchema),
  'sales:mapping-list': request(z.void(), z.array(columnMappingSchema)),
  'sales:mapping-save': request(columnMappingSchema, z.array(columnMappingSchema)),
  'sales:mapping-delete': request(z.object({ name: z.string().min(1).max(60) }), z.array(columnMappingSchema)),

  'sales:feed-connect': request(feedConnectInputSchema, feedStateSchema),
  'sales:feed-state': request(z.void(), feedStateSchema),
  'sales:feed-map-product': request(feedProductMapSchema, z.array(feedProductMapSchema)),
  'sales:feed-mappings': request(z.void(), z.array(feedProductMapSchema)),
  /** Orders from other local tools; see feedOrderSchema for the shape. */
  'sales:feed-push': request(feedOrderSchema, feedPushResultSchema),

  'sales:analytics-show': request(z.object({ showId: id }), showAnalyticsSchema),
  'sales:analytics-product': request(z.object({ productId: id }), productAnalyticsSchema),
  'sales:export': request(exportInputSchema, exportResultSchema),

  'sales:db-status': request(z.void(), dbStatusSchema),
  /** Puts the damaged database aside and opens a copy of this backup in its place. */
  'sales:open-backup': request(z.object({ name: z.string().min(1).max(200) }), dbStatusSchema),
  /** Keeps the sales log in another folder from now on (creates a new log there if none). */
  'sales:choose-folder': request(z.object({ folder: z.string().min(1).max(4096) }), dbStatusSchema),
} as const;

export const salesEvents = {
  /** A sale was committed (quick entry or feed); fires after the disk write. */
  /** A sale entered or fed in, with its segment's and show's new totals. */
  'sales:recorded': recordedSaleSchema,
  /** The log changed in bulk or by status (undo, refund, import): re-query what is shown. */
  'sales:changed': z.object({
    reason: z.enum(['status', 'undo', 'import', 'feed']),
    showId: id.nullable(),
  }),
  'sales:segment-changed': z.object({ live: segmentSchema.nullable(), ended: segmentSchema.nullable() }),
  'sales:feed-state': feedStateSchema,
  'sales:import-progress': importProgressSchema,
  'products:changed': productSchema,
  'sales:db-status': dbStatusSchema,
} as const;

export const salesErrorCodes = [
  /** The sales database file is damaged. Way out: open a backup or choose another folder. */
  'sales/db-corrupt',
  /** Another program holds the sales database. */
  'sales/db-locked',
  'sales/disk-full',
  /** The sales folder cannot be written. */
  'sales/read-only',
  /** The database stopped answering (worker crashed); it restarts on the next request. */
  'sales/db-unavailable',
  /** The database was written by a newer Harvest Studio. */
  'sales/db-too-new',
  'sales/import-encoding',
  'sales/import-empty',
  /** Not a table: a picture, archive or other binary file, perhaps renamed .csv. */
  'sales/import-not-a-table',
  'sales/import-too-large',
  /** An old binary .xls: save it as .xlsx or .csv first. */
  'sales/import-old-xls',
  /** A password-protected xlsx: open it and save it without the password first. */
  'sales/import-encrypted',
  /** No header row found in the first rows. */
  'sales/import-no-header',
  /** The mapping lacks a required column (order id, order time). */
  'sales/import-mapping',
  /** The file has bad rows and skipBadRows was not set: nothing was imported. */
  'sales/import-bad-rows',
  /** The preview is gone (expired or already committed). */
  'sales/import-expired',
  /** The user stopped the preview or the commit ('sales:import-cancel'): nothing was imported. */
  'sales/import-cancelled',
  'sales/import-unreadable',
  /** Two files given, but not a 淘宝/千牛 order file and its item file. */
  'sales/import-pair',
  /** A cell longer than Excel allows (32,767 characters). */
  'sales/import-cell-too-long',
  /** A row with over a thousand columns or a megabyte of text (an unclosed quote, a hostile file). */
  'sales/import-record-too-long',
  /** An xlsx whose entries inflate far beyond an order export (a zip bomb). */
  'sales/import-zip-bomb',
  'sales/duplicate',
  'sales/not-found',
  'sales/no-live-segment',
  /** No product given and none on air. */
  'sales/no-product',
  /** An amount that does not fit (too large, negative). */
  'sales/invalid-amount',
  'sales/invalid-time',
  'sales/backup-not-found',
  'sales/folder-unusable',
  'sales/export-too-large',
  'sales/unknown-method',
] as const;
export type SalesErrorCode = (typeof salesErrorCodes)[number];
