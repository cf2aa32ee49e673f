import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach } from 'vitest';

import { createApiRouter } from '../../../electron/services/api-router';
import type { Domain } from '../../../electron/services/domain';
import { createEventBus } from '../../../electron/services/event-bus';
import { createNullLogger } from '../../../electron/services/logger';
import type { SalesDomainOptions, SalesService } from '../../../electron/services/sales/index';
import { createSalesDomain } from '../../../electron/services/sales/index';
import { createSecretStore } from '../../../electron/services/secret-store';
import { SettingsStore } from '../../../electron/services/settings-store';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import type { Product, Segment, Show } from '../../../shared/api/sales';
import { createZonedClock } from '../../../shared/sales/time';
import { completeHandlers } from '../api-handlers';

// Shared by the sales tests: a real sales domain on a temp folder, called through the real
// router (so inputs are parsed by the contract exactly as in the app), with its events recorded.

/** China wall time on the fixtures' show day → UTC ms. */
export const cst = (hhmmss: string, day = '2026-04-15'): number => {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi, s = 0] = hhmmss.split(':').map(Number);
  return createZonedClock('Asia/Shanghai').toUtc(y ?? 0, mo ?? 0, d ?? 0, h ?? 0, mi ?? 0, s);
};

export interface SalesKit {
  dir: string;
  domain: Domain<SalesService, RequestName>;
  events: { name: EventName; payload: unknown }[];
  call<K extends RequestName>(
    name: K,
    ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
  ): Promise<RequestOutput<K>>;
  /** Resolves with the next event of that name (or one already recorded after `since`). */
  next<K extends EventName>(name: K, predicate?: (payload: EventPayload<K>) => boolean): Promise<EventPayload<K>>;
  close(): Promise<void>;
}

export async function makeSalesKit(options: SalesDomainOptions & { dir?: string } = {}): Promise<SalesKit> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-sales-'));
  const bus = createEventBus();
  const events: SalesKit['events'] = [];
  const waiters = new Set<{ name: EventName; test: (p: unknown) => boolean; resolve: (p: unknown) => void }>();
  bus.subscribe((name, payload) => {
    events.push({ name, payload });
    for (const w of [...waiters]) {
      if (w.name === name && w.test(payload)) {
        waiters.delete(w);
        w.resolve(payload);
      }
    }
  });
  const logger = createNullLogger();
  const domain = createSalesDomain(
    {
      dataDir: dir,
      logger,
      emit: bus.emit,
      secrets: createSecretStore(dir),
      settings: new SettingsStore(dir, bus.emit),
      mode: 'host',
      appRoot: process.cwd(),
    },
    options,
  ) as unknown as Domain<SalesService, RequestName>;
  await domain.start?.();
  const router = createApiRouter(completeHandlers(domain.handlers), logger);
  return {
    dir,
    domain,
    events,
    async call(name, ...input) {
      const result = await router.call(name, input[0], { transport: 'ws' });
      if (!result.ok) throw StudioError.fromData(result.error);
      return result.value as never;
    },
    next(name, predicate) {
      return new Promise((resolve) => {
        waiters.add({
          name,
          test: (p) => predicate?.(p as never) ?? true,
          resolve: resolve as (p: unknown) => void,
        });
      });
    },
    close: () => domain.close(),
  };
}

/** The fixtures' catalogue and show: 脐橙 20:00, 蜂蜜 with a guest 20:30, 核桃 21:00–21:30. */
export async function seedShow(kit: SalesKit): Promise<{
  orange: Product;
  honey: Product;
  walnut: Product;
  show: Show;
  segments: Segment[];
}> {
  const orange = await kit.call('products:save', { name: '赣南脐橙', sku: 'A01', unit: '箱', priceFen: 5990 });
  const honey = await kit.call('products:save', { name: '百花蜂蜜', sku: 'B02', unit: '瓶', priceFen: 3900 });
  const walnut = await kit.call('products:save', {
    name: '临安山核桃',
    sku: 'C03',
    unit: '袋',
    priceFen: 4550,
    shopLinks: { douyin: 'https://haohuo.jinritemai.com/views/product/detail?id=3600000000000003' },
  });
  const show = await kit.call('sales:show-create', {
    title: '春季助农直播',
    platforms: ['douyin'],
    hosts: ['小王'],
    plannedStart: cst('20:00'),
  });
  const base = { showId: show.id, host: '小王', presetId: null };
  const a = await kit.call('sales:segment-start', {
    ...base,
    productId: orange.id,
    guest: null,
    startedAt: cst('20:00'),
  });
  const b = await kit.call('sales:segment-start', {
    ...base,
    productId: honey.id,
    guest: '张县长',
    startedAt: cst('20:30'),
  });
  const c = await kit.call('sales:segment-start', {
    ...base,
    productId: walnut.id,
    guest: null,
    startedAt: cst('21:00'),
  });
  const cEnded = await kit.call('sales:segment-end', { segmentId: c.id, endedAt: cst('21:30') });
  return {
    orange,
    honey,
    walnut,
    show,
    segments: [{ ...a, endedAt: cst('20:30') }, { ...b, endedAt: cst('21:00') }, cEnded],
  };
}

/** What seedShow made. */
export type SeededShow = Awaited<ReturnType<typeof seedShow>>;

/**
 * A new kit with the fixtures' show before each test of the calling file (handed to `use`),
 * closed and its folder removed after it.
 */
export function kitPerTest(use: (kit: SalesKit, seed: SeededShow) => void): void {
  let current: SalesKit | undefined;
  beforeEach(async () => {
    current = await makeSalesKit();
    use(current, await seedShow(current));
  });
  afterEach(async () => {
    if (current === undefined) return;
    await current.close();
    fs.rmSync(current.dir, { recursive: true, force: true });
    current = undefined;
  });
}

/** Absolute path of an order fixture. */
export function fixture(name: string): string {
  return path.resolve(import.meta.dirname, '../../fixtures/orders', name);
}

export { seedLiveSegment } from './bench-seed';
