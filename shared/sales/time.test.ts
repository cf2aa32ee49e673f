import { describe, expect, it } from 'vitest';

import { createZonedClock, epochToMs, parseOrderTime } from './time';

const shanghai = createZonedClock('Asia/Shanghai');

describe('order times', () => {
  it('reads the wall-clock forms platforms write, as China time', () => {
    const expected = Date.UTC(2026, 3, 15, 12, 20, 30);
    for (const text of [
      '2026-04-15 20:20:30',
      '2026/04/15 20:20:30',
      '2026/4/15 20:20:30',
      '2026年4月15日 20:20:30',
      '\t2026-04-15 20:20:30',
      '2026-04-15 20:20:30\t',
      '"2026-04-15 20:20:30"',
    ]) {
      expect(parseOrderTime(text, shanghai), text).toEqual({ utcMs: expected, isDateOnly: false });
    }
    expect(parseOrderTime('2026-04-15 20:20', shanghai)?.utcMs).toBe(Date.UTC(2026, 3, 15, 12, 20));
    expect(parseOrderTime('2026-04-15', shanghai)).toEqual({ utcMs: Date.UTC(2026, 3, 14, 16), isDateOnly: true });
    expect(parseOrderTime('2026-04-15T20:20:30+08:00', shanghai)?.utcMs).toBe(expected);
    expect(parseOrderTime('2026-04-15T12:20:30Z', shanghai)?.utcMs).toBe(expected);
  });

  it('refuses impossible wall-clock times in the common 19-character form as in any other', () => {
    for (const text of ['2026-13-15 20:20:30', '2026-04-15 24:00:00', '1989-04-15 20:20:30', '2026-04-1５ 20:20:30']) {
      expect(parseOrderTime(text, shanghai), text).toBeUndefined();
    }
    // Day 31 of a 30-day month rolls over the same way in both readers.
    expect(parseOrderTime('2026-04-31 20:00:00', shanghai)?.utcMs).toBe(
      parseOrderTime('2026/04/31 20:00:00', shanghai)?.utcMs,
    );
  });

  it('reads xlsx Dates (UTC fields hold the wall clock), Excel serials and epoch numbers', () => {
    expect(parseOrderTime(new Date(Date.UTC(2026, 3, 15, 20, 20, 30)), shanghai)?.utcMs).toBe(
      Date.UTC(2026, 3, 15, 12, 20, 30),
    );
    // 46127.5 = 2026-04-15 12:00 wall clock.
    expect(parseOrderTime(46127.5, shanghai)?.utcMs).toBe(Date.UTC(2026, 3, 15, 4));
    expect(parseOrderTime(1776255630, shanghai)?.utcMs).toBe(1776255630000);
    expect(parseOrderTime('1776255630000', shanghai)?.utcMs).toBe(1776255630000);
  });

  it('refuses what is not a time', () => {
    for (const v of ['', '-', '昨天晚上', '2026-13-01 10:00:00', '2026-04-15 25:00:00', 'abc', null, undefined, 12]) {
      expect(parseOrderTime(v, shanghai), String(v)).toBeUndefined();
    }
  });

  it('follows daylight saving time in zones that have it', () => {
    const ny = createZonedClock('America/New_York');
    expect(ny.toUtc(2026, 1, 15, 12)).toBe(Date.UTC(2026, 0, 15, 17));
    expect(ny.toUtc(2026, 7, 15, 12)).toBe(Date.UTC(2026, 6, 15, 16));
    expect(ny.parts(Date.UTC(2026, 6, 15, 16))).toMatchObject({ year: 2026, month: 7, day: 15, hour: 12 });
  });

  it('detects seconds, milliseconds and microseconds', () => {
    expect(epochToMs(1_724_300_000)).toBe(1_724_300_000_000);
    expect(epochToMs(1_724_300_000_123)).toBe(1_724_300_000_123);
    expect(epochToMs(1_724_300_000_123_456)).toBe(1_724_300_000_123);
  });
});
