import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import iconv from 'iconv-lite';
import Papa from 'papaparse';

import type { ImportPreview } from '../../../shared/api/sales';
import { StudioError } from '../../../shared/api/studio-error';
import { assertNever } from '../../../shared/assert-never';
import type { CellValue } from '../../../shared/sales/import/cells';
import type { ByteEncoding } from './csv-bytes';
import { lastRecordEndBytes, splitRecordBytes } from './csv-bytes';
import type { CellProjection } from './csv-records';
import { splitRecords } from './csv-records';
import { openWorkbook, sheetRows } from './xlsx-reader';
import { SheetLimitError } from './xlsx-sheet';
import { openZip, readAt } from './zip-guard';

// Reads order export files row by row with bounded memory: CSV (any delimiter papaparse detects)
// in UTF-8 / UTF-8 BOM / GB18030 (GBK) / UTF-16, XLSX straight from its sheet XML (xlsx-reader.ts), and the
// HTML-table ".xls" some platforms produce. Pure parsing of the rows lives in shared/sales/import.

/** Where the bytes come from: a file on disk, or bytes uploaded from a browser. */
export type FileSource = { kind: 'path'; path: string } | { kind: 'bytes'; name: string; bytes: Buffer };

export type FileKind = ImportPreview['kind'];
export type FileEncoding = ImportPreview['encoding'];

/** A row as read, with its spreadsheet row number and sheet. */
export interface FileRow {
  readonly cells: CellValue[];
  readonly line: number;
  readonly sheet: string | null;
}

export interface SniffResult {
  readonly kind: FileKind;
  readonly encoding: FileEncoding;
  readonly size: number;
  readonly name: string;
}

/**
 * Size limits: CSV streams, so only disk speed bounds it; xlsx keeps shared strings in memory
 * (and is checked for zip bombs, see zip-guard.ts). Per cell: Excel's own limit. Per record: no
 * export has a thousand columns or a megabyte row; an unclosed quote would otherwise swallow the file.
 */
export const importLimits = {
  csvBytes: 4 * 1024 ** 3,
  xlsxBytes: 300 * 1024 ** 2,
  htmlBytes: 256 * 1024 ** 2,
  cellChars: 32_767,
  recordCells: 1000,
  recordChars: 1024 ** 2,
};

function cellTooLong(name: string, line: number): StudioError {
  return new StudioError('sales/import-cell-too-long', 'A cell of this file is longer than any order export has.', {
    params: { file: name, line, limit: importLimits.cellChars },
  });
}

function recordTooLong(name: string, line: number): StudioError {
  return new StudioError('sales/import-record-too-long', 'A row of this file is longer than any order export has.', {
    params: { file: name, line, limit: importLimits.recordCells },
  });
}

/** Per-record and per-cell limits on rows numbered from `firstLine`; one tight loop, no allocation. */
function checkRows(rows: readonly (readonly unknown[])[], firstLine: number, name: string): void {
  const maxCell = importLimits.cellChars;
  for (let r = 0; r < rows.length; r++) {
    const cells = rows[r] as readonly unknown[];
    if (cells.length > importLimits.recordCells) throw recordTooLong(name, firstLine + r);
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (typeof cell === 'string' && cell.length > maxCell) throw cellTooLong(name, firstLine + r);
    }
  }
}

function fileName(source: FileSource): string {
  return source.kind === 'path' ? path.basename(source.path) : source.name;
}

async function sizeOf(source: FileSource): Promise<number> {
  if (source.kind === 'bytes') return source.bytes.length;
  try {
    const stat = await fs.promises.stat(source.path);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    return stat.size;
  } catch (error) {
    throw new StudioError('sales/import-unreadable', 'The file cannot be read.', {
      detail: String(error),
      params: { file: fileName(source) },
      cause: error,
    });
  }
}

const magic: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'png' },
  { bytes: [0xff, 0xd8, 0xff], what: 'jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'gif' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'pdf' },
  { bytes: [0x1f, 0x8b], what: 'gzip' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'rar' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: '7z' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'sqlite' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'elf' },
  { bytes: [0x4d, 0x5a], what: 'exe' },
];

