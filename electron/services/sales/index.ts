import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { RequestName } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import type {
  DbStatus,
  FeedState,
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
import { readJsonFile, writeFileAtomic } from '../json-file';
import { exportSales } from './exporter';
import { ObaFeedClient } from './feed-client';
import { SalesImporter } from './importer';
import type { FeedSaleInput, SaleInput } from './sales-db';
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

const locationSchema = z.object({ folder: z.string().min(1) });
const feedConfigSchema = z.object({ url: z.string(), isEnabled: z.boolean() });
const backupsToKeep = 7;
const backupName = /^sales-(\d{4}-\d{2}-\d{2})\.db$/u;

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Options for tests: a clock, and a shorter lock wait. */
export interface SalesDomainOptions {
  now?: () => number;
  busyTimeoutMs?: number;
  /** Feed reconnect backoff (tests use short delays). */
  feedMinDelayMs?: number;
}

/** The sales domain: the durable sales log, imports, the live order feed, analytics, export. */
export function createSalesDomain(
  deps: DomainDeps,
  options: SalesDomainOptions = {},
): Domain<SalesService, SalesRequest> {
  const now = options.now ?? Date.now;
  const locationFile = path.join(deps.dataDir, 'sales-location.json');
  let folder = readJsonFile(locationFile, locationSchema)?.folder ?? path.join(deps.dataDir, 'sales');
  const dbOptions = (dir: string) => ({
    file: path.join(dir, 'sales.db'),
    nativeBinding: deps.sqliteNativeBinding,
    ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
  });
  const store = new SalesStore(dbOptions(folder), deps.logger.child('store'));
  const importer = new SalesImporter(store, (p) => deps.emit('sales:import-progress', p), deps.logger.child('import'));
  let backupTimer: NodeJS.Timeout | undefined;

  const feedState: FeedState = {
    isEnabled: false,
    url: 'ws://127.0.0.1:12354',
    status: 'off',
    lastError: null,
    lastOrderAt: null,
    ordersReceived: 0,
    unmappedProducts: [],
  };
  const refreshUnmapped = async () => {
    const mappings = await store.call('feedMappings');
    feedState.unmappedProducts = mappings
      .filter((m) => m.productId === null)
      .slice(0, 50)
      .map((m) => ({ externalId: m.externalId, title: m.title }));
  };
  const emitFeedState = () => deps.emit('sales:feed-state', { ...feedState });

  const ingest = async (input: FeedSaleInput) => {
    const result = await store.call('ingestFeedOrder', input);
    if (!result.isDuplicate) deps.emit('sales:recorded', result.sale);
    else deps.emit('sales:changed', { reason: 'feed', showId: result.sale.showId });
    return result;
  };

  const feed = new ObaFeedClient({
    logger: deps.logger.child('feed'),
    ...(options.feedMinDelayMs === undefined ? {} : { minDelayMs: options.feedMinDelayMs }),
    onStatus(status, error) {
      feedState.status = status;
      feedState.lastError = error;
      emitFeedState();
    },
    async onOrder(order) {
      feedState.ordersReceived += 1;
      feedState.lastOrderAt = now();
      const result = await ingest(order);
      if (result.productId === null) await refreshUnmapped();
      emitFeedState();
    },
  });

  const listBackups = async (): Promise<DbStatus['backups']> => {
    const dir = path.join(folder, 'backups');
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch {
      return [];
    }
    const out: DbStatus['backups'] = [];
    for (const name of names
      .filter((n) => backupName.test(n))
      .sort()
      .reverse()) {
      try {
        const stat = await fs.promises.stat(path.join(dir, name));
        out.push({ name, takenAt: Math.trunc(stat.mtimeMs), bytes: stat.size });
      } catch {
        // Removed while listing.
      }
    }
    return out;
  };

  const dbStatus = async (): Promise<DbStatus> => {
    const state = store.state;
    return {
      state: state.kind === 'error' ? 'error' : 'open',
      errorCode: state.kind === 'error' ? state.error.code : null,
      errorDetail: state.kind === 'error' ? (state.error.detail ?? state.error.message) : null,
      folder,
      file: store.file,
      schemaVersion: state.kind === 'open' ? state.version : 0,
      backups: await listBackups(),
    };
  };

  /** One backup a day (local date), the newest seven kept. Uses SQLite's online backup. */
  let backupRunning: Promise<string | null> | undefined;
  const backupIfDue = (): Promise<string | null> => {
    backupRunning ??= (async () => {
      if (store.state.kind !== 'open') return null;
      const dir = path.join(folder, 'backups');
      const target = path.join(dir, `sales-${localDate(now())}.db`);
      if (fs.existsSync(target)) return target;
      try {
        await store.call('backupTo', target);
        const old = (await listBackups()).slice(backupsToKeep);
        for (const b of old) await fs.promises.rm(path.join(dir, b.name), { force: true });
        deps.logger.info('sales backup written', { file: target });
        return target;
      } catch (error) {
        deps.logger.warn('sales backup failed', { error: String(error) });
        return null;
      }
    })().finally(() => {
      backupRunning = undefined;
    });
    return backupRunning;
  };

  const openStore = async () => {
    await store.open(dbOptions(folder));
    deps.emit('sales:db-status', await dbStatus());
    if (store.state.kind !== 'open') return;
    void backupIfDue();
    const saved = await store.call('getSetting', 'feed');
    const config = saved === null ? undefined : feedConfigSchema.safeParse(JSON.parse(saved));
    if (config?.success === true) {
      feedState.url = config.data.url;
      feedState.isEnabled = config.data.isEnabled;
      await refreshUnmapped();
      feed.configure(config.data.url, config.data.isEnabled);
    }
  };

  /** Closes the store, runs `change` on the files, and opens again (recovery actions). */
  const reopen = async (change: () => Promise<void>) => {
    await backupRunning;
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
    backupNow: () => backupIfDue(),
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
    'sales:import-commit': async (input) => {
      const { showIds, ...result } = await importer.commit(input.previewId, input.skipBadRows, input.saveMapping);
      deps.emit('sales:changed', { reason: 'import', showId: showIds.length === 1 ? (showIds[0] ?? null) : null });
      return result;
    },
    'sales:mapping-list': async () => store.call('listMappings'),
    'sales:mapping-save': async (input) => store.call('saveMapping', input),
    'sales:mapping-delete': async (input) => store.call('deleteMapping', input.name),
    'sales:feed-connect': async (input) => {
      await store.call('setSetting', 'feed', JSON.stringify({ url: input.url, isEnabled: input.isEnabled }));
      feedState.url = input.url;
      feedState.isEnabled = input.isEnabled;
      await refreshUnmapped();
      feed.configure(input.url, input.isEnabled);
      feedState.status = feed.status;
      return { ...feedState };
    },
    'sales:feed-state': async () => ({ ...feedState }),
    'sales:feed-map-product': async (input) => {
      await store.call('mapFeedProduct', input.externalId, input.title, input.productId);
      await refreshUnmapped();
      emitFeedState();
      return store.call('feedMappings');
    },
    'sales:feed-mappings': async () => store.call('feedMappings'),
    'sales:feed-push': async (input) => {
      const { sale, isDuplicate } = await ingest(normaliseFeedOrder(input));
      return { sale, isDuplicate };
    },
    'sales:analytics-show': async (input) => store.call('showAnalytics', input.showId),
    'sales:analytics-product': async (input) => store.call('productAnalytics', input.productId),
    'sales:export': async (input) => exportSales(store, input, path.join(deps.dataDir, 'exports'), now()),
    'sales:db-status': async () => dbStatus(),
    'sales:open-backup': async (input) => {
      const backups = await listBackups();
      const backup = backups.find((b) => b.name === input.name);
      if (backup === undefined) {
        throw new StudioError('sales/backup-not-found', 'That backup is not there.', { params: { name: input.name } });
      }
      const file = path.join(folder, 'sales.db');
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
      const target = path.resolve(input.folder);
      try {
        await fs.promises.mkdir(target, { recursive: true });
        const probe = path.join(target, `.harvest-write-test-${process.pid}`);
        await fs.promises.writeFile(probe, 'ok');
        await fs.promises.rm(probe, { force: true });
      } catch (error) {
        throw new StudioError('sales/folder-unusable', 'That folder cannot be used for the sales log.', {
          detail: String(error),
          params: { folder: target },
          cause: error,
        });
      }
      const previous = folder;
      await reopen(async () => {
        folder = target;
      });
      if (store.state.kind === 'open') writeFileAtomic(locationFile, JSON.stringify({ folder }, null, 2));
      else deps.logger.warn('new sales folder did not open', { folder, previous });
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
      backupTimer = setInterval(() => void backupIfDue(), 60 * 60_000);
      backupTimer.unref();
    },
    async close() {
      if (backupTimer !== undefined) clearInterval(backupTimer);
      await backupRunning;
      await feed.close();
      await importer.close();
      await store.close();
    },
  };
}
