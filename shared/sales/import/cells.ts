import type { Fen } from '../../fen';
import { parseYuanToFen } from '../../fen';
import { digitsAt } from '../digits';

// Cell clean-up for platform order exports. Every trap here is documented in
// ../shared/order-exports.md: tab-prefixed ids, ="…" wrappers, leading apostrophes,
// `-` for empty, `¥1,234.50`, ids mangled into scientific notation by Excel.

/** A cell as a reader hands it over: CSV gives strings, xlsx may give numbers and Dates. */
export type CellValue = string | number | boolean | Date | null | undefined;

const emptyMarkers = new Set(['', '-', '--', '—', '/', 'null', 'NULL', 'N/A', '无']);

/** Text of a cell without the padding platforms add (tabs, apostrophes, ="…", BOM). */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return stripWrappers(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return Number.isNaN(value.getTime()) ? '' : value.toISOString();
}

function stripWrappers(raw: string): string {
  // Fast path: most cells need nothing (this runs for every mapped cell of every row).
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  if (first > 0x20 && first !== 0x3d && first !== 0x27 && first !== 0xfeff && last > 0x20) return raw;
  // trim() also drops a BOM; padded cells (拼多多's tabs) that need nothing else stop here.
  let s = raw.trim();
  const head = s.charCodeAt(0);
  if (head !== 0x3d && head !== 0x27) return s;
  // ="123" (Excel formula wrapper), possibly itself quoted.
  const formula = /^="(.*)"$/su.exec(s);
  if (formula?.[1] !== undefined) s = formula[1];
  // Leading tab or apostrophe that forces Excel to keep text.
  s = s.replace(/^[\t']+/u, '').trim();
  return s;
}

/** The longest empty marker, in UTF-16 units ('null', 'NULL'). */
const longestEmptyMarker = Math.max(...[...emptyMarkers].map((m) => m.length));

/** True for the markers platforms put in empty cells. */
export function isEmptyCell(text: string): boolean {
  // A longer text is never one, and is not hashed to find that out (a title, an address).
  return text.length <= longestEmptyMarker && emptyMarkers.has(text);
}

/** An id read from a cell, or why it cannot be trusted. */
export type IdCell = { ok: true; id: string } | { ok: false; reason: 'missing-order-id' | 'order-id-scientific' };

/**
 * Order ids are kept as text. A value like `6.9E+18` (or a number beyond 2^53 from an xlsx
 * cell) means Excel already rounded the id away: refuse it instead of inventing an order.
 */
export function readIdCell(value: CellValue): IdCell {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: 'missing-order-id' };
    if (!Number.isSafeInteger(value)) return { ok: false, reason: 'order-id-scientific' };
    return { ok: true, id: String(value) };
  }
  const text = cellText(value);
  if (isEmptyCell(text)) return { ok: false, reason: 'missing-order-id' };
  if ((text.includes('e') || text.includes('E')) && /^\d+(?:\.\d+)?[eE][+-]?\d+$/u.test(text))
    return { ok: false, reason: 'order-id-scientific' };
  return { ok: true, id: text };
}

/** A money cell: fen, empty, or unreadable. */
export type AmountCell = { kind: 'empty' } | { kind: 'ok'; fen: Fen } | { kind: 'bad' };

/**
 * Reads an amount in yuan (`29.90`, `¥1,234.50`, `-`) or in fen, into integer fen. Numbers
 * from xlsx cells go through their shortest decimal text, never through float arithmetic.
 */
export function readAmountCell(value: CellValue, unit: 'yuan' | 'fen'): AmountCell {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { kind: 'bad' };
    // Shortest round-trip text: 29.9 → "29.9"; tiny binary noise (29.899999999999) is rounded below.
    text = Math.abs(value) < 1e-6 ? '0' : String(value);
    if (/e/iu.test(text)) return { kind: 'bad' };
  } else {
    text = cellText(value);
  }
  if (isEmptyCell(text)) return { kind: 'empty' };
  if (unit === 'fen') {
    const cleaned = text.replace(/[,，\s]/gu, '');
    if (!/^[+-]?\d{1,15}$/u.test(cleaned)) return { kind: 'bad' };
    return { kind: 'ok', fen: Number(cleaned) as Fen };
  }
  const fen = parseYuanRounded(text);
  return fen === undefined ? { kind: 'bad' } : { kind: 'ok', fen };
}

