import Database from 'better-sqlite3';

import { StudioError } from '../../../shared/api/result';

/** One change the centre has not seen: the sale as it stands now, at its newest revision. */
export interface OutboxRow {
  readonly seq: number;
  readonly saleId: number;
  readonly revision: number;
  readonly showId: string | null;
  readonly productId: string | null;
  readonly product: string;
  readonly quantity: number;
  readonly amountFen: number;
  readonly platform: string | null;
  readonly orderedAt: number;
  readonly status: string;
  readonly orderCount: number;
}

interface RawRow {
  seq: number;
  sale_id: number;
  revision: number;
  show_id: string | null;
  product_id: string | null;
  product: string | null;
  quantity: number | null;
  amount_fen: number | null;
  platform: string | null;
  ordered_at: number | null;
  status: string | null;
  order_count: number | null;
}

/**
 * The studio's outbox (sales migration 6), read through a read-only connection of its own beside
 * the sales worker's writer (WAL: readers never block the writer, nor it them). Each batch is one
 * read transaction, so a batch is a consistent picture even while sales keep coming.
 */
export class OutboxReader {
  private db: Database.Database | undefined;

  constructor(
    private readonly file: string,
    private readonly nativeBinding?: string,
  ) {}

  open(): void {
    if (this.db !== undefined) return;
    try {
      const db = new Database(this.file, {
        readonly: true,
        fileMustExist: true,
        ...(this.nativeBinding === undefined ? {} : { nativeBinding: this.nativeBinding }),
      });
      db.pragma('busy_timeout = 2000');
      db.prepare('SELECT seq FROM outbox LIMIT 0').all();
      this.db = db;
    } catch (error) {
      throw new StudioError('centre/outbox-unreadable', 'The sales log cannot be read for the centre.', {
        detail: String(error),
        cause: error,
      });
    }
  }

  /** Up to `limit` changes after `afterSeq`, oldest first. A sale gone (a rolled-back import) reads as voided. */
  batch(afterSeq: number, limit: number): OutboxRow[] {
    const rows = this.handle()
      .prepare<[number, number], RawRow>(
        `SELECT o.seq, o.sale_id, o.revision, s.show_id, s.product_id,
           coalesce(nullif(s.product_title, ''), p.name, '') AS product, s.quantity, s.amount_fen, s.platform,
           s.ordered_at, s.status, s.order_count
         FROM outbox o LEFT JOIN sales s ON s.id = o.sale_id LEFT JOIN products p ON p.id = s.product_id
         WHERE o.seq > ? ORDER BY o.seq LIMIT ?`,
      )
      .all(afterSeq, limit);
    return rows.map((r) => ({
      seq: r.seq,
      saleId: r.sale_id,
      revision: r.revision,
      showId: r.show_id,
      productId: r.product_id,
      product: r.product ?? '',
      quantity: r.quantity ?? 0,
      amountFen: r.amount_fen ?? 0,
      platform: r.platform,
      orderedAt: r.ordered_at ?? 0,
      status: r.status ?? 'voided',
      orderCount: r.order_count ?? 0,
    }));
  }

  /** Changes after `afterSeq` (the link's "waiting to send"). */
  pending(afterSeq: number): number {
    return (
      this.handle().prepare<[number], { n: number }>('SELECT count(*) AS n FROM outbox WHERE seq > ?').get(afterSeq)
        ?.n ?? 0
    );
  }

  /** The newest seq (0 for an empty outbox). */
  lastSeq(): number {
    return this.handle().prepare<[], { s: number | null }>('SELECT max(seq) AS s FROM outbox').get()?.s ?? 0;
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  private handle(): Database.Database {
    this.open();
    return this.db!;
  }
}