function startsWith(head: Buffer, bytes: readonly number[]): boolean {
  return bytes.every((b, i) => head[i] === b);
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    // stream: true tolerates a multi-byte sequence cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function notATable(name: string, what: string): StudioError {
  return new StudioError('sales/import-not-a-table', 'This file is not a table of orders.', {
    detail: what,
    params: { file: name },
  });
}

/**
 * Decides what a file is from its first bytes, never from its extension: a .csv may be a
 * renamed picture, a .xls may be CSV text or an HTML table, a .csv may really be an xlsx.
 */
export async function sniffFile(source: FileSource): Promise<SniffResult> {
  const name = fileName(source);
  const size = await sizeOf(source);
  if (size === 0) throw new StudioError('sales/import-empty', 'The file is empty.', { params: { file: name } });
  const head = await readAt(source, 0, 64 * 1024);
  const tooLarge = (limit: number) =>
    new StudioError('sales/import-too-large', 'The file is too large to import.', {
      params: { file: name, mb: Math.round(size / 1024 ** 2), limitMb: Math.round(limit / 1024 ** 2) },
    });

  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (size > importLimits.xlsxBytes) throw tooLarge(importLimits.xlsxBytes);
    return { kind: 'xlsx', encoding: 'binary', size, name };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    if (await isEncryptedPackage(source, head, size)) {
      throw new StudioError('sales/import-encrypted', 'This file has an open password; save it without one first.', {
        params: { file: name },
      });
    }
    throw new StudioError('sales/import-old-xls', 'Old binary .xls files cannot be read; save it as .xlsx or .csv.', {
      params: { file: name },
    });
  }
  for (const m of magic) if (startsWith(head, m.bytes)) throw notATable(name, m.what);
  if (size > importLimits.csvBytes) throw tooLarge(importLimits.csvBytes);

  let encoding: FileEncoding;
  if (startsWith(head, [0xef, 0xbb, 0xbf])) encoding = 'utf-8-bom';
  else if (startsWith(head, [0xff, 0xfe])) encoding = 'utf-16le';
  else if (startsWith(head, [0xfe, 0xff])) encoding = 'utf-16be';
  else {
    const sample = head.subarray(0, 4096);
    let evenNul = 0;
    let oddNul = 0;
    let control = 0;
    for (let i = 0; i < sample.length; i++) {
      const b = sample[i] ?? 0;
      if (b === 0) {
        if (i % 2 === 0) evenNul++;
        else oddNul++;
      } else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) control++;
    }
    // UTF-16 without a BOM: every other byte of ASCII text is zero.
    if (oddNul > sample.length / 4 && evenNul === 0) encoding = 'utf-16le';
    else if (evenNul > sample.length / 4 && oddNul === 0) encoding = 'utf-16be';
    else if (evenNul + oddNul > 0 || control > sample.length / 100) throw notATable(name, 'binary');
    else {
      let window = head;
      // A head of pure ASCII says nothing; look further for the first non-ASCII bytes.
      if (!head.some((b) => b >= 0x80) && source.kind === 'path' && size > head.length) {
        window = await firstNonAscii(source.path);
      } else if (!head.some((b) => b >= 0x80) && source.kind === 'bytes') {
        const i = source.bytes.findIndex((b) => b >= 0x80);
        window = i < 0 ? head : source.bytes.subarray(Math.max(0, i - 16), i + 64 * 1024);
      }
      encoding = isValidUtf8(window) ? 'utf-8' : 'gb18030';
    }
  }
  const text = decodeSample(head, encoding);
  const replaced = (text.match(/\uFFFD/gu) ?? []).length;
  if (replaced > Math.max(3, text.length / 200)) {
    throw new StudioError('sales/import-encoding', 'The text encoding of this file is not one we can read.', {
      params: { file: name, encoding },
    });
  }
  const trimmed = text
    .replace(/^\uFEFF/u, '')
    .trimStart()
    .slice(0, 2000)
    .toLowerCase();
  if (trimmed.startsWith('<') && /<table|<html/u.test(trimmed)) {
    if (size > importLimits.htmlBytes) throw tooLarge(importLimits.htmlBytes);
    return { kind: 'html', encoding, size, name };
  }
  return { kind: 'csv', encoding, size, name };
}

/** The stream name a password-protected xlsx keeps its encrypted zip under, as UTF-16LE. */
const encryptedPackageName = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * Whether a compound file (the container of old .xls files) is a password-protected xlsx: Excel
 * and WPS keep such a workbook, encrypted, in a stream named EncryptedPackage. Its name is in the
 * compound file's directory, whose first sector the header gives (sector size at 0x1E, first
 * directory sector at 0x30).
 */
