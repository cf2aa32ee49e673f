import type { LiveSegment, Segment, Show } from '../../../shared/api/sales';
import type { AttributableSegment, Attribution } from '../../../shared/sales/attribution';
import { attributeOrder } from '../../../shared/sales/attribution';
import type { Catalog } from './catalog';
import type { ConfigRepo } from './config-repo';
import type { SalesConnection } from './connection';
import { newId } from './ids';
import { orderedRangeParams, salesQueries } from './queries';
import type { SegmentStartInput, ShowCreate } from './repo-types';
import type { ProductRow, SaleRow, SegmentRow, ShowRow } from './rows';
import { notFound, toProduct, toSegment, toShow } from './rows';

// The shows and segments repository: shows, the segments on air, and attribution of a sale to
// the segment live at its order time (re-run when segments change retroactively).

export class ShowsRepo {
  /** Bumped whenever segments change, so a staged import knows its attribution is stale. */
  version = 0;

  constructor(
    private readonly conn: SalesConnection,
    private readonly catalog: Catalog,
    private readonly settings: ConfigRepo,
  ) {}

  createShow(input: ShowCreate): Show {
    const id = newId();
    this.conn.db.transaction(() => {
      this.conn.db
        .prepare(
          `INSERT INTO shows (id, title, platforms, hosts, planned_start, time_zone, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.title,
          JSON.stringify(input.platforms),
          JSON.stringify(input.hosts),
          input.plannedStart,
          input.timeZone,
          this.conn.now(),
        );
      this.conn.audit('create', 'show', id, { title: input.title });
    })();
    return this.getShow(id);
  }

  getShow(id: string): Show {
    const row = this.conn.stmt('SELECT * FROM shows WHERE id = ?').get(id) as ShowRow | undefined;
    if (row === undefined) throw notFound('show', id);
    return toShow(row);
  }

  listShows(limit: number): Show[] {
    return (this.conn.stmt('SELECT * FROM shows ORDER BY created_at DESC LIMIT ?').all(limit) as ShowRow[]).map(toShow);
  }

  getSegment(id: string): Segment {
    const row = this.conn.stmt('SELECT * FROM segments WHERE id = ?').get(id) as SegmentRow | undefined;
    if (row === undefined) throw notFound('segment', id);
    return toSegment(row);
  }

  /** Starts a segment, ending the one live before it at the same moment. */
  startSegment(input: SegmentStartInput): { live: Segment; ended: Segment | null } {
    const now = this.conn.now();
    const startedAt = input.startedAt ?? now;
    return this.conn.db.transaction(() => {
      this.getShow(input.showId);
      if (input.productId !== null) this.catalog.getProduct(input.productId);
      let ended: Segment | null = null;
      for (const row of this.conn.stmt('SELECT * FROM segments WHERE ended_at IS NULL').all() as SegmentRow[]) {
        const endAt = Math.max(row.started_at, startedAt);
        this.conn.stmt('UPDATE segments SET ended_at = ? WHERE id = ?').run(endAt, row.id);
        this.conn.audit('end', 'segment', row.id, { endedAt: endAt, by: 'next-segment' });
        ended = { ...toSegment(row), endedAt: endAt };
      }
      const id = newId();
      this.conn.db
        .prepare(
          `INSERT INTO segments (id, show_id, product_id, host, guest, preset_id, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.showId, input.productId, input.host, input.guest, input.presetId, startedAt);
      this.conn.audit('start', 'segment', id, { showId: input.showId, productId: input.productId, startedAt });
      this.version += 1;
      // A segment started in the past takes the sales recorded since then.
      if (startedAt < now - 1000) this.reattribute(startedAt, now + 1);
      return { live: this.getSegment(id), ended };
    })();
  }

  endSegment(segmentId: string, endedAt?: number): Segment {
    const now = this.conn.now();
    return this.conn.db.transaction(() => {
      const segment = this.getSegment(segmentId);
      if (segment.endedAt !== null) return segment;
      const at = Math.max(segment.startedAt, endedAt ?? now);
      this.conn.stmt('UPDATE segments SET ended_at = ? WHERE id = ?').run(at, segmentId);
      this.conn.audit('end', 'segment', segmentId, { endedAt: at });
      this.version += 1;
      if (at < now - 1000) this.reattribute(at, now + 1);
      return this.getSegment(segmentId);
    })();
  }

  liveSegment(): LiveSegment | null {
    const row = this.conn.stmt(salesQueries.liveSegment).get() as SegmentRow | undefined;
    if (row === undefined) return null;
    const segment = toSegment(row);
    const productRow =
      segment.productId === null
        ? undefined
        : (this.conn.stmt('SELECT * FROM products WHERE id = ?').get(segment.productId) as ProductRow | undefined);
    return {
      segment,
      show: this.getShow(segment.showId),
      product: productRow === undefined ? null : toProduct(productRow),
    };
  }

  segmentsAround(at: number): AttributableSegment[] {
    const rows = this.conn.stmt(salesQueries.segmentsBefore).all(at) as SegmentRow[];
    return rows.reverse().map((r) => ({
      id: r.id,
      showId: r.show_id,
      productId: r.product_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  attribute(at: number, productId: string | null): Attribution {
    return attributeOrder(this.segmentsAround(at), at, productId, this.settings.config().graceMs);
  }

  /** Re-runs attribution for sales ordered in [from, to) after segments changed retroactively. */
  private reattribute(from: number, to: number): void {
    const update = this.conn.stmt(
      'UPDATE sales SET show_id = ?, segment_id = ?, off_air = ?, attribution = ? WHERE id = ?',
    );
    for (const row of this.conn.stmt(salesQueries.salesInRange).all(...orderedRangeParams(from, to)) as SaleRow[]) {
      const a = this.attribute(row.ordered_at, row.product_id);
      if (a.segmentId === row.segment_id && (a.isOffAir ? 1 : 0) === row.off_air) continue;
      update.run(a.showId, a.segmentId, a.isOffAir ? 1 : 0, a.how, row.id);
      this.conn.audit('reattribute', 'sale', row.id, { from: row.segment_id, to: a.segmentId });
    }
  }

  allSegments(): AttributableSegment[] {
    return (this.conn.stmt('SELECT * FROM segments ORDER BY started_at').all() as SegmentRow[]).map((r) => ({
      id: r.id,
      showId: r.show_id,
      productId: r.product_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }
}
