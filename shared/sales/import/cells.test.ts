import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { fenToDecimal, parseYuanToFen } from '../../money';
import { cellText, parseYuanRounded, readAmountCell, readIdCell, readQuantityCell } from './cells';
import { statusFromText } from './normalise';
import { detectPreset, normaliseHeader } from './presets';

describe('cells of platform exports', () => {
  it('unwraps ids the way platforms protect them from Excel', () => {
    expect(readIdCell('\t6917926768823643751')).toEqual({ ok: true, id: '6917926768823643751' });
    expect(readIdCell('="3456789012345678901"')).toEqual({ ok: true, id: '3456789012345678901' });
    expect(readIdCell("'6917926768823643751")).toEqual({ ok: true, id: '6917926768823643751' });
    expect(readIdCell('260415-662941284701219\t')).toEqual({ ok: true, id: '260415-662941284701219' });
    expect(readIdCell('\t="3456789012345678901"\t')).toEqual({ ok: true, id: '3456789012345678901' });
    expect(cellText('\uFEFF 订单号\t')).toBe('订单号');
    expect(readIdCell('P800347296683184211')).toEqual({ ok: true, id: 'P800347296683184211' });
    expect(readIdCell(2604151234567890)).toEqual({ ok: true, id: '2604151234567890' });
  });

  it('refuses ids Excel already rounded into scientific notation', () => {
    expect(readIdCell('6.9E+18')).toEqual({ ok: false, reason: 'order-id-scientific' });
    expect(readIdCell('6.91793E+18')).toEqual({ ok: false, reason: 'order-id-scientific' });
    expect(readIdCell(Number('6917926768823643751'))).toEqual({ ok: false, reason: 'order-id-scientific' });
    expect(readIdCell('-')).toEqual({ ok: false, reason: 'missing-order-id' });
    expect(readIdCell('')).toEqual({ ok: false, reason: 'missing-order-id' });
  });

  it('reads amounts into integer fen without floats', () => {
    expect(readAmountCell('¥1,234.50', 'yuan')).toEqual({ kind: 'ok', fen: 123450 });
    expect(readAmountCell('￥12', 'yuan')).toEqual({ kind: 'ok', fen: 1200 });
    expect(readAmountCell('29.90', 'yuan')).toEqual({ kind: 'ok', fen: 2990 });
    expect(readAmountCell('-3.10', 'yuan')).toEqual({ kind: 'ok', fen: -310 });
    expect(readAmountCell('.5', 'yuan')).toEqual({ kind: 'ok', fen: 50 });
    expect(readAmountCell('¥-3.1', 'yuan')).toEqual({ kind: 'ok', fen: -310 });
    expect(readAmountCell('¥12,345,678,901.99', 'yuan')).toEqual({ kind: 'ok', fen: 1234567890199 });
    expect(readAmountCell('¥99999999999999999', 'yuan')).toEqual({ kind: 'bad' });
    expect(readAmountCell('¥1.2.3', 'yuan')).toEqual({ kind: 'bad' });
    expect(readAmountCell('-', 'yuan')).toEqual({ kind: 'empty' });
    expect(readAmountCell('五十九', 'yuan')).toEqual({ kind: 'bad' });
    expect(readAmountCell('5990', 'fen')).toEqual({ kind: 'ok', fen: 5990 });
    // xlsx numbers: shortest decimal text, rounded at the third decimal.
    expect(readAmountCell(29.9, 'yuan')).toEqual({ kind: 'ok', fen: 2990 });
    expect(readAmountCell(0.1 + 0.2, 'yuan')).toEqual({ kind: 'ok', fen: 30 });
    expect(readAmountCell(29.899999999999, 'yuan')).toEqual({ kind: 'ok', fen: 2990 });
    expect(parseYuanRounded('1.005')).toBe(101);
    expect(parseYuanRounded('-1.005')).toBe(-101);
    expect(parseYuanRounded('1.004')).toBe(100);
  });

  it('reads plain yuan digit by digit exactly as the general rules do', () => {
    // '元' at the end keeps a text off the fast paths (it is cleaned off first); texts of the
    // plain form must also read as their digits say.
    const yuanText = fc.string({
      unit: fc.constantFrom('0', '1', '5', '9', '.', '-', '¥', '￥', ' ', ','),
      maxLength: 18,
    });
    // The plain form as a RegExp states it, and its value from the matched digits.
    const plainYuan = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/u;
    fc.assert(
      fc.property(yuanText, (text) => {
        expect(parseYuanRounded(text)).toBe(parseYuanRounded(`${text}元`));
        const plain = plainYuan.exec(text.replace(/^[¥￥]/u, ''));
        if (plain !== null) {
          const cents = Number(plain[2]) * 100 + Number(`${plain[3] ?? ''}00`.slice(0, 2));
          expect(parseYuanRounded(text)).toBe(plain[1] === '-' && cents !== 0 ? -cents : cents);
        }
      }),
      { numRuns: 5000 },
    );
    expect(parseYuanRounded('59.90')).toBe(5990);
    expect(parseYuanRounded('¥59.9')).toBe(5990);
    expect(parseYuanRounded('￥-0.05')).toBe(-5);
    expect(parseYuanRounded('-0.00')).toBe(0);
    expect(parseYuanRounded('9999999999999.99')).toBe(999_999_999_999_999);
    expect(parseYuanRounded('59.')).toBe(5900);
    expect(parseYuanRounded('.5')).toBe(50);
  });

  it('round-trips every amount from 0.00 to 100.00 and sums exactly', () => {
    let total = 0;
    for (let fen = 0; fen <= 10_000; fen++) {
      const text = fenToDecimal(fen);
      expect(parseYuanToFen(text)).toBe(fen);
      total += parseYuanToFen(text) ?? Number.NaN;
    }
    expect(total).toBe((10_000 * 10_001) / 2);
    expect(Number.isInteger(total)).toBe(true);
  });

  it('reads quantities and plain text', () => {
    expect(readQuantityCell('2')).toBe(2);
    expect(readQuantityCell('2件')).toBe(2);
    expect(readQuantityCell(3)).toBe(3);
    expect(readQuantityCell('1.5')).toBe('bad');
    expect(readQuantityCell('-')).toBe('empty');
    expect(cellText('\t 赣南脐橙 ')).toBe('赣南脐橙');
  });

  // readQuantityCell reads plain digits without its regular expressions: whatever the cell, it
  // answers as those rules do (the rules as they were, written out here).
  it('reads a quantity as its rules say, on the quick path for plain digits too', () => {
    const byRules = (value: string): number | 'empty' | 'bad' => {
      const text = cellText(value).replace(/[件个份箱盒袋斤]$/u, '');
      if (['', '-', '--', '—', '/', 'null', 'NULL', 'N/A', '无'].includes(text)) return 'empty';
      const m = /^(\d{1,7})(?:\.0+)?$/u.exec(text);
      if (m?.[1] === undefined) return 'bad';
      const n = Number(m[1]);
      return n > 0 ? n : 'bad';
    };
    const cell = fc
      .array(fc.constantFrom('0', '1', '2', '9', '.', '-', '件', ' ', '\t', "'", '=', '"', '+', 'e', '٣'), {
        maxLength: 10,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(cell, (value) => {
        expect(readQuantityCell(value)).toEqual(byRules(value));
      }),
      { numRuns: 3000 },
    );
    expect(readQuantityCell('0000012')).toBe(12);
    expect(readQuantityCell('9999999')).toBe(9_999_999);
    expect(readQuantityCell('10000000')).toBe('bad');
    expect(readQuantityCell('0')).toBe('bad');
  });

  it('maps status texts, old and new comma alike', () => {
    expect(statusFromText('买家已付款,等待卖家发货', '')).toBe('paid');
    expect(statusFromText('买家已付款，等待卖家发货', '')).toBe('paid');
    expect(statusFromText('等待买家付款', '')).toBe('placed');
    expect(statusFromText('交易关闭', '')).toBe('cancelled');
    expect(statusFromText('已完成', '退款成功')).toBe('refunded');
    expect(statusFromText('待发货', '无售后或售后取消')).toBe('paid');
  });

  it('normalises header variants and picks the right preset', () => {
    expect(normaliseHeader('商家应收金额(元)（支付金额）')).toBe(normaliseHeader('商家应收金额(元)(支付金额)'));
    expect(normaliseHeader('\uFEFF 主订单编号 ')).toBe('主订单编号');
    expect(detectPreset(['主订单编号', '子订单编号', '订单提交时间', '选购商品'])?.platform).toBe('douyin');
    expect(detectPreset(['订单号', '订单创建时间', '成交数量', '实付款'])?.platform).toBe('kuaishou');
    expect(detectPreset(['订单号', '商品', '用户实付金额（元）', '支付时间'])?.platform).toBe('pinduoduo');
    expect(detectPreset(['订单号', '订单下单时间', '商品名称'])?.platform).toBe('weixin');
    expect(detectPreset(['订单号', 'SKU件数', '订单创建时间'])?.platform).toBe('xiaohongshu');
    expect(detectPreset(['子订单编号', '主订单编号', '商品标题', '订单创建时间'])?.platform).toBe('taobao');
    expect(detectPreset(['单号', '时间', '金额'])).toBeUndefined();
  });
});
