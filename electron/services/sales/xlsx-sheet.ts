import type { CellValue } from '../../../shared/sales/import/cells';
import { unreadCell } from './csv-bytes';
import { omittedCell } from './csv-records';

// The byte-level reader of an xlsx's sheet XML and shared strings (SpreadsheetML): rows of cell
// values straight from the inflated UTF-8 bytes, one pass, no DOM and no event per tag. Through
// exceljs' streaming reader (saxes underneath, a cell object per cell) a 100,000-row 快手 export
// took 9–10 s to preview here, 40 s with every empty cell written out (222 MB of sheet XML, which
// htmlparser2's tokenizer alone took 9 s to read). What it
// reads of the format is small and fixed: <row r>, <c r t s>, <v>, <is> with <t> runs (<rPh>
// phonetic runs left out), <f> skipped, any namespace prefix, XML entities and CDATA, Excel's
// _xHHHH_ escapes. The small parts (workbook, relationships, styles) are read by xlsx-reader.ts.

const lt = 0x3c;
const gt = 0x3e;
const slash = 0x2f;
const quote = 0x22;
const apos = 0x27;

/** One row of a sheet: its cells by column (from 0), its row number and its sheet's tab name. */
export interface SheetRow {
  readonly cells: CellValue[];
  readonly line: number;
  readonly sheet: string | null;
}

/** What the sheet reader needs from the workbook. */
export interface SheetContext {
  readonly sharedStrings: readonly string[];
  /** Per cell style (cellXfs index): 1 when its number format shows a date or time. */
  readonly dateStyles: Uint8Array;
  readonly isDate1904: boolean;
  /** Most columns a row may reach (its last cell's column, from 1). */
  readonly maxColumns: number;
  /** Longest text a cell may hold. */
  readonly maxCellChars: number;
  /** The sheet's tab name, which every row carries (null when the workbook names none). */
  readonly sheet?: string | null | undefined;
  /**
   * The columns the caller reads, changeable while rows are read (import-reader's RowView): once
   * `wanted` is set, a text cell of a column it has 0 for comes back as '' when empty and as
   * csv-records' omittedCell otherwise, without a string made of its bytes (as CSV cells do).
   */
  readonly view?: { readonly wanted?: Uint8Array | undefined } | undefined;
}

/** A row or cell past the limits: the row number, and which limit. */
export class SheetLimitError extends Error {
  constructor(
    readonly limit: 'cells' | 'chars',
    readonly line: number,
  ) {
    super(`xlsx row ${line}: past the ${limit} limit`);
  }
}

const entityNames: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML entities (&amp; &#38; &#x26;) and Excel's _xHHHH_ escapes, where the text has any. */
export function decodeXmlText(text: string, isEscaped: boolean): string {
  let out = text;
  if (out.includes('&')) {
    out = out.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/gu, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return entityNames[name] ?? whole;
    });
  }
  if (isEscaped && out.includes('_x')) {
    out = out.replace(/_x([0-9A-Fa-f]{4})_/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
  return out;
}

/** Excel's serial day number as the wall-clock Date exceljs gives (UTC fields hold the wall clock). */
export function excelSerialToDate(serial: number, isDate1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (isDate1904 ? 1462 : 0)) * 86_400_000));
}

/** The column (from 1) of a cell reference such as "AB12"; 0 when it has no letters. */
function columnOf(bytes: Uint8Array, from: number, to: number): number {
  let column = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    const upper = b >= 0x61 ? b - 0x20 : b;
    if (upper < 0x41 || upper > 0x5a) break;
    column = column * 26 + (upper - 0x40);
    if (column > 1e7) break;
  }
  return column;
}

function rowNumberOf(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if (b < 0x30 || b > 0x39) {
      if (digits > 0) break;
      continue;
    }
    n = n * 10 + (b - 0x30);
    digits += 1;
  }
  return digits === 0 ? 0 : n;
}

/** Whether the tag at bytes[at] (just past '<' or '</') has local name `name` (any prefix). */
function tagIs(bytes: Uint8Array, at: number, end: number, name: string): boolean {
  // Past a prefix: the name starts after the first ':' before the name's end.
  let start = at;
  for (let i = at; i < end && i < at + 32; i++) {
    const b = bytes[i] as number;
    if (b === 0x3a) {
      start = i + 1;
      break;
    }
    if (b === gt || b === slash || b <= 0x20) break;
  }
  const n = name.length;
  if (start + n > end) return false;
  for (let k = 0; k < n; k++) if (bytes[start + k] !== name.charCodeAt(k)) return false;
  const after = bytes[start + n] as number;
  return after === gt || after === slash || after <= 0x20;
}

