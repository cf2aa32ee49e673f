import pg from 'pg';

import { StudioError } from '../../../shared/api/result';
import { retryDelayMs } from '../../../shared/centre/backoff';
import type { Logger } from '../logger';
import type { OutboxReader, OutboxRow } from './outbox-reader';
import { centreError, isTransient } from './pg-errors';

/** Timers, injected so tests drive time. */
export interface PushTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: PushTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PusherOptions {
  readonly reader: OutboxReader;
  /** The studio's own login (its role, its password), fresh each time (the secret store may change). */
  readonly connection: () => pg.ClientConfig;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random?: () => number;
  readonly timers?: PushTimers;
  /** Rows per PostgreSQL transaction. */
  readonly batchSize?: number;
  /** Called after every change of `state`. */
  readonly onState: (state: PushState) => void;
  /** The centre removed this studio: the link stops pushing and says so. */
  readonly onRevoked: (error: StudioError) => void;
  /** Pause after a sale before pushing, so a burst of entries goes in one batch. */
  readonly settleMs?: number;
  /** With nothing to push, still look this often (imports, edits made while the pusher slept). */
  readonly idleMs?: number;
}

export interface PushState {
  readonly lastPushAt: number | null;
  readonly errorCode: string | null;
  readonly nextRetryAt: number | null;
  readonly pending: number;
}

const upsertSql = `
  INSERT INTO harvest.sales AS s (studio_id, sale_id, revision, show_id, product_id, product, quantity, amount_fen,
    platform, ordered_at, status, order_count)
  SELECT harvest.current_studio(), u.* FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[],
    $6::int[], $7::bigint[], $8::text[], $9::bigint[], $10::text[], $11::smallint[])
    AS u(sale_id, revision, show_id, product_id, product, quantity, amount_fen, platform, ordered_at, status, order_count)
  ON CONFLICT (studio_id, sale_id) DO UPDATE SET
    revision = excluded.revision, show_id = excluded.show_id, product_id = excluded.product_id,
    product = excluded.product, quantity = excluded.quantity, amount_fen = excluded.amount_fen,
    platform = excluded.platform, ordered_at = excluded.ordered_at, status = excluded.status,
    order_count = excluded.order_count, received_at = now()
  WHERE excluded.revision > s.revision`;

/**
 * Pushes a studio's outbox to the centre: batches in seq order, each one PostgreSQL transaction
 * that upserts the rows (a row only moves forward in revision) and moves the studio's cursor in
 * the centre. A batch cut half-way leaves nothing behind; the next round reads the cursor back
 * from the centre and goes on from there, after seconds or after days.
 */
export class Pusher {
  private client: pg.Client | undefined;
  private timer: unknown;
  private round: Promise<void> | undefined;
  private isAgain = false;
  private isStopped = true;
  private failures = 0;
  private cursor = 0;
  private current: PushState = { lastPushAt: null, errorCode: null, nextRetryAt: null, pending: 0 };
  private readonly timers: PushTimers;
  private readonly random: () => number;

  constructor(private readonly options: PusherOptions) {
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
  }

  get state(): PushState {
    return this.current;
  }

  /** Starts pushing now and whenever poked. */
  start(): void {
    this.isStopped = false;
    this.schedule(0);
  }

  /** Something changed in the sales log: push soon (coalesces bursts). */
  poke(): void {
    if (this.isStopped || this.current.nextRetryAt !== null) return;
    this.schedule(this.options.settleMs ?? 300);
  }

  /** One round now (waits for a round in flight first); rejects with the round's coded error. */
  async syncNow(): Promise<void> {
    if (this.round !== undefined) {
      this.isAgain = true;
      await this.round.catch(() => undefined);
    }
    await this.runRound();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.timers.clear(this.timer);
    await this.round?.catch(() => undefined);
    await this.dropClient();
    this.options.reader.close();
  }