async function isEncryptedPackage(source: FileSource, head: Buffer, size: number): Promise<boolean> {
  if (head.includes(encryptedPackageName)) return true;
  if (head.length < 0x34) return false;
  const shift = head.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return false;
  const start = (head.readUInt32LE(0x30) + 1) * 2 ** shift;
  if (start >= size) return false;
  return (await readAt(source, start, 16 * 1024)).includes(encryptedPackageName);
}

async function firstNonAscii(file: string): Promise<Buffer> {
  const stream = fs.createReadStream(file, { start: 0, end: 16 * 1024 ** 2, highWaterMark: 256 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const i = chunk.findIndex((b) => b >= 0x80);
    if (i >= 0) {
      stream.destroy();
      return chunk.subarray(Math.max(0, i - 16));
    }
  }
  return Buffer.alloc(0);
}

function decodeSample(head: Buffer, encoding: FileEncoding): string {
  switch (encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return new TextDecoder('utf-8').decode(head, { stream: true });
    case 'gb18030':
    case 'utf-16le':
    case 'utf-16be': {
      const decoder = iconv.getDecoder(encoding);
      return decoder.write(head);
    }
    case 'binary':
      return '';
    default:
      return assertNever(encoding);
  }
}

/** Bytes to text, chunk by chunk; a character cut between chunks is carried over. */
interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

function notUtf8(sniff: { name: string; encoding: FileEncoding }, cause?: unknown): StudioError {
  return new StudioError('sales/import-encoding', 'Part of this file is not valid UTF-8 text.', {
    params: { file: sniff.name, encoding: sniff.encoding },
    cause,
  });
}

/**
 * A decoder for the given encoding (a leading BOM stripped unless `stripBom` is false); invalid
 * UTF-8 is a sales/import-encoding error.
 */
function chunkDecoder(encoding: FileEncoding, name: string, stripBom = true): ChunkDecoder {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: !stripBom });
    const decode = (chunk?: Buffer): string => {
      try {
        return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
      } catch (error) {
        throw notUtf8({ name, encoding }, error);
      }
    };
    return { write: (chunk) => decode(chunk), end: () => decode() };
  }
  const decoder = iconv.getDecoder(encoding === 'binary' ? 'latin1' : encoding, { stripBOM: stripBom });
  return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() ?? '' };
}

