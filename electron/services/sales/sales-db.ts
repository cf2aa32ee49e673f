import type {
  ColumnMapping,
  ImportResult,
  LiveSegment,
  Product,
  ProductAnalytics,
  RecordedSale,
  RecordedTotals,
  Sale,
  SalesConfig,
  SalesPlatform,
  SaleStatus,
  Segment,
  Show,
  ShowAnalytics,
} from '../../../shared/api/sales';
import { AnalyticsRepo } from './analytics-repo';
import { Catalog } from './catalog';
import { ConfigRepo } from './config-repo';
import type { SalesDbOptions } from './connection';
import { SalesConnection } from './connection';
import { FeedRepo } from './feed-repo';
import { ImportStaging } from './import-staging';
import { latestVersion } from './migrations';
import { salesQueries } from './queries';
import type {
  ExportRow,
  ExportScope,
  FeedSaleInput,
  ProductSave,
  SaleInput,
  SaleQuery,
  SegmentStartInput,
  ShowCreate,
  StageSummary,
} from './repo-types';
import { SalesRepo } from './sales-repo';
import { ShowsRepo } from './shows-repo';
import type { StagedColumns } from './staged-columns';

// The sales log on SQLite. Synchronous (better-sqlite3), so it only ever runs inside the sales
// worker thread; the rest of the app talks to it through SalesStore. Every write that the UI is
// told about has been committed with synchronous=FULL before the method returns.
//
// This class is only the face the worker dispatches to (its read and write lists name these
// methods): the connection at the bottom, and one repository per concern above it.

/** The sales database: the connection and its repositories, opened together. */
export class SalesDb {
  readonly file: string;
  /** The connection underneath: statements, audit, transactions, checkpoints, backups. */
  private readonly conn: SalesConnection;
  private readonly settings: ConfigRepo;
  private readonly catalog: Catalog;
  private readonly shows: ShowsRepo;
  private readonly analytics: AnalyticsRepo;
  private readonly sales: SalesRepo;
  private readonly feed: FeedRepo;
  private readonly staging: ImportStaging;

  constructor(options: SalesDbOptions) {
    this.conn = new SalesConnection(options);
    this.file = this.conn.file;
    this.settings = new ConfigRepo(this.conn);
    this.catalog = new Catalog(this.conn);
    this.shows = new ShowsRepo(this.conn, this.catalog, this.settings);
    this.analytics = new AnalyticsRepo(this.conn, {
      getShow: (id) => this.shows.getShow(id),
      getProduct: (id) => this.catalog.getProduct(id),
      listProducts: (all) => this.catalog.listProducts(all),
    });
    this.sales = new SalesRepo(this.conn, this.catalog, this.shows, this.analytics);
    this.feed = new FeedRepo(this.conn, this.catalog, this.shows, this.sales);
    this.staging = new ImportStaging(this.conn, this.catalog, this.shows, this.settings);
    try {
      this.staging.recoverImports();
    } catch (error) {
      this.conn.close();
      throw error;
    }
  }

  close(): void {
    if (!this.conn.db.open) return;
    this.staging.close();
    this.conn.close();
  }

  checkpoint(): void {
    this.conn.checkpoint();
  }

  /** Writes the WAL out to `bytes` ahead of the commits that fill it (SalesConnection.preallocateWal). */
  preallocateWal(bytes: number): number {
    return this.conn.preallocateWal(bytes);
  }

