import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CellValue } from '../../../shared/sales/import/cells';
import { cellText, isEmptyCell } from '../../../shared/sales/import/cells';
import { emptyLookingCells } from '../../../test/support/sales/empty-looking-cells';
import { buildZip } from '../../../test/support/show/zip-fixture';
import { omittedCell } from './csv-records';
import { isDateFormatCode, openWorkbook, sheetRows } from './xlsx-reader';
import type { SheetRow } from './xlsx-sheet';
import { decodeXmlText, excelSerialToDate, plainDecimalOf } from './xlsx-sheet';
import { openZip } from './zip-guard';

/** A row as the reader gives it (the exceljs reference is made into the same shape). */
type ReadRow = SheetRow;

const limits = { maxColumns: 1000, maxCellChars: 32_767 };

async function readXlsx(bytes: Buffer, wanted?: Uint8Array): Promise<ReadRow[]> {
  const zip = await openZip({ kind: 'bytes', bytes }, bytes.length, 'test.xlsx');
  const workbook = await openWorkbook(zip);
  const out: ReadRow[] = [];
  for (const sheet of workbook.sheets) {
    for await (const rows of sheetRows(zip, workbook, sheet, limits, () => undefined, { wanted })) {
      out.push(...rows);
    }
  }
  return out;
}

/** What the import read through exceljs' streaming reader before (the reference). */
function exceljsValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return null;
      if (typeof result === 'object' && !(result instanceof Date)) return null;
      return result as CellValue;
    }
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return null;
}

/**
 * The reference: exceljs reading the whole workbook. Not its streaming reader, which the import
 * used before: that one loses entries now and then (exceljs issue 3064, its stream paused
 * between zip entries) and hung this test one run in tens.
 */
async function readWithExceljs(bytes: Buffer): Promise<ReadRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: ReadRow[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = row.values as ExcelJS.CellValue[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(exceljsValue(values[i]));
      out.push({ sheet: sheet.name, line: row.number, cells });
    });
  }
  return out;
}

type Written = string | number | boolean | Date | { richText: { text: string }[] } | null;

