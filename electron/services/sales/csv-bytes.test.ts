import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { StudioError } from '../../../shared/api/result';
import { cellText, isEmptyCell } from '../../../shared/sales/import/cells';
import { emptyLookingCells } from '../../../test/support/sales/empty-looking-cells';
import type { ByteEncoding } from './csv-bytes';
import { isByteDelimiter, lastRecordEndBytes, splitRecordBytes } from './csv-bytes';
import type { CellProjection } from './csv-records';
import { omittedCell, splitRecords } from './csv-records';
import type { FileEncoding, FileRow } from './import-reader';
import { importLimits, readRows } from './import-reader';

// The byte splitter must give exactly the rows the text splitter gives for the decoded bytes
// (the reader uses either, piece by piece), and stop (`stuck`) wherever it is not sure.

const encode = (text: string, encoding: ByteEncoding): Buffer =>
  encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030');
const decode = (bytes: Uint8Array, encoding: ByteEncoding): string =>
  encoding === 'utf-8'
    ? Buffer.from(bytes).toString('utf8')
    : iconv.decode(Buffer.from(bytes), 'gb18030', { stripBOM: false });

const limits = (wanted: number[], maxCellChars = 1000, maxCells = 1000): CellProjection => ({
  wanted: Uint8Array.from(wanted),
  maxCellChars,
  maxCells,
});

/** Holds one split of `bytes` to splitRecords over the same text; returns whether bytes answered fully. */
function agree(
  bytes: Uint8Array,
  encoding: ByteEncoding,
  delimiter: string,
  newline: '\r\n' | '\n',
  projection: CellProjection,
): boolean {
  const split = splitRecordBytes(bytes, 0, bytes.length, delimiter, newline, encoding, projection);
  if (split === undefined) throw new Error('delimiter refused');
  const taken = decode(bytes.subarray(0, split.end), encoding);
  const text = decode(bytes, encoding);
  const context = JSON.stringify({ text, delimiter, newline, wanted: [...projection.wanted], encoding });
  // The records taken, read as text, are exactly the rows given...
  expect(splitRecords(taken, delimiter, newline, false, projection), context).toEqual({
    rows: split.rows,
    end: taken.length,
  });
  const whole = splitRecords(text, delimiter, newline, false, projection);
  if (whole !== undefined) expect(whole.rows.slice(0, split.rows.length), context).toEqual(split.rows);
  // ...and when not stuck, every complete record was taken: the rest is one unfinished record.
  if (!split.stuck && whole !== undefined) expect(whole.end, context).toBe(taken.length);
  return !split.stuck;
}