/** The end of the tag opened at `lt` (the index of its '>'), quotes respected; -1 if not in bytes. */
function tagEnd(bytes: Uint8Array, at: number, end: number): number {
  let q = 0;
  for (let i = at; i < end; i++) {
    const b = bytes[i] as number;
    if (q !== 0) {
      if (b === q) q = 0;
    } else if (b === quote || b === apos) q = b;
    else if (b === gt) return i;
  }
  return -1;
}

/** Where the one-letter attributes r, t and s of a tag are: [start, end) pairs, -1 when absent. */
const found = new Int32Array(6);
const letterSlot = new Int8Array(128).fill(-1);
letterSlot[0x72] = 0; // r
letterSlot[0x74] = 2; // t
letterSlot[0x73] = 4; // s

/**
 * Reads the r, t and s attributes of the tag whose name starts at `from` into `found`, up to the
 * tag's '>' (quotes respected): its index, or -1 when it is not before `to`.
 */
function letterAttributes(bytes: Uint8Array, from: number, to: number): number {
  found[0] = -1;
  found[2] = -1;
  found[4] = -1;
  let i = from;
  let b = bytes[i] as number;
  // Past the tag's name.
  while (i < to && b > 0x20 && b !== slash && b !== gt) b = bytes[++i] as number;
  while (i < to) {
    while (i < to && (b <= 0x20 || b === slash)) b = bytes[++i] as number;
    if (i >= to) return -1;
    if (b === gt) return i;
    const nameStart = i;
    while (i < to && b > 0x20 && b !== 0x3d && b !== gt && b !== slash) b = bytes[++i] as number;
    const nameEnd = i;
    while (i < to && b <= 0x20) b = bytes[++i] as number;
    if (b !== 0x3d) continue; // a name without a value: skipped
    b = bytes[++i] as number;
    while (i < to && b <= 0x20) b = bytes[++i] as number;
    if (b !== quote && b !== apos) continue;
    let close = i + 1;
    while (close < to && bytes[close] !== b) close++;
    if (close >= to) return -1;
    if (nameEnd - nameStart === 1) {
      const slot = letterSlot[bytes[nameStart] as number] ?? -1;
      if (slot >= 0) {
        found[slot] = i + 1;
        found[slot + 1] = close;
      }
    }
    i = close + 1;
    b = bytes[i] as number;
  }
  return -1;
}

/**
 * The text of the element whose content starts at `from`, up to its closing tag `</name>`:
 * the concatenation of text and CDATA, or, with `runs`, of the <t> elements in it outside <rPh>
 * (rich text, inline strings). Returns [text, index just past the closing tag], or undefined
 * when the closing tag is not in bytes[from, end).
 */
function elementText(
  bytes: Buffer,
  from: number,
  end: number,
  name: string,
  runs: boolean,
): [string, number] | undefined {
  let text = '';
  let at = from;
  let depthInT = runs ? 0 : 1;
  let inPhonetic = 0;
  for (;;) {
    const open = bytes.indexOf(lt, at);
    if (open < 0 || open >= end) return undefined;
    if (depthInT > 0 && inPhonetic === 0 && open > at) text += piece(bytes, at, open);
    if (bytes[open + 1] === 0x21) {
      // <![CDATA[ … ]]> (or a comment, skipped).
      const isCdata = bytes[open + 2] === 0x5b;
      const close = bytes.indexOf(isCdata ? ']]>' : '-->', open + 2, 'latin1');
      if (close < 0 || close >= end) return undefined;
      if (isCdata && depthInT > 0 && inPhonetic === 0) text += bytes.toString('utf8', open + 9, close);
      at = close + 3;
      continue;
    }
    const isClose = bytes[open + 1] === slash;
    const nameAt = isClose ? open + 2 : open + 1;
    const close = tagEnd(bytes, nameAt, end);
    if (close < 0) return undefined;
    const isEmpty = bytes[close - 1] === slash;
    if (isClose && tagIs(bytes, nameAt, close + 1, name)) return [text, close + 1];
    if (runs && !isEmpty) {
      if (tagIs(bytes, nameAt, close + 1, 't')) depthInT += isClose ? -1 : 1;
      else if (tagIs(bytes, nameAt, close + 1, 'rPh')) inPhonetic += isClose ? -1 : 1;
    }
    at = close + 1;
  }
}

