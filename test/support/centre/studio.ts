import pg from 'pg';

import { createApiRouter } from '../../../electron/services/api-router';
import type { CentreService } from '../../../electron/services/centre';
import { createCentreDomain } from '../../../electron/services/centre';
import type { PushTimers } from '../../../electron/services/centre/pusher';
import { centrePasswordSecret } from '../../../electron/services/centre/studio-link';
import type { Domain } from '../../../electron/services/domain';
import { createEventBus } from '../../../electron/services/event-bus';
import { createNullLogger } from '../../../electron/services/logger';
import { createSecretStore } from '../../../electron/services/secret-store';
import { SettingsStore } from '../../../electron/services/settings-store';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import type { Product } from '../../../shared/api/sales';
import type { SalesKit } from '../sales/test-kit';
import { makeSalesKit } from '../sales/test-kit';

// A studio for the centre tests: a real sales domain on its own SQLite file, and the centre
// domain beside it on the same data folder, with a clock the test moves and timers that never
// fire by themselves (the test calls syncNow), so every push happens when the test says.

/** Timers that never fire: pushes happen only through syncNow. */
export const manualTimers: PushTimers = { set: () => undefined, clear: () => undefined };

export interface TestStudio {
  readonly sales: SalesKit;
  readonly centre: Domain<CentreService, RequestName>;
  readonly product: Product;
  /** A centre request through the real router (inputs parsed by the contract, throws as StudioError). */
  call<K extends Extract<RequestName, `centre:${string}`>>(
    name: K,
    ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
  ): Promise<RequestOutput<K>>;
  /** The studio's clock (ms); tests move it. */
  clock: { now: number };
  /** Records one sale at the studio's clock (or `at`); its id. */
  sell(amountFen: number, at?: number): Promise<number>;
  /** The studio's own password for the centre, from its secret store. */
  password(): string | undefined;
  close(): Promise<void>;
}

export async function makeStudio(options: { clockOffsetMs?: number; batchSize?: number; start?: number } = {}) {
  const clock = { now: options.start ?? Date.now() + (options.clockOffsetMs ?? 0) };
  const now = () => clock.now;
  const sales = await makeSalesKit({ now });
  const bus = createEventBus();
  const secrets = createSecretStore(sales.dir);
  const centre = createCentreDomain(
    {
      dataDir: sales.dir,
      logger: createNullLogger(),
      emit: bus.emit,
      secrets,
      settings: new SettingsStore(sales.dir, bus.emit),
      mode: 'host',
      appRoot: process.cwd(),
    },
    {
      salesFile: async () => (await sales.domain.service.dbStatus()).file,
      subscribe: (listener) => bus.subscribe(listener),
      now,
      random: () => 0.5,
      timers: manualTimers,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    },
  ) as unknown as Domain<CentreService, RequestName>;
  await centre.start?.();
  const product = await sales.call('products:save', { name: '赣南脐橙', sku: 'A01', unit: '箱', priceFen: 5990 });
  const router = createApiRouter(centre.handlers, createNullLogger());
  const studio: TestStudio = {
    sales,
    centre,
    async call(name, ...input) {
      const result = await router.call(name, input[0], { transport: 'ws' });
      if (!result.ok) throw StudioError.fromData(result.error);
      return result.value as never;
    },
    product,
    clock,
    async sell(amountFen, at) {
      const sale = await sales.call('sales:record', {
        productId: product.id,
        amountFen,
        orderedAt: at ?? clock.now,
        platform: 'douyin',
      });
      return sale.id;
    },
    password: () => secrets.get(centrePasswordSecret),
    async close() {
      await centre.close();
      await sales.close();
    },
  };
  return studio;
}

/** What the centre holds, read as its owner. */
export async function centreRows(
  adminUrl: string,
  studioId: string,
): Promise<Map<number, { revision: number; status: string; amountFen: number }>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const rows = await client.query<{ sale_id: string; revision: number; status: string; amount_fen: string }>(
      'SELECT sale_id, revision, status, amount_fen FROM harvest.sales WHERE studio_id = $1',
      [studioId],
    );
    return new Map(
      rows.rows.map((r) => [
        Number(r.sale_id),
        { revision: r.revision, status: r.status, amountFen: Number(r.amount_fen) },
      ]),
    );
  } finally {
    await client.end();
  }
}

/** Rows where the daily roll-up disagrees with harvest.sales summed afresh (must be none). */
export async function rollupDrift(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>(`
      WITH fresh AS (
        SELECT (to_timestamp(ordered_at / 1000.0) AT TIME ZONE 'Asia/Shanghai')::date AS day, studio_id, product,
          sum(CASE WHEN status IN ('placed', 'paid') THEN amount_fen ELSE 0 END) AS gmv_fen,
          sum(CASE WHEN status IN ('placed', 'paid') THEN order_count ELSE 0 END) AS orders,
          sum(CASE WHEN status = 'refunded' THEN amount_fen ELSE 0 END) AS refunded_fen
        FROM harvest.sales GROUP BY 1, 2, 3)
      SELECT count(*) AS n FROM fresh FULL JOIN harvest.daily d USING (day, studio_id, product)
      WHERE coalesce(fresh.gmv_fen, 0) <> coalesce(d.gmv_fen, 0) OR coalesce(fresh.orders, 0) <> coalesce(d.orders, 0)
        OR coalesce(fresh.refunded_fen, 0) <> coalesce(d.refunded_fen, 0)
      UNION ALL
      SELECT count(*) FROM (SELECT day, studio_id, sum(gmv_fen) AS g, sum(refunded_fen) AS r FROM harvest.daily GROUP BY 1, 2) p
        FULL JOIN harvest.daily_studio s USING (day, studio_id)
        WHERE coalesce(p.g, 0) <> coalesce(s.gmv_fen, 0) OR coalesce(p.r, 0) <> coalesce(s.refunded_fen, 0)
      UNION ALL
      SELECT count(*) FROM (SELECT date_trunc('month', day)::date AS month, studio_id, product, sum(gmv_fen) AS g
          FROM harvest.daily GROUP BY 1, 2, 3) p
        FULL JOIN harvest.monthly_product m USING (month, studio_id, product)
        WHERE coalesce(p.g, 0) <> coalesce(m.gmv_fen, 0)`);
    return result.rows.reduce((n, r) => n + Number(r.n), 0);
  } finally {
    await client.end();
  }
}
