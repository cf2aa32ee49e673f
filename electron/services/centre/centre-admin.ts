import crypto from 'node:crypto';
import os from 'node:os';

import pg from 'pg';

import type { Language } from '../../../shared/api/app';
import type {
  AnalyticsFilter,
  CentreAnalytics,
  CentreFigures,
  CentreMode,
  CentreStudio,
  Invitation,
  StudioProfile,
  StudioState,
} from '../../../shared/api/centre';
import { analyticsFilterSchema } from '../../../shared/api/centre';
import { StudioError } from '../../../shared/api/result';
import { formatCentreAddress } from '../../../shared/centre/address';
import { daysBetween, fillDays, maxRangeDays } from '../../../shared/centre/days';
import { formatPairingCode, parsePairingCode, studioRoleName } from '../../../shared/centre/pairing-code';
import { countyReport } from '../../../shared/centre/report';
import type { Logger } from '../logger';
import { centreError } from './pg-errors';
import { writeReportXlsx } from './report-file';
import { migrateCentre, studioGroupRole } from './schema';
import { scramVerifier } from './scram';

/** How long a pairing code works. */
export const inviteMinutes = 10;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

export interface CentreAdminOptions {
  /** The centre's PostgreSQL URL, as an owner of its database with CREATEROLE. */
  readonly url: string;
  readonly logger: Logger;
  /** What studios type to join; by default the URL's host (a LAN address for a local server). */
  readonly joinAddress?: string;
  readonly poolSize?: number;
}

interface StudioRow {
  id: string;
  name: string;
  cooperative: string;
  town: string;
  role_name: string;
  state: StudioState;
  created_at: Date;
  joined_at: Date | null;
  invite_expires_at: Date | null;
  pushed_at: Date | null;
  sale_rows: string | null;
  clock_skew_ms: string | null;
}

interface FigureRow {
  gmv: string;
  orders: string;
  units: string;
  refunded: string;
  refunded_orders: string;
}

const figures = (r: FigureRow): CentreFigures => ({
  gmvFen: Number(r.gmv),
  orders: Number(r.orders),
  units: Number(r.units),
  refundedFen: Number(r.refunded),
  refundedOrders: Number(r.refunded_orders),
});

// GROUPING(day, studio_id, cooperative, town): a bit set for each column not grouped by.
const groupedBy = { day: 0b0111, studio: 0b1011, cooperative: 0b1101, town: 0b1110, total: 0b1111 };

const filters = (alias: string) => `
    AND ($3::uuid IS NULL OR ${alias}.studio_id = $3::uuid)
    AND ($4::text IS NULL OR s.cooperative = $4::text)
    AND ($5::text IS NULL OR s.town = $5::text)`;
const sums = `sum(gmv_fen) AS gmv, sum(orders) AS orders, sum(units) AS units,
    sum(refunded_fen) AS refunded, sum(refunded_orders) AS refunded_orders`;

/** Totals, days, studios, towns, cooperatives: one pass over the day × studio roll-up. */
const studioSql = `
  SELECT GROUPING(d.day, d.studio_id, s.cooperative, s.town)::int AS g,
    to_char(d.day, 'YYYY-MM-DD') AS day, d.studio_id, s.cooperative, s.town, ${sums}
  FROM harvest.daily_studio d JOIN harvest.studios s ON s.id = d.studio_id
  WHERE d.day BETWEEN $1::date AND $2::date ${filters('d')}
  GROUP BY GROUPING SETS ((d.day), (d.studio_id), (s.cooperative), (s.town), ())`;

const productColumns = 'x.product, x.gmv_fen, x.orders, x.units, x.refunded_fen, x.refunded_orders';
/**
 * The best sellers: whole months from the month roll-up ($6..$7 are the first and last whole
 * months), the days before and after them from the day roll-up.
 */
const productSql = `
  SELECT product, ${sums} FROM (
    SELECT ${productColumns} FROM harvest.daily x JOIN harvest.studios s ON s.id = x.studio_id
      WHERE x.day >= $1::date AND x.day < least($6::date, $2::date + 1) ${filters('x')}
    UNION ALL
    SELECT ${productColumns} FROM harvest.monthly_product x JOIN harvest.studios s ON s.id = x.studio_id
      WHERE x.month >= $6::date AND x.month <= $7::date ${filters('x')}
    UNION ALL
    SELECT ${productColumns} FROM harvest.daily x JOIN harvest.studios s ON s.id = x.studio_id
      WHERE x.day > greatest((($7::date + interval '1 month')::date - 1), $6::date - 1, $1::date - 1)
        AND x.day <= $2::date ${filters('x')}
  ) x GROUP BY product ORDER BY sum(gmv_fen) DESC LIMIT 30`;

