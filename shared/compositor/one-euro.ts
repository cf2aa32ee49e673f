/**
 * The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cutoff rises
 * with speed, so a still hand does not jitter and a moving hand does not lag. Times are in ms.
 */
export interface OneEuroOptions {
  /** Cutoff (Hz) at rest: lower = steadier, more lag when slow. */
  readonly minCutoff: number;
  /** How fast the cutoff rises with speed: higher = less lag when fast. */
  readonly beta: number;
  /** Cutoff (Hz) for the derivative estimate. */
  readonly dCutoff: number;
}

export const defaultOneEuro: OneEuroOptions = { minCutoff: 1.2, beta: 0.02, dCutoff: 1 };

function alpha(cutoffHz: number, dtSeconds: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtSeconds);
}

/** One scalar channel. Mutable on purpose: it runs in the frame loop and allocates nothing. */
export class OneEuroFilter {
  private x = 0;
  private dx = 0;
  private lastRaw = 0;
  private lastMs = Number.NaN;
  private options: OneEuroOptions;

  constructor(options: OneEuroOptions = defaultOneEuro) {
    this.options = options;
  }

  /** Whether the filter has seen a value since the last reset. */
  get hasValue(): boolean {
    return !Number.isNaN(this.lastMs);
  }

  /** The filtered value. */
  get value(): number {
    return this.x;
  }

  /** The filtered rate of change, per millisecond. */
  get velocity(): number {
    return this.dx / 1000;
  }

  setOptions(options: OneEuroOptions): void {
    this.options = options;
  }

  reset(): void {
    this.lastMs = Number.NaN;
    this.x = 0;
    this.dx = 0;
  }

  /** Feeds a raw sample taken at `timeMs` and returns the filtered value. */
  filter(raw: number, timeMs: number): number {
    if (Number.isNaN(this.lastMs)) {
      this.x = raw;
      this.dx = 0;
      this.lastRaw = raw;
      this.lastMs = timeMs;
      return raw;
    }
    // Out-of-order or duplicate timestamps: treat as 1 ms apart rather than dividing by zero.
    const dt = Math.max(timeMs - this.lastMs, 1) / 1000;
    this.lastMs = timeMs;
    // Speed from raw samples: the filtered value lags, and a lag-inflated speed would overshoot
    // when it is used to predict between results.
    const rawDx = (raw - this.lastRaw) / dt;
    this.lastRaw = raw;
    const ad = alpha(this.options.dCutoff, dt);
    this.dx = ad * rawDx + (1 - ad) * this.dx;
    const cutoff = this.options.minCutoff + this.options.beta * Math.abs(this.dx);
    const a = alpha(cutoff, dt);
    this.x = a * raw + (1 - a) * this.x;
    return this.x;
  }
}

/** Shortest signed difference between two angles in radians, in (-π, π]. */
export function angleDelta(from: number, to: number): number {
  let d = (to - from) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  if (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/** An angle channel: unwraps across ±π before filtering so 179° → -179° is a 2° step, not 358°. */
export class OneEuroAngleFilter {
  private readonly inner: OneEuroFilter;
  private unwrapped = 0;

  constructor(options: OneEuroOptions = defaultOneEuro) {
    this.inner = new OneEuroFilter(options);
  }

  get hasValue(): boolean {
    return this.inner.hasValue;
  }

  get value(): number {
    return this.inner.value;
  }

  get velocity(): number {
    return this.inner.velocity;
  }

  reset(): void {
    this.inner.reset();
  }

  filter(rawAngle: number, timeMs: number): number {
    this.unwrapped = this.inner.hasValue ? this.unwrapped + angleDelta(this.unwrapped, rawAngle) : rawAngle;
    return this.inner.filter(this.unwrapped, timeMs);
  }
}
