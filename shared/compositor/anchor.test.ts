import { describe, expect, it } from 'vitest';

import type { AnchorPose, Landmark, PalmObservation } from './anchor';
import { defaultHandAnchor, emptyPose, HandAnchorTracker, landmark, observePalm, pinchToScale } from './anchor';
import { coverFit, normalizedPoint, toOutputPixels } from './coords';

/** A flat, upright right hand facing the camera, palm centre at (cx, cy) normalised, `s` palm size. */
function uprightHand(cx: number, cy: number, s = 0.1, z = 0): Landmark[] {
  const l: Landmark[] = Array.from({ length: 21 }, () => landmark(cx, cy, z));
  const set = (i: number, dx: number, dy: number, dz = z) => (l[i] = landmark(cx + dx * s, cy + dy * s, dz));
  set(0, 0, 0.6); // wrist below
  set(5, -0.35, -0.4); // index knuckle
  set(9, 0, -0.4); // middle knuckle
  set(13, 0.3, -0.35);
  set(17, 0.55, -0.25); // pinky knuckle
  set(4, -0.7, -0.5); // thumb tip
  set(8, -0.4, -1.2); // index tip
  return l;
}

const source = { width: 1280, height: 720 };
const output = { width: 1280, height: 720 };

describe('observePalm', () => {
  it('finds the palm centre, size and an upright roll', () => {
    const fit = coverFit(source, output);
    const obs = observePalm(uprightHand(0.5, 0.5), source, fit, false, {} as PalmObservation)!;
    // Centre = mean of wrist and four knuckles.
    const meanDy = (0.6 - 0.4 - 0.4 - 0.35 - 0.25) / 5;
    const meanDx = (0 - 0.35 + 0 + 0.3 + 0.55) / 5;
    expect(obs.x).toBeCloseTo((0.5 + meanDx * 0.1) * 1280, 3);
    expect(obs.y).toBeCloseTo((0.5 + meanDy * 0.1) * 720, 3);
    expect(obs.size).toBeCloseTo(1.0 * 0.1 * 720, 3); // wrist → middle knuckle is 1.0 s vertically
    expect(obs.roll).toBeCloseTo(0, 6);
    expect(obs.yaw).toBeCloseTo(0, 6); // flat hand: normal points at the camera
    expect(obs.pinch).toBeGreaterThan(0.5);
  });

  it('maps through a cover fit (a 4:3 camera in a 9:16 output)', () => {
    const cam = { width: 640, height: 480 };
    const out = { width: 1080, height: 1920 };
    const fit = coverFit(cam, out);
    // 480 high scaled to 1920 → scale 4; 640*4 = 2560 wide, cropped by 740 each side.
    expect(fit.scale).toBe(4);
    expect(fit.offsetX).toBe(-740);
    const p = toOutputPixels(normalizedPoint(0.5, 0.5), cam, fit);
    expect(p.x).toBe(540);
    expect(p.y).toBe(960);
    const mirrored = toOutputPixels(normalizedPoint(0.25, 0), cam, fit, true);
    expect(mirrored.x).toBe(-740 + 0.75 * 640 * 4);
  });

  it('reads a hand tilted 90° clockwise as roll π/2', () => {
    const fit = coverFit(source, output);
    // Rotate the upright hand about its centre: (dx, dy) → (-dy, dx) in pixels.
    const h = uprightHand(0.5, 0.5).map((p) => {
      const dx = (p.x - 0.5) * 1280;
      const dy = (p.y - 0.5) * 720;
      return landmark(0.5 + -dy / 1280, 0.5 + dx / 720, 0);
    });
    const obs = observePalm(h, source, fit, false, {} as PalmObservation)!;
    expect(obs.roll).toBeCloseTo(Math.PI / 2, 5);
  });

  it('reads a twisted wrist as yaw, with the sign flipping in a mirror', () => {
    const fit = coverFit(source, output);
    const h = uprightHand(0.5, 0.5);
    // Pinky side comes towards the camera (z smaller = nearer).
    h[17] = landmark(h[17]!.x, h[17]!.y, -0.05);
    h[13] = landmark(h[13]!.x, h[13]!.y, -0.03);
    const a = observePalm(h, source, fit, false, {} as PalmObservation)!;
    const b = observePalm(h, source, fit, true, {} as PalmObservation)!;
    expect(Math.abs(a.yaw)).toBeGreaterThan(0.2);
    expect(b.yaw).toBeCloseTo(-a.yaw, 6);
  });

  it('needs all 21 landmarks', () => {
    expect(observePalm([], source, coverFit(source, output), false, {} as PalmObservation)).toBeUndefined();
  });
});

