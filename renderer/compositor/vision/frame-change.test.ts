import { describe, expect, it } from 'vitest';

import { ChangeGate, greyThumbnail, HandStability, thumbnailDifference } from './frame-change';

/** An RGBA image of `w`×`h` filled by `f(x, y)` → [r, g, b]. */
function image(w: number, h: number, f: (x: number, y: number) => [number, number, number]): Uint8ClampedArray {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = f(x, y);
      data.set([r, g, b, 255], (y * w + x) * 4);
    }
  return data;
}

const thumb = (rgba: Uint8ClampedArray, w: number, h: number) => greyThumbnail(rgba, w, h, 32, 18, new Uint8Array(576));

/** Deterministic noise in [-a, a]. */
function noise(seed: number) {
  let s = seed;
  return (a: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * a;
  };
}

describe('greyThumbnail', () => {
  it('box-averages luma: a flat grey stays that grey, black and white halves stay apart', () => {
    expect(
      [
        ...thumb(
          image(128, 72, () => [100, 100, 100]),
          128,
          72,
        ),
      ].every((v) => v === 100),
    ).toBe(true);
    const halves = thumb(
      image(128, 72, (x) => (x < 64 ? [0, 0, 0] : [255, 255, 255])),
      128,
      72,
    );
    expect(halves[0]).toBe(0);
    expect(halves[31]).toBe(255);
    // Luma weights: pure green is brighter than pure blue.
    const green = thumb(
      image(64, 36, () => [0, 255, 0]),
      64,
      36,
    )[0]!;
    const blue = thumb(
      image(64, 36, () => [0, 0, 255]),
      64,
      36,
    )[0]!;
    expect(green).toBeGreaterThan(140);
    expect(blue).toBeLessThan(40);
  });

  it('handles sizes that do not divide evenly (and smaller than the thumbnail)', () => {
    const t = thumb(
      image(50, 30, (x, y) => [x * 5, y * 8, 0]),
      50,
      30,
    );
    expect(t.length).toBe(576);
    expect(t[575]).toBeGreaterThan(t[0]!);
    expect(
      thumb(
        image(10, 5, () => [9, 9, 9]),
        10,
        5,
      ).every((v) => v === 9),
    ).toBe(true);
  });
});

describe('ChangeGate', () => {
  const scene = (dx: number, n?: (a: number) => number) =>
    thumb(
      image(128, 72, (x, y) => {
        // A bright "hand" square on a darker textured wall; `dx` moves the square.
        const inHand = x >= 40 + dx && x < 50 + dx && y >= 20 && y < 30;
        const base = inHand ? 220 : 60 + ((x * 7 + y * 3) % 40);
        const v = base + (n?.(6) ?? 0);
        return [v, v, v];
      }),
      128,
      72,
    );

  it('infers the first frame, then skips an unchanged one', () => {
    const gate = new ChangeGate();
    const a = scene(0);
    expect(gate.shouldInfer(a, 0)).toBe(true);
    gate.inferred(a, 0);
    expect(gate.shouldInfer(scene(0), 33)).toBe(false);
  });

  it('treats camera noise as unchanged but a small moving object as a change', () => {
    const gate = new ChangeGate();
    const n = noise(7);
    gate.inferred(scene(0, n), 0);
    expect(gate.shouldInfer(scene(0, n), 33)).toBe(false);
    expect(gate.shouldInfer(scene(0, n), 66)).toBe(false);
    // The square (a hand, 10 px of 128) moves by 2 px: a few cells change a lot, the mean barely.
    const moved = scene(2, n);
    expect(thumbnailDifference(scene(0), scene(2)).mean).toBeLessThan(1.5);
    expect(gate.shouldInfer(moved, 99)).toBe(true);
  });

  it('compares with the last INFERRED frame, so slow drift adds up', () => {
    const gate = new ChangeGate({ meanThreshold: 1.5, maxThreshold: 10, maxSkipMs: 10_000 });
    const level = (v: number) =>
      thumb(
        image(64, 36, () => [v, v, v]),
        64,
        36,
      );
    gate.inferred(level(100), 0);
    expect(gate.shouldInfer(level(101), 33)).toBe(false);
    expect(gate.shouldInfer(level(102), 66)).toBe(true);
  });

  it('infers anyway after maxSkipMs, and always when told the subject is not stable', () => {
    const gate = new ChangeGate({ meanThreshold: 1.5, maxThreshold: 10, maxSkipMs: 500 });
    const a = scene(0);
    gate.inferred(a, 1000);
    expect(gate.shouldInfer(a, 1400)).toBe(false);
    expect(gate.shouldInfer(a, 1500)).toBe(true);
    expect(gate.shouldInfer(a, 1100, false)).toBe(true);
    gate.reset();
    expect(gate.shouldInfer(a, 1100)).toBe(true);
  });
});

describe('HandStability', () => {
  const hand = (dx: number) => {
    const h = new Float32Array(63);
    for (let i = 0; i < 21; i++) {
      h[i * 3] = 0.4 + i * 0.01 + dx;
      h[i * 3 + 1] = 0.5 - i * 0.01;
    }
    return h;
  };

  it('is stable only once two results agree', () => {
    const s = new HandStability();
    expect(s.isStable).toBe(false);
    s.push(hand(0));
    expect(s.isStable).toBe(false);
    s.push(hand(0.002));
    expect(s.isStable).toBe(true);
    s.push(hand(0.05)); // moved by 5 % of the frame
    expect(s.isStable).toBe(false);
  });

  it('no hand twice is stable; a hand appearing or leaving is not', () => {
    const s = new HandStability();
    s.push(null);
    s.push(null);
    expect(s.isStable).toBe(true);
    s.push(hand(0));
    expect(s.isStable).toBe(false);
    s.push(null);
    expect(s.isStable).toBe(false);
    s.reset();
    expect(s.isStable).toBe(false);
  });

  it('keeps its own copy of the landmarks (the caller transfers its array away)', () => {
    const s = new HandStability();
    const a = hand(0);
    s.push(a);
    a.fill(0);
    s.push(hand(0));
    expect(s.isStable).toBe(true);
  });
});
