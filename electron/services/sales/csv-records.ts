/** Records split from the front of a text, and where the unread rest begins. */
export interface SplitRecords {
  readonly rows: string[][];
  /** Offset just after the last complete record (the rest waits for more text). */
  readonly end: number;
}

const quote = 0x22;
const cr = 0x0d;
const lf = 0x0a;

/**
 * Splits the complete CSV records at the start of `text` in one pass, giving the same cells as
 * papaparse (`delimiter`, `newline`, `skipEmptyLines: false`) for well-formed quoting. Returns
 * undefined when a quoted field is followed by anything but a delimiter or a newline: papaparse
 * has its own recovery rules for those, so the caller hands such text to papaparse instead.
 * Without `isLast`, a record not yet ended by a newline is left for the next call.
 *
 * Why not papaparse for every chunk: it needs the text cut at a record boundary first (another
 * scan for quotes), and it was the largest single cost of a 100k-order import.
 */
export function splitRecords(
  text: string,
  delimiter: string,
  newline: '\r\n' | '\n',
  isLast: boolean,
): SplitRecords | undefined {
  if (delimiter.length !== 1) return undefined;
  const d = delimiter.charCodeAt(0);
  const isCrLf = newline === '\r\n';
  const n = text.length;
  const rows: string[][] = [];
  let recordStart = 0;
  let i = 0;
  let row: string[] = [];
  for (;;) {
    if (i < n && text.charCodeAt(i) === quote) {
      // Quoted field: up to a quote that is not doubled.
      let from = i + 1;
      let hasDoubled = false;
      let close: number;
      for (;;) {
        close = text.indexOf('"', from);
        if (close < 0) return isLast ? undefined : { rows, end: recordStart };
        if (text.charCodeAt(close + 1) === quote) {
          hasDoubled = true;
          from = close + 2;
          continue;
        }
        break;
      }
      const raw = text.slice(i + 1, close);
      row.push(hasDoubled ? raw.replaceAll('""', '"') : raw);
      const after = close + 1;
      if (after === n) {
        if (!isLast) return { rows, end: recordStart };
        rows.push(row);
        return { rows, end: n };
      }
      const next = text.charCodeAt(after);
      if (next === d) {
        i = after + 1;
        continue;
      }
      if (isCrLf ? next === cr && text.charCodeAt(after + 1) === lf : next === lf) {
        rows.push(row);
        row = [];
        i = after + newline.length;
        recordStart = i;
        continue;
      }
      // A lone CR at the very end may be the first half of CRLF.
      if (isCrLf && next === cr && after + 1 === n && !isLast) return { rows, end: recordStart };
      return undefined;
    }
    // Unquoted field: up to the next delimiter or newline; quotes inside it are text.
    let j = i;
    for (;;) {
      if (j >= n) {
        if (!isLast) return { rows, end: recordStart };
        if (j > recordStart || row.length > 0) {
          row.push(text.slice(i, j));
          rows.push(row);
        }
        return { rows, end: n };
      }
      const c = text.charCodeAt(j);
      if (c === d) {
        row.push(text.slice(i, j));
        i = j + 1;
        break;
      }
      if (isCrLf ? c === cr && text.charCodeAt(j + 1) === lf : c === lf) {
        row.push(text.slice(i, j));
        rows.push(row);
        row = [];
        i = j + newline.length;
        recordStart = i;
        break;
      }
      // A lone CR at the very end may be the first half of CRLF.
      if (isCrLf && c === cr && j + 1 === n && !isLast) return { rows, end: recordStart };
      j += 1;
    }
  }
}
