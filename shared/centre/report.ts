import type { Language } from '../api/app';
import type { CentreAnalytics, CentreFigures } from '../api/centre';
import { neutraliseFormula } from '../sales/export';

// The county report (县级电商直播销售统计表) as plain sheets: a title block, a header row, one row
// per studio / town / cooperative / product / day, and a total row. Money in yuan with two
// decimals, as the county's own forms have it. Writing the file (exceljs) is the service's job.

/** One cell: text, a count, or money in fen (written as yuan). */
export type ReportCell =
  { kind: 'text'; value: string } | { kind: 'count'; value: number } | { kind: 'fen'; value: number };

export interface ReportSheet {
  readonly name: string;
  readonly title: string;
  readonly subtitle: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly ReportCell[])[];
  readonly total: readonly ReportCell[];
}

const words = {
  'zh-CN': {
    title: '电商直播销售统计表',
    period: '统计期间',
    generated: '制表时间',
    summary: '汇总（按直播间）',
    towns: '按乡镇',
    coops: '按合作社',
    products: '按产品',
    days: '按日',
    studio: '直播间',
    cooperative: '合作社',
    town: '乡镇',
    product: '产品',
    day: '日期',
    gmv: '成交额（元）',
    orders: '订单数',
    units: '件数',
    refunded: '退款额（元）',
    refundedOrders: '退款单数',
    net: '净成交额（元）',
    total: '合计',
    none: '（未填）',
  },
  en: {
    title: 'Live-commerce sales report',
    period: 'Period',
    generated: 'Generated',
    summary: 'Summary (by studio)',
    towns: 'By town',
    coops: 'By cooperative',
    products: 'By product',
    days: 'By day',
    studio: 'Studio',
    cooperative: 'Cooperative',
    town: 'Town',
    product: 'Product',
    day: 'Day',
    gmv: 'GMV (yuan)',
    orders: 'Orders',
    units: 'Units',
    refunded: 'Refunds (yuan)',
    refundedOrders: 'Refunded orders',
    net: 'Net GMV (yuan)',
    total: 'Total',
    none: '(not set)',
  },
} as const;

const text = (value: string): ReportCell => ({ kind: 'text', value: neutraliseFormula(value) });
const figures = (f: CentreFigures): ReportCell[] => [
  { kind: 'fen', value: f.gmvFen },
  { kind: 'count', value: f.orders },
  { kind: 'count', value: f.units },
  { kind: 'fen', value: f.refundedFen },
  { kind: 'count', value: f.refundedOrders },
  { kind: 'fen', value: f.gmvFen - f.refundedFen },
];

/** The report's sheets for one analytics answer. `generatedAt` is a display string. */
export function countyReport(
  data: CentreAnalytics,
  options: { language: Language; title?: string; generatedAt: string },
): ReportSheet[] {
  const w = words[options.language];
  const title = options.title !== undefined && options.title !== '' ? options.title : w.title;
  const subtitle = `${w.period}: ${data.filter.from} – ${data.filter.to}    ${w.generated}: ${options.generatedAt}`;
  const money = [w.gmv, w.orders, w.units, w.refunded, w.refundedOrders, w.net];
  const named = (v: string) => text(v === '' ? w.none : v);
  const sheet = (name: string, keys: string[], rows: ReportCell[][], totalPad: number): ReportSheet => ({
    name,
    title,
    subtitle,
    header: [...keys, ...money],
    rows,
    total: [text(w.total), ...Array.from({ length: totalPad }, () => text('')), ...figures(data.totals)],
  });
  return [
    sheet(
      w.summary,
      [w.studio, w.cooperative, w.town],
      data.byStudio.map((s) => [text(s.name), named(s.cooperative), named(s.town), ...figures(s)]),
      2,
    ),
    sheet(
      w.towns,
      [w.town],
      data.byTown.map((t) => [named(t.town), ...figures(t)]),
      0,
    ),
    sheet(
      w.coops,
      [w.cooperative],
      data.byCooperative.map((c) => [named(c.cooperative), ...figures(c)]),
      0,
    ),
    // Products: the top ones only, so this sheet's rows need not add up to the total.
    {
      ...sheet(
        w.products,
        [w.product],
        data.byProduct.map((p) => [text(p.product), ...figures(p)]),
        0,
      ),
      total: [],
    },
    sheet(
      w.days,
      [w.day],
      data.byDay.map((d) => [text(d.day), ...figures(d)]),
      0,
    ),
  ];
}
