import iconv from 'iconv-lite';

import { cellText, isEmptyCell } from '../../../shared/sales/import/cells';
import type { CellProjection } from './csv-records';
import { omittedCell } from './csv-records';

// Splits CSV records straight from the file's bytes and decodes only the cells the mapping reads.
// Decoding a whole 74-column 抖店 export to a string and splitting that cost more than everything
// else the import worker does: on 1,000,000 GB18030 rows the collector took 3.5 s, projectedCells
// 2.5 s and iconv's decoder 1.9 s, nearly all of it for the 61 columns nobody reads.
//
// Sound only where a delimiter, a quote, CR or LF byte is always that character and never part of
// a multi-byte one: UTF-8 (every byte of a multi-byte character is >= 0x80) and GB18030 / GBK
// (trail bytes are 0x40–0xFE, or 0x30–0x39 in a four-byte sequence). iconv-lite's GB18030
// decoder also resynchronises on them: a lead byte followed by one of them becomes U+FFFD and the
// byte is read again as itself, so a cell cut at them decodes as it does inside the whole line.

/** The encodings the byte path reads. */
export type ByteEncoding = 'utf-8' | 'gb18030';

/** Records split from the front of a byte buffer. */
export interface ByteRecords {
  readonly rows: string[][];
  /** Byte offset just after the last record taken. */
  readonly end: number;
  /**
   * True when the split stopped at a complete record it does not read exactly as splitRecords
   * would (a quoted newline, quoting papaparse repairs, a bare LF in a CRLF file, a cell or a
   * record near the limits): the caller decodes from `end` and reads on as text. False when the
   * split stopped only because no record ends before `to`.
   */
  readonly stuck: boolean;
}

const quote = 0x22;
const cr = 0x0d;
const lf = 0x0a;

/** Delimiters the byte path takes: papaparse detects , \t | ; RS US; '|' (0x7c) is a GBK trail byte. */
export function isByteDelimiter(delimiter: string, encoding: ByteEncoding): boolean {
  if (delimiter.length !== 1) return false;
  const d = delimiter.charCodeAt(0);
  if (d === quote || d === cr || d === lf || d >= 0x80) return false;
  // GB18030 trail bytes: 0x30–0x39 and 0x40–0xfe; a delimiter among them could sit inside a character.
  if (encoding === 'gb18030' && ((d >= 0x30 && d <= 0x39) || d >= 0x40)) return false;
  return true;
}

/**
 * What a one-byte unread cell reads as: 1 for empty ('-' and '/' are empty markers), 0 otherwise.
 * A byte >= 0x80 alone is never a marker (UTF-8 would have failed validation; in GB18030 it
 * decodes to one character that no marker is). Bytes <= 0x20, '=' and "'" are left to cellText.
 */
const oneByteEmpty = new Uint8Array(256);
oneByteEmpty[0x2d] = 1;
oneByteEmpty[0x2f] = 1;
/** 2 for bytes that cellText may strip or unwrap, so a one-byte cell of them is decoded and checked. */
for (let b = 0; b <= 0x20; b++) oneByteEmpty[b] = 2;
oneByteEmpty[0x3d] = 2;
oneByteEmpty[0x27] = 2;

/** GB18030 two-byte codes (lead << 8 | trail) that decode to a non-ASCII empty marker ('—', '无'). */
let gbMarkers: Uint8Array | undefined;

function gbMarkerTable(): Uint8Array {
  if (gbMarkers !== undefined) return gbMarkers;
  // Decoded once, every two-byte code on its own line: iconv's tables, not a guess at them.
  const table = new Uint8Array(65536);
  const codes: number[] = [];
  const bytes = Buffer.alloc(126 * 191 * 3);
  let at = 0;
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      bytes[at++] = lead;
      bytes[at++] = trail;
      bytes[at++] = lf;
      codes.push((lead << 8) | trail);
    }
  }
  const lines = iconv.decode(bytes.subarray(0, at), 'gb18030', { stripBOM: false }).split('\n');
  codes.forEach((code, k) => {
    const text = lines[k];
    if (text !== undefined && isEmptyCell(text)) table[code] = 1;
  });
  gbMarkers = table;
  return table;
}

