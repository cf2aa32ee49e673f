import fs from 'node:fs';
import path from 'node:path';

import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';

import { expectCode } from '../../../test/support/sales/import-checks';
import type { SalesKit, SeededShow } from '../../../test/support/sales/test-kit';
import { fixture, kitPerTest } from '../../../test/support/sales/test-kit';
import { allocate } from './taobao-pair';

// A 淘宝/千牛 pair: the order file (ExportOrderList, one row per order, with postage and what the
// buyer paid) and the item file (ExportOrderDetailList, one row per 宝贝), GBK, imported together.

let kit: SalesKit;
let seed: SeededShow;
kitPerTest((k, s) => {
  kit = k;
  seed = s;
});

const csv = (rows: string[][]) =>
  iconv.encode(rows.map((r) => r.map((c) => `"${c.replace(/"/gu, '""')}"`).join(',')).join('\r\n') + '\r\n', 'gbk');

function writePair(): { orders: string; items: string } {
  const orders = path.join(kit.dir, 'ExportOrderList202604152300.csv');
  const items = path.join(kit.dir, 'ExportOrderDetailList202604152300.csv');
  const oh = [
    '订单编号',
    '买家会员名',
    '买家应付货款',
    '买家应付邮费',
    '总金额',
    '买家实际支付金额',
    '订单状态',
    '订单创建时间',
    '订单付款时间',
    '宝贝标题',
    '宝贝总数量',
  ];
  fs.writeFileSync(
    orders,
    csv([
      oh,
      [
        '="3456789012345670001"',
        'tb1',
        '158.80',
        '8.00',
        '166.80',
        '149.80',
        '交易成功',
        '2026-04-15 20:10:00',
        '2026-04-15 20:10:30',
        '赣南脐橙 5斤装 等2件',
        '3',
      ],
      [
        '="3456789012345670002"',
        'tb2',
        '45.50',
        '0.00',
        '45.50',
        '45.50',
        '买家已付款,等待卖家发货',
        '2026-04-15 21:20:00',
        '2026-04-15 21:20:10',
        '临安山核桃 250g',
        '1',
      ],
      [
        '="3456789012345670003"',
        'tb3',
        '39.00',
        '0.00',
        '39.00',
        '39.00',
        '交易成功',
        '2026-04-15 20:40:00',
        '2026-04-15 20:40:10',
        '百花蜂蜜 500g',
        '1',
      ],
    ]),
  );
  const ih = [
    '订单编号',
    '标题',
    '价格',
    '购买数量',
    '外部系统编号',
    '商品属性',
    '套餐信息',
    '备注',
    '订单状态',
    '商家编码',
  ];
  fs.writeFileSync(
    items,
    csv([
      ih,
      ['="3456789012345670001"', '江西赣南脐橙 5斤装', '59.90', '2', '', '规格:5斤', '', '', '交易成功', 'A01'],
      ['="3456789012345670001"', '百花蜂蜜 500g 农家', '39.00', '1', '', '', '', '', '交易成功', 'B02'],
      ['="3456789012345670002"', '临安山核桃 250g', '45.50', '1', '', '', '', '', '买家已付款，等待卖家发货', 'C03'],
    ]),
  );
  return { orders, items };
}

describe('淘宝/千牛 order + item pairs', () => {
  it('joins the two files in either order: items carry products, postage from the order file, totals reconcile', async () => {
    const { orders, items } = writePair();
    const a = await kit.call('sales:import-preview', {
      source: { kind: 'path', path: orders },
      companion: { kind: 'path', path: items },
    });
    const b = await kit.call('sales:import-preview', {
      source: { kind: 'path', path: items },
      companion: { kind: 'path', path: orders },
    });
    for (const p of [a, b]) {
      expect(p).toMatchObject({ platform: 'taobao', orders: 3, badRowCount: 0, unmatchedProducts: 0 });
      // What the three buyers paid (买家实际支付金额), postage included: 149.80 + 45.50 + 39.00.
      expect(p.amountFen).toBe(23430);
      expect(p.gmv).toEqual({ column: '买家实际支付金额', field: 'orderAmount', meaning: 'buyer-paid' });
    }
    expect(b.sample).toEqual(a.sample);
    const lines = a.sample.map((s) => [s.orderId, s.productId, s.quantity, s.amountFen]);
    expect(lines).toEqual([
      // 141.80 of goods spread over 119.80 : 39.00 of list price, the 8.00 postage on the first line.
      ['3456789012345670001', seed.orange.id, 2, 11498],
      ['3456789012345670001', seed.honey.id, 1, 3482],
      ['3456789012345670002', seed.walnut.id, 1, 4550],
      // An order without item rows keeps its own amount and 宝贝标题.
      ['3456789012345670003', seed.honey.id, 1, 3900],
    ]);
    await kit.call('sales:import-commit', { previewId: b.previewId });
    const orange = await kit.call('sales:analytics-product', { productId: seed.orange.id });
    expect(orange.totals.gmvFen).toBe(11498);
  });

  it('refuses two files that are not a pair, with a coded error', async () => {
    const { orders } = writePair();
    await expectCode(
      kit.call('sales:import-preview', {
        source: { kind: 'path', path: orders },
        companion: { kind: 'path', path: fixture('douyin-utf8-bom.csv') },
      }),
      'sales/import-pair',
    );
  });

  it('spreads fen by the largest remainder, always summing to the total', () => {
    expect(allocate(14180, [11980, 3900])).toEqual([10698, 3482]);
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(5, [0, 0])).toEqual([3, 2]);
    for (const [total, weights] of [
      [99_999, [7, 13, 29, 31]],
      [1, [5, 5]],
      [0, [1, 2]],
    ] as const) {
      expect(allocate(total, weights).reduce((x, y) => x + y, 0)).toBe(total);
    }
  });
});
