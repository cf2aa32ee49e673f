import type { ObsInfo } from '../support/obs';

/** One measured figure; `npm run bench -- --json` prints each as one JSON line. */
export interface BenchFigure {
  /** Says what was measured, e.g. "obs scene switch p95". */
  name: string;
  value: number;
  unit: string;
}

export interface BenchContext {
  /** The OBS to measure against (started by the runner when OBS_WS_URL is unset). */
  obs: ObsInfo;
  /** A fresh temporary folder for this bench module. */
  tmpDir: string;
  /** The repository root. */
  root: string;
  /** Progress for the human reader (stderr). */
  log(message: string): void;
  /** `--soak` was given: run the long soak variants (they take half an hour or more). */
  soak?: boolean;
}

/** Each `test/bench/*.bench.ts` default-exports one of these. */
export type BenchModule = (ctx: BenchContext) => Promise<BenchFigure[]>;

/** Median and percentile of a sample, in the sample's unit. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** A latency sample in ms as two figures, `${what} median` and `${what} p95`, each through `round`. */
export function medianAndP95(
  what: string,
  sample: readonly number[],
  round: (ms: number) => number = (ms) => ms,
): BenchFigure[] {
  return [
    { name: `${what} median`, value: round(percentile(sample, 50)), unit: 'ms' },
    { name: `${what} p95`, value: round(percentile(sample, 95)), unit: 'ms' },
  ];
}
