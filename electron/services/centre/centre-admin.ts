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

// GROUPING(day, studio_id, cooperative, town, product): a bit set for each column not grouped by.
const groupedBy = {
  day: 0b01111,
  studio: 0b10111,
  cooperative: 0b11011,
  town: 0b11101,
  product: 0b11110,
  total: 0b11111,
};

const analyticsSql = `
  SELECT GROUPING(d.day, d.studio_id, s.cooperative, s.town, d.product)::int AS g,
    to_char(d.day, 'YYYY-MM-DD') AS day, d.studio_id, s.cooperative, s.town, d.product,
    sum(d.gmv_fen) AS gmv, sum(d.orders) AS orders, sum(d.units) AS units,
    sum(d.refunded_fen) AS refunded, sum(d.refunded_orders) AS refunded_orders
  FROM harvest.daily d JOIN harvest.studios s ON s.id = d.studio_id
  WHERE d.day BETWEEN $1::date AND $2::date
    AND ($3::uuid IS NULL OR d.studio_id = $3::uuid)
    AND ($4::text IS NULL OR s.cooperative = $4::text)
    AND ($5::text IS NULL OR s.town = $5::text)
  GROUP BY GROUPING SETS ((d.day), (d.studio_id), (s.cooperative), (s.town), (d.product), ())`;

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
    return this.withClient(async (client) => {
      const started = performance.now();
      const result = await client.query<
        FigureRow & { g: number; day: string; studio_id: string; cooperative: string; town: string; product: string }
      >(analyticsSql, [
        filter.from,
        filter.to,
        filter.studioId ?? null,
        filter.cooperative ?? null,
        filter.town ?? null,
      ]);
      const queryMs = performance.now() - started;
      const studios = new Map(
        (
          await client.query<{ id: string; name: string; cooperative: string; town: string }>(
            'SELECT id, name, cooperative, town FROM harvest.studios',
          )
        ).rows.map((s) => [s.id, s]),
      );
      const out: CentreAnalytics = {
        filter: { from: filter.from, to: filter.to },
        totals: { gmvFen: 0, orders: 0, units: 0, refundedFen: 0, refundedOrders: 0 },
        byDay: [],
        byStudio: [],
        byCooperative: [],
        byTown: [],
        byProduct: [],
        queryMs,
      };
      for (const r of result.rows) {
        const f = figures(r);
        if (r.g === groupedBy.total) out.totals = f;
        else if (r.g === groupedBy.day) out.byDay.push({ ...f, day: r.day });
        else if (r.g === groupedBy.studio) {
          const s = studios.get(r.studio_id);
          out.byStudio.push({
            ...f,
            studioId: r.studio_id,
            name: s?.name ?? '',
            cooperative: s?.cooperative ?? '',
            town: s?.town ?? '',
          });
        } else if (r.g === groupedBy.cooperative) out.byCooperative.push({ ...f, cooperative: r.cooperative });
        else if (r.g === groupedBy.town) out.byTown.push({ ...f, town: r.town });
        else if (r.g === groupedBy.product) out.byProduct.push({ ...f, product: r.product });
      }
      const byGmv = (a: CentreFigures, b: CentreFigures) => b.gmvFen - a.gmvFen;
      out.byDay = fillDays(filter.from, filter.to, out.byDay);
      out.byStudio.sort(byGmv);
      out.byCooperative.sort(byGmv);
      out.byTown.sort(byGmv);
      out.byProduct = out.byProduct.sort(byGmv).slice(0, 30);
      return out;
    });
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
