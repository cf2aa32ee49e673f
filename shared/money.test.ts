import { describe, expect, it } from 'vitest';

import { fen, formatFen, parseYuanToFen } from './money';

describe('money in fen', () => {
  it.each([
    ['¥1,234.50', 123450],
    ['1234.5', 123450],
    ['￥12', 1200],
    ['-3.10元', -310],
    ['0.07', 7],
    ['19.999', 1999],
    ['  88 ', 8800],
    ['1，000.00', 100000],
    ['90071992547409.91', 9007199254740991],
  ])('parses %s as %d fen without floats', (text, expected) => {
    expect(parseYuanToFen(text)).toBe(expected);
  });

  it.each(['', 'abc', '1.2.3', '¥', '12e3', '--1', '90071992547409.92'])('refuses %j', (text) => {
    expect(parseYuanToFen(text)).toBeUndefined();
  });

  it('0.1 + 0.2 style sums stay exact in fen', () => {
    const total = [parseYuanToFen('0.10'), parseYuanToFen('0.20')].reduce((a, b) => (a ?? 0) + (b ?? 0), 0);
    expect(total).toBe(30);
    expect(formatFen(fen(30))).toBe('¥0.30');
  });

  it('formats with separators and sign', () => {
    expect(formatFen(fen(123456789))).toBe('¥1,234,567.89');
    expect(formatFen(fen(-5))).toBe('-¥0.05');
    expect(formatFen(fen(100), { symbol: false })).toBe('1.00');
  });

  it('refuses a float where fen is expected', () => {
    expect(() => fen(1.5)).toThrow(RangeError);
  });
});