/** The whole months inside [from, to]: first and last month starts; first > last when none. */
export function wholeMonths(from: string, to: string): { first: string; last: string } {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const first = fd === 1 ? from : new Date(Date.UTC(fy, fm, 1)).toISOString().slice(0, 10);
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  const nextDay = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  // `to` closes its month when the next day is a 1st; else the last whole month is the one before.
  const last = nextDay.endsWith('-01')
    ? `${to.slice(0, 7)}-01`
    : new Date(Date.UTC(ty, tm - 2, 1)).toISOString().slice(0, 10);
  return { first, last };
}

function lanAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/**
 * Centre mode: the centre's PostgreSQL as its owner sees it. Makes the schema, invites studios
 * (a login role per studio, valid for minutes until it claims), removes them, and answers the
 * cross-studio analytics from the daily roll-up.
 */
export class CentreAdmin {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;
  private errorCode: string | null = null;
  private timeZone = 'Asia/Shanghai';
  readonly joinAddress: string;

  constructor(private readonly options: CentreAdminOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'harvest-centre',
    });
    // An idle client whose server went away: the pool drops it; the next request reconnects.
    this.pool.on('error', (error) => options.logger.warn('centre pool client failed', { error: String(error) }));
    // pg-pool drops its own listener from a client it is removing, before the socket closes: a
    // server going down just then would throw from an unheard 'error'. Each client keeps one.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    const url = new URL(options.url);
    const host = ['localhost', '127.0.0.1', '::1', ''].includes(url.hostname)
      ? (lanAddress() ?? url.hostname)
      : url.hostname;
    this.joinAddress =
      options.joinAddress ??
      formatCentreAddress({
        host,
        port: url.port === '' ? 5432 : Number(url.port),
        database: url.pathname.replace(/^\//u, '') || 'postgres',
        ssl: url.searchParams.get('sslmode') === 'require' ? 'require' : 'off',
      });
  }

  /** Makes or updates the schema; a centre whose database is down starts anyway and says why. */
  async start(): Promise<void> {
    try {
      await this.ensureReady();
    } catch (error) {
      this.options.logger.warn('centre database not ready', { error: String(error) });
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  mode(): CentreMode {
    return { isCentre: true, joinAddress: this.joinAddress, errorCode: this.errorCode, timeZone: this.timeZone };
  }

  async invite(profile: StudioProfile & { studioId?: string | undefined }): Promise<Invitation> {
    return this.withClient(async (client) => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const code = formatPairingCode(crypto.randomBytes(12));
        const parts = parsePairingCode(code)!;
        const role = studioRoleName(parts.roleSuffix);
        const taken = await client.query(
          'SELECT 1 FROM pg_roles WHERE rolname = $1 UNION ALL SELECT 1 FROM harvest.studios WHERE role_name = $1',
          [role],
        );
        if (taken.rowCount !== 0) continue;
        await client.query('BEGIN');
        try {
          const expiry = await client.query<{ at: Date }>(`SELECT now() + interval '${inviteMinutes} minutes' AS at`);
          const expiresAt = expiry.rows[0]!.at;
          let studioId: string;
          if (profile.studioId !== undefined) {
            // A new code for a studio the centre knows (left, removed, or its code ran out).
            const old = await this.studioRow(client, profile.studioId, true);
            await this.dropRole(client, old.role_name);
            await client.query(
              `UPDATE harvest.studios SET name = $2, cooperative = $3, town = $4, role_name = $5, state = 'invited',
                 invite_expires_at = $6 WHERE id = $1`,
              [old.id, profile.name, profile.cooperative, profile.town, role, expiresAt],
            );
            studioId = old.id;
          } else {
            const inserted = await client.query<{ id: string }>(
              `INSERT INTO harvest.studios (name, cooperative, town, role_name, invite_expires_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING id`,
              [profile.name, profile.cooperative, profile.town, role, expiresAt],
            );
            studioId = inserted.rows[0]!.id;
          }
          await client.query(
            `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN CONNECTION LIMIT 4 IN ROLE ${studioGroupRole}
             PASSWORD ${pg.escapeLiteral(scramVerifier(parts.secret))} VALID UNTIL ${pg.escapeLiteral(expiresAt.toISOString())}`,
          );
          await client.query('COMMIT');
          this.options.logger.info('studio invited', { studioId, role });
          return { studioId, code, joinAddress: this.joinAddress, expiresAt: expiresAt.getTime() };
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      throw new StudioError('centre/db-failed', 'No free pairing code was found; try again.');
    });
  }

  async studios(): Promise<CentreStudio[]> {
    return this.withClient(async (client) => {
      const rows = await client.query<StudioRow>(
        `SELECT s.*, c.pushed_at, c.sale_rows, c.clock_skew_ms FROM harvest.studios s
         LEFT JOIN harvest.cursors c ON c.studio_id = s.id ORDER BY s.created_at`,
      );
      return rows.rows.map((r) => this.toStudio(r));
    });
  }

  async updateStudio(id: string, profile: StudioProfile): Promise<CentreStudio> {
    return this.withClient(async (client) => {
      await this.studioRow(client, id);
      await client.query('UPDATE harvest.studios SET name = $2, cooperative = $3, town = $4 WHERE id = $1', [
        id,
        profile.name,
        profile.cooperative,
        profile.town,
      ]);
      return this.toStudio(await this.studioRow(client, id));
    });
  }

  /** Removes a studio: its role is dropped and its sessions cut now; its sales stay in the report. */
  async revoke(id: string): Promise<void> {
    await this.withClient(async (client) => {
      const row = await this.studioRow(client, id, true);
      await client.query('BEGIN');
      try {
        await client.query(
          `UPDATE harvest.studios SET state = 'revoked', left_at = now(), invite_expires_at = NULL
          WHERE id = $1`,
          [id],
        );
        await this.dropRole(client, row.role_name);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      this.options.logger.info('studio revoked', { studioId: id });
    });
  }

  async analytics(input: AnalyticsFilter): Promise<CentreAnalytics> {
    const filter = analyticsFilterSchema.parse(input);
    if (daysBetween(filter.from, filter.to).length > maxRangeDays) {
      throw new StudioError('centre/range-too-long', 'Pick at most three years.', { params: { days: maxRangeDays } });
    }
    if (filter.studioId !== undefined && !uuidPattern.test(filter.studioId)) {
      throw new StudioError('centre/studio-not-found', 'There is no such studio at this centre.');
    }
    const months = wholeMonths(filter.from, filter.to);
    const params = [filter.from, filter.to, filter.studioId ?? null, filter.cooperative ?? null, filter.town ?? null];
    type Row = FigureRow & { g: number; day: string; studio_id: string; cooperative: string; town: string };
    const started = performance.now();
    // Two statements on two connections at once: the studio-grain pass and the product ranking.
    const [byStudioRows, productRows, studios] = await Promise.all([
      this.withClient((client) => client.query<Row>(studioSql, params)),
      this.withClient((client) =>
        client.query<FigureRow & { product: string }>(productSql, [...params, months.first, months.last]),
      ),
      this.withClient((client) =>
        client.query<{ id: string; name: string; cooperative: string; town: string }>(
          'SELECT id, name, cooperative, town FROM harvest.studios',
        ),
      ),
    ]);
    const queryMs = performance.now() - started;
    const names = new Map(studios.rows.map((r) => [r.id, r]));
    const out: CentreAnalytics = {
      filter: { from: filter.from, to: filter.to },
      totals: { gmvFen: 0, orders: 0, units: 0, refundedFen: 0, refundedOrders: 0 },
      byDay: [],
      byStudio: [],
      byCooperative: [],
      byTown: [],
      byProduct: productRows.rows.map((r) => ({ ...figures(r), product: r.product })),
      queryMs,
    };
    for (const r of byStudioRows.rows) {
      const f = figures(r);
      if (r.g === groupedBy.total) out.totals = f;
      else if (r.g === groupedBy.day) out.byDay.push({ ...f, day: r.day });
      else if (r.g === groupedBy.studio) {
        const s = names.get(r.studio_id);
        out.byStudio.push({
          ...f,
          studioId: r.studio_id,
          name: s?.name ?? '',
          cooperative: s?.cooperative ?? '',
          town: s?.town ?? '',
        });
      } else if (r.g === groupedBy.cooperative) out.byCooperative.push({ ...f, cooperative: r.cooperative });
      else if (r.g === groupedBy.town) out.byTown.push({ ...f, town: r.town });
    }
    const byGmv = (a: CentreFigures, b: CentreFigures) => b.gmvFen - a.gmvFen;
    out.byDay = fillDays(filter.from, filter.to, out.byDay);
    out.byStudio.sort(byGmv);
    out.byCooperative.sort(byGmv);
    out.byTown.sort(byGmv);
    return out;
  }

  /** The county report for the filter, as an .xlsx. */
  async exportReport(
    filter: AnalyticsFilter,
    options: { title?: string | undefined; language: Language; now: number },
  ): Promise<{ fileName: string; base64: string }> {
    const data = await this.analytics(filter);
    const generatedAt = new Intl.DateTimeFormat(options.language, {
      timeZone: this.timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(options.now);
    const sheets = countyReport(data, {
      language: options.language,
      generatedAt,
      ...(options.title === undefined ? {} : { title: options.title }),
    });
    const bytes = await writeReportXlsx(sheets);
    const stem = options.language === 'zh-CN' ? '直播销售统计' : 'live-sales-report';
    return { fileName: `${stem}-${data.filter.from}-${data.filter.to}.xlsx`, base64: bytes.toString('base64') };
  }

  private toStudio(r: StudioRow): CentreStudio {
    return {
      id: r.id,
      name: r.name,
      cooperative: r.cooperative,
      town: r.town,
      state: r.state,
      createdAt: r.created_at.getTime(),
      joinedAt: r.joined_at?.getTime() ?? null,
      lastPushAt: r.pushed_at?.getTime() ?? null,
      sales: Number(r.sale_rows ?? 0),
      clockSkewMs: r.clock_skew_ms === null ? null : Number(r.clock_skew_ms),
    };
  }

  private async studioRow(client: pg.PoolClient, id: string, forUpdate = false): Promise<StudioRow> {
    if (!uuidPattern.test(id))
      throw new StudioError('centre/studio-not-found', 'There is no such studio at this centre.');
    const rows = await client.query<StudioRow>(
      `SELECT s.*, c.pushed_at, c.sale_rows, c.clock_skew_ms FROM harvest.studios s
       LEFT JOIN harvest.cursors c ON c.studio_id = s.id WHERE s.id = $1 ${forUpdate ? 'FOR UPDATE OF s' : ''}`,
      [id],
    );
    const row = rows.rows[0];
    if (row === undefined) throw new StudioError('centre/studio-not-found', 'There is no such studio at this centre.');
    return row;
  }

  /** Cuts a role's sessions and drops it (its credentials are gone; the sales rows are not its). */
  private async dropRole(client: pg.PoolClient, role: string): Promise<void> {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.rowCount === 0) return;
    await client.query(`ALTER ROLE ${pg.escapeIdentifier(role)} NOLOGIN`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    await client.query(`DROP ROLE ${pg.escapeIdentifier(role)}`);
  }

  /** Drops the roles of studios that left and of codes that ran out. */
  private async sweepRoles(client: pg.PoolClient): Promise<void> {
    const stale = await client.query<{ role_name: string }>(
      `SELECT s.role_name FROM harvest.studios s JOIN pg_roles r ON r.rolname = s.role_name
       WHERE s.state IN ('left', 'revoked') OR (s.state = 'invited' AND s.invite_expires_at < now())`,
    );
    for (const { role_name } of stale.rows) {
      try {
        await this.dropRole(client, role_name);
      } catch (error) {
        this.options.logger.warn('could not drop a stale studio role', { role: role_name, error: String(error) });
      }
    }
  }

  private ensureReady(): Promise<void> {
    this.ready ??= (async () => {
      const client = await this.pool.connect();
      try {
        await migrateCentre(client);
        const tz = await client.query<{ value: string }>(`SELECT value FROM harvest.meta WHERE key = 'time_zone'`);
        this.timeZone = tz.rows[0]?.value ?? this.timeZone;
        await this.sweepRoles(client);
        this.errorCode = null;
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.ready = undefined;
      const coded = centreError(error, 'centre');
      this.errorCode = coded.code;
      throw coded;
    });
    return this.ready;
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ensureReady();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw centreError(error, 'centre');
    }
    let isBroken = false;
    try {
      return await work(client);
    } catch (error) {
      isBroken = !(error instanceof StudioError);
      throw centreError(error, 'centre');
    } finally {
      client.release(isBroken);
    }
  }
}