/** UTF-8 text of bytes[from, to), entities and all (decoded by the caller). */
function piece(bytes: Buffer, from: number, to: number): string {
  let high = 0;
  for (let i = from; i < to; i++) high |= bytes[i] as number;
  return high < 0x80 ? bytes.toString('latin1', from, to) : bytes.toString('utf8', from, to);
}

/** A decoded piece: entities always, _xHHHH_ for strings. */
function finish(raw: string, isString: boolean): string {
  return raw.includes('&') || (isString && raw.includes('_x')) ? decodeXmlText(raw, isString) : raw;
}

/**
 * Bytes of XML one row may take before it is refused: a row that never ends (an unclosed quote
 * or tag) would otherwise be held, and scanned again at every chunk, up to the whole sheet.
 * Real export rows are a few kilobytes.
 */
const maxRowBytes = 16 * 1024 ** 2;

/** Cell types (the t attribute), by code. */
const typeNumber = 0;
const typeShared = 1;
const typeString = 2;
const typeBoolean = 3;
const typeError = 4;
const typeDate = 5;

/** The code of a t attribute's value bytes[from, to). */
function typeOf(bytes: Uint8Array, from: number, to: number): number {
  const first = bytes[from];
  const length = to - from;
  if (length === 1) {
    if (first === 0x73) return typeShared; // s
    if (first === 0x62) return typeBoolean; // b
    if (first === 0x65) return typeError; // e
    if (first === 0x64) return typeDate; // d
    return typeNumber; // n
  }
  // str, inlineStr
  return first === 0x73 || first === 0x69 ? typeString : typeNumber;
}

/** The index of the next '<' at or after `from`; `end` when there is none before it. */
function nextLt(bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && bytes[i] !== lt) i++;
  return i;
}

function isNameEnd(b: number | undefined): boolean {
  return b === gt || b === slash || (b !== undefined && b <= 0x20);
}

/**
 * Reads the rows of one sheet's XML as its inflated bytes arrive: `push` each chunk, take the
 * complete rows it returns (a row cut off by the end of the XML never is). Rows hold their cells
 * by column: columns a row skips are null, trailing empty cells are dropped (as exceljs'
 * row.values has them).
 */
export class SheetReader {
  private pending: Buffer = Buffer.alloc(0);
  private isInData = false;
  private isDone = false;
  private lastLine = 0;
  /** Bytes between '<' and a local name: the namespace prefix of the sheet's elements ("x:"), if any. */
  private prefix = 0;

  /** The cells of the row read by row(). */
  private cells: CellValue[] = [];

  constructor(private readonly context: SheetContext) {}

  push(chunk: Buffer): SheetRow[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return this.drain();
  }

  private drain(): SheetRow[] {
    const rows: SheetRow[] = [];
    const sheet = this.context.sheet ?? null;
    const bytes = this.pending;
    const end = bytes.length;
    let at = 0;
    while (!this.isDone) {
      const open = bytes.indexOf(lt, at);
      if (open < 0) {
        at = end;
        break;
      }
      const isClose = bytes[open + 1] === slash;
      const nameAt = isClose ? open + 2 : open + 1;
      const close = tagEnd(bytes, nameAt, end);
      if (close < 0) {
        at = open;
        break;
      }
      if (!this.isInData) {
        if (!isClose && tagIs(bytes, nameAt, close + 1, 'sheetData')) {
          this.isInData = bytes[close - 1] !== slash;
          const colon = bytes.indexOf(0x3a, nameAt);
          this.prefix = colon >= 0 && colon < nameAt + 32 && colon < close ? colon + 1 - nameAt : 0;
        }
        at = close + 1;
        continue;
      }
      if (isClose) {
        if (tagIs(bytes, nameAt, close + 1, 'sheetData')) this.isDone = true;
        at = close + 1;
        continue;
      }
      if (!tagIs(bytes, nameAt, close + 1, 'row')) {
        at = close + 1;
        continue;
      }
      letterAttributes(bytes, nameAt, close + 1);
      const r = found[0] as number;
      const line = (r < 0 ? 0 : rowNumberOf(bytes, r, found[1] as number)) || this.lastLine + 1;
      if (bytes[close - 1] === slash) {
        this.lastLine = line;
        rows.push({ cells: [], line, sheet });
        at = close + 1;
        continue;
      }
      const next = this.row(bytes, close + 1, end, line);
      if (next < 0) {
        if (end - open > maxRowBytes) throw new SheetLimitError('cells', line);
        at = open;
        break;
      }
      this.lastLine = line;
      rows.push({ cells: this.cells, line, sheet });
      at = next;
    }
    this.pending = at >= end ? Buffer.alloc(0) : Buffer.from(bytes.subarray(at));
    return rows;
  }