async function writeWorkbook(
  sheets: { name: string; rows: Written[][] }[],
  useSharedStrings: boolean,
): Promise<Buffer> {
  /** One row's cells, nulls left out, dates shown as dates. */
  const fill = (row: ExcelJS.Row, cells: Written[]) => {
    cells.forEach((value, c) => {
      if (value === null) return;
      const cell = row.getCell(c + 1);
      cell.value = value;
      if (value instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    row.commit();
  };
  // exceljs writes shared strings unless told otherwise; inline strings through the streaming writer.
  if (useSharedStrings) {
    const workbook = new ExcelJS.Workbook();
    for (const { name, rows } of sheets) {
      const sheet = workbook.addWorksheet(name);
      rows.forEach((cells, r) => fill(sheet.getRow(r + 1), cells));
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const chunks: Buffer[] = [];
  const stream = new (await import('node:stream')).PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false, useStyles: true });
  for (const { name, rows } of sheets) {
    const sheet = writer.addWorksheet(name);
    for (const cells of rows) fill(sheet.addRow([]), cells);
    sheet.commit();
  }
  await writer.commit();
  return Buffer.concat(chunks);
}

/** Dates as their time, so rows compare as plain data. */
const comparable = (rows: ReadRow[]) =>
  rows.map((r) => ({ ...r, cells: r.cells.map((c) => (c instanceof Date ? `date:${c.getTime()}` : c)) }));

// Text the way an export has it: CJK, spaces around, XML's special characters (entity-looking
// text and _xHHHH_ aside: exceljs decodes those twice, see the hand-written cases below).
const text = fc
  .array(
    fc.constantFrom('脐', '橙', 'A', 'z', '0', '9', ' ', '&', '<', '>', '"', "'", '¥', '.', '-', '\u3000', '—', '😀'),
    { minLength: 1, maxLength: 12 },
  )
  .map((chars) => chars.join(''))
  .filter((s) => s.trim() !== '' && !/&[#a-zA-Z]/u.test(s));
const cell: fc.Arbitrary<Written> = fc.oneof(
  text,
  fc.integer({ min: -1_000_000, max: 10_000_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
    .map((ms) => new Date(Math.floor(ms / 1000) * 1000)),
  fc.constant(null),
);

describe('the xlsx reader', () => {
  it('reads what exceljs reads: shared and inline strings, numbers, booleans, dates, gaps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 4 }),
        fc.boolean(),
        async (first, second, useSharedStrings) => {
          const bytes = await writeWorkbook(
            [
              { name: '订单列表', rows: first },
              { name: 'Sheet 2', rows: second },
            ],
            useSharedStrings,
          );
          expect(comparable(await readXlsx(bytes))).toEqual(comparable(await readWithExceljs(bytes)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads the columns nobody reads as CSV does: empty or not, without their text', async () => {
    // Markers of empty cells, padded ones, and text; inline strings (the in-line shape) and numbers.
    const unreadable: fc.Arbitrary<Written> = fc.oneof(
      text,
      fc.constantFrom(...emptyLookingCells, 'a_b', '-x', '无货'),
      fc.integer({ min: -1000, max: 1000 }),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(unreadable, { maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.uint8Array({ min: 0, max: 1, minLength: 0, maxLength: 8 }),
        async (rows, wanted) => {
          const bytes = await writeWorkbook([{ name: '订单列表', rows }], false);
          const whole = await readXlsx(bytes);
          const projected = await readXlsx(bytes, wanted);
          expect(projected.map((r) => r.line)).toEqual(whole.map((r) => r.line));
          projected.forEach((row, r) => {
            const full = whole[r]?.cells ?? [];
            expect(row.cells).toHaveLength(full.length);
            row.cells.forEach((value, c) => {
              if (c >= wanted.length || wanted[c] === 1 || typeof full[c] !== 'string') {
                expect(value, `row ${r} column ${c}`).toEqual(full[c]);
              } else {
                expect([full[c], '', omittedCell]).toContain(value);
                expect(isEmptyCell(cellText(value)), `row ${r} column ${c}`).toBe(isEmptyCell(cellText(full[c])));
              }
            });
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('joins rich text runs of shared strings as exceljs does', async () => {
    const bytes = await writeWorkbook(
      [{ name: 'S', rows: [[{ richText: [{ text: '赣南' }, { text: ' 脐橙' }] }, '单价']] }],
      true,
    );
    expect(await readXlsx(bytes)).toEqual(await readWithExceljs(bytes));
    expect((await readXlsx(bytes))[0]?.cells).toEqual(['赣南 脐橙', '单价']);
  });

  /** An xlsx from raw parts: the sheet XML as given, a workbook naming it, optional styles and strings. */
  function rawXlsx(parts: { sheet: string; workbook?: string; styles?: string; shared?: string }): Buffer {
    const rel = (id: string, type: string, target: string) =>
      `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
    return buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      {
        name: 'xl/workbook.xml',
        data: Buffer.from(
          parts.workbook ??
            '<workbook xmlns:r="r"><sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>',
        ),
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        data: Buffer.from(
          `<Relationships>${rel('rId1', 'worksheet', 'worksheets/sheet1.xml')}${rel('rId2', 'styles', 'styles.xml')}${rel('rId3', 'sharedStrings', '/xl/sharedStrings.xml')}</Relationships>`,
        ),
      },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(parts.sheet), deflate: true },
      ...(parts.styles === undefined ? [] : [{ name: 'xl/styles.xml', data: Buffer.from(parts.styles) }]),
      ...(parts.shared === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: Buffer.from(parts.shared) }]),
    ]);
  }

  it('reads what other writers write: prefixes, no cell references, phonetic runs, escapes, CDATA, formulas', async () => {
    const sheet = `<?xml version="1.0"?><x:worksheet xmlns:x="main"><x:sheetData>
      <x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t xml:space="preserve"> 行 &amp; 列 </x:t></x:is></x:c></x:row>
      <x:row><x:c><x:v>42</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>结果_x000D_</x:v></x:c></x:row>
      <x:row r="7"/>
      <x:row r="9"><x:c r="A9" t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c><x:c r="C9" t="str"><x:v><![CDATA[a<b]]></x:v></x:c><x:c r="D9" s="1"/></x:row>
    </x:sheetData></x:worksheet>`;
    const shared = `<sst><si><t>订单号</t></si><si><r><t>赣</t></r><r><t>南</t></r><rPh sb="0" eb="1"><t>gan</t></rPh></si></sst>`;
    expect(await readXlsx(rawXlsx({ sheet, shared }))).toEqual([
      { sheet: '订单', line: 2, cells: [null, '订单号', '赣南', ' 行 & 列 '] },
      { sheet: '订单', line: 3, cells: [42, true, null, '结果\r'] },
      { sheet: '订单', line: 7, cells: [] },
      { sheet: '订单', line: 9, cells: ['富文本', null, 'a<b'] },
    ]);
  });

  it('shows dates for date styles, builtin (East Asian ones too) and custom, in either date system', async () => {
    const styles = `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot; hh:mm"/><numFmt numFmtId="165" formatCode="#,##0.00&quot;元&quot;"/></numFmts>
      <cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>
      <cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="58"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="4"/></cellXfs></styleSheet>`;
    const row = (s: number) => `<c s="${s}"><v>46127.5</v></c>`;
    const sheet = `<worksheet><sheetData><row r="1">${[0, 1, 2, 3, 4, 5].map(row).join('')}</row></sheetData></worksheet>`;
    const noon = excelSerialToDate(46127.5, false);
    expect(noon.toISOString()).toBe('2026-04-15T12:00:00.000Z');
    const [read] = await readXlsx(rawXlsx({ sheet, styles }));
    expect(read?.cells).toEqual([46127.5, noon, noon, noon, 46127.5, 46127.5]);
    const in1904 = await readXlsx(
      rawXlsx({
        sheet,
        styles,
        workbook:
          '<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>',
      }),
    );
    expect(in1904[0]?.cells[1]).toEqual(excelSerialToDate(46127.5, true));
    expect((in1904[0]?.cells[1] as Date).getUTCFullYear()).toBe(2030);
  });

  it('tells date format codes from number formats', () => {
    for (const code of ['yyyy-mm-dd', 'h:mm AM/PM', '[$-804]yyyy"年"m"月"', '[h]:mm:ss', 'm/d/yy "h":mm', 'YYYY/MM/DD'])
      expect(isDateFormatCode(code), code).toBe(true);
    for (const code of ['General', '0.00', '#,##0.00"元"', '0.00_);[Red](0.00)', '@', '0.00E+00', '\\d0'])
      expect(isDateFormatCode(code), code).toBe(false);
  });

  it('reads plain decimals from the bytes exactly as Number() reads their text', () => {
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^[0-9]{0,20}$/u),
        fc.option(fc.stringMatching(/^[0-9]{0,25}$/u)),
        fc.constantFrom('', '', '', 'e3', ' ', 'x'),
      )
      .map(([sign, whole, fraction, tail]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${tail}`);
    const check = (text: string) => {
      const read = plainDecimalOf(Buffer.from(text, 'latin1'), 0, text.length);
      // NaN: not a plain decimal the fast path takes; the caller reads the text through Number().
      if (Number.isNaN(read)) return;
      expect(Object.is(read, Number(text)), text).toBe(true);
    };
    fc.assert(fc.property(decimal, check), { numRuns: 5000 });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => check(String(n))),
      {
        numRuns: 5000,
      },
    );
    for (const text of ['59.9', '0.1', '-0', '007', '1.', '.5', '123456789012345', '0.000000000000000000001'])
      expect(plainDecimalOf(Buffer.from(text), 0, text.length), text).toBe(Number(text));
    for (const text of ['', '-', '.', '1e5', ' 1', '+1', '1.2.3', '1234567890123456', '&#49;'])
      expect(plainDecimalOf(Buffer.from(text), 0, text.length), text).toBeNaN();
  });

  it('decodes entities and _xHHHH_ escapes, and leaves unknown ones as they are', () => {
    expect(decodeXmlText('a&amp;b&lt;&#x4E2D;&#25991;&nope;', false)).toBe('a&b<中文&nope;');
    expect(decodeXmlText('行_x000D__x000A_', true)).toBe('行\r\n');
    expect(decodeXmlText('行_x000D_', false)).toBe('行_x000D_');
  });

  it('reads a sheet cut into chunks anywhere the same as whole', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [
      `订单${i}`,
      i * 1.5,
      i % 2 === 0,
      new Date(Date.UTC(2026, 3, 15, 20, i)),
    ]);
    const bytes = await writeWorkbook([{ name: 'S', rows }], false);
    const whole = await readXlsx(bytes);
    expect(whole).toHaveLength(40);
    const zip = await openZip({ kind: 'bytes', bytes }, bytes.length, 'test.xlsx');
    const workbook = await openWorkbook(zip);
    const sheet = workbook.sheets[0];
    if (sheet === undefined) throw new Error('no sheet');
    const xml = (await zip.read(sheet.entry)) as Buffer;
    const { SheetReader } = await import('./xlsx-sheet');
    await fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: xml.length - 1 }), { maxLength: 30 }), (cuts) => {
        const reader = new SheetReader({ ...workbook, ...limits, sheet: sheet.name });
        const read: ReadRow[] = [];
        let from = 0;
        for (const at of [...cuts.sort((a, b) => a - b), xml.length]) {
          read.push(...reader.push(xml.subarray(from, at)));
          from = at;
        }
        expect(read).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a row that never ends instead of holding the sheet, and survives mangled XML', async () => {
    const { SheetReader, SheetLimitError } = await import('./xlsx-sheet');
    const context = { sharedStrings: ['a'], dateStyles: new Uint8Array(4), isDate1904: false, ...limits };
    const runaway = new SheetReader(context);
    runaway.push(Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>'));
    const chunk = Buffer.alloc(256 * 1024, 0x78);
    let thrown: unknown;
    try {
      for (let i = 0; i < 80; i++) runaway.push(chunk);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SheetLimitError);
    expect(thrown).toMatchObject({ limit: 'cells', line: 1 });

    const sample = Buffer.from(
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>脐橙 &amp; 蜂蜜</t></is></c>' +
        '<c r="C1" s="1"><v>46127.5</v></c><c r="D1" t="str"><f>A1</f><v>x</v></c></row><row r="2"><c r="A2" t="b"><v>1</v></c></row></sheetData></worksheet>',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(sample.length - 1),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom('set', 'insert', 'delete'),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.uniqueArray(fc.nat(sample.length), { maxLength: 6 }),
        (edits, cuts) => {
          const bytes = [...sample];
          for (const [at, byte, how] of edits) {
            if (how === 'set') bytes[at % bytes.length] = byte;
            else if (how === 'insert') bytes.splice(at % (bytes.length + 1), 0, byte);
            else bytes.splice(at % bytes.length, 1);
          }
          const mangled = Buffer.from(bytes);
          const reader = new SheetReader(context);
          let from = 0;
          try {
            for (const at of [...cuts.sort((a, b) => a - b), mangled.length]) {
              for (const row of reader.push(mangled.subarray(from, Math.max(from, at)))) {
                expect(row.cells.length).toBeLessThanOrEqual(limits.maxColumns);
              }
              from = Math.max(from, at);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(SheetLimitError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
