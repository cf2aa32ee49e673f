import { describe, expect, it } from 'vitest';

import { angleDelta, OneEuroAngleFilter, OneEuroFilter } from './one-euro';

// A deterministic noise source so the tests are repeatable.
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const variance = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};

describe('OneEuroFilter', () => {
  it('passes the first sample through and converges on a constant', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0, dCutoff: 1 });
    expect(f.filter(5, 0)).toBe(5);
    let v = 0;
    for (let i = 1; i <= 120; i++) v = f.filter(10, i * 33);
    expect(v).toBeCloseTo(10, 3);
  });

  it('removes most jitter from a still hand', () => {
    const rand = noise(1);
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0.004, dCutoff: 1 });
    const raw: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < 300; i++) {
      const r = 500 + rand() * 20;
      raw.push(r);
      out.push(f.filter(r, i * 33));
    }
    expect(variance(out.slice(30))).toBeLessThan(variance(raw.slice(30)) / 5);
  });

  it('lags less on a fast move when beta is higher', () => {
    const lagAfterMove = (beta: number) => {
      const f = new OneEuroFilter({ minCutoff: 1, beta, dCutoff: 1 });
      let v = 0;
      // 1000 px/s sweep for half a second, sampled at 30 Hz.
      for (let i = 0; i <= 15; i++) v = f.filter(i * 33, i * 33);
      return 15 * 33 - v;
    };
    const slow = lagAfterMove(0);
    const fast = lagAfterMove(0.01);
    expect(fast).toBeLessThan(slow / 2);
    expect(fast).toBeGreaterThanOrEqual(0);
  });

  it('estimates velocity per millisecond', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0.01, dCutoff: 5 });
    for (let i = 0; i <= 60; i++) f.filter(i * 10, i * 20); // 0.5 units per ms
    expect(f.velocity).toBeCloseTo(0.5, 1);
  });

  it('survives duplicate timestamps', () => {
    const f = new OneEuroFilter();
    f.filter(1, 100);
    expect(Number.isFinite(f.filter(2, 100))).toBe(true);
  });
});

describe('angles', () => {
  it('takes the short way round', () => {
    expect(angleDelta(Math.PI - 0.01, -Math.PI + 0.01)).toBeCloseTo(0.02, 6);
    expect(angleDelta(0.5, 0.25)).toBeCloseTo(-0.25, 6);
  });

  it('filters across ±π without swinging through zero', () => {
    const f = new OneEuroAngleFilter({ minCutoff: 1, beta: 0, dCutoff: 1 });
    f.filter(Math.PI - 0.05, 0);
    for (let i = 1; i < 30; i++) f.filter(-Math.PI + 0.05, i * 33);
    // The unwrapped value stays near π (≈ π + 0.05), never near 0.
    expect(Math.abs(Math.cos(f.value) + 1)).toBeLessThan(0.01);
  });
});
