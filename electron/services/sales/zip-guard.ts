import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

import { StudioError } from '../../../shared/api/studio-error';

// An xlsx is a zip: a few kilobytes can inflate to gigabytes (a zip bomb), and the xlsx reader
// keeps the shared strings in memory. The central directory is checked against the limits below
// before anything is inflated, and every entry the reader inflates is counted as it inflates: the
// file is refused when one inflates past what its directory declares or all past the total.

export const zipLimits = {
  /** All entries together, inflated. */
  totalBytes: 4 * 1024 ** 3,
  /** One entry inflated (a sheet of a 300 MB export is about 3 GB of XML). */
  entryBytes: 3.5 * 1024 ** 3,
  /** sharedStrings.xml is held in memory by the reader. */
  sharedStringsBytes: 256 * 1024 ** 2,
  /** Inflated / compressed, per entry of more than 1 MB: real sheets stay far below it. */
  ratio: 300,
  entries: 10_000,
};

interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
}

export type ZipBytes = { kind: 'path'; path: string } | { kind: 'bytes'; bytes: Buffer };

/** `length` bytes from `position` (fewer at the end of the file); also the import reader's sniffing head. */
export async function readAt(source: ZipBytes, position: number, length: number): Promise<Buffer> {
  if (source.kind === 'bytes') return source.bytes.subarray(position, position + length);
  const handle = await fs.promises.open(source.path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function rangeStream(source: ZipBytes, start: number, length: number): Readable {
  if (length === 0) return Readable.from([]);
  if (source.kind === 'bytes') return Readable.from([source.bytes.subarray(start, start + length)]);
  return fs.createReadStream(source.path, { start, end: start + length - 1, highWaterMark: 256 * 1024 });
}

function bomb(file: string, detail: string): StudioError {
  return new StudioError('sales/import-zip-bomb', 'This xlsx file inflates far beyond an order export.', {
    detail,
    params: { file, limitMb: Math.round(zipLimits.totalBytes / 1024 ** 2) },
  });
}

function broken(file: string, detail: string): StudioError {
  return new StudioError('sales/import-not-a-table', 'This file is not a table of orders.', {
    detail: `xlsx: ${detail}`,
    params: { file },
  });
}

/** The central directory's entries. */
async function entriesOf(source: ZipBytes, size: number, file: string): Promise<Entry[]> {
  const tailLength = Math.min(size, 65_557);
  const tail = await readAt(source, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken(file, 'no end of central directory');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw bomb(file, 'zip64 archive');
  if (count > zipLimits.entries) throw bomb(file, `${count} entries`);
  if (dirOffset + dirSize > size) throw broken(file, 'central directory outside the file');
  const dir = await readAt(source, dirOffset, dirSize);
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) throw broken(file, 'bad central directory');
    const method = dir.readUInt16LE(p + 10);
    const compressed = dir.readUInt32LE(p + 20);
    const entrySize = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const offset = dir.readUInt32LE(p + 42);
    const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
    if (compressed === 0xffffffff || entrySize === 0xffffffff || offset === 0xffffffff) {
      throw bomb(file, `zip64 entry ${name}`);
    }
    entries.push({ name, method, compressed, size: entrySize, offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Refuses an archive whose directory declares more than the limits (nothing inflated yet). */
function checkDeclared(entries: readonly Entry[], file: string): void {
  let declared = 0;
  for (const e of entries) {
    declared += e.size;
    const isSharedStrings = /sharedStrings\.xml$/iu.test(e.name);
    if (isSharedStrings && e.size > zipLimits.sharedStringsBytes) throw bomb(file, `${e.name} declares ${e.size}`);
    if (e.size > zipLimits.entryBytes) throw bomb(file, `${e.name} declares ${e.size}`);
    if (e.size > 1024 ** 2 && e.size > e.compressed * zipLimits.ratio) throw bomb(file, `${e.name} ratio`);
  }
  if (declared > zipLimits.totalBytes) throw bomb(file, `declared ${declared}`);
}

/** An xlsx opened for reading: its entries, each inflated only when read and never past what it declares. */
export interface ZipArchive {
  readonly names: readonly string[];
  /** One entry whole (the small parts of a workbook); undefined if there is none by that name. */
  read(name: string): Promise<Buffer | undefined>;
  /** One entry as it inflates; `onCompressed` hears of the compressed bytes read. */
  chunks(name: string, onCompressed?: (n: number) => void): AsyncGenerator<Buffer>;
}

/**
 * Opens an xlsx after checking what its directory declares. Every entry it inflates is held to
 * its declared size (and all together to the total limit) as it inflates: a lying entry fails
 * the read with sales/import-zip-bomb instead of being inflated twice, once to check it.
 */
export async function openZip(source: ZipBytes, size: number, file: string): Promise<ZipArchive> {
  const entries = await entriesOf(source, size, file);
  checkDeclared(entries, file);
  const byName = new Map(entries.map((e) => [e.name, e]));
  let inflated = 0;
  async function* chunks(name: string, onCompressed?: (n: number) => void): AsyncGenerator<Buffer> {
    const entry = byName.get(name);
    if (entry === undefined) return;
    const local = await readAt(source, entry.offset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) throw broken(file, `bad local header ${name}`);
    const dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (entry.method !== 0 && entry.method !== 8) throw broken(file, `compression method ${entry.method}`);
    const raw = rangeStream(source, dataStart, entry.compressed);
    const inflate = entry.method === 8 ? zlib.createInflateRaw({ chunkSize: 256 * 1024 }) : undefined;
    if (inflate !== undefined) {
      raw.on('data', (chunk: Buffer) => onCompressed?.(chunk.length));
      raw.on('error', (error) => inflate.destroy(broken(file, `${name}: ${error.message}`)));
      raw.pipe(inflate);
    }
    let total = 0;
    try {
      for await (const chunk of (inflate ?? raw) as AsyncIterable<Buffer>) {
        if (inflate === undefined) onCompressed?.(chunk.length);
        total += chunk.length;
        inflated += chunk.length;
        if (total > entry.size) throw bomb(file, `${name} inflates past ${entry.size} bytes`);
        if (inflated > zipLimits.totalBytes) throw bomb(file, `inflated ${inflated}`);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof StudioError) throw error;
      throw broken(file, `${name}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      raw.destroy();
      inflate?.destroy();
    }
  }
  return {
    names: entries.map((e) => e.name),
    chunks,
    async read(name) {
      if (!byName.has(name)) return undefined;
      const parts: Buffer[] = [];
      for await (const chunk of chunks(name)) parts.push(chunk);
      return Buffer.concat(parts);
    },
  };
}