function byteStream(source: FileSource, onBytes: (n: number) => void): Readable {
  const stream =
    source.kind === 'path'
      ? fs.createReadStream(source.path, { highWaterMark: 256 * 1024 })
      : Readable.from(chunks(source.bytes, 256 * 1024));
  stream.on('data', (chunk: Buffer) => onBytes(chunk.length));
  return stream;
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/**
 * The end of the last complete record in `text`: just after the last newline that is outside
 * quotes (an even number of `"` before it; escaped quotes come in pairs). -1 if none.
 */
export function lastRecordEnd(text: string): number {
  let inQuotes = false;
  let last = -1;
  let i = 0;
  for (;;) {
    const quote = text.indexOf('"', i);
    const newline = text.indexOf('\n', i);
    if (newline < 0) return last;
    if (quote >= 0 && quote < newline) {
      inQuotes = !inQuotes;
      i = quote + 1;
      continue;
    }
    if (!inQuotes) last = newline + 1;
    i = newline + 1;
  }
}

/**
 * The text side of CSV reading, shared by the byte path and UTF-16: the format (delimiter,
 * newline) found from the first records, row numbering, the limit checks, and splitting decoded
 * text into records (splitRecords; papaparse for quoting splitRecords does not read the simple
 * way, cut after its last complete record).
 */
function csvTextReader(name: string) {
  let line = 0;
  let format: { delimiter: string; newline: '\r\n' | '\n' } | undefined;
  /** Rows numbered on; `isChecked` when their splitter already held them to the limits. */
  const numbered = (rows: string[][], isChecked = false): FileRow[] => {
    if (!isChecked) checkRows(rows, line + 1, name);
    return rows.map((cells) => ({ cells, line: ++line, sheet: null }));
  };
  const formatOf = (text: string) => {
    // Each piece ends with its newline; drop it so papaparse does not add an empty last row.
    const body = withoutLastNewline(text);
    const detected = Papa.parse<string[]>(body.slice(0, 64 * 1024), { preview: 20 }).meta.delimiter;
    return { delimiter: detected === '' ? ',' : detected, newline: text.includes('\r\n') ? '\r\n' : '\n' } as const;
  };
  const papaparse = (text: string): FileRow[] => {
    const body = withoutLastNewline(text);
    const { delimiter, newline } = format ?? formatOf(text);
    const result =
      body === '' ? [['']] : Papa.parse<string[]>(body, { delimiter, newline, skipEmptyLines: false }).data;
    return numbered(result);
  };
  /** The complete records at the front of `pending` (all of it when `isLast`), and the text after them. */
  const take = (
    pending: string,
    isLast: boolean,
    projection: CellProjection | undefined,
  ): { rows: FileRow[] | undefined; rest: string } => {
    if (format === undefined) {
      const end = isLast ? pending.length : lastRecordEnd(pending);
      if (end <= 0) return { rows: undefined, rest: pending };
      format = formatOf(pending.slice(0, end));
    }
    const split = splitRecords(pending, format.delimiter, format.newline, isLast, projection);
    if (split !== undefined) {
      return { rows: split.rows.length === 0 ? undefined : numbered(split.rows), rest: pending.slice(split.end) };
    }
    const end = isLast ? pending.length : lastRecordEnd(pending);
    if (end <= 0) return { rows: undefined, rest: pending };
    return { rows: papaparse(pending.slice(0, end)), rest: pending.slice(end) };
  };
  return {
    take,
    numbered,
    /** Sets the format from `text` (complete records) as the first take would. */
    detect(text: string) {
      format ??= formatOf(text);
    },
    /** Rows numbered so far. */
    get line() {
      return line;
    },
    get format() {
      return format;
    },
  };
}

function projectionOf(view: RowView): CellProjection | undefined {
  return view.wanted === undefined
    ? undefined
    : { wanted: view.wanted, maxCellChars: importLimits.cellChars, maxCells: importLimits.recordCells };
}

/**
 * Rows of a CSV file, in batches, with their row numbers. UTF-8 and GB18030 are split from
 * their bytes (csvByteRows); UTF-16 is decoded first (csvTextRows). Blank lines are kept (as
 * empty rows) so numbering matches what a spreadsheet shows.
 */
function csvRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
  view: RowView,
): AsyncGenerator<FileRow[]> {
  switch (sniff.encoding) {
    case 'utf-8':
    case 'utf-8-bom':
      return csvByteRows(source, sniff, onBytes, view, 'utf-8');
    case 'gb18030':
      return csvByteRows(source, sniff, onBytes, view, 'gb18030');
    case 'utf-16le':
    case 'utf-16be':
    case 'binary':
      return csvTextRows(source, sniff, onBytes, view);
    default:
      return assertNever(sniff.encoding);
  }
}

/**
 * CSV rows from decoded text: each decoded chunk is split into its complete records in one pass
 * (splitRecords); the unfinished last record waits for the next chunk, so memory is bounded by
 * the chunk size.
 */
async function* csvTextRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
  view: RowView,
): AsyncGenerator<FileRow[]> {
  // Decoded here rather than through a Transform: a text Transform turned every decoded chunk
  // back into UTF-8 bytes and the reader decoded those again.
  const decoder = chunkDecoder(sniff.encoding, sniff.name);
  const reader = csvTextReader(sniff.name);
  let pending = '';
  const take = (isLast: boolean): FileRow[] | undefined => {
    const { rows, rest } = reader.take(pending, isLast, projectionOf(view));
    pending = rest;
    return rows;
  };
  for await (const chunk of byteStream(source, onBytes) as AsyncIterable<Buffer>) {
    const decoded = decoder.write(chunk);
    // Split in pieces of ~32k characters: the rows of one piece (every cell a string) are all
    // alive until the scan has read them, and a whole 256 KB chunk's worth outgrew the young
    // generation, so each was promoted and collected again as old garbage (two thirds of the
    // import worker's time went to the collector).
    for (let at = 0; at < decoded.length; at += csvPieceChars) {
      pending += at === 0 && decoded.length <= csvPieceChars ? decoded : decoded.slice(at, at + csvPieceChars);
      if (pending.length < csvPieceChars) continue;
      const rows = take(false);
      if (rows !== undefined) yield rows;
      else if (pending.length > importLimits.recordChars) throw recordTooLong(sniff.name, reader.line + 1);
    }
  }
  pending += decoder.end();
  if (pending !== '') {
    const rows = take(true);
    if (rows !== undefined) yield rows;
  }
}

