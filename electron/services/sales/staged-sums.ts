// What an import's staged rows add to the per-minute roll-up and to the import's totals, summed
// while the rows are staged (in the database worker, while the import worker is still reading
// the file), so that committing a chunk adds a few dozen summed rows instead of grouping its
// thousands of staged rows again in SQL: that grouping was 0.7 s of a million-order commit, and
// the per-show totals another 0.3 s.
//
// Sums are kept per block of stagedSumsBlockRows staged rows (by seq), and a chunk can use them
// only when it covers whole blocks that are all exact. A block stops being exact when a batch
// that wrote into it had a line twice (INSERT OR IGNORE left one out, so the rows after it moved
// up a seq), when the segments changed before the commit (rows are attributed again), or when
// the sums would take too much memory; such chunks are summed in SQL, as before.

/**
 * Staged rows per block of sums; commit chunks are cut at multiples of it. As small as the
 * smallest chunk (importChunkRows.min), so the chunks still shrink when the commit slows down:
 * with 2,000-row blocks the worst round trip during a million-order import was 50–57 ms (two
 * runs), with 250-row blocks 28–33 ms.
 */
export const stagedSumsBlockRows = 250;

/** Roll-up keys kept over all blocks at most (a short key and a ten-value row each); past it, blocks are summed in SQL. */
const maxKeys = 100_000;

/** One staged row, as far as the sums need it. */
export interface SummedRow {
  showId: string | null;
  segmentId: string | null;
  productId: string | null;
  orderedAt: number;
  status: string;
  orderCount: number;
  quantity: number;
  amountFen: number;
  isOffAir: boolean;
}

/** One roll-up row: rollupAddSql's parameters, in its order. */
export type RollupRow = [
  showId: string,
  segmentId: string,
  productId: string,
  minute: number,
  gmvFen: number,
  orders: number,
  units: number,
  refundedFen: number,
  refundedOrders: number,
  offAirOrders: number,
];

/** An import's totals over some rows of one show. */
export interface ShowTotals {
  showId: string | null;
  attributed: number;
  offAir: number;
  amount: number;
}

interface Block {
  /** By rollupKey(triple, minute). */
  rollup: Map<number, RollupRow>;
  shows: Map<string | null, ShowTotals>;
}

const isCounted = (status: string) => status === 'placed' || status === 'paid';

/**
 * A roll-up key as one number: (show, segment, product) as a small number, and the minute. A
 * string key made of the three ids cost a new string and its hash per staged row (the largest
 * item of the database worker's staging after the inserts themselves); the ids themselves are
 * the same few strings row after row, whose hashes V8 keeps. Exact for minutes within ±2^31
 * (the year 6053) and fewer than 2^21 triples; a row beyond either is summed in SQL.
 */
const tripleLimit = 2 ** 21;
const minuteLimit = 2 ** 31;
const rollupKey = (triple: number, minute: number) => minute * tripleLimit + triple;

export class StagedSums {
  /** By block index; null: not exact (or already committed). */
  private readonly blocks: (Block | null)[] = [];
  /** show → segment → product ('' for none) → a small number. */
  private readonly triples = new Map<string, Map<string, Map<string, number>>>();
  private tripleCount = 0;
  private keys = 0;

  /** The small number of (show, segment, product), or undefined past tripleLimit. */
  private triple(show: string, segment: string, product: string): number | undefined {
    let bySegment = this.triples.get(show);
    if (bySegment === undefined) this.triples.set(show, (bySegment = new Map()));
    let byProduct = bySegment.get(segment);
    if (byProduct === undefined) bySegment.set(segment, (byProduct = new Map()));
    let triple = byProduct.get(product);
    if (triple === undefined) {
      if (this.tripleCount >= tripleLimit) return undefined;
      triple = this.tripleCount++;
      byProduct.set(product, triple);
    }
    return triple;
  }

