/**
 * The number written by `length` ASCII digits of `text` from `at`, or -1 when one of them is not
 * a digit (or lies past the end). Read without a regular expression or a substring: order files
 * put a time and a quantity in every row.
 */
export function digitsAt(text: string, at: number, length: number): number {
  if (at + length > text.length) return -1;
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}
