import { describe, expect, it } from 'vitest';

import type { AttributableSegment } from './attribution';
import { attributeOrder } from './attribution';

const seg = (id: string, productId: string | null, startedAt: number, endedAt: number | null): AttributableSegment => ({
  id,
  showId: 'show',
  productId,
  startedAt,
  endedAt,
});

// A [0,100) orange, B [100,200) honey, C [200,300) walnut, then nothing on air.
const segments = [seg('A', 'orange', 0, 100), seg('B', 'honey', 100, 200), seg('C', 'walnut', 200, 300)];

describe('attribution', () => {
  it('start is inclusive, end exclusive: at a hand-over the new segment wins', () => {
    expect(attributeOrder(segments, -1, 'orange', 0)).toMatchObject({ segmentId: null, how: 'none' });
    expect(attributeOrder(segments, 0, 'orange', 0)).toMatchObject({ segmentId: 'A', how: 'live', isOffAir: false });
    expect(attributeOrder(segments, 99, 'orange', 0)).toMatchObject({ segmentId: 'A', how: 'live' });
    expect(attributeOrder(segments, 100, 'honey', 0)).toMatchObject({ segmentId: 'B', how: 'live', isOffAir: false });
    expect(attributeOrder(segments, 100, 'orange', 0)).toMatchObject({ segmentId: 'B', how: 'live', isOffAir: true });
    expect(attributeOrder(segments, 300, 'walnut', 0)).toMatchObject({ segmentId: null, how: 'none' });
  });

  it('within the grace window an order for the previous segment’s product stays with it', () => {
    expect(attributeOrder(segments, 100, 'orange', 10)).toMatchObject({
      segmentId: 'A',
      how: 'grace',
      isOffAir: false,
    });
    expect(attributeOrder(segments, 109, 'orange', 10)).toMatchObject({ segmentId: 'A', how: 'grace' });
    // The window is [end, end + grace): at end + grace it is over.
    expect(attributeOrder(segments, 110, 'orange', 10)).toMatchObject({ segmentId: 'B', how: 'live', isOffAir: true });
    // Another product during the grace window: the live segment takes it.
    expect(attributeOrder(segments, 105, 'honey', 10)).toMatchObject({ segmentId: 'B', how: 'live', isOffAir: false });
    expect(attributeOrder(segments, 105, 'walnut', 10)).toMatchObject({ segmentId: 'B', isOffAir: true });
  });

  it('after the last segment, the grace window catches late orders of any product', () => {
    expect(attributeOrder(segments, 305, 'walnut', 10)).toMatchObject({
      segmentId: 'C',
      how: 'grace',
      isOffAir: false,
    });
    expect(attributeOrder(segments, 305, null, 10)).toMatchObject({ segmentId: 'C', how: 'grace', isOffAir: false });
    expect(attributeOrder(segments, 305, 'orange', 10)).toMatchObject({ segmentId: 'C', how: 'grace', isOffAir: true });
    expect(attributeOrder(segments, 310, 'walnut', 10)).toMatchObject({ segmentId: null, how: 'none' });
  });

  it('an unknown product is never flagged; a live open segment takes everything after its start', () => {
    const open = [...segments.slice(0, 2), seg('L', 'walnut', 200, null)];
    expect(attributeOrder(open, 150, null, 10)).toMatchObject({ segmentId: 'B', isOffAir: false });
    expect(attributeOrder(open, 10_000_000, 'walnut', 10)).toMatchObject({ segmentId: 'L', how: 'live' });
    const noProduct = [seg('N', null, 0, null)];
    expect(attributeOrder(noProduct, 5, 'orange', 10)).toMatchObject({ segmentId: 'N', isOffAir: false });
  });

  it('finds the right segment among many by binary search', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => seg(`s${i}`, `p${i % 7}`, i * 1000, i * 1000 + 1000));
    const started = performance.now();
    for (let i = 0; i < 100_000; i += 37) {
      const t = i * 1000 + 500;
      expect(attributeOrder(many, t, `p${i % 7}`, 60_000).segmentId).toBe(`s${i}`);
    }
    // Grace across boundaries: an order for the previous segment's product 200 ms after it ended.
    expect(attributeOrder(many, 5_200, 'p4', 60_000)).toMatchObject({ segmentId: 's4', how: 'grace' });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