/** Characters of decoded CSV text split into rows at a time. */
const csvPieceChars = 32 * 1024;

/**
 * Bytes of UTF-8 / GB18030 CSV split into rows at a time. Small for the reason csvPieceChars
 * is: a piece's rows are all alive until the scan reads them. Measured with --trace-gc on the
 * import worker (100k 抖店 rows): 8–9 mark-compacts at 16 and 32 KB, 15 at 64 and 256 KB;
 * scavenges ~110 whatever the size.
 */
const csvPieceBytes = 32 * 1024;

const byteOrderMarks: Record<ByteEncoding, readonly number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  gb18030: [0x84, 0x31, 0x95, 0x33],
};

/**
 * CSV rows split from the file's bytes: once the header is known (view.wanted), records go
 * through splitRecordBytes, which decodes only the cells the mapping reads. Until then, and for
 * any record it is not sure of (multi-line quoted cells, repaired quoting, the limits), the
 * complete records are decoded and read as text as csvTextRows reads them (only papaparse's
 * repairs of bad quoting can differ, as they do with where any piece is cut). UTF-8 the byte
 * path takes is validated (isUtf8) so invalid bytes anywhere stay a sales/import-encoding error.
 * 1M-row 抖店 GB18030 export, import worker: 15.1 s busy (GC 3.8 s, projectedCells 2.2 s, iconv
 * 1.9 s) before, 6.5 s (GC 1.8 s, splitRecordBytes 1.5 s, iconv 0.2 s) with the byte path.
 */