  /** Adds the row staged at `seq` (1-based) to its block. */
  add(seq: number, row: SummedRow): void {
    const index = Math.floor((seq - 1) / stagedSumsBlockRows);
    let block = this.blocks[index];
    if (block === null) return;
    if (block === undefined) {
      block = { rollup: new Map(), shows: new Map() };
      this.blocks[index] = block;
    }
    const show = row.showId ?? '';
    const segment = row.segmentId ?? '';
    const product = row.productId ?? '';
    // The roll-up's minute is SQLite's integer division of ordered_at (migrations.ts).
    const minute = Math.trunc(row.orderedAt / 60_000);
    const triple = Math.abs(minute) < minuteLimit ? this.triple(show, segment, product) : undefined;
    if (triple === undefined) {
      this.forget(index);
      return;
    }
    const key = rollupKey(triple, minute);
    let sums = block.rollup.get(key);
    if (sums === undefined) {
      if (this.keys >= maxKeys) {
        this.forget(index);
        return;
      }
      this.keys += 1;
      sums = [show, segment, product, minute, 0, 0, 0, 0, 0, 0];
      block.rollup.set(key, sums);
    }
    if (isCounted(row.status)) {
      sums[4] += row.amountFen;
      sums[5] += row.orderCount;
      sums[6] += row.quantity;
      if (row.isOffAir) sums[9] += row.orderCount;
    } else if (row.status === 'refunded') {
      sums[7] += row.amountFen;
      sums[8] += row.orderCount;
    }
    let totals = block.shows.get(row.showId);
    if (totals === undefined) {
      totals = { showId: row.showId, attributed: 0, offAir: 0, amount: 0 };
      block.shows.set(row.showId, totals);
    }
    if (row.segmentId !== null) totals.attributed += 1;
    if (row.isOffAir) totals.offAir += 1;
    if (isCounted(row.status)) totals.amount += row.amountFen;
  }

  /** The blocks holding seq ∈ [from, to] are no longer exact. */
  invalidate(from: number, to: number): void {
    if (to < from) return;
    const last = Math.floor((to - 1) / stagedSumsBlockRows);
    for (let i = Math.floor((from - 1) / stagedSumsBlockRows); i <= last; i++) this.forget(i);
  }

  /** No block is exact any more. */
  invalidateAll(): void {
    for (let i = 0; i < this.blocks.length; i++) this.forget(i);
  }

  /**
   * The sums of seq ∈ [from, to] when that is whole blocks (or ends at `lastSeq`), all exact;
   * undefined otherwise. The blocks are given up either way: a chunk is summed once.
   */
  take(from: number, to: number, lastSeq: number): { rollup: RollupRow[]; shows: ShowTotals[] } | undefined {
    const first = Math.floor((from - 1) / stagedSumsBlockRows);
    const last = Math.floor((to - 1) / stagedSumsBlockRows);
    const isAligned = (from - 1) % stagedSumsBlockRows === 0 && (to % stagedSumsBlockRows === 0 || to === lastSeq);
    let isExact = isAligned;
    for (let i = first; i <= last && isExact; i++) if (!this.blocks[i]) isExact = false;
    if (!isExact) {
      for (let i = first; i <= last; i++) this.forget(i);
      return undefined;
    }
    const rollup: RollupRow[] = [];
    const shows = new Map<string | null, ShowTotals>();
    for (let i = first; i <= last; i++) {
      const block = this.blocks[i] as Block;
      for (const row of block.rollup.values()) rollup.push(row);
      for (const t of block.shows.values()) {
        const sum = shows.get(t.showId);
        if (sum === undefined) shows.set(t.showId, { ...t });
        else {
          sum.attributed += t.attributed;
          sum.offAir += t.offAir;
          sum.amount += t.amount;
        }
      }
      this.forget(i);
    }
    return { rollup, shows: [...shows.values()] };
  }

  private forget(index: number): void {
    const block = this.blocks[index];
    if (block) this.keys -= block.rollup.size;
    this.blocks[index] = null;
  }
}

/** The chunk's last seq: `rows` rounded down to whole blocks (one at least), within `to`. */
export function blockAlignedEnd(at: number, rows: number, to: number): number {
  const blocks = Math.max(1, Math.floor(rows / stagedSumsBlockRows));
  return Math.min(to, at + blocks * stagedSumsBlockRows - 1);
}
