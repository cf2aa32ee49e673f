import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type Database from 'better-sqlite3';

import { StudioError } from '../../../shared/api/result';
import type {
  ColumnMapping,
  ImportedOrder,
  ImportResult,
  LiveSegment,
  Product,
  ProductAnalytics,
  RecordedSale,
  RecordedTotals,
  Sale,
  SalesConfig,
  SaleSource,
  SalesPlatform,
  SaleStatus,
  Segment,
  Show,
  ShowAnalytics,
} from '../../../shared/api/sales';
import { columnMappingSchema } from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';
import type { AttributableSegment, Attribution } from '../../../shared/sales/attribution';
import { attributeOrder } from '../../../shared/sales/attribution';
import { createProductMatcher } from '../../../shared/sales/product-match';
import { isPlausibleOrderTime } from '../../../shared/sales/time';
import { AnalyticsRepo } from './analytics-repo';
import { Catalog } from './catalog';
import type { SalesDbOptions } from './connection';
import { SalesConnection } from './connection';
import { latestVersion, rollupInsertSql } from './migrations';
import { salesQueries } from './queries';
import type { ProductRow, SaleRow, SegmentRow, ShowRow } from './rows';
import { notFound, parseJson, toProduct, toSale, toSegment, toShow } from './rows';
import type { StagedColumns } from './staged-columns';
import { importChunkRows, stagedNumbers, stagedTexts, unpackTexts } from './staged-columns';

// The sales log on SQLite. Synchronous (better-sqlite3), so it only ever runs inside the sales
// worker thread; the rest of the app talks to it through SalesStore. Every write that the UI is
// told about has been committed with synchronous=FULL before the method returns.

/** Validated inputs, as the handlers pass them on. */
export interface ProductSave {
  id?: string | undefined;
  name: string;
  sku: string;
  unit: string;
  priceFen: Fen;
  origin: string;
  certifications: string[];
  shopLinks: Partial<Record<SalesPlatform, string>>;
}

export interface ShowCreate {
  title: string;
  platforms: SalesPlatform[];
  hosts: string[];
  plannedStart: number | null;
  timeZone: string;
}

export interface SegmentStartInput {
  showId: string;
  productId: string | null;
  host: string;
  guest: string | null;
  presetId: string | null;
  startedAt?: number | undefined;
}

export interface SaleInput {
  productId?: string | undefined;
  quantity: number;
  amountFen?: Fen | undefined;
  unitPriceFen?: Fen | undefined;
  platform?: SalesPlatform | undefined;
  orderedAt?: number | undefined;
  note: string;
  entryKey?: string | undefined;
}

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

export interface SaleQuery {
  showId?: string | undefined;
  segmentId?: string | undefined;
  productId?: string | undefined;
  source?: SaleSource | undefined;
  beforeId?: number | undefined;
  limit: number;
}

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

export type { SalesDbOptions } from './connection';

interface StageRow {
  seq: number;
  line: number;
  order_id: string;
  line_key: string;
  order_count: number;
  ordered_at: number;
  date_only: number;
  product_title: string;
  product_id: string | null;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  status: SaleStatus;
}

interface StageJob {
  fileName: string;
  platform: SalesPlatform;
  match: (hint: { externalProductId: string; sku: string; title: string }) => string | null;
  segments: AttributableSegment[];
  segmentsVersion: number;
  graceMs: number;
  staged: number;
  repeated: number;
  /** Summed as rows are staged, so the preview's summary costs no pass over a million rows. */
  sums: { orders: number; amount: number; unmatched: number; duplicates: number };
  /** This job's table in the staging file (one per job: dropping it is cheap, no job column to index). */
  table: string;
  /** Prepared statements on that table, dropped with it. */
  statements: Map<string, Database.Statement>;
  /** While a commit runs: what the chunks added so far. */
  commit?:
    | {
        now: number;
        skippedBadRows: number;
        imported: number;
        staged: number;
        attributed: number;
        offAir: number;
        amountFen: number;
        showIds: Set<string>;
        /** Rows committed since the last checkpoint. */
        sinceCheckpoint: number;
      }
    | undefined;
}

/** An import's attributed and off-air lines and counted amount, per show, from `table`. */
function importTotalsSql(table: string, where: string): string {
  return `SELECT show_id, ifnull(sum(segment_id IS NOT NULL), 0) attributed, ifnull(sum(off_air), 0) off_air,
      ifnull(sum(CASE WHEN status IN ${countedStatuses} THEN amount_fen ELSE 0 END), 0) amount
    FROM ${table} WHERE ${where} GROUP BY show_id`;
}

const defaultGraceMs = 120_000;
/** Rows an import commits between two checkpoints of the WAL. */
const checkpointEveryRows = 25_000;
const countedStatuses = "('placed', 'paid')";