async function* csvByteRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
  view: RowView,
  encoding: ByteEncoding,
): AsyncGenerator<FileRow[]> {
  // The BOM is dropped here as bytes, so the decoder must keep any later one as the text path did.
  const decoder = chunkDecoder(sniff.encoding, sniff.name, false);
  const reader = csvTextReader(sniff.name);
  const bom = byteOrderMarks[encoding];
  const isUtf8Encoding = encoding === 'utf-8';
  let pending: Buffer = Buffer.alloc(0);
  /** Start of the unread bytes of `pending`. */
  let at = 0;
  /** Decoded text the text splitter left (an unfinished record by its rules): read on as text. */
  let carry = '';
  let isStart = true;

  /** Decodes pending[at, to) after `carry` and splits it as text. */
  const readText = (to: number, isLast: boolean): FileRow[] | undefined => {
    const text = carry + decoder.write(pending.subarray(at, to)) + (isLast ? decoder.end() : '');
    at = to;
    const { rows, rest } = reader.take(text, isLast, projectionOf(view));
    carry = rest;
    return rows;
  };
  /** No record ends in what there is: the text reader's limit on one record, in its characters. */
  const checkRecordLength = () => {
    const unread = pending.length - at;
    // Characters are never more than bytes: decode to count only past the limit in bytes.
    if (carry.length + unread <= importLimits.recordChars) return;
    const chars = carry.length + chunkDecoder(sniff.encoding, sniff.name, false).write(pending.subarray(at)).length;
    if (chars > importLimits.recordChars) throw recordTooLong(sniff.name, reader.line + 1);
  };
  /**
   * The format from the same text csvTextRows finds it in: its first 32k characters (more when no
   * record ends in them), the whole file when it is shorter. False while there is too little.
   */
  const detectFormat = (isLast: boolean): boolean => {
    if (!isLast && pending.length - at < csvPieceChars) return false;
    const text = chunkDecoder(sniff.encoding, sniff.name, false).write(pending.subarray(at));
    for (let k = csvPieceChars; k <= text.length; k += csvPieceChars) {
      const end = lastRecordEnd(text.slice(0, k));
      if (end > 0) {
        reader.detect(text.slice(0, end));
        return true;
      }
    }
    if (!isLast) return false;
    reader.detect(text);
    return true;
  };
  const drain = function* (isLast: boolean): Generator<FileRow[]> {
    if (isStart) {
      if (pending.length < bom.length && !isLast) return;
      isStart = false;
      if (bom.every((b, k) => pending[k] === b)) at = bom.length;
    }
    if (reader.format === undefined && !detectFormat(isLast)) {
      checkRecordLength();
      return;
    }
    while (pending.length - at >= (isLast ? 1 : csvPieceBytes)) {
      const limit = Math.min(at + csvPieceBytes, pending.length);
      const format = reader.format;
      const projection = projectionOf(view);
      if (carry === '' && format !== undefined && projection !== undefined) {
        const splitTo = (to: number) =>
          splitRecordBytes(pending, at, to, format.delimiter, format.newline, encoding, projection);
        let split = splitTo(limit);
        // A record longer than a piece: look at everything there is.
        if (split !== undefined && split.rows.length === 0 && !split.stuck && limit < pending.length)
          split = splitTo(pending.length);
        if (split !== undefined) {
          if (split.rows.length > 0) {
            if (isUtf8Encoding && !isUtf8(pending.subarray(at, split.end))) throw notUtf8(sniff);
            at = split.end;
            // splitRecordBytes stops (stuck) before a record past the limits checkRows checks:
            // checking its 74 cells per row again cost 3–5 % of the import worker.
            yield reader.numbered(split.rows, true);
          }
          if (!split.stuck) {
            if (split.rows.length > 0) continue;
            if (!isLast) checkRecordLength();
            return;
          }
        }
      }
      // At the end of the file, the rest in one take as csvTextRows reads a short file: papaparse
      // (bad quoting) reads differently where its text is cut.
      if (isLast) {
        const rows = readText(pending.length, true);
        if (rows !== undefined) yield rows;
        return;
      }
      // As text: the complete records of the piece (or of all there is, for a longer record).
      const inQuotes = carry !== '' && countQuotes(carry) % 2 === 1;
      let end = lastRecordEndBytes(pending, at, limit, inQuotes);
      if (end < 0 && limit < pending.length) end = lastRecordEndBytes(pending, at, pending.length, inQuotes);
      if (end < 0) {
        if (!isLast) checkRecordLength();
        return;
      }
      const rows = readText(end, false);
      if (rows !== undefined) yield rows;
      else if (carry.length > importLimits.recordChars) throw recordTooLong(sniff.name, reader.line + 1);
    }
  };
  // The unread bytes live in one buffer reused for the whole file: a Buffer.concat per 256 KB chunk
  // allocated outside the heap each time, and that external memory drove the collector (import
  // worker's CPU profile, 100k 抖店 rows: GC 390–450 ms per import with it, 250–310 ms for the
  // old text path; --trace-gc with this buffer: ~200–300 ms, 8 mark-compacts against 17).
  let store = Buffer.allocUnsafeSlow(4 * csvPieceBytes + 256 * 1024);
  for await (const chunk of byteStream(source, onBytes) as AsyncIterable<Buffer>) {
    // What is left is under a piece (or one long record): a small copy per chunk.
    const left = pending.length - at;
    if (left === 0) pending = chunk;
    else {
      if (left + chunk.length > store.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(2 * store.length, left + chunk.length));
        pending.copy(bigger, 0, at);
        store = bigger;
      } else if (pending.buffer === store.buffer)
        store.copyWithin(
          0,
          pending.byteOffset - store.byteOffset + at,
          pending.byteOffset - store.byteOffset + pending.length,
        );
      else pending.copy(store, 0, at);
      chunk.copy(store, left);
      pending = store.subarray(0, left + chunk.length);
    }
    at = 0;
    yield* drain(false);
  }
  yield* drain(true);
  if (at < pending.length || carry !== '') {
    const rows = readText(pending.length, true);
    if (rows !== undefined) yield rows;
  } else {
    // Flushes the decoder (a UTF-8 sequence cut at the end of the file is an encoding error).
    decoder.end();
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) count += 1;
  return count;
}

function withoutLastNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

/**
 * Rows of every worksheet, in the workbook's order, read straight from the sheet XML as it
 * inflates (xlsx-reader.ts, xlsx-sheet.ts); the sheet's dimension (often wrong) is not used.
 */
