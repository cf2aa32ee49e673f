import path from 'node:path/posix';

import type { SheetContext, SheetRow } from './xlsx-sheet';
import { readSharedStrings, SheetReader } from './xlsx-sheet';
import type { ZipArchive } from './zip-guard';

// The workbook around the sheets of an xlsx: which sheets there are, in the order the user sees
// them, and where their XML is (workbook.xml and its relationships), which cell styles show
// dates (styles.xml), the date system (1900 or 1904) and the shared strings. The small parts
// go through htmlparser2's parser; sheets and shared strings through the byte reader
// (xlsx-sheet.ts).

/** One sheet to read: its tab name and its XML's entry in the zip. */
export interface SheetPart {
  readonly name: string | null;
  readonly entry: string;
}

export interface Workbook {
  readonly sheets: readonly SheetPart[];
  readonly sharedStrings: readonly string[];
  readonly dateStyles: Uint8Array;
  readonly isDate1904: boolean;
}

/** The limits a sheet's rows are read under. */
export type XlsxLimits = Pick<SheetContext, 'maxColumns' | 'maxCellChars'>;

type XmlElement = { readonly name: string; readonly attributes: Readonly<Record<string, string>> };

/** The elements of a small XML part, with their attributes, local names (prefixes dropped). */
async function elementsOf(xml: Buffer | undefined): Promise<XmlElement[]> {
  if (xml === undefined) return [];
  const { Parser } = await import('htmlparser2');
  const out: XmlElement[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        out.push({ name: name.slice(name.indexOf(':') + 1), attributes });
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml.toString('utf8'));
  parser.end();
  return out;
}

/** The attribute `local` (any prefix: r:id, x:id). */
function attr(element: XmlElement, local: string): string | undefined {
  for (const [key, value] of Object.entries(element.attributes)) {
    if (key === local || key.endsWith(`:${local}`)) return value;
  }
  return undefined;
}

/** Builtin number formats that show a date or time: ECMA-376's, and those East Asian locales add. */
function isBuiltinDateFormat(id: number): boolean {
  return (
    (id >= 14 && id <= 22) ||
    (id >= 27 && id <= 36) ||
    (id >= 45 && id <= 47) ||
    (id >= 50 && id <= 58) ||
    (id >= 71 && id <= 81)
  );
}

/**
 * Whether a format code shows a date or time: a y, m, d, h, s (or b, the Buddhist year) outside
 * quoted text, brackets (colours, locales, elapsed time aside), escapes and padding — the test
 * exceljs applies, with escapes and padding also left out.
 */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/\[(?:h+|m+|s+)\]/giu, 'h')
    .replace(/\[[^\]]*\]/gu, '')
    .replace(/"[^"]*"/gu, '')
    .replace(/\\./gu, '')
    .replace(/[_*]./gu, '');
  return /[ymdhsb]/iu.test(bare.replace(/General/giu, ''));
}

/** Per cell style (the s attribute, an index into cellXfs): 1 when it shows a date or time. */
function dateStylesOf(elements: readonly XmlElement[]): Uint8Array {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  for (const e of elements) {
    if (e.name === 'numFmt') {
      const id = Number(attr(e, 'numFmtId'));
      if (Number.isInteger(id)) custom.set(id, attr(e, 'formatCode') ?? '');
    } else if (e.name === 'cellXfs') inCellXfs = true;
    else if (e.name === 'cellStyleXfs' || e.name === 'cellStyles' || e.name === 'dxfs') inCellXfs = false;
    else if (e.name === 'xf' && inCellXfs) xfs.push(Number(attr(e, 'numFmtId') ?? 0));
  }
  const dates = new Uint8Array(Math.max(xfs.length, 1));
  xfs.forEach((id, index) => {
    const code = custom.get(id);
    dates[index] = (code === undefined ? isBuiltinDateFormat(id) : isDateFormatCode(code)) ? 1 : 0;
  });
  return dates;
}

/** An entry's name from a relationship's target, relative to the part that names it. */
function resolveTarget(from: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.normalize(path.join(path.dirname(from), target));
}

/** Finds the sheets, styles and shared strings of an opened xlsx. */
export async function openWorkbook(zip: ZipArchive): Promise<Workbook> {
  const workbookEntry =
    zip.names.find((n) => n === 'xl/workbook.xml') ?? zip.names.find((n) => /(^|\/)workbook\.xml$/iu.test(n));
  const sheets: SheetPart[] = [];
  let isDate1904 = false;
  let sharedStringsEntry: string | undefined;
  let stylesEntry: string | undefined;
  if (workbookEntry !== undefined) {
    const relsEntry = path.join(path.dirname(workbookEntry), '_rels', `${path.basename(workbookEntry)}.rels`);
    const targets = new Map<string, { type: string; entry: string }>();
    for (const e of await elementsOf(await zip.read(relsEntry))) {
      const id = attr(e, 'Id');
      const target = attr(e, 'Target');
      if (e.name !== 'Relationship' || id === undefined || target === undefined) continue;
      targets.set(id, { type: attr(e, 'Type') ?? '', entry: resolveTarget(workbookEntry, target) });
    }
    for (const { type, entry } of targets.values()) {
      if (type.endsWith('/sharedStrings')) sharedStringsEntry = entry;
      else if (type.endsWith('/styles')) stylesEntry = entry;
    }
    for (const e of await elementsOf(await zip.read(workbookEntry))) {
      if (e.name === 'workbookPr') isDate1904 = ['1', 'true'].includes(attr(e, 'date1904') ?? '');
      if (e.name !== 'sheet') continue;
      const target = targets.get(attr(e, 'id') ?? '');
      if (target !== undefined && zip.names.includes(target.entry))
        sheets.push({ name: attr(e, 'name') ?? null, entry: target.entry });
    }
  }
  // A workbook without its parts listed (some generators): every sheet XML, in zip order.
  if (sheets.length === 0) {
    for (const n of zip.names) if (/^xl\/worksheets\/[^/]+\.xml$/iu.test(n)) sheets.push({ name: null, entry: n });
  }
  sharedStringsEntry ??= zip.names.find((n) => /^xl\/sharedStrings\.xml$/iu.test(n));
  stylesEntry ??= zip.names.find((n) => /^xl\/styles\.xml$/iu.test(n));
  const stylesXml = stylesEntry === undefined ? undefined : await zip.read(stylesEntry);
  const sharedXml = sharedStringsEntry === undefined ? undefined : await zip.read(sharedStringsEntry);
  return {
    sheets,
    sharedStrings: sharedXml === undefined ? [] : readSharedStrings(sharedXml),
    dateStyles: dateStylesOf(await elementsOf(stylesXml)),
    isDate1904,
  };
}

/** The rows of one sheet, in batches, as its XML inflates. */
export async function* sheetRows(
  zip: ZipArchive,
  workbook: Workbook,
  sheet: SheetPart,
  limits: XlsxLimits,
  onCompressed: (n: number) => void,
  view?: SheetContext['view'],
): AsyncGenerator<SheetRow[]> {
  const reader = new SheetReader({ ...workbook, ...limits, sheet: sheet.name, view });
  for await (const chunk of zip.chunks(sheet.entry, onCompressed)) {
    const rows = reader.push(chunk);
    if (rows.length > 0) yield rows;
  }
}