describe('pinchToScale', () => {
  it('shrinks when pinched and grows when spread, within limits', () => {
    expect(pinchToScale(0)).toBe(defaultHandAnchor.scaleRange[0]);
    expect(pinchToScale(5)).toBe(defaultHandAnchor.scaleRange[1]);
    expect(pinchToScale(0.5)).toBeLessThan(pinchToScale(1));
  });
});

describe('HandAnchorTracker', () => {
  const obsAt = (x: number, y: number): PalmObservation => ({ x, y, size: 100, roll: 0, yaw: 0, pinch: 1 });

  it('places the product above the palm, as if held', () => {
    const t = new HandAnchorTracker();
    t.update(obsAt(600, 400), 0);
    const pose = t.sample(0, emptyPose());
    expect(pose.state).toBe('tracking');
    expect(pose.x).toBeCloseTo(600, 6);
    expect(pose.y).toBeCloseTo(400 - 100 * defaultHandAnchor.liftPalms, 6);
    expect(pose.size).toBeCloseTo(100 * defaultHandAnchor.sizePalms, 6);
  });

  it('predicts between results along the motion, up to a limit', () => {
    const t = new HandAnchorTracker();
    // 1 px per ms to the right, results every 50 ms.
    for (let ms = 0; ms <= 1000; ms += 50) t.update(obsAt(ms, 300), ms);
    const atResult = t.sample(1000, emptyPose()).x;
    const between = t.sample(1030, emptyPose()).x;
    const farLater = t.sample(1400, emptyPose()).x;
    expect(between - atResult).toBeGreaterThan(15); // moved on by most of 30 px
    expect(between - atResult).toBeLessThan(40);
    // Never more than maxPredictMs worth of extrapolation.
    expect(farLater - atResult).toBeLessThanOrEqual(defaultHandAnchor.maxPredictMs * 1.3);
    // The filtered value keeps up with a steady motion within a few px.
    expect(Math.abs(atResult - 1000)).toBeLessThan(60);
  });

  it('holds on tracking loss, then fades, then is lost', () => {
    const o = defaultHandAnchor;
    const t = new HandAnchorTracker();
    t.update(obsAt(500, 500), 0);
    const pose: AnchorPose = emptyPose();
    expect(t.sample(o.holdMs - 1, pose).state).toBe('holding');
    expect(pose.opacity).toBe(1);
    t.sample(o.holdMs + o.fadeMs / 2, pose);
    expect(pose.state).toBe('fading');
    expect(pose.opacity).toBeCloseTo(0.5, 2);
    expect(t.sample(o.holdMs + o.fadeMs + 1, pose).state).toBe('lost');
    expect(pose.opacity).toBe(0);
  });

  it('counts hold and fade from when a slow result arrived, and predicts only a little', () => {
    const t = new HandAnchorTracker();
    // A slow machine: the result for the frame captured at 0 ms arrives at 900 ms.
    t.update(obsAt(400, 300), 0, 900);
    const pose = t.sample(900, emptyPose());
    expect(pose.state).toBe('tracking');
    expect(pose.opacity).toBe(1);
    expect(t.sample(900 + defaultHandAnchor.holdMs + 1, emptyPose()).state).toBe('fading');
  });

  it('starts fresh when the hand comes back after a fade', () => {
    const t = new HandAnchorTracker();
    t.update(obsAt(100, 100), 0);
    t.update(obsAt(900, 100), 5000);
    expect(t.sample(5000, emptyPose()).x).toBeCloseTo(900, 6);
  });

  it('smooths a jittery still hand to within a couple of pixels', () => {
    const t = new HandAnchorTracker();
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 12; // ±6 px
    const xs: number[] = [];
    for (let ms = 0; ms < 3000; ms += 33) {
      t.update(obsAt(640 + rand(), 360 + rand()), ms);
      xs.push(t.sample(ms, emptyPose()).x);
    }
    const tail = xs.slice(30);
    expect(Math.max(...tail) - Math.min(...tail)).toBeLessThan(6);
  });
});