  /** Reads one row's cells from `from` up to its </row>; the index past it, or -1 if incomplete. */
  private row(bytes: Buffer, from: number, end: number, line: number): number {
    const { sharedStrings, dateStyles, isDate1904, maxColumns, maxCellChars } = this.context;
    const wanted = this.context.view?.wanted;
    const prefix = this.prefix;
    const cells: CellValue[] = [];
    let column = 0;
    let at = from;
    for (;;) {
      const open = nextLt(bytes, at, end);
      if (open + 1 >= end) return -1;
      if (bytes[open + 1] === slash) {
        const n = open + 2 + prefix;
        if (bytes[n] === 0x72 && bytes[n + 1] === 0x6f && bytes[n + 2] === 0x77 && isNameEnd(bytes[n + 3])) {
          const close = tagEnd(bytes, n, end);
          if (close < 0) return -1;
          let length = cells.length;
          while (length > 0 && (cells[length - 1] === null || cells[length - 1] === undefined)) length--;
          cells.length = length;
          this.cells = cells;
          return close + 1;
        }
        at = open + 2;
        continue;
      }
      const n = open + 1 + prefix;
      if (bytes[n] !== 0x63 || !isNameEnd(bytes[n + 1])) {
        // Not a cell (an extension element, say): past its tag.
        const close = tagEnd(bytes, open + 1, end);
        if (close < 0) return -1;
        at = close + 1;
        continue;
      }
      const close = letterAttributes(bytes, n, end);
      if (close < 0) return -1;
      const refStart = found[0] as number;
      const refColumn = refStart < 0 ? 0 : columnOf(bytes, refStart, found[1] as number);
      column = refColumn > 0 ? refColumn : column + 1;
      if (column > maxColumns) throw new SheetLimitError('cells', line);
      const type = (found[2] as number) < 0 ? typeNumber : typeOf(bytes, found[2] as number, found[3] as number);
      const isDateStyle =
        (found[4] as number) >= 0 && dateStyles[rowNumberOf(bytes, found[4] as number, found[5] as number)] === 1;
      at = close + 1;
      if (bytes[close - 1] === slash) continue;
      const content = this.cellContent(bytes, at, end);
      if (content < 0) return -1;
      at = content;
      let value: CellValue;
      if (this.rawFrom >= 0) {
        const isUnread =
          type === typeString && wanted !== undefined && column <= wanted.length && wanted[column - 1] !== 1;
        const unread = isUnread ? unreadText(bytes, this.rawFrom, this.rawTo, maxCellChars) : undefined;
        value = unread ?? cellValueOfBytes(bytes, this.rawFrom, this.rawTo, type, isDateStyle, this.context);
      } else {
        const raw = this.raw;
        if (raw === undefined) continue;
        value = cellValue(raw, type, isDateStyle, sharedStrings, isDate1904);
      }
      if (typeof value === 'string' && value.length > maxCellChars) throw new SheetLimitError('chars', line);
      if (value === null) continue;
      while (cells.length < column - 1) cells.push(null);
      cells[column - 1] = value;
    }
  }

  /**
   * The raw text of the cell read by cellContent (<v> or <is>): bytes[rawFrom, rawTo) for the
   * in-line shapes (not yet a string: a number or a shared string's index needs none), else
   * `raw`; neither (rawFrom -1, raw undefined) when it had none.
   */
  private raw: string | undefined;
  private rawFrom = -1;
  private rawTo = -1;

