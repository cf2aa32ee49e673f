import type { CoverFit, NormalizedPoint, PixelPoint, Size } from './coords';
import { toOutputPixels } from './coords';
import type { OneEuroOptions } from './one-euro';
import { OneEuroAngleFilter, OneEuroFilter } from './one-euro';

/** One MediaPipe hand landmark: x, y normalised to the frame, z roughly in units of frame width. */
export type Landmark = NormalizedPoint & { readonly z: number };

/** A landmark from MediaPipe's numbers (the one place a plain x, y becomes a normalised point). */
export const landmark = (x: number, y: number, z: number): Landmark => ({ x, y, z }) as Landmark;

// MediaPipe hand landmark indices.
const WRIST = 0;
const THUMB_TIP = 4;
const INDEX_MCP = 5;
const INDEX_TIP = 8;
const MIDDLE_MCP = 9;
const RING_MCP = 13;
const PINKY_MCP = 17;
const PALM_POINTS = [WRIST, INDEX_MCP, MIDDLE_MCP, RING_MCP, PINKY_MCP] as const;

/** What one hand result says about the palm, in OUTPUT pixels and radians. */
export interface PalmObservation {
  /** Palm centre (mean of wrist and the four knuckles). */
  x: number;
  y: number;
  /** Wrist → middle knuckle distance: how big the hand looks. */
  size: number;
  /** In-plane tilt: 0 when the fingers point up, positive clockwise on screen. */
  roll: number;
  /** Wrist twist: the palm normal's sideways lean, −π/2..π/2. */
  yaw: number;
  /** Thumb tip ↔ index tip distance over palm size: ~0 pinched, ~1+ spread. */
  pinch: number;
}

function px(l: Landmark, source: Size, fit: CoverFit, mirror: boolean): PixelPoint {
  return toOutputPixels(l, source, fit, mirror);
}

/**
 * Reads palm position, size, tilt, twist and pinch from 21 hand landmarks. Works in output pixels
 * so the aspect ratio of the frame does not skew angles. Writes into `out` (no allocation per frame).
 */
export function observePalm(
  landmarks: readonly Landmark[],
  source: Size,
  fit: CoverFit,
  mirror: boolean,
  out: PalmObservation,
): PalmObservation | undefined {
  if (landmarks.length < 21) return undefined;
  let cx = 0;
  let cy = 0;
  for (const i of PALM_POINTS) {
    const p = px(landmarks[i]!, source, fit, mirror);
    cx += p.x;
    cy += p.y;
  }
  out.x = cx / PALM_POINTS.length;
  out.y = cy / PALM_POINTS.length;
  const wrist = px(landmarks[WRIST]!, source, fit, mirror);
  const middle = px(landmarks[MIDDLE_MCP]!, source, fit, mirror);
  const dx = middle.x - wrist.x;
  const dy = middle.y - wrist.y;
  out.size = Math.hypot(dx, dy);
  out.roll = Math.atan2(dx, -dy);
  // Palm normal from two knuckle vectors; z is scaled like x (MediaPipe: relative to frame width).
  const w = landmarks[WRIST]!;
  const a = landmarks[INDEX_MCP]!;
  const b = landmarks[PINKY_MCP]!;
  const sw = source.width;
  const sh = source.height;
  const mx = mirror ? -1 : 1;
  const ax = (a.x - w.x) * sw * mx;
  const ay = (a.y - w.y) * sh;
  const az = (a.z - w.z) * sw;
  const bx = (b.x - w.x) * sw * mx;
  const by = (b.y - w.y) * sh;
  const bz = (b.z - w.z) * sw;
  let nx = ay * bz - az * by;
  const ny = az * bx - ax * bz;
  const nz = ax * by - ay * bx;
  // Left and right hands (and a mirror) give opposite normals: take the one facing the camera
  // (MediaPipe z is smaller towards the camera) so yaw means the same for either hand.
  if (nz > 0) nx = -nx;
  const nLen = Math.hypot(nx, ny, nz);
  out.yaw = nLen > 0 ? Math.asin(Math.max(-1, Math.min(1, nx / nLen))) : 0;
  const t = px(landmarks[THUMB_TIP]!, source, fit, mirror);
  const f = px(landmarks[INDEX_TIP]!, source, fit, mirror);
  out.pinch = out.size > 0 ? Math.hypot(t.x - f.x, t.y - f.y) / out.size : 0;
  return out;
}

/** Where the product is drawn this frame, in output pixels and radians. */
export interface AnchorPose {
  x: number;
  y: number;
  /** Product height in output pixels before the scene's own scale. */
  size: number;
  roll: number;
  yaw: number;
  /** Pinch multiplier on top of `size`. */
  pinchScale: number;
  /** 1 while tracked or held, falling to 0 while fading out. */
  opacity: number;
  state: 'tracking' | 'holding' | 'fading' | 'lost';
}

export const emptyPose = (): AnchorPose => ({
  x: 0,
  y: 0,
  size: 0,
  roll: 0,
  yaw: 0,
  pinchScale: 1,
  opacity: 0,
  state: 'lost',
});

export interface HandAnchorOptions {
  readonly position: OneEuroOptions;
  readonly angle: OneEuroOptions;
  /** After the last result, keep the product in place this long... */
  readonly holdMs: number;
  /** ...then fade it out over this long. */
  readonly fadeMs: number;
  /** Extrapolate with the filtered velocity at most this far past the last result. */
  readonly maxPredictMs: number;
  /** The product sits this many palm sizes above the palm centre (along the hand), as if held. */
  readonly liftPalms: number;
  /** Product height in palm sizes. */
  readonly sizePalms: number;
  /** Pinch ratio range mapped to the scale range below. */
  readonly pinchRange: readonly [number, number];
  readonly scaleRange: readonly [number, number];
  /** Largest turn (radians) either way: past it the product shows its thin side and reads badly. */
  readonly maxYaw: number;
}

