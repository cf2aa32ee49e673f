import fs from 'node:fs';
import path from 'node:path';

import type { z } from 'zod';

import type { RequestName } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import type {
  DbStatus,
  LiveSegment,
  Product,
  ProductInput,
  RecordedSale,
  Segment,
  SegmentStart,
  Show,
  ShowInput,
} from '../../../shared/api/sales';
import type { feedOrderSchema } from '../../../shared/api/sales';
import { productInputSchema, segmentStartSchema, showInputSchema } from '../../../shared/api/sales';
import { daysInMonth, epochToMs } from '../../../shared/sales/time';
import type { Handlers } from '../api-router';
import type { Domain, DomainDeps } from '../domain';
import { createBackups } from './backups';
import { createDataLocation } from './data-location';
import { exportSales } from './exporter';
import { createFeedBridge } from './feed-bridge';
import { SalesImporter } from './importer';
import type { FeedSaleInput, SaleInput } from './repo-types';
import { SalesStore } from './store';
import { fatalDbCodes } from './store-errors';

/** The sales service as other domains (the show's run of show) use it. */
export interface SalesService {
  createShow(input: ShowInput): Promise<Show>;
  /** Opens a segment; the one live before it ends at the same moment. */
  startSegment(input: SegmentStart): Promise<Segment>;
  endSegment(segmentId: string, endedAt?: number): Promise<Segment>;
  getLiveSegment(): Promise<LiveSegment | null>;
  listProducts(): Promise<Product[]>;
  /** Throws sales/not-found when there is no such product. */
  getProduct(id: string): Promise<Product>;
  saveProduct(input: ProductInput): Promise<Product>;
  /** Resolves once the sale is on disk, with its segment's and show's new totals. */
  recordSale(input: SaleInput): Promise<RecordedSale>;
  /** Where the database stands (for the recovery screen). */
  dbStatus(): Promise<DbStatus>;
  /** Takes today's backup if it is not there yet (also done at start and hourly); its path, or null. */
  backupNow(): Promise<string | null>;
}

type SalesRequest = Extract<RequestName, `sales:${string}` | `products:${string}`>;

/** Options for tests: a clock, and a shorter lock wait. */
export interface SalesDomainOptions {
  now?: () => number;
  busyTimeoutMs?: number;
  /** Feed reconnect backoff (tests use short delays). */
  feedMinDelayMs?: number;
}

/**
 * The sales domain: the durable sales log, imports, the live order feed, analytics, export.
 * Wiring only: the data location, the store (database worker), the importer (import worker),
 * backups and the feed bridge are small parts of their own, opened and closed here in order.
 */