  /**
   * Reads a cell's content from just past its <c …> up to its </c>: the common shapes
   * (<v>text</v>, <is><t>text</t></is>) in line, anything else through elementText. The index
   * past </c>, or -1 when it is not all in bytes.
   */
  private cellContent(bytes: Buffer, from: number, end: number): number {
    const prefix = this.prefix;
    this.raw = undefined;
    this.rawFrom = -1;
    // The usual shape, <v>text</v></c>, matched byte by byte.
    const v = from + 1 + prefix;
    if (bytes[from] === lt && bytes[v] === 0x76 && bytes[v + 1] === gt) {
      const t = nextLt(bytes, v + 2, end);
      const w = t + 2 + prefix;
      const c = w + 2;
      const cName = c + 2 + prefix;
      if (
        bytes[t + 1] === slash &&
        bytes[w] === 0x76 &&
        bytes[w + 1] === gt &&
        bytes[c] === lt &&
        bytes[c + 1] === slash &&
        bytes[cName] === 0x63 &&
        bytes[cName + 1] === gt
      ) {
        this.rawFrom = v + 2;
        this.rawTo = t;
        return cName + 2;
      }
      if (t >= end) return -1;
    }
    // And <is><t>text</t></is></c>, an inline string as streaming writers write them.
    const i = from + 1 + prefix;
    const tName = i + 4 + prefix;
    if (
      bytes[from] === lt &&
      bytes[i] === 0x69 &&
      bytes[i + 1] === 0x73 &&
      bytes[i + 2] === gt &&
      bytes[tName] === 0x74 &&
      bytes[tName + 1] === gt
    ) {
      const t = nextLt(bytes, tName + 2, end);
      const tClose = t + 2 + prefix;
      const isClose = tClose + 4 + prefix;
      const cClose = isClose + 5 + prefix;
      if (
        bytes[t + 1] === slash &&
        bytes[tClose] === 0x74 &&
        bytes[tClose + 1] === gt &&
        bytes[isClose] === 0x69 &&
        bytes[isClose + 1] === 0x73 &&
        bytes[isClose + 2] === gt &&
        bytes[cClose] === 0x63 &&
        bytes[cClose + 1] === gt &&
        bytes[cClose - 2 - prefix] === lt
      ) {
        this.rawFrom = tName + 2;
        this.rawTo = t;
        return cClose + 2;
      }
      if (t >= end) return -1;
    }
    let p = from;
    for (;;) {
      const o = nextLt(bytes, p, end);
      if (o + 1 >= end) return -1;
      if (bytes[o + 1] === slash) {
        const close = tagEnd(bytes, o + 2, end);
        if (close < 0) return -1;
        p = close + 1;
        const n = o + 2 + prefix;
        if (bytes[n] === 0x63 && isNameEnd(bytes[n + 1])) return p;
        continue;
      }
      const n = o + 1 + prefix;
      const close = tagEnd(bytes, o + 1, end);
      if (close < 0) return -1;
      const isEmpty = bytes[close - 1] === slash;
      const first = bytes[n];
      if (first === 0x76 && isNameEnd(bytes[n + 1])) {
        // <v> (after an <f>, say)
        if (isEmpty) {
          this.raw = '';
          p = close + 1;
          continue;
        }
        const read = elementText(bytes, close + 1, end, 'v', false);
        if (read === undefined) return -1;
        this.raw = read[0];
        p = read[1];
        continue;
      }
      if (first === 0x69 && bytes[n + 1] === 0x73 && isNameEnd(bytes[n + 2]) && !isEmpty) {
        // <is> in any other shape: runs, phonetics, attributes on its <t>.
        const read = elementText(bytes, close + 1, end, 'is', true);
        if (read === undefined) return -1;
        this.raw = read[0];
        p = read[1];
        continue;
      }
      if (first === 0x66 && isNameEnd(bytes[n + 1]) && !isEmpty) {
        // <f>: the formula; its cached result is the <v> after it.
        const read = elementText(bytes, close + 1, end, 'f', false);
        if (read === undefined) return -1;
        p = read[1];
        continue;
      }
      p = close + 1;
    }
  }
}