async function* xlsxRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
  view: RowView,
): AsyncGenerator<FileRow[]> {
  try {
    const zip = await openZip(
      source.kind === 'path' ? source : { kind: 'bytes', bytes: source.bytes },
      sniff.size,
      sniff.name,
    );
    const workbook = await openWorkbook(zip);
    const limits = { maxColumns: importLimits.recordCells, maxCellChars: importLimits.cellChars };
    for (const sheet of workbook.sheets) {
      let batch: FileRow[] = [];
      for await (const rows of sheetRows(zip, workbook, sheet, limits, onBytes, view)) {
        for (const row of rows) batch.push(row);
        if (batch.length >= 2000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    if (error instanceof StudioError) throw error;
    if (error instanceof SheetLimitError) {
      throw error.limit === 'cells' ? recordTooLong(sniff.name, error.line) : cellTooLong(sniff.name, error.line);
    }
    throw notATable(sniffName(source), `xlsx: ${String(error)}`);
  }
}

function sniffName(source: FileSource): string {
  return fileName(source);
}

/**
 * The HTML-table ".xls" some platforms and ERPs export, streamed through htmlparser2's tokenizer:
 * linear time whatever the markup (rows and cells without closing tags included; a regular
 * expression over such a file took minutes). A new <tr> ends the row before it, a new <td>/<th>
 * the cell before it.
 */
async function* htmlRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
): AsyncGenerator<FileRow[]> {
  // Loaded here, not with every worker: 21–31 ms to load, for these files only.
  const { Parser } = await import('htmlparser2');
  const decoder = chunkDecoder(sniff.encoding, sniff.name);
  let line = 0;
  const batch: FileRow[] = [];
  let row: string[] | undefined;
  let cell: string[] | undefined;
  let cellLength = 0;
  let limitError: StudioError | undefined;
  const endCell = () => {
    if (row === undefined || cell === undefined) return;
    row.push(cell.join('').replace(/\s+/gu, ' ').trim());
    cell = undefined;
    if (row.length > importLimits.recordCells) limitError ??= recordTooLong(sniff.name, line);
  };
  const endRow = () => {
    endCell();
    if (row === undefined) return;
    batch.push({ cells: row, line, sheet: null });
    row = undefined;
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'tr') {
          endRow();
          line += 1;
          row = [];
        } else if (name === 'td' || name === 'th') {
          endCell();
          if (row === undefined) {
            line += 1;
            row = [];
          }
          cell = [];
          cellLength = 0;
        } else if (name === 'br' && cell !== undefined) cell.push(' ');
      },
      ontext(text) {
        if (cell === undefined) return;
        cellLength += text.length;
        if (cellLength > importLimits.cellChars) {
          limitError ??= cellTooLong(sniff.name, line);
          return;
        }
        cell.push(text);
      },
      onclosetag(name) {
        if (name === 'td' || name === 'th') endCell();
        else if (name === 'tr') endRow();
        else if (name === 'table') endRow();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  const drain = function* (): Generator<FileRow[]> {
    if (limitError !== undefined) throw limitError;
    while (batch.length >= 2000) yield batch.splice(0, 2000);
  };
  for await (const chunk of byteStream(source, onBytes) as AsyncIterable<Buffer>) {
    parser.write(decoder.write(chunk));
    yield* drain();
  }
  parser.write(decoder.end());
  parser.end();
  endRow();
  yield* drain();
  if (batch.length > 0) yield batch;
}

/**
 * What the caller reads of each row, changeable while rows are read: once `wanted` is set (1 for
 * each column read as text, see CellProjection), CSV rows read from then on carry the other
 * cells only as '' (empty) or csv-records' omittedCell, and so do XLSX rows for their other
 * text cells (numbers and shared strings cost no string to read). HTML rows are always whole.
 */
export interface RowView {
  wanted?: Uint8Array | undefined;
}

/** Every row of a sniffed file, in batches; `onBytes` reports progress through the file. */
export function readRows(
  source: FileSource,
  sniff: SniffResult,
  onBytes: (n: number) => void,
  view: RowView = {},
): AsyncGenerator<FileRow[]> {
  switch (sniff.kind) {
    case 'csv':
      return csvRows(source, sniff, onBytes, view);
    case 'xlsx':
      return xlsxRows(source, sniff, onBytes, view);
    case 'html':
      return htmlRows(source, sniff, onBytes);
    default:
      return assertNever(sniff.kind);
  }
}
