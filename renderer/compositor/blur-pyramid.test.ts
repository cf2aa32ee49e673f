import { describe, expect, it } from 'vitest';

import { blurHalvings } from './blur-pyramid';

describe('blurHalvings', () => {
  it('averages over more pixels the stronger the blur', () => {
    const levels = [0, 0.25, 0.5, 0.7, 1].map((s) => blurHalvings(s, 1280, 720));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(levels[0]).toBeLessThan(levels[4]!);
    // At the default strength, 0.7: a 32-pixel box at 720p, as wide as the former 5 px blur at a quarter size.
    expect(blurHalvings(0.7, 1280, 720)).toBe(5);
  });

  it('never goes below 2 px on the short side, and reads nonsense strengths as none', () => {
    expect(2 ** blurHalvings(1, 64, 36)).toBeLessThanOrEqual(36 / 2);
    expect(blurHalvings(1, 1, 1)).toBe(1);
    expect(blurHalvings(Number.NaN, 1280, 720)).toBe(blurHalvings(0, 1280, 720));
    expect(blurHalvings(-3, 1280, 720)).toBe(blurHalvings(0, 1280, 720));
    expect(blurHalvings(9, 1280, 720)).toBe(blurHalvings(1, 1280, 720));
  });
});
