import type { CentreFigures } from '../api/centre';

/** Days from `from` to `to` inclusive (YYYY-MM-DD, calendar arithmetic in UTC). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 4000; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The day `n` days before `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Today in `timeZone` as YYYY-MM-DD. */
export function dayIn(timeZone: string, at: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The longest range one analytics request may cover (a county's multi-year report). */
export const maxRangeDays = 3 * 366;

export const zeroFigures: CentreFigures = { gmvFen: 0, orders: 0, units: 0, refundedFen: 0, refundedOrders: 0 };

/** Fills the days with no sales with zeros, so the chart's axis has every day. */
export function fillDays<T extends CentreFigures & { day: string }>(
  from: string,
  to: string,
  rows: readonly T[],
): (CentreFigures & { day: string })[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(from, to).map((day) => byDay.get(day) ?? { ...zeroFigures, day });
}
