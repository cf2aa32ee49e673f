import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';

import { splitRecords } from './csv-records';

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
});
