// Wall-clock times from order exports ("2026-04-15 10:20:30", China time, no zone) to UTC ms.
// Pure: Intl only, so the same code runs in the services and the UI.

import { digitsAt } from './digits';

/** Converts wall-clock times in one IANA zone to UTC ms; caches the zone offset per hour. */
export interface ZonedClock {
  readonly timeZone: string;
  /** UTC ms of a wall-clock time in this zone (month 1–12). */
  toUtc(year: number, month: number, day: number, hour?: number, minute?: number, second?: number, ms?: number): number;
  /** Wall-clock parts of a UTC instant in this zone. */
  parts(utcMs: number): { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Builds a converter for one zone. Offsets are looked up with Intl once per hour of wall time. */
export function createZonedClock(timeZone: string): ZonedClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offsets = new Map<number, number>();

  const parts = (utcMs: number) => {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const p of format.formatToParts(new Date(utcMs))) {
      if (p.type === 'year') out.year = Number(p.value);
      else if (p.type === 'month') out.month = Number(p.value);
      else if (p.type === 'day') out.day = Number(p.value);
      else if (p.type === 'hour') out.hour = Number(p.value);
      else if (p.type === 'minute') out.minute = Number(p.value);
      else if (p.type === 'second') out.second = Number(p.value);
    }
    return out;
  };
  // Offset (zone minus UTC, ms) in force at a UTC instant.
  const offsetAt = (utcMs: number): number => {
    const p = parts(utcMs);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  };

  return {
    timeZone,
    parts,
    toUtc(year, month, day, hour = 0, minute = 0, second = 0, ms = 0) {
      const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
      const hourKey = Math.floor(wall / 3_600_000);
      let offset = offsets.get(hourKey);
      if (offset === undefined) {
        // Two passes settle the offset next to a DST change; zones like Asia/Shanghai have none.
        const first = offsetAt(wall);
        const second_ = offsetAt(wall - first);
        offset = second_;
        if (offsets.size > 100_000) offsets.clear();
        offsets.set(hourKey, offset);
      }
      return wall - offset;
    },
  };
}

const wallTime =
  /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.(\d{1,3}))?)?秒?)?$/u;
const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/u;

/** A parsed order time; `isDateOnly` when the cell held a date without a time of day. */
export interface ParsedTime {
  readonly utcMs: number;
  readonly isDateOnly: boolean;
}

/** Epoch seconds (10 digits) vs ms (13) vs µs (16): platform feeds do not say which. */
export function epochToMs(value: number): number {
  if (value < 1e11) return Math.round(value * 1000);
  if (value >= 1e14) return Math.round(value / 1000);
  return Math.round(value);
}

/** Days in a month of the Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A calendar-valid wall time: `2026-02-30` is refused, never rolled over to 2 March. */
function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1990 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59
  );
}

/** How far from now an order time may be: ten years back, one day ahead (clock skew, time zones). */
export const orderTimeWindow = { pastMs: 3653 * 86_400_000, futureMs: 86_400_000 } as const;

/** True when an order time is within ten years before `now` (and not more than a day ahead). */
export function isPlausibleOrderTime(utcMs: number, now: number): boolean {
  return Number.isFinite(utcMs) && utcMs >= now - orderTimeWindow.pastMs && utcMs <= now + orderTimeWindow.futureMs;
}

/**
 * Reads an order time from a cell: wall-clock text in the clock's zone (`2026-04-15 10:20:30`,
 * `2026/04/02`, `2026年4月2日 10:20`), ISO text with a zone, epoch seconds/ms, an Excel serial
 * day number, or a Date from an xlsx cell (whose UTC fields hold the wall-clock time).
 * Returns undefined when the cell is not a time.
 */
export function parseOrderTime(value: unknown, clock: ZonedClock): ParsedTime | undefined {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) return undefined;
    const isDateOnly = t % 86_400_000 === 0;
    return {
      utcMs: clock.toUtc(
        value.getUTCFullYear(),
        value.getUTCMonth() + 1,
        value.getUTCDate(),
        value.getUTCHours(),
        value.getUTCMinutes(),
        value.getUTCSeconds(),
        value.getUTCMilliseconds(),
      ),
      isDateOnly,
    };
  }
  if (typeof value === 'number') return numberTime(value, clock);
  if (typeof value !== 'string') return undefined;
  // 拼多多 pads every cell with a tab: try the common shape once more without it.
  const plain = plainWallTime(value, clock) ?? (value.length > 19 ? plainWallTime(value.trim(), clock) : undefined);
  if (plain !== undefined) return plain;
  const text = value.trim().replace(/^[\t'"]+|["]+$/gu, '');
  if (text === '') return undefined;
  const m = wallTime.exec(text);
  if (m !== null) {
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
    if (y === undefined || mo === undefined || d === undefined) return undefined;
    if (!valid(y, mo, d, h ?? 0, mi ?? 0, s ?? 0)) return undefined;
    return { utcMs: clock.toUtc(y, mo, d, h, mi, s, ms), isDateOnly: m[4] === undefined };
  }
  if (isoWithZone.test(text)) {
    const [y, mo, d] = text.slice(0, 10).split('-').map(Number);
    if (!valid(y ?? 0, mo ?? 0, d ?? 0, 0, 0, 0)) return undefined;
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : { utcMs: t, isDateOnly: false };
  }
  if (/^\d{9,16}(?:\.\d+)?$/u.test(text) || /^\d{4,5}(?:\.\d+)?$/u.test(text)) return numberTime(Number(text), clock);
  return undefined;
}

/**
 * The shape nearly every export uses, `2026-04-15 10:20:30`, read without regex or allocation
 * (this runs once per imported row); anything else goes through the general rules above.
 */
function plainWallTime(text: string, clock: ZonedClock): ParsedTime | undefined {
  if (text.length !== 19 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) return undefined;
  if (text.charCodeAt(10) !== 0x20 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) return undefined;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const h = digitsAt(text, 11, 2);
  const mi = digitsAt(text, 14, 2);
  const s = digitsAt(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  if (!valid(y, mo, d, h, mi, s)) return undefined;
  return { utcMs: clock.toUtc(y, mo, d, h, mi, s, 0), isDateOnly: false };
}

function numberTime(n: number, clock: ZonedClock): ParsedTime | undefined {
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Excel serial days (1900 system): 1990-01-01 is 32874, 2200-01-01 is 109575.
  if (n >= 32_874 && n < 109_575) {
    const wall = Math.round((n - 25_569) * 86_400_000);
    const d = new Date(wall);
    return {
      utcMs: clock.toUtc(
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
      ),
      isDateOnly: Number.isInteger(n),
    };
  }
  if (n >= 6e8) return { utcMs: epochToMs(n), isDateOnly: false };
  return undefined;
}
