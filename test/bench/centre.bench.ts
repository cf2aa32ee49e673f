// County centre figures against a real PostgreSQL 15 (a throwaway cluster, as in the tests):
// 10 studios × 10,000 sales pushed from their own SQLite outboxes to converged, beside one COPY
// of the same rows (the floor); and the centre's analytics over 5,000,000 sales from the daily
// roll-up, beside the same answer computed from the sales table itself.
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

import { CentreAdmin } from '../../electron/services/centre/centre-admin';
import { StudioLink } from '../../electron/services/centre/studio-link';
import { createNullLogger } from '../../electron/services/logger';
import { migrate } from '../../electron/services/sales/migrations';
import { createSecretStore } from '../../electron/services/secret-store';
import type { AnalyticsFilter } from '../../shared/api/centre';
import { addDays } from '../../shared/centre/days';
import { isPgAvailable, startTestPg } from '../support/centre/pg';
import { manualTimers } from '../support/centre/studio';
import type { BenchFigure, BenchModule } from './types';
import { percentile } from './types';

const studios = 10;
const salesPerStudio = 10_000;
const bigSales = Number(process.env.BENCH_CENTRE_SALES ?? 5_000_000);

/** A studio's sales log with `count` sales (the outbox triggers fill its outbox as they would). */
function seedStudioLog(file: string, count: number, seed: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db);
  const start = Date.parse('2026-11-01T00:00:00Z');
  db.transaction(() => {
    db.prepare(
      `INSERT INTO products (id, name, price_fen, created_at, updated_at) VALUES ('p1', '赣南脐橙', 5990, 0, 0),
       ('p2', '百花蜂蜜', 3900, 0, 0), ('p3', '临安山核桃', 4550, 0, 0)`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO sales (product_id, product_title, quantity, unit_price_fen, amount_fen, platform, source, ordered_at,
         entered_at, status) VALUES (?, '', 1, ?, ?, 'douyin', 'manual', ?, ?, ?)`,
    );
    for (let i = 0; i < count; i++) {
      const price = 1000 + ((i * 37 + seed) % 9000);
      const at = start + i * 90_000;
      insert.run(`p${(i % 3) + 1}`, price, price, at, at, i % 50 === 0 ? 'refunded' : 'paid');
    }
  })();
  db.close();
}

async function syncFigures(adminUrl: string, port: number, tmpDir: string, log: (m: string) => void) {
  const admin = new CentreAdmin({ url: adminUrl, logger: createNullLogger() });
  await admin.start();
  const links: StudioLink[] = [];
  for (let s = 0; s < studios; s++) {
    const dir = path.join(tmpDir, `studio-${s}`);
    const file = path.join(dir, 'sales.db');
    fs.mkdirSync(dir, { recursive: true });
    seedStudioLog(file, salesPerStudio, s);
    const link = new StudioLink({
      dataDir: dir,
      secrets: createSecretStore(dir),
      logger: createNullLogger(),
      salesFile: async () => file,
      now: Date.now,
      timers: manualTimers,
      onChange: () => undefined,
    });
    const invite = await admin.invite({ name: `直播间 ${s + 1}`, cooperative: `合作社 ${s % 3}`, town: `镇 ${s % 4}` });
    await link.join(`127.0.0.1:${port}/postgres`, invite.code);
    links.push(link);
  }
  log(`${studios} studios joined, ${studios * salesPerStudio} sales in their outboxes`);
  const started = performance.now();
  await Promise.all(links.map((l) => l.syncNow()));
  const seconds = (performance.now() - started) / 1000;
  const check = new pg.Client({ connectionString: adminUrl });
  check.on('error', (error) => log(`bench client: ${String(error)}`));
  await check.connect();
  const total = Number((await check.query<{ n: string }>('SELECT count(*) AS n FROM harvest.sales')).rows[0]!.n);
  if (total !== studios * salesPerStudio) throw new Error(`not converged: ${total} rows`);

  // The floor: the same number of rows in one COPY-like insert, no roll-up, no network round trips.
  await check.query('CREATE TEMP TABLE floor (LIKE harvest.sales)');
  const floorStarted = performance.now();
  await check.query(`INSERT INTO floor SELECT * FROM harvest.sales`);
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  for (const l of links) await l.close();
  await admin.close();
  await check.end();
  log(`converged in ${seconds.toFixed(2)} s (floor ${floorSeconds.toFixed(2)} s)`);
  return [
    { name: `centre sync ${studios} studios x 10,000 sales to converged`, value: seconds, unit: 's' },
    { name: 'centre sync baseline: one INSERT … SELECT of the same rows', value: floorSeconds, unit: 's' },
  ];
}

async function analyticsFigures(adminUrl: string, log: (m: string) => void): Promise<BenchFigure[]> {
  const admin = new CentreAdmin({ url: adminUrl, logger: createNullLogger() });
  await admin.start();
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', (error) => log(`bench client: ${String(error)}`));
  await client.connect();
  try {
    return await analyticsRun(admin, client, log);
  } finally {
    await client.end().catch(() => undefined);
    await admin.close();
  }
}

async function analyticsRun(admin: CentreAdmin, client: pg.Client, log: (m: string) => void): Promise<BenchFigure[]> {
  // 60 studios in 12 towns and 20 cooperatives, 400 products, two years of days.
  await client.query('TRUNCATE harvest.sales, harvest.daily');
  const studioCount = 60;
  const ids: string[] = [];
  for (let s = 0; s < studioCount; s++) {
    const row = await client.query<{ id: string }>(
      `INSERT INTO harvest.studios (name, cooperative, town, role_name, state) VALUES ($1, $2, $3, $4, 'joined') RETURNING id`,
      [`直播间 ${s}`, `合作社 ${s % 20}`, `镇 ${s % 12}`, `bench_${s}`],
    );
    ids.push(row.rows[0]!.id);
    await client.query('INSERT INTO harvest.cursors (studio_id) VALUES ($1)', [row.rows[0]!.id]);
  }
  const seedStarted = performance.now();
  // One statement: the roll-up trigger sums the whole transition table once.
  await client.query(
    `INSERT INTO harvest.sales (studio_id, sale_id, revision, product, quantity, amount_fen, ordered_at, status, order_count)
     SELECT ($1::uuid[])[1 + (i % ${studioCount})], i, 1, '产品 ' || ((i::bigint * 7919) % 400), 1 + (i % 3),
       1000 + (i::bigint * 31) % 20000, $2::bigint + (i::bigint * 12614), CASE WHEN i % 40 = 0 THEN 'refunded' ELSE 'paid' END, 1
     FROM generate_series(1, ${bigSales}) AS i`,
    [ids, Date.parse('2025-01-01T00:00:00Z')],
  );
  await client.query('ANALYZE harvest.daily');
  await client.query('ANALYZE harvest.sales');
  const daily = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM harvest.daily')).rows[0]!.n);
  log(`seeded ${bigSales} sales in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s (${daily} roll-up rows)`);

  const end = '2026-12-31';
  const filters: AnalyticsFilter[] = [];
  for (const days of [7, 30, 90, 365, 730]) {
    filters.push({ from: addDays(end, -days + 1), to: end });
    filters.push({ from: addDays(end, -days + 1), to: end, town: '镇 3' });
    filters.push({ from: addDays(end, -days + 1), to: end, cooperative: '合作社 7' });
    filters.push({ from: addDays(end, -days + 1), to: end, studioId: ids[5]! });
  }
  for (const f of filters.slice(0, 4)) await admin.analytics(f); // warm the cache
  const sample: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const f of filters) {
      const started = performance.now();
      await admin.analytics(f);
      sample.push(performance.now() - started);
    }
  }
  // The same year's answer from the sales rows themselves: what the roll-up saves.
  const raw: number[] = [];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    await client.query(
      `SELECT studio_id, sum(amount_fen) FILTER (WHERE status IN ('placed', 'paid')) FROM harvest.sales
       WHERE ordered_at >= $1 AND ordered_at < $2 GROUP BY studio_id`,
      [Date.parse('2026-01-01T00:00:00+08:00'), Date.parse('2027-01-01T00:00:00+08:00')],
    );
    raw.push(performance.now() - started);
  }
  log(`analytics p50 ${percentile(sample, 50).toFixed(1)} ms, p95 ${percentile(sample, 95).toFixed(1)} ms`);
  return [
    { name: 'centre analytics over 5,000,000 sales p95', value: percentile(sample, 95), unit: 'ms' },
    { name: 'centre analytics over 5,000,000 sales median', value: percentile(sample, 50), unit: 'ms' },
    {
      name: 'centre analytics baseline: one year by studio from the sales rows',
      value: percentile(raw, 50),
      unit: 'ms',
    },
  ];
}

const bench: BenchModule = async ({ tmpDir, log }) => {
  if (!isPgAvailable()) {
    log('no PostgreSQL 15 (apt-get install postgresql): centre figures missing');
    return [];
  }
  const server = await startTestPg();
  try {
    const figures = await syncFigures(server.adminUrl, server.port, tmpDir, log);
    await server.stop();
    await server.start();
    return [...figures, ...(await analyticsFigures(server.adminUrl, log))];
  } finally {
    await server.destroy();
  }
};

export default bench;
