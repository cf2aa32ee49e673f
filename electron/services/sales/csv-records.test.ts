import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

import { cellText, isEmptyCell } from '../../../shared/sales/import/cells';
import { omittedCell, splitRecords } from './csv-records';

// splitRecords must give exactly papaparse's cells wherever it answers (the reader falls back to
// papaparse when it does not), for whole texts and for texts fed in two parts.

function papaparse(text: string, delimiter: string, newline: '\r\n' | '\n'): string[][] {
  const body = text.endsWith(newline) ? text.slice(0, -newline.length) : text;
  return body === '' ? [['']] : Papa.parse<string[]>(body, { delimiter, newline, skipEmptyLines: false }).data;
}

describe('CSV record splitting', () => {
  it('reads quoted ids, doubled quotes, delimiters and newlines inside quotes, blank lines', () => {
    const text =
      '主订单编号,选购商品,金额\r\n"\t6917926768823643751","脐橙, 5斤 ""特级""","¥1,234.50"\r\n\r\n7,"多\r\n行",-\r\n';
    const split = splitRecords(text, ',', '\r\n', true);
    expect(split?.rows).toEqual([
      ['主订单编号', '选购商品', '金额'],
      ['\t6917926768823643751', '脐橙, 5斤 "特级"', '¥1,234.50'],
      [''],
      ['7', '多\r\n行', '-'],
    ]);
    expect(split?.rows).toEqual(papaparse(text, ',', '\r\n'));
  });

  it('leaves an unfinished record (even half a CRLF) for the next chunk', () => {
    expect(splitRecords('a,b\r\nc,"d\r\n', ',', '\r\n', false)).toEqual({ rows: [['a', 'b']], end: 5 });
    expect(splitRecords('a,b\r\nc,d\r', ',', '\r\n', false)).toEqual({ rows: [['a', 'b']], end: 5 });
    expect(splitRecords('a,b\nc', ',', '\n', false)).toEqual({ rows: [['a', 'b']], end: 4 });
  });

  it('declines quoting papaparse repairs its own way', () => {
    expect(splitRecords('"ab"c,d\n', ',', '\n', true)).toBeUndefined();
    expect(splitRecords('a,"unterminated\n', ',', '\n', true)).toBeUndefined();
    expect(splitRecords('a;b\n', ';;', '\n', true)).toBeUndefined();
  });

  it('agrees with papaparse on random texts, whole and in two parts', () => {
    const alphabet = ['a', 'b', ',', ';', '"', '"', '\r', '\n', '\r\n', ' ', '中', '\t'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let answered = 0;
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      for (const newline of ['\r\n', '\n'] as const) {
        for (const delimiter of [',', ';']) {
          const whole = splitRecords(text, delimiter, newline, true);
          if (whole === undefined) continue;
          answered += 1;
          const expected = papaparse(text, delimiter, newline);
          expect(whole.rows, JSON.stringify({ text, newline, delimiter })).toEqual(expected);
          const cut = Math.floor(random() * (text.length + 1));
          const first = splitRecords(text.slice(0, cut), delimiter, newline, false);
          if (first === undefined) continue;
          const rest = splitRecords(text.slice(first.end), delimiter, newline, true);
          if (rest === undefined) continue;
          expect([...first.rows, ...rest.rows], JSON.stringify({ text, cut, newline, delimiter })).toEqual(expected);
        }
      }
    }
    expect(answered).toBeGreaterThan(20_000);
  });

  it('under a projection, gives the wanted cells as they are and only the emptiness of the others', () => {
    const alphabet = ['a', '-', ',', '"', '"', '\r\n', ' ', '\t', '=', "'", '无', 'null', '中文长一点的单元格'];
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let projected = 0;
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      const length = 1 + Math.floor(random() * 30);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      text += '\r\n';
      const full = splitRecords(text, ',', '\r\n', true);
      if (full === undefined) continue;
      const wanted = Uint8Array.from({ length: 1 + Math.floor(random() * 6) }, () => (random() < 0.5 ? 1 : 0));
      const limits = { wanted, maxCellChars: 1000, maxCells: 1000 };
      const part = splitRecords(text, ',', '\r\n', true, limits);
      expect(part, text).toBeDefined();
      const rows = part?.rows ?? [];
      expect(rows.length, text).toBe(full.rows.length);
      full.rows.forEach((cells, r) => {
        const got = rows[r] ?? [];
        expect(got.length, text).toBe(cells.length);
        cells.forEach((cell, c) => {
          if (c >= wanted.length || wanted[c] === 1) expect(got[c], text).toBe(cell);
          else if (got[c] !== cell) {
            // Records the one-line path reads are projected; the others (a quoted newline) come whole.
            projected += 1;
            expect(got[c], text).toBe(isEmptyCell(cellText(cell)) ? '' : omittedCell);
          }
        });
      });
    }
    expect(projected).toBeGreaterThan(5_000);
    // Over a limit, the line goes to the full reader (which reports it).
    const wanted = new Uint8Array([1, 0]);
    expect(splitRecords('a,bbbbbb\r\n', ',', '\r\n', true, { wanted, maxCellChars: 5, maxCells: 10 })?.rows).toEqual([
      ['a', 'bbbbbb'],
    ]);
  });
});