/** UTF-8 of the non-ASCII empty markers ('—' E2 80 94, '无' E6 97 A0). */
function isUtf8Marker(u8: Uint8Array, s: number): boolean {
  const a = u8[s];
  const b = u8[s + 1];
  const c = u8[s + 2];
  return (a === 0xe2 && b === 0x80 && c === 0x94) || (a === 0xe6 && b === 0x97 && c === 0xa0);
}

/** The ASCII markers of two to four bytes: '--', 'N/A', 'null', 'NULL'. */
function isAsciiMarker(u8: Uint8Array, s: number, length: number): boolean {
  const a = u8[s];
  if (length === 2) return a === 0x2d && u8[s + 1] === 0x2d;
  if (length === 3) return a === 0x4e && u8[s + 1] === 0x2f && u8[s + 2] === 0x41;
  const b = u8[s + 1];
  const c = u8[s + 2];
  const d = u8[s + 3];
  return (
    (a === 0x6e && b === 0x75 && c === 0x6c && d === 0x6c) || (a === 0x4e && b === 0x55 && c === 0x4c && d === 0x4c)
  );
}

/** What an unread cell becomes without decoding it: 0 '', 1 omittedCell, 2 decode and check. */
export function unreadCell(u8: Uint8Array, s: number, e: number, hasDoubled: boolean, isGb: boolean): 0 | 1 | 2 {
  const length = e - s;
  if (length === 0) return 0;
  const first = u8[s] as number;
  if (length === 1) {
    const kind = oneByteEmpty[first];
    return kind === 1 ? 0 : kind === 2 ? 2 : 1;
  }
  const last = u8[e - 1] as number;
  // The byte form of cellText's fast path: such a cell is left as it is, so it is empty only when
  // it is a marker itself. The BOM (U+FEFF) is EF BB BF in UTF-8 and 84 31 95 33 in GB18030.
  const isBom = isGb
    ? length >= 4 && first === 0x84 && u8[s + 1] === 0x31 && u8[s + 2] === 0x95 && u8[s + 3] === 0x33
    : length >= 3 && first === 0xef && u8[s + 1] === 0xbb && u8[s + 2] === 0xbf;
  if (first <= 0x20 || first === 0x3d || first === 0x27 || last <= 0x20 || isBom) return 2;
  // Every marker is at most four bytes in either encoding; a doubled quote leaves a quote in it.
  if (length > 4 || hasDoubled) return 1;
  if (first < 0x80 && last < 0x80) {
    let isAscii = true;
    for (let k = s + 1; k < e - 1; k++) if ((u8[k] as number) >= 0x80) isAscii = false;
    if (isAscii) return isAsciiMarker(u8, s, length) ? 0 : 1;
    // ASCII around non-ASCII: two or more characters, or U+FFFD among them; no marker.
    return 1;
  }
  if (!isGb) return length === 3 && isUtf8Marker(u8, s) ? 0 : 1;
  if (length === 2) return gbMarkerTable()[(first << 8) | last] === 1 ? 0 : 1;
  // Four bytes can be one character only as a four-byte GB18030 code (second byte a digit): rare, decode it.
  const second = u8[s + 1] as number;
  return length === 4 && second >= 0x30 && second <= 0x39 ? 2 : 1;
}

/**
 * Reusable scratch space for one split: the cells to decode, joined by LF into one buffer per
 * kind of text (ASCII, the rest) and decoded in one call each, and where each decoded cell goes.
 * ASCII cells (ids, amounts, times) go through latin1: per 1M cells, join + latin1 + split took
 * 16 ms against 33–38 ms for UTF-8 text with Chinese in it (the whole string turns two-byte),
 * 47–74 ms for a native slice per cell; and they skip iconv's decoder, a JS loop per byte.
 * Splitting 100k 抖店 rows: GB18030 ~167 → ~148 ms; UTF-8 the same (~133 ms), with one-byte strings.
 */
let decodeRows = new Int32Array(4096);
let decodeCols = new Int32Array(4096);
let decodeKinds = new Uint8Array(4096);
let joined = Buffer.allocUnsafe(64 * 1024);
let joinedAscii = Buffer.allocUnsafe(64 * 1024);
const recordScratch: string[] = [];

/** Kinds of decoded cell: wanted as is, wanted with doubled quotes, unread (only its emptiness). */
const decodeWanted = 0;
const decodeDoubled = 1;
const decodeUnread = 2;
/** Added to a kind: the cell is in the ASCII buffer. */
const inAscii = 4;

