/**
 * How long a studio waits before its next push after `failures` failures in a row: doubling from
 * `minMs` to `maxMs`, with ±20 % jitter (`random` in [0, 1)) so a county's studios coming back
 * after a power cut do not all knock at once.
 */
export function retryDelayMs(failures: number, random: number, minMs = 2_000, maxMs = 5 * 60_000): number {
  if (failures <= 0) return 0;
  const base = Math.min(maxMs, minMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(base * (0.8 + 0.4 * random));
}
