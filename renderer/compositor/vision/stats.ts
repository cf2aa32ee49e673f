// Rolling figures for the HUD, the probe and the bench: allocation-free per sample.

/** Rolling average over the last `n` samples, without allocation per sample. */
export class RollingAverage {
  private readonly values: Float64Array;
  private index = 0;
  private count = 0;
  private sum = 0;

  constructor(n = 30) {
    this.values = new Float64Array(n);
  }

  push(value: number): void {
    this.sum -= this.values[this.index]!;
    this.values[this.index] = value;
    this.sum += value;
    this.index = (this.index + 1) % this.values.length;
    this.count = Math.min(this.count + 1, this.values.length);
  }

  get average(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  get samples(): number {
    return this.count;
  }

  reset(): void {
    this.values.fill(0);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
  }
}

/**
 * Events per second over the last `windowMs`: a real count, so it falls to 0 when events stop
 * (an average of instantaneous rates would hold its last value and over-weight short intervals).
 * `average` keeps the RollingAverage shape the HUD reads.
 */
export class RateMeter {
  private readonly times: Float64Array;
  private index = 0;
  private count = 0;
  private firstAt = -1;

  constructor(
    private readonly windowMs = 2000,
    capacity = 256,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.times = new Float64Array(capacity);
  }

  mark(at = this.now()): void {
    if (this.firstAt < 0) this.firstAt = at;
    this.times[this.index] = at;
    this.index = (this.index + 1) % this.times.length;
    this.count = Math.min(this.count + 1, this.times.length);
  }

  get average(): number {
    if (this.count === 0) return 0;
    const now = this.now();
    const from = now - this.windowMs;
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.times[i]! > from) n++;
    // Until a whole window has passed since the first event, divide by the time observed.
    const span = Math.min(this.windowMs, Math.max(now - this.firstAt, 250));
    return (n * 1000) / span;
  }

  get samples(): number {
    return this.count;
  }

  reset(): void {
    this.index = 0;
    this.count = 0;
    this.firstAt = -1;
  }
}