  private schedule(ms: number): void {
    if (this.isStopped) return;
    this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.runRound().catch(() => undefined);
    }, ms);
  }

  private runRound(): Promise<void> {
    if (this.round !== undefined) return this.round;
    const round = this.pushAll().finally(() => {
      this.round = undefined;
      if (this.isAgain) {
        this.isAgain = false;
        this.schedule(0);
      }
    });
    this.round = round;
    return round;
  }

  private async pushAll(): Promise<void> {
    const { reader, logger } = this.options;
    try {
      let client = await this.connect();
      // A connection kept from the last round may have died since (the centre restarted, or cut
      // this studio's sessions): ask once on a fresh one before calling the centre unreachable.
      const isReused = this.reused;
      const probe = () =>
        client.query<{ seq: string; studio: string | null }>(
          'SELECT (SELECT seq FROM harvest.cursors) AS seq, harvest.current_studio() AS studio',
        );
      let row: Awaited<ReturnType<typeof probe>>;
      try {
        row = await probe();
      } catch (error) {
        if (!isReused || !isTransient(error)) throw error;
        await this.dropClient();
        client = await this.connect();
        row = await probe();
      }
      if (row.rows[0]?.studio === null || row.rows[0]?.studio === undefined) {
        throw new StudioError('centre/revoked', 'The centre has removed this studio.');
      }
      this.cursor = Number(row.rows[0].seq ?? 0);
      if (this.cursor > reader.lastSeq()) {
        // The centre has seen more than this log holds (a log restored from an old backup):
        // send everything again; revisions keep the centre's newer rows.
        logger.warn('centre cursor ahead of the outbox; pushing all', { cursor: this.cursor });
        this.cursor = 0;
      }
      for (;;) {
        const rows = reader.batch(this.cursor, this.options.batchSize ?? 2000);
        if (rows.length === 0) break;
        await this.pushBatch(client, rows);
        this.cursor = rows[rows.length - 1]!.seq;
        this.update({ lastPushAt: this.options.now(), errorCode: null, nextRetryAt: null });
      }
      this.failures = 0;
      this.update({ errorCode: null, nextRetryAt: null, pending: 0, lastPushAt: this.options.now() });
      this.schedule(this.options.idleMs ?? 60_000);
    } catch (raw) {
      await this.dropClient();
      const error = centreError(raw, 'push');
      if (error.code === 'centre/revoked') {
        this.isStopped = true;
        this.timers.clear(this.timer);
        this.update({ errorCode: error.code, nextRetryAt: null });
        this.options.onRevoked(error);
        throw error;
      }
      this.failures++;
      const delay = retryDelayMs(this.failures, this.random());
      logger.warn('push failed', { code: error.code, detail: error.detail, failures: this.failures, delay });
      let pending = this.current.pending;
      try {
        pending = reader.pending(this.cursor);
      } catch {
        // The count is for the screen only.
      }
      this.update({ errorCode: error.code, nextRetryAt: this.isStopped ? null : this.options.now() + delay, pending });
      this.schedule(delay);
      throw error;
    }
  }

  private async pushBatch(client: pg.Client, rows: readonly OutboxRow[]): Promise<void> {
    const last = rows[rows.length - 1]!.seq;
    await client.query('BEGIN');
    try {
      // Locks this studio's cursor: a second pusher of the same studio waits, then finds it moved.
      await client.query('SELECT seq FROM harvest.cursors FOR UPDATE');
      await client.query(upsertSql, [
        rows.map((r) => r.saleId),
        rows.map((r) => r.revision),
        rows.map((r) => r.showId),
        rows.map((r) => r.productId),
        rows.map((r) => r.product),
        rows.map((r) => r.quantity),
        rows.map((r) => r.amountFen),
        rows.map((r) => r.platform),
        rows.map((r) => r.orderedAt),
        rows.map((r) => r.status),
        rows.map((r) => r.orderCount),
      ]);
      await client.query(
        `UPDATE harvest.cursors SET seq = greatest(seq, $1), pushed_at = now(), pushed_rows = pushed_rows + $2,
           clock_skew_ms = $3::bigint - (extract(epoch FROM clock_timestamp()) * 1000)::bigint`,
        [last, rows.length, this.options.now()],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Whether the last connect() handed back a kept connection. */
  private reused = false;

  private async connect(): Promise<pg.Client> {
    this.reused = this.client !== undefined;
    if (this.client !== undefined) return this.client;
    const client = new pg.Client({
      connectionTimeoutMillis: 10_000,
      query_timeout: 60_000,
      keepAlive: true,
      application_name: 'harvest-studio',
      ...this.options.connection(),
    });
    // A dropped socket between rounds: forget the client; the next round connects again.
    client.on('error', (error) => {
      this.options.logger.warn('centre connection lost', { error: String(error) });
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private update(patch: Partial<PushState>): void {
    this.current = { ...this.current, ...patch };
    this.options.onState(this.current);
  }
}
