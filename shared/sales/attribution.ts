/** What attribution needs to know about a segment. */
export interface AttributableSegment {
  readonly id: string;
  readonly showId: string;
  readonly productId: string | null;
  readonly startedAt: number;
  /** null = still live. */
  readonly endedAt: number | null;
}

/** Where an order landed and why. */
export interface Attribution {
  readonly segmentId: string | null;
  readonly showId: string | null;
  readonly how: 'live' | 'grace' | 'none';
  /** The order is for a product other than the one on air in that segment. */
  readonly isOffAir: boolean;
}

const none: Attribution = { segmentId: null, showId: null, how: 'none', isOffAir: false };

function result(segment: AttributableSegment, how: 'live' | 'grace', productId: string | null): Attribution {
  return {
    segmentId: segment.id,
    showId: segment.showId,
    how,
    isOffAir: productId !== null && segment.productId !== null && segment.productId !== productId,
  };
}

/**
 * Picks the segment an order belongs to.
 *
 * A segment covers [startedAt, endedAt): the start is inclusive, the end exclusive, so at a
 * hand-over the new segment wins. Orders trail the pitch (viewers pay a minute after the host
 * moved on), so for `graceMs` after a segment ends an order for *that segment's product* still
 * goes to it, even when the next segment is live. Otherwise the live segment takes it (flagged
 * off-air if its product differs); with nothing live, the most recently ended segment within
 * the grace window does.
 *
 * `segments` must be sorted by startedAt ascending; the search is a binary search, so a long
 * history costs O(log n) per order plus the few segments inside the grace window.
 */
export function attributeOrder(
  segments: readonly AttributableSegment[],
  orderedAt: number,
  productId: string | null,
  graceMs: number,
): Attribution {
  // Index of the last segment that started at or before the order.
  let lo = 0;
  let hi = segments.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const seg = segments[mid];
    if (seg !== undefined && seg.startedAt <= orderedAt) {
      last = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (last < 0) return none;

  let live: AttributableSegment | undefined;
  let graceMatch: AttributableSegment | undefined;
  let graceAny: AttributableSegment | undefined;
  // Segments follow one another (starting one ends the previous), so walking back from the
  // last one started, the first that ended before the grace window ends the search. The bound
  // keeps a corrupt history (many segments left open) from making this linear.
  for (let i = last; i >= 0 && last - i < 64; i--) {
    const seg = segments[i];
    if (seg === undefined) continue;
    const end = seg.endedAt;
    if (end === null || orderedAt < end) {
      live ??= seg;
      continue;
    }
    if (orderedAt >= end + graceMs) break;
    if (graceMatch === undefined && productId !== null && seg.productId === productId) graceMatch = seg;
    graceAny ??= seg;
  }

  if (live !== undefined && (productId === null || live.productId === null || live.productId === productId)) {
    return result(live, 'live', productId);
  }
  if (graceMatch !== undefined) return result(graceMatch, 'grace', productId);
  if (live !== undefined) return result(live, 'live', productId);
  if (graceAny !== undefined) return result(graceAny, 'grace', productId);
  return none;
}
