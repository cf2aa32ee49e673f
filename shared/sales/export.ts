import type { Sale, SaleSource, SalesPlatform, SaleStatus } from '../api/sales';
import { fenToDecimal } from '../money';
import type { ZonedClock } from './time';
import { createZonedClock } from './time';

/** One sale with the names an export shows beside it. */
export interface ExportLine {
  readonly sale: Sale;
  readonly showTitle: string | null;
  readonly timeZone: string | null;
  readonly host: string | null;
  readonly guest: string | null;
  readonly productName: string | null;
}

type Language = 'zh-CN' | 'en';

const headers: Record<Language, readonly string[]> = {
  'zh-CN': [
    '销售ID',
    '下单时间',
    '时区',
    '直播场次',
    '主播',
    '嘉宾',
    '商品',
    '数量',
    '单价(元)',
    '金额(元)',
    '平台',
    '来源',
    '平台订单号',
    '状态',
    '非在播商品',
    '归属方式',
    '备注',
  ],
  en: [
    'Sale ID',
    'Ordered at',
    'Time zone',
    'Show',
    'Host',
    'Guest',
    'Product',
    'Quantity',
    'Unit price (CNY)',
    'Amount (CNY)',
    'Platform',
    'Source',
    'Platform order ID',
    'Status',
    'Off-air product',
    'Attribution',
    'Note',
  ],
};

const platformNames: Record<Language, Record<SalesPlatform, string>> = {
  'zh-CN': {
    douyin: '抖音',
    taobao: '淘宝',
    kuaishou: '快手',
    pinduoduo: '拼多多',
    weixin: '视频号',
    xiaohongshu: '小红书',
    other: '其他',
  },
  en: {
    douyin: 'Douyin',
    taobao: 'Taobao',
    kuaishou: 'Kuaishou',
    pinduoduo: 'Pinduoduo',
    weixin: 'WeChat Channels',
    xiaohongshu: 'Xiaohongshu',
    other: 'Other',
  },
};

const sourceNames: Record<Language, Record<SaleSource, string>> = {
  'zh-CN': { manual: '手动录入', import: '订单导入', feed: '实时订单' },
  en: { manual: 'Manual', import: 'Import', feed: 'Live feed' },
};

const statusNames: Record<Language, Record<SaleStatus, string>> = {
  'zh-CN': { placed: '已下单', paid: '已付款', refunded: '已退款', cancelled: '已取消', voided: '已撤销' },
  en: { placed: 'Placed', paid: 'Paid', refunded: 'Refunded', cancelled: 'Cancelled', voided: 'Voided' },
};

const attributionNames: Record<Language, Record<Sale['attribution'], string>> = {
  'zh-CN': { live: '在播', grace: '宽限期', none: '未归属' },
  en: { live: 'On air', grace: 'Grace window', none: 'Unattributed' },
};

/** Column titles of a sales export. */
export function exportHeaders(language: Language): readonly string[] {
  return headers[language];
}

/** Index of the amount columns (written as numbers in xlsx). */
export const exportAmountColumns: readonly number[] = [8, 9];
/** Index of the quantity column. */
export const exportQuantityColumn = 7;

/** `2026-04-15 10:20:30` in the given zone. */
export function formatWallTime(utcMs: number, clock: ZonedClock): string {
  const p = clock.parts(utcMs);
  const two = (n: number) => n.toString().padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** Builds the cells of export rows; money as decimal yuan text computed from fen, never floats. */
export function createExportFormatter(language: Language): (line: ExportLine) => string[] {
  const clocks = new Map<string, ZonedClock>();
  const clockFor = (tz: string) => {
    let clock = clocks.get(tz);
    if (clock === undefined) clocks.set(tz, (clock = createZonedClock(tz)));
    return clock;
  };
  return (line) => {
    const { sale } = line;
    const tz = line.timeZone ?? 'Asia/Shanghai';
    return [
      String(sale.id),
      formatWallTime(sale.orderedAt, clockFor(tz)),
      tz,
      line.showTitle ?? '',
      line.host ?? '',
      line.guest ?? '',
      line.productName ?? sale.productTitle,
      String(sale.quantity),
      fenToDecimal(sale.unitPriceFen),
      fenToDecimal(sale.amountFen),
      sale.platform === null ? '' : platformNames[language][sale.platform],
      sourceNames[language][sale.source],
      sale.externalOrderId ?? '',
      statusNames[language][sale.status],
      sale.isOffAir ? (language === 'zh-CN' ? '是' : 'yes') : '',
      attributionNames[language][sale.attribution],
      sale.note,
    ];
  };
}

/**
 * Text a spreadsheet could run as a formula (leading `=`, `+`, `-`, `@`, tab or CR: OWASP's
 * CSV-injection list) gets a leading apostrophe, so it shows as text. Plain numbers
 * (`-12.50`) are left alone. Used on every text cell of every CSV and XLSX export, product
 * names, notes, hosts and order ids included.
 */
export function neutraliseFormula(value: string): string {
  if (!/^[=+\-@\t\r]/u.test(value)) return value;
  if (/^-?\d+(\.\d+)?$/u.test(value)) return value;
  return `'${value}`;
}

/**
 * One CSV field. Quotes when needed; formula-looking text is neutralised (neutraliseFormula).
 * Long digit strings (order ids) get a leading tab so Excel keeps every digit, as the platforms do.
 */
export function csvField(value: string): string {
  let v = neutraliseFormula(value);
  if (/^\d{12,}$/u.test(v)) v = `\t${v}`;
  return /[",\r\n\t]/u.test(v) ? `"${v.replace(/"/gu, '""')}"` : v;
}

/** A CSV line (CRLF, what Excel and WPS expect). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}