/** The most one order line may be: 10,000,000 yuan (a typo or a hostile value beyond it). */
export const maxLineFen = 1_000_000_000;
export const maxLineQuantity = 100_000;

/** Sense checks on what enters the log by hand or through the feed: coded errors, never stored. */
function checkEntry(orderedAt: number, amountFen: number | undefined, quantity: number, now: number): void {
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

function checkedAmount(unitFen: number, quantity: number): Fen {
  const amount = unitFen * quantity;
  if (!Number.isSafeInteger(amount)) {
    throw new StudioError('sales/invalid-amount', 'The amount is too large.', { params: { unitFen, quantity } });
  }
  return amount as Fen;
}

/** The sales database: open, migrate, and every query the sales domain needs. */
export class SalesDb {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly jobs = new Map<string, StageJob>();
  private hasStageTable = false;
  private stageTables = 0;
  /** Bumped whenever segments change, so a staged import knows its attribution is stale. */
  private segmentsVersion = 0;
  private cachedConfig: SalesConfig | undefined;
  /** The connection underneath: statements, audit, transactions, checkpoints, backups. */
  private readonly conn: SalesConnection;
  /** Products. */
  private readonly catalog: Catalog;
  /** Roll-up reads: show and product analytics, recorded totals. */
  private readonly analytics: AnalyticsRepo;

  constructor(options: SalesDbOptions) {
    this.conn = new SalesConnection(options);
    this.file = this.conn.file;
    this.db = this.conn.db;
    this.now = this.conn.now;
    this.catalog = new Catalog(this.conn);
    this.analytics = new AnalyticsRepo(this.conn, {
      getShow: (id) => this.getShow(id),
      getProduct: (id) => this.catalog.getProduct(id),
      listProducts: (all) => this.catalog.listProducts(all),
    });
    try {
      this.recoverImports();
    } catch (error) {
      this.conn.close();
      throw error;
    }
  }

  private stmt(sql: string): Database.Statement {
    return this.conn.stmt(sql);
  }

  private stageFile(): string {
    return path.join(path.dirname(this.file), 'import-staging.db');
  }

  close(): void {
    if (!this.db.open) return;
    if (this.hasStageTable) {
      try {
        this.db.exec('DETACH DATABASE stage');
        for (const suffix of ['', '-journal']) fs.rmSync(this.stageFile() + suffix, { force: true });
      } catch {
        // Removed at the next open anyway.
      }
    }
    this.conn.close();
  }

  checkpoint(): void {
    this.conn.checkpoint();
  }

  schemaVersion(): number {
    return this.conn.schemaVersion();
  }

  integrityCheck(): string {
    return this.conn.integrityCheck();
  }

  explain(sql: string, params: unknown[] = []): string[] {
    return this.conn.explain(sql, params);
  }

  /** The analytics and lookup statements, by name, so tests can check their plans. */
  static readonly queries = salesQueries;

  // -------------------------------------------------------------------------------------------
  // Config

  config(): SalesConfig {
    // Read once and kept: every sale's attribution needs it, and only updateConfig changes it.
    if (this.cachedConfig !== undefined) return this.cachedConfig;
    const row = this.stmt("SELECT value FROM config WHERE key = 'graceMs'").get() as { value: string } | undefined;
    const graceMs = row === undefined ? defaultGraceMs : Number(row.value);
    this.cachedConfig = { graceMs: Number.isSafeInteger(graceMs) && graceMs >= 0 ? graceMs : defaultGraceMs };
    return this.cachedConfig;
  }

  updateConfig(patch: Partial<SalesConfig>): SalesConfig {
    if (patch.graceMs !== undefined) {
      this.stmt("INSERT OR REPLACE INTO config (key, value) VALUES ('graceMs', ?)").run(String(patch.graceMs));
    }
    this.cachedConfig = undefined;
    return this.config();
  }

  getSetting(key: string): string | null {
    const row = this.stmt('SELECT value FROM config WHERE key = ?').get(`x:${key}`) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.stmt('INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)').run(`x:${key}`, value);
  }

  private audit(action: string, entity: string, entityId: string | number, detail: unknown): void {
    this.conn.audit(action, entity, entityId, detail);
  }

  auditOf(entity: string, entityId: string | number): { at: number; action: string; detail: unknown }[] {
    return this.conn.auditOf(entity, entityId);
  }

  // -------------------------------------------------------------------------------------------
  // Products

  listProducts(includeArchived: boolean): Product[] {
    return this.catalog.listProducts(includeArchived);
  }

  getProduct(id: string): Product {
    return this.catalog.getProduct(id);
  }

  saveProduct(input: ProductSave): Product {
    return this.catalog.saveProduct(input);
  }

  archiveProduct(id: string, isArchived: boolean): Product {
    return this.catalog.archiveProduct(id, isArchived);
  }

  // -------------------------------------------------------------------------------------------
  // Shows and segments

  createShow(input: ShowCreate): Show {
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO shows (id, title, platforms, hosts, planned_start, time_zone, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.title,
          JSON.stringify(input.platforms),
          JSON.stringify(input.hosts),
          input.plannedStart,
          input.timeZone,
          this.now(),
        );
      this.audit('create', 'show', id, { title: input.title });
    })();
    return this.getShow(id);
  }

  getShow(id: string): Show {
    const row = this.stmt('SELECT * FROM shows WHERE id = ?').get(id) as ShowRow | undefined;
    if (row === undefined) throw notFound('show', id);
    return toShow(row);
  }

  listShows(limit: number): Show[] {
    return (this.stmt('SELECT * FROM shows ORDER BY created_at DESC LIMIT ?').all(limit) as ShowRow[]).map(toShow);
  }

  getSegment(id: string): Segment {
    const row = this.stmt('SELECT * FROM segments WHERE id = ?').get(id) as SegmentRow | undefined;
    if (row === undefined) throw notFound('segment', id);
    return toSegment(row);
  }

  /** Starts a segment, ending the one live before it at the same moment. */
  startSegment(input: SegmentStartInput): { live: Segment; ended: Segment | null } {
    const now = this.now();
    const startedAt = input.startedAt ?? now;
    return this.db.transaction(() => {
      this.getShow(input.showId);
      if (input.productId !== null) this.getProduct(input.productId);
      let ended: Segment | null = null;
      for (const row of this.stmt('SELECT * FROM segments WHERE ended_at IS NULL').all() as SegmentRow[]) {
        const endAt = Math.max(row.started_at, startedAt);
        this.stmt('UPDATE segments SET ended_at = ? WHERE id = ?').run(endAt, row.id);
        this.audit('end', 'segment', row.id, { endedAt: endAt, by: 'next-segment' });
        ended = { ...toSegment(row), endedAt: endAt };
      }
      const id = randomUUID();
      this.db
        .prepare(
          `INSERT INTO segments (id, show_id, product_id, host, guest, preset_id, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.showId, input.productId, input.host, input.guest, input.presetId, startedAt);
      this.audit('start', 'segment', id, { showId: input.showId, productId: input.productId, startedAt });
      this.segmentsVersion += 1;
      // A segment started in the past takes the sales recorded since then.
      if (startedAt < now - 1000) this.reattribute(startedAt, now + 1);
      return { live: this.getSegment(id), ended };
    })();
  }

  endSegment(segmentId: string, endedAt?: number): Segment {
    const now = this.now();
    return this.db.transaction(() => {
      const segment = this.getSegment(segmentId);
      if (segment.endedAt !== null) return segment;
      const at = Math.max(segment.startedAt, endedAt ?? now);
      this.stmt('UPDATE segments SET ended_at = ? WHERE id = ?').run(at, segmentId);
      this.audit('end', 'segment', segmentId, { endedAt: at });
      this.segmentsVersion += 1;
      if (at < now - 1000) this.reattribute(at, now + 1);
      return this.getSegment(segmentId);
    })();
  }

  liveSegment(): LiveSegment | null {
    const row = this.stmt(SalesDb.queries.liveSegment).get() as SegmentRow | undefined;
    if (row === undefined) return null;
    const segment = toSegment(row);
    const productRow =
      segment.productId === null
        ? undefined
        : (this.stmt('SELECT * FROM products WHERE id = ?').get(segment.productId) as ProductRow | undefined);
    return {
      segment,
      show: this.getShow(segment.showId),
      product: productRow === undefined ? null : toProduct(productRow),
    };
  }

  private segmentsAround(at: number): AttributableSegment[] {
    const rows = this.stmt(SalesDb.queries.segmentsBefore).all(at) as SegmentRow[];
    return rows.reverse().map((r) => ({
      id: r.id,
      showId: r.show_id,
      productId: r.product_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  private attribute(at: number, productId: string | null): Attribution {
    return attributeOrder(this.segmentsAround(at), at, productId, this.config().graceMs);
  }

  /** Re-runs attribution for sales ordered in [from, to) after segments changed retroactively. */
  private reattribute(from: number, to: number): void {
    const update = this.stmt('UPDATE sales SET show_id = ?, segment_id = ?, off_air = ?, attribution = ? WHERE id = ?');
    for (const row of this.stmt(SalesDb.queries.salesInRange).all(from, to) as SaleRow[]) {
      const a = this.attribute(row.ordered_at, row.product_id);
      if (a.segmentId === row.segment_id && (a.isOffAir ? 1 : 0) === row.off_air) continue;
      update.run(a.showId, a.segmentId, a.isOffAir ? 1 : 0, a.how, row.id);
      this.audit('reattribute', 'sale', row.id, { from: row.segment_id, to: a.segmentId });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sales

  getSale(id: number): Sale {
    const row = this.stmt('SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
    if (row === undefined) throw notFound('sale', id);
    return toSale(row);
  }

  private insertSale(values: {
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
    const row = this.stmt(
      `INSERT INTO sales (show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
         platform, source, external_order_id, external_line, ordered_at, entered_at, status, off_air, attribution,
         note, entry_key, order_count)
       VALUES (@showId, @segmentId, @productId, @productTitle, @quantity, @unitPriceFen, @amountFen, @platform,
         @source, @externalOrderId, @externalLine, @orderedAt, @enteredAt, @status, @offAir, @attribution, @note,
         @entryKey, @orderCount)
       RETURNING *`,
    ).get({ ...values, offAir: values.offAir ? 1 : 0 }) as SaleRow;
    return toSale(row);
  }

  /** Quick entry: one committed sale in the live segment (or the one at `orderedAt`). */
  recordedTotals(showId: string | null, segmentId: string | null): RecordedTotals | null {
    return this.analytics.recordedTotals(showId, segmentId);
  }

  private recorded(sale: Sale): RecordedSale {
    return { ...sale, totals: this.recordedTotals(sale.showId, sale.segmentId) };
  }

  /** Records a quick-entry sale; returns it with its segment's and show's new totals. */
  recordSale(input: SaleInput): RecordedSale {
    const now = this.now();
    if (input.orderedAt !== undefined) checkEntry(input.orderedAt, input.amountFen, input.quantity, now);
    return this.db.transaction(() => {
      if (input.entryKey !== undefined) {
        const existing = this.stmt(SalesDb.queries.byEntryKey).get(input.entryKey) as SaleRow | undefined;
        if (existing !== undefined) return this.recorded(toSale(existing));
      }
      // Only the live segment's row: its show and product are not needed unless attributed.
      const live = this.stmt(SalesDb.queries.liveSegment).get() as SegmentRow | undefined;
      const productId = input.productId ?? live?.product_id ?? null;
      if (productId === null) {
        if (live === undefined) throw new StudioError('sales/no-live-segment', 'No segment is on air.');
        throw new StudioError('sales/no-product', 'No product is on air: choose one.');
      }
      const product = this.getProduct(productId);
      const unitPriceFen = input.unitPriceFen ?? product.priceFen;
      const amountFen = input.amountFen ?? checkedAmount(unitPriceFen, input.quantity);
      const orderedAt = input.orderedAt ?? now;
      checkEntry(orderedAt, amountFen, input.quantity, now);
      const attribution = this.attribute(orderedAt, productId);
      const show = attribution.showId === null ? null : this.getShow(attribution.showId);
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
    return this.db.transaction(() => {
      const row = this.stmt(SalesDb.queries.lastManual).get() as SaleRow | undefined;
      if (row === undefined) return null;
      this.stmt("UPDATE sales SET status = 'voided' WHERE id = ?").run(row.id);
      this.audit('status', 'sale', row.id, { from: row.status, to: 'voided', reason: 'undo' });
      return this.getSale(row.id);
    })();
  }

  setStatus(saleId: number, status: SaleStatus, reason: string): Sale {
    return this.db.transaction(() => {
      const before = this.getSale(saleId);
      if (before.status === status) return before;
      this.stmt('UPDATE sales SET status = ? WHERE id = ?').run(status, saleId);
      this.audit('status', 'sale', saleId, { from: before.status, to: status, reason });
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
    const rows = this.stmt(sql).all(...params, query.limit + 1) as SaleRow[];
    const page = rows.slice(0, query.limit).map(toSale);
    return { sales: page, nextBeforeId: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
  }

  /** The sales count and GMV straight from the sales table, for tests that check the roll-up. */
  rawTotals(showId: string): { gmvFen: number; orders: number; units: number } {
    return this.analytics.rawTotals(showId);
  }

  // -------------------------------------------------------------------------------------------
  // Live feed

  feedMappings(): { externalId: string; title: string; productId: string | null }[] {
    return (
      this.stmt('SELECT external_id, title, product_id FROM feed_products ORDER BY title').all() as {
        external_id: string;
        title: string;
        product_id: string | null;
      }[]
    ).map((r) => ({ externalId: r.external_id, title: r.title, productId: r.product_id }));
  }

  mapFeedProduct(externalId: string, title: string, productId: string | null): void {
    if (productId !== null) this.getProduct(productId);
    this.db
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
    const now = this.now();
    checkEntry(input.orderedAt, input.amountFen, input.quantity, now);
    return this.db.transaction(() => {
      const existing = this.stmt(SalesDb.queries.byExternal).get(input.platform, input.orderId, input.lineId) as
        SaleRow | undefined;
      if (existing !== undefined) {
        const rank: Record<SaleStatus, number> = { placed: 0, paid: 1, refunded: 2, cancelled: 2, voided: 3 };
        if (rank[input.status] > rank[existing.status]) {
          this.stmt('UPDATE sales SET status = ? WHERE id = ?').run(input.status, existing.id);
          this.audit('status', 'sale', existing.id, { from: existing.status, to: input.status, reason: input.feed });
        }
        return { sale: this.recorded(this.getSale(existing.id)), isDuplicate: true, productId: existing.product_id };
      }
      let productId: string | null = null;
      const externalId = input.externalProductId ?? '';
      let isMapped = false;
      if (input.productId !== undefined) productId = this.getProduct(input.productId).id;
      else if (externalId !== '') {
        const mapped = this.stmt('SELECT product_id FROM feed_products WHERE external_id = ?').get(externalId) as
          { product_id: string | null } | undefined;
        productId = mapped?.product_id ?? null;
        isMapped = productId !== null;
      }
      if (productId === null) {
        const match = createProductMatcher(this.listProducts(false));
        productId = match({ externalProductId: externalId, sku: '', title: input.productTitle });
      }
      // Learn the feed's product id: matched ones map themselves, the others wait for the user.
      if (externalId !== '' && !isMapped && input.productId === undefined) {
        this.stmt(
          `INSERT INTO feed_products (external_id, title, product_id) VALUES (?, ?, ?)
           ON CONFLICT (external_id) DO UPDATE SET product_id = ifnull(product_id, excluded.product_id),
             title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE title END`,
        ).run(externalId, input.productTitle, productId);
      }
      const product = productId === null ? null : this.getProduct(productId);
      // oba-live-tool sends no amount: the product's price stands in for it.
      const unitPriceFen =
        input.amountFen !== undefined ? Math.trunc(input.amountFen / input.quantity) : (product?.priceFen ?? 0);
      const amountFen = input.amountFen ?? checkedAmount(unitPriceFen, input.quantity);
      const attribution = this.attribute(input.orderedAt, productId);
      const sale = this.insertSale({
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
      return { sale: this.recorded(sale), isDuplicate: false, productId };
    })();
  }

  // -------------------------------------------------------------------------------------------
  // Imports: rows are staged in a temp table while the file is read (bounded memory, and quick
  // entry keeps working between batches), then moved into sales in one transaction.

  private ensureStage(): void {
    if (this.hasStageTable) return;
    // Staged rows live in a scratch file beside the log, not in memory and not in the WAL:
    // no journal, no fsync, thrown away at every open and close.
    const stageFile = this.stageFile();
    for (const suffix of ['', '-journal']) fs.rmSync(stageFile + suffix, { force: true });
    this.db.prepare('ATTACH DATABASE ? AS stage').run(stageFile);
    this.db.pragma('stage.journal_mode = OFF');
    this.db.pragma('stage.synchronous = OFF');
    this.hasStageTable = true;
  }

  private allSegments(): AttributableSegment[] {
    return (this.stmt('SELECT * FROM segments ORDER BY started_at').all() as SegmentRow[]).map((r) => ({
      id: r.id,
      showId: r.show_id,
      productId: r.product_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  stageBegin(jobId: string, fileName: string, platform: SalesPlatform): void {
    this.ensureStage();
    const table = `stage.orders_${++this.stageTables}`;
    this.db.exec(`
      CREATE TABLE ${table} (
        seq INTEGER PRIMARY KEY,
        line INTEGER NOT NULL,
        order_id TEXT NOT NULL,
        line_key TEXT NOT NULL,
        order_count INTEGER NOT NULL,
        ordered_at INTEGER NOT NULL,
        date_only INTEGER NOT NULL,
        product_title TEXT NOT NULL,
        product_id TEXT,
        quantity INTEGER NOT NULL,
        unit_price_fen INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL,
        status TEXT NOT NULL,
        show_id TEXT,
        segment_id TEXT,
        off_air INTEGER NOT NULL,
        attribution TEXT NOT NULL,
        UNIQUE (order_id, line_key)
      )`);
    this.jobs.set(jobId, {
      table,
      statements: new Map(),
      fileName,
      platform,
      match: createProductMatcher(this.listProducts(true)),
      segments: this.allSegments(),
      segmentsVersion: this.segmentsVersion,
      graceMs: this.config().graceMs,
      staged: 0,
      repeated: 0,
      sums: { orders: 0, amount: 0, unmatched: 0, duplicates: 0 },
    });
  }

  /** A statement on a job's staging table (`$stage` in `sql` names it). */
  private stageStmt(job: StageJob, sql: string): Database.Statement {
    let statement = job.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql.replaceAll('$stage', job.table));
      job.statements.set(sql, statement);
    }
    return statement;
  }

  /** Throws a job's staged rows away: the whole scratch file when no other preview is pending. */
  private dropJob(jobId: string, job: StageJob): void {
    this.jobs.delete(jobId);
    job.statements.clear();
    if (this.jobs.size > 0) {
      this.db.exec(`DROP TABLE IF EXISTS ${job.table}`);
      return;
    }
    try {
      this.db.exec('DETACH DATABASE stage');
      this.hasStageTable = false;
      for (const suffix of ['', '-journal']) fs.rmSync(this.stageFile() + suffix, { force: true });
    } catch {
      // Still attached (a statement was busy): the table goes now, the file at close or the next open.
      if (this.hasStageTable) this.db.exec(`DROP TABLE IF EXISTS ${job.table}`);
    }
  }

  private job(jobId: string): StageJob {
    const job = this.jobs.get(jobId);
    if (job === undefined) {
      throw new StudioError('sales/import-expired', 'This import preview is gone; preview the file again.');
    }
    return job;
  }

  stageBatch(jobId: string, batch: StagedColumns): void {
    const job = this.job(jobId);
    const insert = this.stageStmt(
      job,
      `INSERT OR IGNORE INTO $stage (line, order_id, line_key, order_count, ordered_at, date_only,
         product_title, product_id, quantity, unit_price_fen, amount_fen, status, show_id, segment_id, off_air,
         attribution)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Temp tables are not in the WAL: staging costs no fsync.
    this.db.transaction(() => {
      const { numbers } = batch;
      const texts = unpackTexts(batch);
      for (let i = 0; i < batch.count; i++) {
        const n = i * stagedNumbers;
        const t = i * stagedTexts;
        const productTitle = texts[t + 2] as string;
        const productId = job.match({
          externalProductId: texts[t + 3] as string,
          sku: texts[t + 4] as string,
          title: productTitle,
        });
        const orderedAt = numbers[n + 2] as number;
        const isDateOnly = numbers[n + 3] === 1;
        const a = this.attributeStaged(job, orderedAt, isDateOnly, productId);
        const info = insert.run(
          numbers[n],
          texts[t],
          texts[t + 1],
          numbers[n + 1],
          orderedAt,
          isDateOnly ? 1 : 0,
          productTitle,
          productId,
          numbers[n + 4],
          numbers[n + 5],
          numbers[n + 6],
          texts[t + 5],
          a.showId,
          a.segmentId,
          a.isOffAir ? 1 : 0,
          a.how,
        );
        if (info.changes === 0) {
          job.repeated += 1;
          continue;
        }
        job.staged += 1;
        job.sums.orders += numbers[n + 1] as number;
        job.sums.amount += numbers[n + 6] as number;
        if (productId === null) job.sums.unmatched += 1;
      }
    })();
  }

  /** A date without a time of day says nothing about which segment sold it. */
  private attributeStaged(job: StageJob, at: number, isDateOnly: boolean, productId: string | null): Attribution {
    if (isDateOnly) return { segmentId: null, showId: null, how: 'none', isOffAir: false };
    return attributeOrder(job.segments, at, productId, job.graceMs);
  }

  stageSummary(jobId: string): StageSummary {
    const job = this.job(jobId);
    // Lines already in the log (same platform, order and line): importing adds nothing for them.
    // Counted once here in one statement, not probed per staged row; none at all to look for
    // when the log holds nothing from this platform.
    const hasPlatformSales = this.stmt(
      'SELECT 1 FROM sales WHERE platform = ? AND external_order_id IS NOT NULL LIMIT 1',
    ).get(job.platform);
    job.sums.duplicates =
      hasPlatformSales === undefined
        ? 0
        : (
            this.stageStmt(
              job,
              `SELECT count(*) n FROM $stage s WHERE EXISTS (SELECT 1 FROM sales
                 WHERE platform = ? AND external_order_id = s.order_id AND external_line = s.line_key)`,
            ).get(job.platform) as { n: number }
          ).n;
    const sample = (this.stageStmt(job, 'SELECT * FROM $stage ORDER BY seq LIMIT 20').all() as StageRow[]).map(
      (r): ImportedOrder => ({
        line: r.line,
        orderId: r.order_id,
        lineId: r.line_key,
        orderedAt: r.ordered_at,
        productTitle: r.product_title,
        productId: r.product_id,
        quantity: r.quantity,
        amountFen: r.amount_fen as Fen,
        status: r.status,
      }),
    );
    return {
      staged: job.staged,
      repeatedRows: job.repeated,
      duplicateRows: job.sums.duplicates,
      orders: job.sums.orders,
      amountFen: job.sums.amount,
      unmatchedProducts: job.sums.unmatched,
      sample,
    };
  }

  dropStage(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job !== undefined) this.dropJob(jobId, job);
  }

  /**
   * Starts moving a staged file into the log. The move is cut into chunks (commitChunk), each
   * its own short transaction, so quick entry and every other request keep answering during a
   * million-row import; the import stays 'committing' until commitEnd, and one left so by a
   * crash is rolled back at the next open (rollbackImport). Returns the staged seq range.
   */
  commitBegin(jobId: string, skippedBadRows: number): { firstSeq: number; lastSeq: number } {
    const job = this.job(jobId);
    const now = this.now();
    // Segments changed since the preview (or the grace window did): attribute again.
    const graceMs = this.config().graceMs;
    if (job.segmentsVersion !== this.segmentsVersion || job.graceMs !== graceMs) {
      job.segments = this.allSegments();
      job.graceMs = graceMs;
      const update = this.stageStmt(
        job,
        'UPDATE $stage SET show_id = ?, segment_id = ?, off_air = ?, attribution = ? WHERE seq = ?',
      );
      const rows = this.stageStmt(
        job,
        'SELECT seq, ordered_at, date_only, product_id FROM $stage ORDER BY seq',
      ).all() as {
        seq: number;
        ordered_at: number;
        date_only: number;
        product_id: string | null;
      }[];
      // The staging file has no journal: this costs no fsync and touches nothing in the log.
      this.db.transaction(() => {
        for (const r of rows) {
          const a = this.attributeStaged(job, r.ordered_at, r.date_only === 1, r.product_id);
          update.run(a.showId, a.segmentId, a.isOffAir ? 1 : 0, a.how, r.seq);
        }
      })();
    }
    const range = this.stageStmt(
      job,
      'SELECT ifnull(min(seq), 1) first, ifnull(max(seq), 0) last FROM $stage',
    ).get() as {
      first: number;
      last: number;
    };
    this.stmt(
      `INSERT INTO imports (id, file_name, platform, rows_imported, rows_duplicate, rows_skipped, at, state)
       VALUES (?, ?, ?, 0, 0, ?, ?, 'committing')`,
    ).run(jobId, job.fileName, job.platform, skippedBadRows, now);
    job.commit = {
      now,
      skippedBadRows,
      imported: 0,
      staged: 0,
      attributed: 0,
      offAir: 0,
      amountFen: 0,
      showIds: new Set(),
      sinceCheckpoint: 0,
    };
    return { firstSeq: range.first, lastSeq: range.last };
  }

  /** Moves staged rows seq ∈ [from, to] into the log, with their roll-up, in one transaction. */
  commitChunk(jobId: string, from: number, to: number): void {
    const job = this.job(jobId);
    const commit = job.commit;
    if (commit === undefined) throw new StudioError('sales/import-expired', 'This import is not being committed.');
    this.db
      .transaction(() => {
        const lastId = (this.stmt('SELECT ifnull(max(id), 0) id FROM sales').get() as { id: number }).id;
        // One statement: rows already in the log (same platform, order and line) are skipped.
        const inserted = this.stageStmt(
          job,
          `INSERT INTO sales (show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
             platform, source, external_order_id, external_line, ordered_at, entered_at, status, off_air, attribution,
             note, order_count, import_id)
           SELECT show_id, segment_id, product_id, product_title, quantity, unit_price_fen, amount_fen,
             @platform, 'import', order_id, line_key, ordered_at, @now, status, off_air, attribution,
             '', order_count, @job
           FROM $stage WHERE seq BETWEEN @from AND @to ORDER BY seq
           ON CONFLICT (platform, external_order_id, external_line) WHERE external_order_id IS NOT NULL DO NOTHING`,
        ).run({ platform: job.platform, now: commit.now, job: jobId, from, to });
        const staged = (
          this.stageStmt(job, 'SELECT count(*) n FROM $stage WHERE seq BETWEEN ? AND ?').get(from, to) as { n: number }
        ).n;
        commit.imported += inserted.changes;
        commit.staged += staged;
        // Roll-up and totals of exactly the rows this chunk added (the sales_import index, by id).
        this.stmt(rollupInsertSql('import_id = ? AND id > ?')).run(jobId, lastId);
        const perShow = this.stmt(importTotalsSql('sales', 'import_id = ? AND id > ?')).all(jobId, lastId) as {
          show_id: string | null;
          attributed: number;
          off_air: number;
          amount: number;
        }[];
        for (const r of perShow) {
          commit.attributed += r.attributed;
          commit.offAir += r.off_air;
          commit.amountFen += r.amount;
          if (r.show_id !== null) commit.showIds.add(r.show_id);
        }
      })
      .immediate();
    // A checkpoint every few chunks: the WAL never holds the whole import, so no later
    // checkpoint (between requests, in this same thread) has hundreds of megabytes to copy at
    // once. Not after every chunk: the index pages each chunk touches were copied again every
    // time (a third of the commit's CPU on a 100,000-order file).
    commit.sinceCheckpoint += to - from + 1;
    if (commit.sinceCheckpoint >= checkpointEveryRows) {
      commit.sinceCheckpoint = 0;
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  /** Marks a chunked import done; its result. */
  commitEnd(jobId: string): ImportResult & { showIds: string[] } {
    const job = this.job(jobId);
    const commit = job.commit;
    if (commit === undefined) throw new StudioError('sales/import-expired', 'This import is not being committed.');
    const result = {
      imported: commit.imported,
      duplicates: commit.staged - commit.imported,
      skippedBadRows: commit.skippedBadRows,
      attributed: commit.attributed,
      offAir: commit.offAir,
      amountFen: commit.amountFen as Fen,
    };
    this.db
      .transaction(() => {
        this.stmt("UPDATE imports SET rows_imported = ?, rows_duplicate = ?, state = 'done' WHERE id = ?").run(
          result.imported,
          result.duplicates,
          jobId,
        );
        this.audit('import', 'import', jobId, { file: job.fileName, platform: job.platform, ...result });
      })
      .immediate();
    job.commit = undefined;
    this.dropJob(jobId, job);
    return { ...result, showIds: [...commit.showIds] };
  }

  /** Takes a half-committed import out again (a failed chunk, or found 'committing' at open). */
  rollbackImport(importId: string): void {
    this.db
      .transaction(() => {
        const state = this.stmt('SELECT state FROM imports WHERE id = ?').get(importId) as
          { state: string } | undefined;
        if (state?.state !== 'committing') return;
        this.stmt(rollupInsertSql('import_id = ?', 'sales', '-')).run(importId);
        this.stmt('DELETE FROM sales WHERE import_id = ?').run(importId);
        this.stmt('DELETE FROM imports WHERE id = ?').run(importId);
        this.audit('import-rolled-back', 'import', importId, {});
      })
      .immediate();
    const job = this.jobs.get(importId);
    if (job !== undefined) job.commit = undefined;
  }

  /** Imports a crash left half-committed are rolled back (at open). */
  private recoverImports(): void {
    const open = this.stmt("SELECT id FROM imports WHERE state = 'committing'").all() as { id: string }[];
    for (const { id } of open) this.rollbackImport(id);
  }

  /** Moves a staged file into the log, all chunks in one call (tests, small files). */
  commitImport(jobId: string, skippedBadRows: number): ImportResult & { showIds: string[] } {
    const { firstSeq, lastSeq } = this.commitBegin(jobId, skippedBadRows);
    try {
      for (let from = firstSeq; from <= lastSeq; from += importChunkRows) {
        this.commitChunk(jobId, from, Math.min(lastSeq, from + importChunkRows - 1));
      }
    } catch (error) {
      this.rollbackImport(jobId);
      throw error;
    }
    return this.commitEnd(jobId);
  }

  // -------------------------------------------------------------------------------------------
  // Saved column mappings

  listMappings(): ColumnMapping[] {
    const rows = this.stmt('SELECT mapping FROM column_mappings ORDER BY updated_at DESC').all() as {
      mapping: string;
    }[];
    const out: ColumnMapping[] = [];
    for (const r of rows) {
      const parsed = columnMappingSchema.safeParse(parseJson<unknown>(r.mapping, null));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  saveMapping(mapping: ColumnMapping): ColumnMapping[] {
    this.db
      .prepare('INSERT OR REPLACE INTO column_mappings (name, mapping, updated_at) VALUES (?, ?, ?)')
      .run(mapping.name, JSON.stringify(mapping), this.now());
    return this.listMappings();
  }

  deleteMapping(name: string): ColumnMapping[] {
    this.stmt('DELETE FROM column_mappings WHERE name = ?').run(name);
    return this.listMappings();
  }

  // -------------------------------------------------------------------------------------------
  // Analytics

  showAnalytics(showId: string): ShowAnalytics {
    return this.analytics.showAnalytics(showId);
  }

  productAnalytics(productId: string): ProductAnalytics {
    return this.analytics.productAnalytics(productId);
  }

  // -------------------------------------------------------------------------------------------
  // Export

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
        where = 's.ordered_at >= ? AND s.ordered_at < ?';
        params = [scope.from, scope.to];
        break;
    }
    const rows = this.db
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

  backupTo(file: string): Promise<void> {
    return this.conn.backupTo(file);
  }
}

/** The schema version this build writes. */
export const salesSchemaVersion = latestVersion;