function growDecodeLists(): void {
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  decodeRows = grow(decodeRows, (n) => new Int32Array(n));
  decodeCols = grow(decodeCols, (n) => new Int32Array(n));
  decodeKinds = grow(decodeKinds, (n) => new Uint8Array(n));
}

/** A larger scratch buffer (twice, or `need` bytes) holding the first `used` bytes of `buffer`. */
function grown(buffer: Buffer<ArrayBuffer>, used: number, need: number): Buffer<ArrayBuffer> {
  const bigger = Buffer.allocUnsafe(Math.max(buffer.length * 2, need));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * Splits the complete one-line records in bytes[from, to) under a projection, giving exactly the
 * rows splitRecords gives for the decoded text with the same projection, or stops (`stuck`) at
 * the first record it cannot be sure of. Only LF-ended records are taken: the last record of a
 * file without a final newline is the caller's (splitRecords reads it whole, not projected).
 * Does not validate UTF-8: the caller checks bytes[from, end) (isUtf8) before using the rows.
 */
export function splitRecordBytes(
  bytes: Uint8Array,
  from: number,
  to: number,
  delimiter: string,
  newline: '\r\n' | '\n',
  encoding: ByteEncoding,
  projection: CellProjection,
): ByteRecords | undefined {
  if (!isByteDelimiter(delimiter, encoding)) return undefined;
  const d = delimiter.charCodeAt(0);
  const isCrLf = newline === '\r\n';
  const isGb = encoding === 'gb18030';
  const { wanted, maxCellChars, maxCells } = projection;
  const wantedLength = wanted.length;
  const u8 = bytes;
  const rows: string[][] = [];
  const cells = recordScratch;
  // Module scratch in locals for the loop (grown below as needed, written back at the end).
  let out = joined;
  let outAscii = joinedAscii;
  let asciiLength = 0;
  let outRows = decodeRows;
  let outCols = decodeCols;
  let outKinds = decodeKinds;
  let decodeCount = 0;
  let joinedLength = 0;
  let recordStart = from;
  let stuck = false;
  // One pass over each record's bytes: each cell is settled as it is found (unread ones to ''
  // or omittedCell, read ones copied into `out` to be decoded together below). A record that
  // turns out incomplete or unsure is rolled back.
  records: while (recordStart < to) {
    const rowIndex = rows.length;
    const decodeAtStart = decodeCount;
    const joinedAtStart = joinedLength;
    const asciiAtStart = asciiLength;
    let i = recordStart;
    let count = 0;
    for (;;) {
      if (count >= maxCells) {
        stuck = true;
        break;
      }
      let start: number;
      let end: number;
      let hasDoubled = false;
      let isLineEnd = false;
      let next: number;
      if (u8[i] === quote) {
        // Quoted: up to a quote that is not doubled, on this line; it must end the cell.
        let j = i + 1;
        let b = 0;
        for (;;) {
          while (j < to && (b = u8[j] as number) !== quote && b !== lf) j++;
          if (j >= to) break;
          if (b === lf) {
            // A quoted newline: a multi-line record, the text reader's.
            stuck = true;
            break;
          }
          if (j + 1 < to && u8[j + 1] === quote) {
            hasDoubled = true;
            j += 2;
            continue;
          }
          break;
        }
        if (j >= to || stuck) break;
        start = i + 1;
        end = j;
        next = j + 1;
        const after = next < to ? (u8[next] as number) : -1;
        if (after === d) {
          // Next cell.
        } else if (!isCrLf && after === lf) {
          isLineEnd = true;
        } else if (isCrLf && after === cr && next + 1 < to && u8[next + 1] === lf) {
          isLineEnd = true;
          next += 1;
        } else if (after === -1 || (isCrLf && after === cr && next + 1 >= to)) {
          // The record goes on past `to`.
          break;
        } else {
          stuck = true;
          break;
        }
      } else {
        let j = i;
        let b = 0;
        while (j < to && (b = u8[j] as number) !== d && b !== lf) j++;
        if (j >= to) break;
        start = i;
        end = j;
        next = j;
        if (b === lf) {
          isLineEnd = true;
          if (isCrLf) {
            // CRLF file: a bare LF is text inside a cell to splitRecords; leave the record to it.
            if (j === recordStart || u8[j - 1] !== cr) {
              stuck = true;
              break;
            }
            end = j - 1;
          }
        }
      }
      const length = end - start;
      // Bytes are at least as many as UTF-16 units: within the limit in bytes is within it in characters.
      if (length > maxCellChars) {
        stuck = true;
        break;
      }
      let kind: number;
      if (count >= wantedLength || wanted[count] === 1) {
        kind = hasDoubled ? decodeDoubled : decodeWanted;
      } else {
        // The common unread cells inline: empty, and one byte ('-', a digit, a letter).
        const unread =
          length === 0
            ? 0
            : length === 1 && oneByteEmpty[u8[start] as number] !== 2
              ? oneByteEmpty[u8[start] as number] === 1
                ? 0
                : 1
              : unreadCell(u8, start, end, hasDoubled, isGb);
        kind = unread === 2 ? decodeUnread : unread === 0 ? -1 : -2;
      }
      if (kind === -1 || (kind === decodeWanted && length === 0)) cells[count] = '';
      else if (kind === -2) cells[count] = omittedCell;
      else {
        cells[count] = '';
        if (decodeCount === outRows.length) {
          growDecodeLists();
          outRows = decodeRows;
          outCols = decodeCols;
          outKinds = decodeKinds;
        }
        let high = 0;
        for (let k = start; k < end; k++) high |= u8[k] as number;
        outRows[decodeCount] = rowIndex;
        outCols[decodeCount] = count;
        decodeCount += 1;
        // A JS loop to copy: cells are short, and a native copy per cell costs more than the copying.
        if (high < 0x80) {
          outKinds[decodeCount - 1] = kind + inAscii;
          if (asciiLength + length + 1 > outAscii.length) {
            joinedAscii = outAscii = grown(outAscii, asciiLength, asciiLength + length + 1);
          }
          for (let k = start; k < end; k++) outAscii[asciiLength++] = u8[k] as number;
          outAscii[asciiLength++] = lf;
        } else {
          outKinds[decodeCount - 1] = kind;
          if (joinedLength + length + 1 > out.length) {
            joined = out = grown(out, joinedLength, joinedLength + length + 1);
          }
          for (let k = start; k < end; k++) out[joinedLength++] = u8[k] as number;
          out[joinedLength++] = lf;
        }
      }
      count += 1;
      if (isLineEnd) {
        rows.push(cells.slice(0, count));
        recordStart = next + 1;
        continue records;
      }
      i = next + 1;
    }
    // Incomplete or unsure: this record is not taken.
    decodeCount = decodeAtStart;
    joinedLength = joinedAtStart;
    asciiLength = asciiAtStart;
    break;
  }
  if (decodeCount > 0) {
    // One decode per kind of text. UTF-8 here is already valid (the caller checks), so the
    // lenient native slice is exact.
    const text =
      joinedLength === 0
        ? ''
        : isGb
          ? iconv.decode(out.subarray(0, joinedLength), 'gb18030', { stripBOM: false })
          : out.toString('utf8', 0, joinedLength);
    const parts = text.split('\n');
    const asciiParts = asciiLength === 0 ? [] : outAscii.toString('latin1', 0, asciiLength).split('\n');
    let p = 0;
    let a = 0;
    for (let t = 0; t < decodeCount; t++) {
      const row = rows[outRows[t] as number] as string[];
      let kind = outKinds[t] as number;
      let raw: string;
      if (kind >= inAscii) {
        kind -= inAscii;
        raw = asciiParts[a++] as string;
      } else raw = parts[p++] as string;
      const value = kind === decodeWanted ? raw : raw.replaceAll('""', '"');
      row[outCols[t] as number] = kind === decodeUnread ? (isEmptyCell(cellText(value)) ? '' : omittedCell) : value;
    }
  }
  return { rows, end: recordStart, stuck };
}

/**
 * The end of the last complete record in bytes[from, to): just after the last LF outside quotes
 * (quote bytes are quotes in both encodings read here), counting from `startsInQuotes`. -1 if
 * none. The byte twin of import-reader's lastRecordEnd.
 */
export function lastRecordEndBytes(bytes: Uint8Array, from: number, to: number, startsInQuotes = false): number {
  let inQuotes = startsInQuotes;
  let last = -1;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if (b === quote) inQuotes = !inQuotes;
    else if (b === lf && !inQuotes) last = i + 1;
  }
  return last;
}