export const defaultHandAnchor: HandAnchorOptions = {
  // Position in pixels: beta scaled for px/s speeds (a hand crossing 1080 px in 1 s is ~1000 px/s).
  position: { minCutoff: 1.5, beta: 0.004, dCutoff: 1 },
  angle: { minCutoff: 1, beta: 0.3, dCutoff: 1 },
  holdMs: 600,
  fadeMs: 400,
  maxPredictMs: 120,
  liftPalms: 0.6,
  sizePalms: 1.5,
  pinchRange: [0.25, 1.4],
  scaleRange: [0.6, 1.4],
  maxYaw: 1.0,
};

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Maps the pinch ratio onto a scale multiplier: pinch in to shrink, spread to grow. */
export function pinchToScale(pinch: number, options: HandAnchorOptions = defaultHandAnchor): number {
  const [p0, p1] = options.pinchRange;
  const [s0, s1] = options.scaleRange;
  const t = clamp((pinch - p0) / (p1 - p0), 0, 1);
  return s0 + t * (s1 - s0);
}

/**
 * Turns irregular hand results (10–30 per second, with dropouts) into a smooth pose for every
 * rendered frame: One Euro smoothing, short prediction between results, hold, then fade.
 */
export class HandAnchorTracker {
  private readonly fx: OneEuroFilter;
  private readonly fy: OneEuroFilter;
  private readonly fsize: OneEuroFilter;
  private readonly fpinch: OneEuroFilter;
  private readonly froll: OneEuroAngleFilter;
  private readonly fyaw: OneEuroAngleFilter;
  /** When the last result arrived (hold and fade count from here). */
  private lastSeenMs = Number.NEGATIVE_INFINITY;
  /** Capture time of the frame the last result came from (prediction counts from here). */
  private lastFrameMs = Number.NEGATIVE_INFINITY;
  readonly options: HandAnchorOptions;

  constructor(options: HandAnchorOptions = defaultHandAnchor) {
    this.options = options;
    this.fx = new OneEuroFilter(options.position);
    this.fy = new OneEuroFilter(options.position);
    this.fsize = new OneEuroFilter(options.position);
    this.fpinch = new OneEuroFilter(options.angle);
    this.froll = new OneEuroAngleFilter(options.angle);
    this.fyaw = new OneEuroAngleFilter(options.angle);
  }

  /**
   * Feeds one hand result: `timeMs` is the camera frame's capture time, `arrivedMs` when the result
   * reached us (inference takes time; on a slow machine much of it). Same clock as `sample`.
   */
  update(obs: PalmObservation | undefined, timeMs: number, arrivedMs = timeMs): void {
    if (obs === undefined) return;
    // A hand that comes back after a fade starts fresh instead of sliding in from the old spot.
    if (arrivedMs - this.lastSeenMs > this.options.holdMs + this.options.fadeMs) this.reset();
    this.fx.filter(obs.x, timeMs);
    this.fy.filter(obs.y, timeMs);
    this.fsize.filter(obs.size, timeMs);
    this.fpinch.filter(obs.pinch, timeMs);
    this.froll.filter(obs.roll, timeMs);
    this.fyaw.filter(obs.yaw, timeMs);
    this.lastSeenMs = arrivedMs;
    this.lastFrameMs = timeMs;
  }

  reset(): void {
    this.fx.reset();
    this.fy.reset();
    this.fsize.reset();
    this.fpinch.reset();
    this.froll.reset();
    this.fyaw.reset();
    this.lastSeenMs = Number.NEGATIVE_INFINITY;
    this.lastFrameMs = Number.NEGATIVE_INFINITY;
  }

  /** The pose to draw at `nowMs`, written into `out`. */
  sample(nowMs: number, out: AnchorPose): AnchorPose {
    const o = this.options;
    const since = nowMs - this.lastSeenMs;
    if (!this.fx.hasValue || since > o.holdMs + o.fadeMs) {
      out.opacity = 0;
      out.state = 'lost';
      return out;
    }
    // Predict from the frame the result describes up to now, but never far: a wrong guess is worse than lag.
    const ahead = clamp(nowMs - this.lastFrameMs, 0, o.maxPredictMs);
    const roll = this.froll.value;
    const size = this.fsize.value;
    // Lift along the hand's own "up" so a tilted hand carries the product where it points.
    const lift = size * o.liftPalms;
    out.x = this.fx.value + this.fx.velocity * ahead + Math.sin(roll) * lift;
    out.y = this.fy.value + this.fy.velocity * ahead - Math.cos(roll) * lift;
    out.size = size * o.sizePalms;
    out.roll = roll;
    out.yaw = clamp(this.fyaw.value, -o.maxYaw, o.maxYaw);
    out.pinchScale = pinchToScale(this.fpinch.value, o);
    if (since <= o.maxPredictMs * 2) {
      out.state = 'tracking';
      out.opacity = 1;
    } else if (since <= o.holdMs) {
      out.state = 'holding';
      out.opacity = 1;
    } else {
      out.state = 'fading';
      out.opacity = clamp(1 - (since - o.holdMs) / o.fadeMs, 0, 1);
    }
    return out;
  }
}
