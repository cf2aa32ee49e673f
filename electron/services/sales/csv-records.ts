import { cellText, isEmptyCell } from '../../../shared/sales/import/cells';

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
  projection?: CellProjection,
): SplitRecords | undefined {
  if (delimiter.length !== 1) return undefined;
  const d = delimiter.charCodeAt(0);
  const isCrLf = newline === '\r\n';
  const n = text.length;
  const rows: string[][] = [];
  let recordStart = 0;
  let i = 0;
  // Cells collect in one scratch array and each record is copied out at its exact size: pushing
  // into a fresh array per record regrew it three times for a 74-column export.
  const cells: string[] = [];
  let count = 0;
  const endRecord = () => {
    rows.push(cells.slice(0, count));
    count = 0;
  };
  for (;;) {
    if (count === 0) {
      // Most records are one line: split it natively, then rejoin quoted cells that held a delimiter.
      const nl = text.indexOf('\n', i);
      const lineEnd = nl < 0 ? -1 : isCrLf ? (nl > i && text.charCodeAt(nl - 1) === cr ? nl - 1 : -1) : nl;
      if (lineEnd >= 0) {
        const record =
          projection === undefined
            ? lineCells(text.slice(i, lineEnd), delimiter)
            : projectedCells(text, i, lineEnd, d, projection);
        if (record !== undefined) {
          rows.push(record);
          i = nl + 1;
          recordStart = i;
          continue;
        }
      }
    }
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
      cells[count++] = hasDoubled ? raw.replaceAll('""', '"') : raw;
      const after = close + 1;
      if (after === n) {
        if (!isLast) return { rows, end: recordStart };
        endRecord();
        return { rows, end: n };
      }
      const next = text.charCodeAt(after);
      if (next === d) {
        i = after + 1;
        continue;
      }
      if (isCrLf ? next === cr && text.charCodeAt(after + 1) === lf : next === lf) {
        endRecord();
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
        if (j > recordStart || count > 0) {
          cells[count++] = text.slice(i, j);
          endRecord();
        }
        return { rows, end: n };
      }
      const c = text.charCodeAt(j);
      if (c === d) {
        cells[count++] = text.slice(i, j);
        i = j + 1;
        break;
      }
      if (isCrLf ? c === cr && text.charCodeAt(j + 1) === lf : c === lf) {
        cells[count++] = text.slice(i, j);
        endRecord();
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

/**
 * The cells of one line that holds a whole record, or undefined when a quoted cell does not close
 * on this line or closes the way only the full reader handles (then the caller reads it that way).
 */
function lineCells(line: string, delimiter: string): string[] | undefined {
  const parts = line.split(delimiter);
  if (!line.includes('"')) return parts;
  let w = 0;
  for (let k = 0; k < parts.length; k++) {
    let cell = parts[k] as string;
    if (cell.charCodeAt(0) === quote) {
      while (!closesQuoted(cell)) {
        k += 1;
        if (k >= parts.length) return undefined;
        cell += delimiter + (parts[k] as string);
      }
      const inner = cell.slice(1, -1);
      cell = inner.includes('"') ? inner.replaceAll('""', '"') : inner;
    }
    parts[w++] = cell;
  }
  parts.length = w;
  return parts;
}

/** `"…"` with only doubled quotes inside: a complete quoted cell. */
function closesQuoted(cell: string): boolean {
  const last = cell.length - 1;
  if (last < 1 || cell.charCodeAt(last) !== quote) return false;
  let at = cell.indexOf('"', 1);
  while (at < last) {
    if (cell.charCodeAt(at + 1) !== quote || at + 1 === last) return false;
    at = cell.indexOf('"', at + 2);
    if (at < 0) return false;
  }
  return true;
}

/**
 * Which cells of a record the reader needs as text: `wanted[k]` 1 for the columns the mapping
 * reads (and the first three, where summary rows say so); cells past `wanted.length` (beyond
 * the header) are always read. Every other cell comes back as '' when it is empty (as
 * isEmptyCell sees it) and as {@link omittedCell} otherwise, so blank-row and column-count
 * checks see what they would have seen, without a string per cell: a 74-column 抖店 export
 * maps 13 of them.
 */
export interface CellProjection {
  readonly wanted: Uint8Array;
  /** Longest cell allowed; a longer one sends the line to the full reader (which reports it). */
  readonly maxCellChars: number;
  /** Most cells in one record; likewise. */
  readonly maxCells: number;
}

const projectedScratch: string[] = [];

/** What a projected record holds in place of a non-empty cell nobody reads. */
export const omittedCell = '\u2026';

/**
 * The cells of the one-line record text[from, to) under a projection, or undefined when the
 * line needs the full reader (a quote that does not close the simple way, a cell or a record
 * over the limits).
 */
function projectedCells(
  text: string,
  from: number,
  to: number,
  d: number,
  projection: CellProjection,
): string[] | undefined {
  const { wanted, maxCellChars, maxCells } = projection;
  // Filled in place and copied out at its exact size (see splitRecords).
  const cells = projectedScratch;
  let count = 0;
  const delimiter = String.fromCharCode(d);
  let at = from;
  for (let k = 0; ; k++) {
    if (k >= maxCells) return undefined;
    let start = at;
    let end: number;
    let next: number;
    let hasDoubled = false;
    if (text.charCodeAt(at) === quote) {
      // Quoted: up to a quote that is not doubled, which must end the cell.
      let search = at + 1;
      let close: number;
      for (;;) {
        close = text.indexOf('"', search);
        if (close < 0 || close >= to) return undefined;
        if (close + 1 < to && text.charCodeAt(close + 1) === quote) {
          hasDoubled = true;
          search = close + 2;
          continue;
        }
        break;
      }
      if (close + 1 < to && text.charCodeAt(close + 1) !== d) return undefined;
      start = at + 1;
      end = close;
      next = close + 1;
    } else {
      const found = text.indexOf(delimiter, at);
      end = found < 0 || found > to ? to : found;
      next = end;
    }
    if (end - start > maxCellChars) return undefined;
    if (k >= wanted.length || wanted[k] === 1) {
      const raw = text.slice(start, end);
      cells[count++] = hasDoubled ? raw.replaceAll('""', '"') : raw;
    } else {
      cells[count++] = isOmittedEmpty(text, start, end, hasDoubled) ? '' : omittedCell;
    }
    if (next >= to) return cells.slice(0, count);
    at = next + 1;
    if (at === to) {
      // A delimiter at the very end: one more, empty cell.
      if (k + 1 >= maxCells) return undefined;
      cells[count++] = '';
      return cells.slice(0, count);
    }
  }
}

/** Longest text that can be an empty-cell marker once cellText has unwrapped it. */
const maxMarkerChars = 4;

/** Whether the cell text[start, end) reads as empty (cellText, then isEmptyCell), slicing only short cells. */
function isOmittedEmpty(text: string, start: number, end: number, hasDoubled: boolean): boolean {
  if (end === start) return true;
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  // cellText leaves such a cell as it is: longer than any marker, it is not empty.
  const isPlain = first > 0x20 && first !== 0x3d && first !== 0x27 && first !== 0xfeff && last > 0x20;
  if (isPlain && end - start > maxMarkerChars) return false;
  const raw = text.slice(start, end);
  return isEmptyCell(cellText(hasDoubled ? raw.replaceAll('""', '"') : raw));
}
