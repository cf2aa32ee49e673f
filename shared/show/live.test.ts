import { describe, expect, it } from 'vitest';

import { formatClock, liveTiming } from './live';

const seg = (plannedSec: number) => ({ plannedSec });

describe('live timing', () => {
  const live = { startedAt: 0, segmentStartedAt: 100_000, index: 1, segments: [seg(60), seg(120), seg(300)] };

  it('computes segment and show timers from the live state and the clock', () => {
    const t = liveTiming(live, 150_000);
    expect(t.segmentElapsedMs).toBe(50_000);
    expect(t.segmentRemainingMs).toBe(70_000);
    expect(t.isOverrun).toBe(false);
    expect(t.showElapsedMs).toBe(150_000);
    expect(t.showPlannedMs).toBe(480_000);
    // 40 s late into segment 2 (started at 100 s, planned at 60 s).
    expect(t.showBehindMs).toBe(40_000);
  });

  it('warns once the segment runs past its plan', () => {
    const t = liveTiming(live, 100_000 + 120_001);
    expect(t.isOverrun).toBe(true);
    expect(t.segmentRemainingMs).toBe(-1);
  });

  it('formats clocks', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(65_999)).toBe('1:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
    expect(formatClock(-5_000)).toBe('-0:05');
  });
});