const cellArbitrary = fc.oneof(
  fc.constantFrom(...emptyLookingCells),
  fc.constantFrom('脐橙 5斤', '已完成', '是', '否', '广东省', '¥1,234.50', '59.90', '1', '0', 'a', 'ab'),
  fc.constantFrom('="6917926768823643751"', '\t6917926768823643751', "'3512", '\uFEFF订单号', '中\u3000'),
  fc.constantFrom('"脐橙, 5斤 ""特级"""', '"a;b"', '"\tx"', '""', '""""', '"-"', '"多\n行"', '"ab"c', 'a"b'),
  fc.constantFrom('𠮷野家', '\r', 'x\ry', '\u00a0'),
  fc.string({ maxLength: 6 }),
  fc.stringMatching(/^[a-z0-9\u4e00-\u4e10 ,;\t"\r\n-]{0,12}$/u),
);

describe('CSV records split from bytes', () => {
  it('gives the rows splitRecords gives, in UTF-8 and GB18030, over random lines', () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArbitrary, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(',', '\t', ';'),
        fc.constantFrom('\r\n' as const, '\n' as const),
        fc.constantFrom('utf-8' as const, 'gb18030' as const),
        fc.array(fc.constantFrom(0, 1), { maxLength: 8 }),
        fc.boolean(),
        (lines, delimiter, newline, encoding, wanted, hasEnd) => {
          // Sometimes a stray line end of the other kind, sometimes no end on the last line.
          let text = lines.map((cells) => cells.join(delimiter)).join(newline);
          if (hasEnd) text += newline;
          // GB18030 cannot hold every random character the same way back: compare on what it decodes to.
          const bytes = encode(text, encoding);
          runs += 1;
          if (agree(bytes, encoding, delimiter, newline, limits(wanted))) answered += 1;
          // Cut anywhere: a record cut at the end of the buffer waits.
          const cut = Math.floor(bytes.length / 2);
          agree(bytes.subarray(0, cut), encoding, delimiter, newline, limits(wanted));
        },
      ),
      { numRuns: 20_000 },
    );
    // The byte path must answer for most texts, or it would be no path at all.
    expect(answered).toBeGreaterThan(runs / 4);
  });

  it('reads one-line records under a projection without decoding the cells nobody reads', () => {
    const text =
      '订单号,商品,金额,备注\r\n"\t691","脐橙, 5斤 ""特级""",-,无\r\n="12",已完成, -, 很长的备注文字\r\n\r\n';
    for (const encoding of ['utf-8', 'gb18030'] as const) {
      const bytes = encode(text, encoding);
      const split = splitRecordBytes(bytes, 0, bytes.length, ',', '\r\n', encoding, limits([1, 1, 0, 0]));
      expect(split).toEqual({
        rows: [
          ['订单号', '商品', omittedCell, omittedCell],
          ['\t691', '脐橙, 5斤 "特级"', '', ''],
          ['="12"', '已完成', '', omittedCell],
          [''],
        ],
        end: bytes.length,
        stuck: false,
      });
    }
  });

  it('leaves a record cut at the end of the buffer, a lone CR of a CRLF included', () => {
    const p = limits([1, 1]);
    expect(splitRecordBytes(Buffer.from('a,b\r\nc,d'), 0, 8, ',', '\r\n', 'utf-8', p)).toEqual({
      rows: [['a', 'b']],
      end: 5,
      stuck: false,
    });
    expect(splitRecordBytes(Buffer.from('a,b\r\nc,d\r'), 0, 9, ',', '\r\n', 'utf-8', p)).toEqual({
      rows: [['a', 'b']],
      end: 5,
      stuck: false,
    });
    expect(splitRecordBytes(Buffer.from('a,b\r\nc,"d\r'), 0, 10, ',', '\r\n', 'utf-8', p)).toEqual({
      rows: [['a', 'b']],
      end: 5,
      stuck: false,
    });
    // `to` is the end, whatever lies after it.
    expect(splitRecordBytes(Buffer.from('a,b\nc,d\n'), 0, 6, ',', '\n', 'utf-8', p)?.rows).toEqual([['a', 'b']]);
  });

  it('stops where the text reader must go on: a quoted newline, repaired quoting, a bare LF, the limits', () => {
    const p = limits([1, 1]);
    const at = (text: string, projection = p, newline: '\r\n' | '\n' = '\r\n') =>
      splitRecordBytes(Buffer.from(text), 0, Buffer.byteLength(text), ',', newline, 'utf-8', projection);
    expect(at('a,b\r\nc,"d\r\ne"\r\n')).toEqual({ rows: [['a', 'b']], end: 5, stuck: true });
    expect(at('a,b\r\n"c"d,e\r\n')).toEqual({ rows: [['a', 'b']], end: 5, stuck: true });
    expect(at('a,b\r\nc\nd\r\n')).toEqual({ rows: [['a', 'b']], end: 5, stuck: true });
    expect(at('a,b\n"c"\r\n', p, '\n')).toEqual({ rows: [['a', 'b']], end: 4, stuck: true });
    // Over the cell limit in bytes: the text reader counts characters and reports it.
    expect(at('a,b\r\nc,dddddd\r\n', limits([1, 1], 5))).toEqual({ rows: [['a', 'b']], end: 5, stuck: true });
    expect(at('a,b\r\nc,d,e\r\n', limits([1, 1], 100, 2))).toEqual({ rows: [['a', 'b']], end: 5, stuck: true });
    // A delimiter at the line end is one more, empty cell (and counts against the limit).
    expect(at('a,\r\n', limits([1, 1], 100, 2))).toEqual({ rows: [['a', '']], end: 4, stuck: false });
    expect(at('a,b,\r\n', limits([1, 1], 100, 3))).toEqual({ rows: [['a', 'b', '']], end: 6, stuck: false });
    expect(at('a,b,\r\n', limits([1, 1], 100, 2))).toEqual({ rows: [], end: 0, stuck: true });
  });

  it('takes only delimiters that cannot be part of a character', () => {
    expect(isByteDelimiter(',', 'gb18030')).toBe(true);
    expect(isByteDelimiter('\t', 'gb18030')).toBe(true);
    expect(isByteDelimiter(';', 'gb18030')).toBe(true);
    expect(isByteDelimiter('\u001e', 'gb18030')).toBe(true);
    // '|' (0x7c) is a GBK trail byte: 丨 is 81 7C.
    expect(isByteDelimiter('|', 'gb18030')).toBe(false);
    expect(isByteDelimiter('|', 'utf-8')).toBe(true);
    expect(isByteDelimiter(';;', 'utf-8')).toBe(false);
    expect(isByteDelimiter('、', 'utf-8')).toBe(false);
    expect(splitRecordBytes(Buffer.from('a|b\n'), 0, 4, '|', '\n', 'gb18030', limits([1]))).toBeUndefined();
  });

  it('finds the last record end outside quotes', () => {
    const bytes = Buffer.from('a,"b\nc"\nd,"e\n');
    expect(lastRecordEndBytes(bytes, 0, bytes.length)).toBe(8);
    expect(lastRecordEndBytes(bytes, 0, 5)).toBe(-1);
    expect(lastRecordEndBytes(bytes, 8, bytes.length, true)).toBe(bytes.length);
  });
});