  /** Hands checkpoints to another thread (the sales worker's checkpoint thread), or back here. */
  useCheckpointer(checkpointer: (() => Promise<void>) | undefined): void {
    this.conn.useCheckpointer(checkpointer);
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

  auditOf(entity: string, entityId: string | number): { at: number; action: string; detail: unknown }[] {
    return this.conn.auditOf(entity, entityId);
  }

  backupTo(file: string): Promise<void> {
    return this.conn.backupTo(file);
  }

  // Config
  config(): SalesConfig {
    return this.settings.config();
  }
  updateConfig(patch: Partial<SalesConfig>): SalesConfig {
    return this.settings.updateConfig(patch);
  }
  getSetting(key: string): string | null {
    return this.settings.getSetting(key);
  }
  setSetting(key: string, value: string): void {
    this.settings.setSetting(key, value);
  }

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

  // Shows and segments
  createShow(input: ShowCreate): Show {
    return this.shows.createShow(input);
  }
  getShow(id: string): Show {
    return this.shows.getShow(id);
  }
  listShows(limit: number): Show[] {
    return this.shows.listShows(limit);
  }
  getSegment(id: string): Segment {
    return this.shows.getSegment(id);
  }
  /** Starts a segment, ending the one live before it at the same moment. */
  startSegment(input: SegmentStartInput): { live: Segment; ended: Segment | null } {
    return this.shows.startSegment(input);
  }
  endSegment(segmentId: string, endedAt?: number): Segment {
    return this.shows.endSegment(segmentId, endedAt);
  }
  liveSegment(): LiveSegment | null {
    return this.shows.liveSegment();
  }

  // Sales
  getSale(id: number): Sale {
    return this.sales.getSale(id);
  }
  /** Records a quick-entry sale; returns it with its segment's and show's new totals. */
  recordSale(input: SaleInput): RecordedSale {
    return this.sales.recordSale(input);
  }
  recordedTotals(showId: string | null, segmentId: string | null): RecordedTotals | null {
    return this.analytics.recordedTotals(showId, segmentId);
  }
  /** Voids the newest manual entry still counted (an entry mistake); null if none. */
  undoLast(): Sale | null {
    return this.sales.undoLast();
  }
  setStatus(saleId: number, status: SaleStatus, reason: string): Sale {
    return this.sales.setStatus(saleId, status, reason);
  }
  listSales(query: SaleQuery): { sales: Sale[]; nextBeforeId: number | null } {
    return this.sales.listSales(query);
  }
  /** One page of sales for an export, joined with show, segment and product; ascending ids. */
  exportPage(scope: ExportScope, afterId: number, limit: number): ExportRow[] {
    return this.sales.exportPage(scope, afterId, limit);
  }
  /** The sales count and GMV straight from the sales table, for tests that check the roll-up. */
  rawTotals(showId: string): { gmvFen: number; orders: number; units: number } {
    return this.analytics.rawTotals(showId);
  }

  // Live feed
  feedMappings(): { externalId: string; title: string; productId: string | null }[] {
    return this.feed.feedMappings();
  }
  mapFeedProduct(externalId: string, title: string, productId: string | null): void {
    this.feed.mapFeedProduct(externalId, title, productId);
  }
  ingestFeedOrder(input: FeedSaleInput): { sale: RecordedSale; isDuplicate: boolean; productId: string | null } {
    return this.feed.ingestFeedOrder(input);
  }

  // Imports
  stageBegin(jobId: string, fileName: string, platform: SalesPlatform): void {
    this.staging.stageBegin(jobId, fileName, platform);
  }
  stageBatch(jobId: string, batch: StagedColumns): void {
    this.staging.stageBatch(jobId, batch);
  }
  stageSummary(jobId: string): StageSummary {
    return this.staging.stageSummary(jobId);
  }
  dropStage(jobId: string): void {
    this.staging.dropStage(jobId);
  }
  commitBegin(jobId: string, skippedBadRows: number): { firstSeq: number; lastSeq: number } {
    return this.staging.commitBegin(jobId, skippedBadRows);
  }
  commitRange(jobId: string, from: number, to: number): Promise<void> {
    return this.staging.commitRange(jobId, from, to);
  }
  commitEnd(jobId: string): ImportResult & { showIds: string[] } {
    return this.staging.commitEnd(jobId);
  }
  rollbackImport(importId: string): void {
    this.staging.rollbackImport(importId);
  }
  rollbackRanges(importId: string): Promise<number> {
    return this.staging.rollbackRanges(importId);
  }
  /** Moves a staged file into the log, all chunks in one call (tests, small files). */
  commitImport(jobId: string, skippedBadRows: number): ImportResult & { showIds: string[] } {
    return this.staging.commitImport(jobId, skippedBadRows);
  }
  listMappings(): ColumnMapping[] {
    return this.staging.listMappings();
  }
  saveMapping(mapping: ColumnMapping): ColumnMapping[] {
    return this.staging.saveMapping(mapping);
  }
  deleteMapping(name: string): ColumnMapping[] {
    return this.staging.deleteMapping(name);
  }

  // Analytics
  showAnalytics(showId: string): ShowAnalytics {
    return this.analytics.showAnalytics(showId);
  }
  productAnalytics(productId: string): ProductAnalytics {
    return this.analytics.productAnalytics(productId);
  }
}

/** The schema version this build writes. */
export const salesSchemaVersion = latestVersion;