/** Powers of ten a double holds exactly. */
const exactTens = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The number written in bytes[from, to) when it is a plain decimal (an optional '-', digits, an
 * optional fraction) of at most 15 significant digits, else NaN (the caller then goes through
 * Number()). Such a number is its digits as an integer divided by a power of ten, both exact in a
 * double, and IEEE division rounds the quotient correctly, so this is what Number() gives for
 * the same text (Clinger's fast path).
 */
export function plainDecimalOf(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  const isNegative = bytes[i] === 0x2d;
  if (isNegative) i++;
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let places = -1;
  for (; i < to; i++) {
    const b = bytes[i] as number;
    if (b >= 0x30 && b <= 0x39) {
      digits++;
      if (mantissa !== 0 || b !== 0x30) significant++;
      mantissa = mantissa * 10 + (b - 0x30);
      if (places >= 0) places++;
    } else if (b === 0x2e && places < 0) {
      places = 0;
    } else {
      return Number.NaN;
    }
  }
  // No digit ('', '-', '.'), or more than a double's exact digits or divisors.
  if (digits === 0 || significant > 15 || places > 22) return Number.NaN;
  const value = places <= 0 ? mantissa : mantissa / (exactTens[places] as number);
  return isNegative ? -value : value;
}

/**
 * An unread text cell's stand-in ('' or omittedCell) from its raw bytes[from, to), or undefined
 * when only its decoded text can tell (an entity or _xHHHH_ escape in it, padding, a marker that
 * is not plain, or more bytes than a cell may hold characters: the full read reports it).
 */
function unreadText(bytes: Buffer, from: number, to: number, maxCellChars: number): string | undefined {
  if (to - from > maxCellChars) return undefined;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b === 0x26 || b === 0x5f) return undefined; // & or _
  }
  const kind = unreadCell(bytes, from, to, false, false);
  return kind === 0 ? '' : kind === 1 ? omittedCell : undefined;
}

/**
 * A cell's value from its raw bytes[from, to): numbers and shared-string indices read from the
 * bytes when they are plain (most are), anything else through its text (cellValue).
 */
function cellValueOfBytes(
  bytes: Buffer,
  from: number,
  to: number,
  type: number,
  isDateStyle: boolean,
  context: SheetContext,
): CellValue {
  if (type === typeNumber || type === typeShared) {
    const number = plainDecimalOf(bytes, from, to);
    if (!Number.isNaN(number)) {
      if (type === typeShared) return Number.isInteger(number) ? (context.sharedStrings[number] ?? null) : null;
      return isDateStyle ? excelSerialToDate(number, context.isDate1904) : number;
    }
  }
  return cellValue(
    to > from ? piece(bytes, from, to) : '',
    type,
    isDateStyle,
    context.sharedStrings,
    context.isDate1904,
  );
}

/** A cell's value from its raw <v> or <is> text, its type and whether its style shows a date. */
function cellValue(
  raw: string,
  type: number,
  isDateStyle: boolean,
  sharedStrings: readonly string[],
  isDate1904: boolean,
): CellValue {
  switch (type) {
    case typeShared: {
      const index = Number(raw);
      return Number.isInteger(index) ? (sharedStrings[index] ?? null) : null;
    }
    case typeString:
      return finish(raw, true);
    case typeBoolean:
      return raw.trim() === '' ? null : Number.parseInt(raw, 10) !== 0;
    case typeError:
      return null;
    case typeDate: {
      const date = new Date(finish(raw, false).trim());
      return Number.isNaN(date.getTime()) ? null : date;
    }
    default: {
      const text = finish(raw, false);
      // Number('') and Number(' ') are 0: an empty <v> is no value.
      if (text.trim() === '') return null;
      const number = Number(text);
      if (!Number.isFinite(number)) return null;
      return isDateStyle ? excelSerialToDate(number, isDate1904) : number;
    }
  }
}

/**
 * The shared strings table (sharedStrings.xml, held whole: the zip guard caps its size): each
 * <si> as the text of its <t> runs, phonetic runs left out.
 */
export function readSharedStrings(bytes: Buffer): string[] {
  const strings: string[] = [];
  const end = bytes.length;
  let at = 0;
  for (;;) {
    const open = bytes.indexOf(lt, at);
    if (open < 0) return strings;
    const isClose = bytes[open + 1] === slash;
    const nameAt = isClose ? open + 2 : open + 1;
    const close = tagEnd(bytes, nameAt, end);
    if (close < 0) return strings;
    if (!isClose && tagIs(bytes, nameAt, close + 1, 'si')) {
      if (bytes[close - 1] === slash) {
        strings.push('');
        at = close + 1;
        continue;
      }
      const read = elementText(bytes, close + 1, end, 'si', true);
      if (read === undefined) return strings;
      strings.push(finish(read[0], true));
      at = read[1];
      continue;
    }
    at = close + 1;
  }
}