/** Every row readRows gives for `bytes`, read as `encoding`, with the projection set from the start. */
async function readAll(bytes: Buffer, encoding: FileEncoding, wanted?: number[]): Promise<FileRow[]> {
  const view = { wanted: wanted === undefined ? undefined : Uint8Array.from(wanted) };
  const sniff = { kind: 'csv', encoding, size: bytes.length, name: 'orders.csv' } as const;
  const rows: FileRow[] = [];
  for await (const batch of readRows({ kind: 'bytes', name: 'orders.csv', bytes }, sniff, () => {}, view))
    rows.push(...batch);
  return rows;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof StudioError ? error.code : String(error);
  }
}

/** UTF-16 is read by the text path: the reference for what the byte path must give. */
const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('CSV files read from bytes', () => {
  const header = ['订单号', '商品', '数量', '金额', '备注', '地址'];
  const line = (k: number) =>
    [
      `="69${k}"`,
      k % 7 === 0 ? '"脐橙, 5斤 ""特级"""' : `脐橙${k}`,
      '1',
      k % 5 === 0 ? '-' : '59.90',
      k % 3 === 0 ? '' : '尽快发货',
      '广东省',
    ].join(',');

  it('gives the text path rows, line numbers and blank lines, across pieces, in UTF-8 and GB18030', async () => {
    // 5,000 lines: many 64 KB pieces; a multi-line quoted cell and a blank line in the middle.
    const lines = [header.join(',')];
    for (let k = 1; k <= 5000; k++) lines.push(k === 2500 ? '="1","多\r\n行",1,2,,' : k === 3000 ? '' : line(k));
    const text = lines.join('\r\n') + '\r\n';
    const wanted = [1, 1, 0, 1, 0, 0];
    const expected = await readAll(utf16(text), 'utf-16le', wanted);
    expect(expected).toHaveLength(5001);
    expect(expected[2500]?.cells).toEqual(['="1"', '多\r\n行', '1', '2', '', '']);
    expect(expected[3000]).toEqual({ cells: [''], line: 3001, sheet: null });
    expect(expected[1]?.cells).toEqual(['="691"', '脐橙1', omittedCell, '59.90', omittedCell, omittedCell]);
    expect(await readAll(Buffer.from(text), 'utf-8', wanted)).toEqual(expected);
    expect(await readAll(iconv.encode(text, 'gb18030'), 'gb18030', wanted)).toEqual(expected);
    // A BOM (either encoding's) is not part of the first cell; a second one would be.
    const withBom = await readAll(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      'utf-8-bom',
      wanted,
    );
    expect(withBom).toEqual(expected);
    const gbBom = Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), iconv.encode(text, 'gb18030')]);
    expect(await readAll(gbBom, 'gb18030', wanted)).toEqual(expected);
    // Without a projection (before the header is known) every cell comes whole.
    expect(await readAll(Buffer.from(text), 'utf-8')).toEqual(await readAll(utf16(text), 'utf-16le'));
  });

  it('gives the text path rows for random files spanning many pieces', async () => {
    // Well-formed quoting (a quote inside an unquoted cell is text) and one kind of newline:
    // papaparse repairs bad quoting (and a quoted cell before a bare LF in a CRLF file) depending
    // on where a piece is cut, and the two paths cut at different places (32k characters, 32 KB).
    // Where papaparse reads a piece its cells come whole: unread cells compare by emptiness.
    const cell = fc.oneof(
      fc.constantFrom('', '-', '无', '="6917926768823643751"', '\t691', '59.90', '赣南脐橙 5斤装', 'x'.repeat(300)),
      fc.constantFrom('"脐橙, 5斤 ""特级"""', '"多<NL>行"', '"a\nb"', 'a"b', '橙'.repeat(200)),
    );
    const file = fc.array(fc.array(cell, { minLength: 1, maxLength: 10, size: 'max' }), {
      minLength: 1,
      maxLength: 400,
      size: 'max',
    });
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.constantFrom(',', '\t'),
        fc.constantFrom('\r\n', '\n'),
        fc.array(fc.constantFrom(0, 1), { maxLength: 10 }),
        async (lines, delimiter, newline, wanted) => {
          // A first line of the delimiter, so that both paths detect the same format; a quoted
          // newline of the file's kind (another kind can change which newline is detected).
          const body = lines.map((c) => c.join(delimiter)).join(newline) + newline;
          const text = ['a', 'b', 'c'].join(delimiter) + newline + body.replaceAll('<NL>', newline);
          const expected = await readAll(utf16(text), 'utf-16le', wanted).catch((e: unknown) => e);
          const utf8 = await readAll(Buffer.from(text), 'utf-8', wanted).catch((e: unknown) => e);
          const gb = await readAll(iconv.encode(text, 'gb18030'), 'gb18030', wanted).catch((e: unknown) => e);
          const unread = (result: unknown) =>
            Array.isArray(result)
              ? (result as FileRow[]).map((row) => ({
                  ...row,
                  cells: row.cells.map((c, k) =>
                    k < wanted.length && wanted[k] === 0 ? (isEmptyCell(cellText(c)) ? '' : omittedCell) : c,
                  ),
                }))
              : result;
          expect(unread(utf8)).toEqual(unread(expected));
          expect(unread(gb)).toEqual(unread(expected));
        },
      ),
      // No shrinking: files of hundreds of lines shrink for minutes; the counterexample is printed whole.
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('reads a last line without a newline whole, as the text path does', async () => {
    const text = `${header.join(',')}\n${line(1)}\n${line(2)}`;
    expect(await readAll(Buffer.from(text), 'utf-8', [1, 0, 0, 0, 0, 0])).toEqual(
      await readAll(utf16(text), 'utf-16le', [1, 0, 0, 0, 0, 0]),
    );
  });

  it('still refuses invalid UTF-8 in a column nobody reads', async () => {
    const lines = [header.join(',')];
    for (let k = 1; k <= 3000; k++) lines.push(line(k));
    const good = Buffer.from(lines.join('\n') + '\n');
    const bad = Buffer.concat([
      good,
      Buffer.from('="7",脐橙,1,2,'),
      Buffer.from([0xe4, 0xb8]),
      Buffer.from(',x\n'),
      good,
    ]);
    expect(await codeOf(readAll(good, 'utf-8', [1, 1, 0, 1, 0, 0]))).toBeUndefined();
    expect(await codeOf(readAll(bad, 'utf-8', [1, 1, 0, 1, 0, 0]))).toBe('sales/import-encoding');
    // A sequence cut at the very end of the file, too.
    expect(await codeOf(readAll(Buffer.concat([good, Buffer.from([0xe4])]), 'utf-8', [1]))).toBe(
      'sales/import-encoding',
    );
  });

  it('reports a cell over the limit with its line, and reads a long Chinese cell that is within it', async () => {
    const long = 'x'.repeat(importLimits.cellChars + 1);
    const lines = [header.join(','), line(1), `="2",${long},1,2,,`, line(3)];
    const error = await readAll(Buffer.from(lines.join('\n') + '\n'), 'utf-8', [1, 0, 0, 0, 0, 0]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('sales/import-cell-too-long');
    expect((error as StudioError).params).toMatchObject({ line: 3 });
    // 20,000 characters are 60,000 bytes of UTF-8: over the limit in bytes, within it in characters.
    const chinese = '橙'.repeat(20_000);
    const ok = [header.join(','), line(1), `="2",${chinese},1,2,,`, line(3)].join('\n') + '\n';
    const rows = await readAll(Buffer.from(ok), 'utf-8', [1, 1, 0, 0, 0, 0]);
    expect(rows.map((r) => r.cells[1])).toEqual(['商品', '脐橙1', chinese, '脐橙3']);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('reports a record that never ends, as the text path does', async () => {
    const text = `${header.join(',')}\n${line(1)}\n="2","${'橙'.repeat(importLimits.recordChars / 2)},${'x'.repeat(importLimits.recordChars / 2)}`;
    const bytes = Buffer.from(text);
    const error = await readAll(bytes, 'utf-8', [1, 1, 0, 0, 0, 0]).catch((e: unknown) => e);
    expect((error as StudioError).code).toBe('sales/import-record-too-long');
    expect((error as StudioError).params).toMatchObject({ line: 3 });
  });
});