/**
 * Fen of `text` from `from` on when it is plain yuan, `-?\d{1,13}(\.\d{1,2})?`, read digit by
 * digit (exact below 2^53): this runs for two or three cells of every imported row, and a RegExp
 * match with its array and Number() calls cost several times as much. Undefined otherwise.
 */
function plainYuanFen(text: string, from: number): number | undefined {
  const n = text.length;
  let i = from;
  const isNegative = i < n && text.charCodeAt(i) === 0x2d;
  if (isNegative) i++;
  const intStart = i;
  let cents = 0;
  for (; i < n; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) break;
    cents = cents * 10 + digit;
  }
  const intDigits = i - intStart;
  if (intDigits < 1 || intDigits > 13) return undefined;
  cents *= 100;
  if (i < n) {
    if (text.charCodeAt(i) !== 0x2e) return undefined;
    const fracDigits = n - i - 1;
    if (fracDigits < 1 || fracDigits > 2) return undefined;
    const tenths = text.charCodeAt(i + 1) - 0x30;
    const hundredths = fracDigits === 2 ? text.charCodeAt(i + 2) - 0x30 : 0;
    if (tenths < 0 || tenths > 9 || hundredths < 0 || hundredths > 9) return undefined;
    cents += tenths * 10 + hundredths;
  }
  return isNegative && cents !== 0 ? -cents : cents;
}

/** Yuan text to fen, rounding half away from zero at the third decimal (string arithmetic). */
export function parseYuanRounded(text: string): Fen | undefined {
  // Fast paths for the common "59.90" and "¥59.90", before any cleaning.
  const plain = plainYuanFen(text, 0);
  if (plain !== undefined) return plain as Fen;
  const sign = text.charCodeAt(0);
  if (sign === 0xa5 || sign === 0xffe5) {
    const afterSign = plainYuanFen(text, 1);
    if (afterSign !== undefined) return afterSign as Fen;
  }
  const cleaned = text.trim().replace(/[¥￥,，\s]|^RMB|^CNY|元$/giu, '');
  // `¥1,234.50` once cleaned: the same digit-by-digit reading (no BigInt per cell).
  const cleanedPlain = plainYuanFen(cleaned, 0);
  if (cleanedPlain !== undefined) return cleanedPlain as Fen;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/u.exec(cleaned);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  if (frac.length <= 2) return parseYuanToFen(cleaned === '' ? '0' : cleaned.replace(/^([+-]?)\./u, '$10.'));
  const truncated = parseYuanToFen(`${m[1]}${m[2] === '' ? '0' : m[2]}.${frac.slice(0, 2)}`);
  if (truncated === undefined) return undefined;
  const roundUp = Number(frac[2]) >= 5;
  if (!roundUp) return truncated;
  return (truncated + (m[1] === '-' ? -1 : 1)) as Fen;
}

/** A quantity: a positive integer (`2`, `2.0`, `2件`). */
export function readQuantityCell(value: CellValue): number | 'empty' | 'bad' {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value < 1e7 ? value : 'bad';
  const plain = cellText(value);
  // The common cell, a count in plain digits, read without the two regular expressions below
  // (this runs for every imported row: 144 ms of a million-order preview went here).
  const count = plain.length >= 1 && plain.length <= 7 ? digitsAt(plain, 0, plain.length) : -1;
  if (count >= 0) return count > 0 ? count : 'bad';
  const text = plain.replace(/[件个份箱盒袋斤]$/u, '');
  if (isEmptyCell(text)) return 'empty';
  const m = /^(\d{1,7})(?:\.0+)?$/u.exec(text);
  if (m?.[1] === undefined) return 'bad';
  const n = Number(m[1]);
  return n > 0 ? n : 'bad';
}

const summaryWords = /^(总计|合计|汇总|总额|小计|total|sum|grand total)[:：]?$/iu;

/** Totals rows (总计/合计/汇总) that would double the sums if imported. */
export function isSummaryText(text: string): boolean {
  return summaryWords.test(text.trim());
}