export function createSalesDomain(
  deps: DomainDeps,
  options: SalesDomainOptions = {},
): Domain<SalesService, SalesRequest> {
  const now = options.now ?? Date.now;
  const location = createDataLocation(deps.dataDir, {
    nativeBinding: deps.sqliteNativeBinding,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const store = new SalesStore(location.dbOptions(), deps.logger.child('store'));
  const importer = new SalesImporter(
    store,
    {
      progress: (p) => deps.emit('sales:import-progress', p),
      changed: (showId) => deps.emit('sales:changed', { reason: 'import', showId }),
    },
    deps.logger.child('import'),
  );
  const backups = createBackups({ store, folder: () => location.folder, now, logger: deps.logger });
  const feed = createFeedBridge({
    store,
    now,
    logger: deps.logger.child('feed'),
    emit: deps.emit,
    minDelayMs: options.feedMinDelayMs,
  });

  const dbStatus = async (): Promise<DbStatus> => {
    const state = store.state;
    return {
      state: state.kind === 'error' ? 'error' : 'open',
      errorCode: state.kind === 'error' ? state.error.code : null,
      errorDetail: state.kind === 'error' ? (state.error.detail ?? state.error.message) : null,
      folder: location.folder,
      file: store.file,
      schemaVersion: state.kind === 'open' ? state.version : 0,
      backups: await backups.list(),
    };
  };

  const openStore = async () => {
    await store.open(location.dbOptions());
    deps.emit('sales:db-status', await dbStatus());
    if (store.state.kind !== 'open') return;
    void backups.takeIfDue();
    await feed.open();
  };

  /** Closes the store, runs `change` on the files, and opens again (recovery actions). */
  const reopen = async (change: () => Promise<void>) => {
    await backups.idle();
    await importer.close();
    await store.close();
    try {
      await change();
    } finally {
      await openStore();
    }
  };

  const withLive = async (): Promise<LiveSegment | null> => store.call('liveSegment');

  const service: SalesService = {
    createShow: async (input) => store.call('createShow', showInputSchema.parse(input)),
    async startSegment(input) {
      const parsed = segmentStartSchema.parse(input);
      const { live, ended } = await store.call('startSegment', parsed);
      deps.emit('sales:segment-changed', { live, ended });
      return live;
    },
    async endSegment(segmentId, endedAt) {
      const segment = await store.call('endSegment', segmentId, endedAt);
      deps.emit('sales:segment-changed', { live: null, ended: segment });
      return segment;
    },
    getLiveSegment: withLive,
    listProducts: async () => store.call('listProducts', false),
    getProduct: async (id) => store.call('getProduct', id),
    async saveProduct(input) {
      const product = await store.call('saveProduct', productInputSchema.parse(input));
      deps.emit('products:changed', product);
      return product;
    },
    async recordSale(input) {
      const sale = await store.call('recordSale', input);
      deps.emit('sales:recorded', sale);
      return sale;
    },
    dbStatus,
    backupNow: () => backups.takeIfDue(),
  };

  const normaliseFeedOrder = (order: z.output<typeof feedOrderSchema>): FeedSaleInput => {
    let orderedAt: number;
    if (typeof order.orderedAt === 'number') orderedAt = epochToMs(order.orderedAt);
    else {
      orderedAt = Date.parse(order.orderedAt);
      const [y, mo, d] = order.orderedAt.slice(0, 10).split('-').map(Number);
      // Calendar-valid only: Date.parse rolls 2026-02-30 over to 2 March.
      const isCalendarDay =
        y !== undefined &&
        mo !== undefined &&
        d !== undefined &&
        d >= 1 &&
        mo >= 1 &&
        mo <= 12 &&
        d <= daysInMonth(y, mo);
      if (Number.isNaN(orderedAt) || !isCalendarDay || !/(Z|[+-]\d{2}:?\d{2})$/u.test(order.orderedAt)) {
        throw new StudioError('sales/invalid-time', 'orderedAt must be epoch ms or ISO 8601 with a zone.', {
          params: { value: order.orderedAt },
        });
      }
    }
    return {
      feed: order.source,
      platform: order.platform,
      orderId: order.orderId,
      lineId: order.lineId,
      status: order.status,
      orderedAt,
      productId: order.productId,
      externalProductId: order.externalProductId,
      productTitle: order.productTitle,
      quantity: order.quantity,
      amountFen: order.amountFen,
    };
  };

  const handlers: Handlers<SalesRequest> = {
    'products:list': async (input) => store.call('listProducts', input.includeArchived),
    'products:get': async (input) => store.call('getProduct', input.id),
    'products:save': async (input) => service.saveProduct(input),
    'products:archive': async (input) => {
      const product = await store.call('archiveProduct', input.id, input.isArchived);
      deps.emit('products:changed', product);
      return product;
    },
    'sales:show-create': async (input) => store.call('createShow', input),
    'sales:show-list': async (input) => store.call('listShows', input.limit),
    'sales:segment-start': async (input) => service.startSegment(input),
    'sales:segment-end': async (input) => service.endSegment(input.segmentId, input.endedAt),
    'sales:live-segment': async () => withLive(),
    'sales:record': async (input) => service.recordSale(input),
    'sales:undo-last': async () => {
      const sale = await store.call('undoLast');
      if (sale !== null) deps.emit('sales:changed', { reason: 'undo', showId: sale.showId });
      return sale;
    },
    'sales:set-status': async (input) => {
      const sale = await store.call('setStatus', input.saleId, input.status, input.reason);
      deps.emit('sales:changed', { reason: 'status', showId: sale.showId });
      return sale;
    },
    'sales:list': async (input) => store.call('listSales', input),
    'sales:config-get': async () => store.call('config'),
    'sales:config-update': async (input) => store.call('updateConfig', input),
    'sales:import-preview': async (input) => importer.preview(input),
    'sales:import-commit': async (input) => importer.commit(input.previewId, input.skipBadRows, input.saveMapping),
    'sales:import-cancel': async (input) => importer.cancel(input.previewId),
    'sales:mapping-list': async () => store.call('listMappings'),
    'sales:mapping-save': async (input) => store.call('saveMapping', input),
    'sales:mapping-delete': async (input) => store.call('deleteMapping', input.name),
    'sales:feed-connect': async (input) => feed.connect(input.url, input.isEnabled),
    'sales:feed-state': async () => ({ ...feed.state }),
    'sales:feed-map-product': async (input) => {
      await feed.mapProduct(input.externalId, input.title, input.productId);
      return store.call('feedMappings');
    },
    'sales:feed-mappings': async () => store.call('feedMappings'),
    'sales:feed-push': async (input) => {
      const { sale, isDuplicate } = await feed.ingest(normaliseFeedOrder(input));
      return { sale, isDuplicate };
    },
    'sales:analytics-show': async (input) => store.call('showAnalytics', input.showId),
    'sales:analytics-product': async (input) => store.call('productAnalytics', input.productId),
    'sales:export': async (input) => exportSales(store, input, path.join(deps.dataDir, 'exports'), now()),
    'sales:db-status': async () => dbStatus(),
    'sales:open-backup': async (input) => {
      const backup = (await backups.list()).find((b) => b.name === input.name);
      if (backup === undefined) {
        throw new StudioError('sales/backup-not-found', 'That backup is not there.', { params: { name: input.name } });
      }
      const folder = location.folder;
      const file = location.file;
      const copy = path.join(folder, `sales.db.restore-${now()}`);
      await fs.promises.copyFile(path.join(folder, 'backups', backup.name), copy);
      await reopen(async () => {
        // Keep the damaged file (and its WAL) for support; never delete a sales log.
        const aside = `${file}.damaged-${now()}`;
        for (const suffix of ['', '-wal', '-shm']) {
          if (fs.existsSync(file + suffix)) await fs.promises.rename(file + suffix, aside + suffix);
        }
        await fs.promises.rename(copy, file);
      });
      return dbStatus();
    },
    'sales:choose-folder': async (input) => {
      const target = await location.probe(input.folder);
      const previous = location.folder;
      await reopen(async () => {
        location.use(target);
      });
      if (store.state.kind === 'open') location.save();
      else deps.logger.warn('new sales folder did not open', { folder: target, previous });
      return dbStatus();
    },
  };

  // Fatal database states are reported through db-status too, so the UI can show the recovery screen.
  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (input: never, ctx: never) => {
        try {
          return await (handler as (i: never, c: never) => unknown)(input, ctx);
        } catch (error) {
          if (error instanceof StudioError && fatalDbCodes.has(error.code)) {
            deps.emit('sales:db-status', await dbStatus());
          }
          throw error;
        }
      },
    ]),
  ) as unknown as Handlers<SalesRequest>;

  return {
    service,
    handlers: guarded,
    async start() {
      await openStore();
      backups.start();
    },
    async close() {
      await backups.close();
      await feed.close();
      await importer.close();
      await store.close();
    },
  };
}
