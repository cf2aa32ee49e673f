// Deciding, in the vision workers, whether a camera frame is worth inferring: a tiny grey
// thumbnail of each frame, compared with the thumbnail of the last frame that was inferred.
// Pure functions and small classes, so they are unit-tested without a browser.

/** Thumbnail size the workers use (16:9-ish; the aspect does not matter for change detection). */
export const thumbnailWidth = 32;
export const thumbnailHeight = 18;

/**
 * Box-averages an RGBA image (`width`×`height`) into an `out.length = outWidth*outHeight` grey
 * thumbnail (BT.601 luma, 0–255). Each thumbnail cell averages every source pixel it covers, so
 * sensor noise cancels out and only real change remains.
 */
export function greyThumbnail(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
  out: Uint8Array,
): Uint8Array {
  for (let ty = 0; ty < outHeight; ty++) {
    const y0 = Math.floor((ty * height) / outHeight);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * height) / outHeight));
    for (let tx = 0; tx < outWidth; tx++) {
      const x0 = Math.floor((tx * width) / outWidth);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * width) / outWidth));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        let p = (y * width + x0) * 4;
        for (let x = x0; x < x1; x++, p += 4) sum += rgba[p]! * 77 + rgba[p + 1]! * 150 + rgba[p + 2]! * 29;
      }
      out[ty * outWidth + tx] = Math.round(sum / ((x1 - x0) * (y1 - y0) * 256));
    }
  }
  return out;
}

/** Mean and largest absolute difference between two thumbnails of the same size (0–255). */
export function thumbnailDifference(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  if (a.length !== b.length || a.length === 0) return { mean: 255, max: 255 };
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { mean: sum / a.length, max };
}

export interface ChangeGateOptions {
  /** Below this mean difference (0–255) the frame counts as unchanged. */
  meanThreshold: number;
  /** ...and no single cell may differ by this much (a hand moving in one corner). */
  maxThreshold: number;
  /** Infer at least this often anyway, so slow drift and lighting are never missed for long. */
  maxSkipMs: number;
}

export const defaultChangeGate: ChangeGateOptions = { meanThreshold: 1.5, maxThreshold: 10, maxSkipMs: 1000 };

/**
 * Skips inference while the picture stays as it was at the last inferred frame. The reference is
 * the last INFERRED frame, not the previous one, so a slow drift adds up until it counts.
 */
export class ChangeGate {
  private reference: Uint8Array | undefined;
  private referenceAt = 0;

  constructor(private readonly options: ChangeGateOptions = defaultChangeGate) {}

  /** True when this frame should be inferred; `stable` false forces inference (e.g. a moving hand). */
  shouldInfer(thumbnail: Uint8Array, time: number, stable = true): boolean {
    if (this.reference === undefined || !stable) return true;
    if (time - this.referenceAt >= this.options.maxSkipMs) return true;
    const d = thumbnailDifference(this.reference, thumbnail);
    return d.mean >= this.options.meanThreshold || d.max >= this.options.maxThreshold;
  }

  /** Call after inferring `thumbnail`: it becomes the reference. */
  inferred(thumbnail: Uint8Array, time: number): void {
    if (this.reference?.length !== thumbnail.length) this.reference = new Uint8Array(thumbnail.length);
    this.reference.set(thumbnail);
    this.referenceAt = time;
  }

  /** Forget the reference (the model or the camera changed). */
  reset(): void {
    this.reference = undefined;
  }
}

/**
 * Whether the hand model's last two results agree: no hand in both, or the same hand within
 * `tolerance` (mean landmark movement, normalised units). Only then may a still frame be skipped:
 * a hand that just appeared or is moving is tracked on every frame.
 */
export class HandStability {
  private previous: Float32Array | null | undefined;
  private last: Float32Array | null | undefined;

  constructor(private readonly tolerance = 0.01) {}

  push(hand: Float32Array | null): void {
    this.previous = this.last;
    this.last = hand === null ? null : Float32Array.from(hand);
  }

  get isStable(): boolean {
    const a = this.previous;
    const b = this.last;
    if (a === undefined || b === undefined) return false;
    if (a === null || b === null) return a === b;
    const n = Math.min(a.length, b.length) / 3;
    if (n === 0) return false;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.hypot(a[i * 3]! - b[i * 3]!, a[i * 3 + 1]! - b[i * 3 + 1]!);
    return sum / n < this.tolerance;
  }

  reset(): void {
    this.previous = undefined;
    this.last = undefined;
  }
}
