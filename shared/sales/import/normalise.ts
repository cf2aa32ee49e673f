import type { BadRow, BadRowCode, ColumnMapping, ImportField, SaleStatus } from '../../api/sales';
import type { Fen } from '../../fen';
import type { ZonedClock } from '../time';
import { isPlausibleOrderTime, parseOrderTime } from '../time';
import type { AmountCell, CellValue } from './cells';
import { cellText, isEmptyCell, isSummaryText, readAmountCell, readIdCell, readQuantityCell } from './cells';
import { normaliseHeader } from './presets';

/** One order line ready to stage; amounts already resolved to this line. */
export interface StagedOrder {
  /** Spreadsheet row number. */
  readonly line: number;
  readonly orderId: string;
  /** The platform's sub-order id, or `#n` (n-th row of this order in the file). */
  readonly lineKey: string;
  /** 1 on the first line of an order, 0 on its other lines: orders = sum of this. */
  readonly orderCount: 0 | 1;
  readonly orderedAt: number;
  /** The file gave a date only: counted, but not attributed to a segment. */
  readonly isDateOnly: boolean;
  readonly productTitle: string;
  readonly externalProductId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceFen: Fen;
  readonly amountFen: Fen;
  readonly status: SaleStatus;
}

/** What one file row became. */
export type RowOutcome =
  | { kind: 'orders'; orders: StagedOrder[] }
  | { kind: 'skip'; why: 'blank' | 'summary' | 'description' }
  | { kind: 'bad'; bad: BadRow };

const refunded = /退款成功|已退款|退款完成|退货退款完成|售后完成|全额退款|refunded/iu;
const noAfterSale = /无售后|售后取消|售后关闭|未申请|^无$|^-$/u;
const cancelled = /取消|关闭|已失效|cancel|closed/iu;
const placed = /待付款|未付款|等待买家付款|待支付|未支付|已下单|unpaid/iu;

/** Maps platform status texts (订单状态, 售后状态) to ours; ASCII and full-width commas alike. */
export function statusFromText(status: string, afterSale: string): SaleStatus {
  const after = afterSale.trim();
  if (after !== '' && !noAfterSale.test(after) && refunded.test(after)) return 'refunded';
  if (refunded.test(status)) return 'refunded';
  if (placed.test(status)) return 'placed';
  if (cancelled.test(status)) return 'cancelled';
  return 'paid';
}

/** `赣南脐橙-(A01)` → code `A01`: 抖店 embeds the merchant code in 选购商品. */
function embeddedCode(title: string): string {
  const m = /-\(([^()]{1,40})\)$/u.exec(title.trim());
  return m?.[1] ?? '';
}

export interface NormaliserOptions {
  readonly headers: readonly string[];
  readonly mapping: ColumnMapping;
  readonly clock: ZonedClock;
  /** Spreadsheet row number of the header row. */
  readonly headerLine: number;
  /** Orders must be within ten years of this (default: the clock now). */
  readonly now?: number;
}

/** Sense limits on one imported line: 10,000,000 yuan, 100,000 units. */
export const importLimits = { maxLineFen: 1_000_000_000, maxQuantity: 100_000 } as const;

/** A row normaliser, and the columns (indexes) it reads as text. */
export type RowNormaliser = ((cells: readonly CellValue[], line: number) => RowOutcome) & {
  readonly columns: readonly number[];
};

/**
 * Turns file rows into order lines. Stateful only in the small way exports need: rows of one
 * order follow each other, so the previous order id decides the `#n` line keys and which line
 * carries an order-level amount (it goes on the first line; later lines get 0, so sums stay right).
 */
export function createRowNormaliser(options: NormaliserOptions): RowNormaliser {
  const { mapping, clock, headers, headerLine } = options;
  const now = options.now ?? Date.now();
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (!index.has(key)) index.set(key, i);
  });
  const col = (field: ImportField): number | undefined => {
    const name = mapping.columns[field];
    return name === undefined ? undefined : index.get(normaliseHeader(name));
  };
  const cols = {
    orderId: col('orderId'),
    lineId: col('lineId'),
    orderedAt: col('orderedAt'),
    paidAt: col('paidAt'),
    productTitle: col('productTitle'),
    externalProductId: col('externalProductId'),
    sku: col('sku'),
    quantity: col('quantity'),
    unitPrice: col('unitPrice'),
    lineAmount: col('lineAmount'),
    orderAmount: col('orderAmount'),
    status: col('status'),
    afterSale: col('afterSale'),
  };
  const unit = mapping.amountUnit;
  // An export has a handful of distinct status pairs: each is matched against the patterns once.
  const statuses = new Map<string, SaleStatus>();
  const statusOf = (status: string, afterSale: string): SaleStatus => {
    const key = `${status}\u0000${afterSale}`;
    let known = statuses.get(key);
    if (known === undefined) {
      known = statusFromText(status, afterSale);
      if (statuses.size >= 1024) statuses.clear();
      statuses.set(key, known);
    }
    return known;
  };
  let previousOrder = '';
  let linesOfPrevious = 0;

  const bad = (line: number, code: BadRowCode, field: ImportField, value: CellValue): RowOutcome => ({
    kind: 'bad',
    bad: { line, code, column: mapping.columns[field] ?? field, value: cellText(value).slice(0, 80) },
  });
  const text = (cells: readonly CellValue[], i: number | undefined): string => {
    if (i === undefined) return '';
    const t = cellText(cells[i]);
    return isEmptyCell(t) ? '' : t;
  };

  const normalise = (cells: readonly CellValue[], line: number): RowOutcome => {
    if (cells.every((c) => isEmptyCell(cellText(c)))) return { kind: 'skip', why: 'blank' };
    const rawId = cols.orderId === undefined ? undefined : cells[cols.orderId];
    const id = readIdCell(rawId);
    if (!id.ok) {
      const first = cells.slice(0, 3).map(cellText);
      if (first.some(isSummaryText)) return { kind: 'skip', why: 'summary' };
      // Douyin 结算 files put a description row (` , , ,收入+支出`) right under the header.
      if (line === headerLine + 1 && id.reason === 'missing-order-id') return { kind: 'skip', why: 'description' };
      return bad(line, id.reason, 'orderId', rawId);
    }
    if (isSummaryText(id.id)) return { kind: 'skip', why: 'summary' };
    // A stray delimiter shifts every later column: refuse the row rather than read prices as times.
    // Missing trailing cells are fine (empty values), extra non-empty ones are not.
    if (cells.length > headers.length && cells.slice(headers.length).some((c) => !isEmptyCell(cellText(c)))) {
      return bad(line, 'column-count', 'orderId', `${cells.length}/${headers.length}`);
    }

    // Time: the order (placed) time, else the payment time.
    const rawTime = cols.orderedAt === undefined ? undefined : cells[cols.orderedAt];
    const rawPaid = cols.paidAt === undefined ? undefined : cells[cols.paidAt];
    let time = parseOrderTime(rawTime, clock);
    if (time === undefined && !isEmptyCell(cellText(rawTime))) return bad(line, 'bad-time', 'orderedAt', rawTime);
    if (time === undefined) time = parseOrderTime(rawPaid, clock);
    if (time === undefined) {
      if (!isEmptyCell(cellText(rawPaid))) return bad(line, 'bad-time', 'paidAt', rawPaid);
      return bad(line, 'missing-time', cols.orderedAt !== undefined ? 'orderedAt' : 'paidAt', rawTime);
    }
    if (!isPlausibleOrderTime(time.utcMs, now)) {
      return bad(line, 'time-out-of-range', cols.orderedAt !== undefined ? 'orderedAt' : 'paidAt', rawTime ?? rawPaid);
    }

    const rawQty = cols.quantity === undefined ? undefined : cells[cols.quantity];
    const qtyCell = readQuantityCell(rawQty);
    if (qtyCell === 'bad') {
      // 订单维度 rows list quantities per item ("1;2"); handled below when ids are split too.
      if (!(typeof rawQty === 'string' && /^\s*\d+(\s*;\s*\d+)+\s*$/u.test(rawQty))) {
        return bad(line, 'bad-quantity', 'quantity', rawQty);
      }
    }

    const unitPrice = amountAt(cells, cols.unitPrice, unit);
    const lineAmount = amountAt(cells, cols.lineAmount, unit);
    const orderAmount = amountAt(cells, cols.orderAmount, unit);
    if (unitPrice.kind === 'bad') return bad(line, 'bad-amount', 'unitPrice', cells[cols.unitPrice ?? 0]);
    if (lineAmount.kind === 'bad') return bad(line, 'bad-amount', 'lineAmount', cells[cols.lineAmount ?? 0]);
    if (orderAmount.kind === 'bad') return bad(line, 'bad-amount', 'orderAmount', cells[cols.orderAmount ?? 0]);
    if (tooLarge(unitPrice)) return bad(line, 'amount-out-of-range', 'unitPrice', cells[cols.unitPrice ?? 0]);
    if (tooLarge(lineAmount)) return bad(line, 'amount-out-of-range', 'lineAmount', cells[cols.lineAmount ?? 0]);
    if (tooLarge(orderAmount)) return bad(line, 'amount-out-of-range', 'orderAmount', cells[cols.orderAmount ?? 0]);
    if (typeof qtyCell === 'number' && qtyCell > importLimits.maxQuantity) {
      return bad(line, 'amount-out-of-range', 'quantity', rawQty);
    }

    const status = statusOf(text(cells, cols.status), text(cells, cols.afterSale));
    const title = text(cells, cols.productTitle);
    const externalProductId = text(cells, cols.externalProductId);
    const sku = text(cells, cols.sku);
    const rawLineId = cols.lineId === undefined ? undefined : cells[cols.lineId];
    const lineIdCell = readIdCell(rawLineId);
    if (!lineIdCell.ok && lineIdCell.reason === 'order-id-scientific') {
      return bad(line, 'order-id-scientific', 'lineId', rawLineId);
    }

    const isFirstRowOfOrder = id.id !== previousOrder;
    if (isFirstRowOfOrder) {
      previousOrder = id.id;
      linesOfPrevious = 0;
    }

    /** Line `i` of the row's `parts`; undefined when its amount is past the limits. */
    const orderLine = (
      i: number,
      parts: number,
      explicitLine: string,
      lineTitle: string,
      lineSku: string,
      lineProductId: string,
      q: number | 'empty' | 'bad',
    ): StagedOrder | undefined => {
      const quantity = typeof q === 'number' ? q : 1;
      const unitFen = unitPrice.kind === 'ok' ? unitPrice.fen : undefined;
      const isFirstLine = isFirstRowOfOrder && i === 0;
      let amount: number;
      if (lineAmount.kind === 'ok' && parts === 1) amount = lineAmount.fen;
      else if (lineAmount.kind === 'ok' && parts > 1) amount = i === 0 ? lineAmount.fen : 0;
      else if (orderAmount.kind === 'ok') amount = isFirstLine ? orderAmount.fen : 0;
      else if (unitFen !== undefined) amount = unitFen * quantity;
      else amount = 0;
      if (
        !Number.isSafeInteger(amount) ||
        Math.abs(amount) > importLimits.maxLineFen ||
        quantity > importLimits.maxQuantity
      ) {
        return undefined;
      }
      linesOfPrevious += 1;
      return {
        line,
        orderId: id.id,
        lineKey: explicitLine !== '' ? explicitLine : `#${linesOfPrevious}`,
        orderCount: isFirstLine ? 1 : 0,
        orderedAt: time.utcMs,
        isDateOnly: time.isDateOnly,
        productTitle: lineTitle,
        externalProductId: lineProductId,
        sku: lineSku !== '' ? lineSku : embeddedCode(lineTitle),
        quantity,
        unitPriceFen: (unitFen ?? (quantity > 0 ? Math.trunc(amount / quantity) : 0)) as Fen,
        amountFen: amount as Fen,
        status,
      };
    };
    const outOfRange = () => bad(line, 'amount-out-of-range', 'unitPrice', cells[cols.unitPrice ?? 0]);

    // One order line per row, nearly always: no arrays of one part each (this runs per row).
    if (!lineIdCell.ok || !lineIdCell.id.includes(';')) {
      const order = orderLine(0, 1, lineIdCell.ok ? lineIdCell.id : '', title, sku, externalProductId, qtyCell);
      return order === undefined ? outOfRange() : { kind: 'orders', orders: [order] };
    }
    // 订单维度 exports join several sub-orders in one row: "S1;S2", "商品A-(A01);商品B-(B02)".
    const lineIds = lineIdCell.id.split(/\s*;\s*/u);
    const parts = lineIds.length;
    const titles = splitParts(title, parts);
    const skus = splitParts(sku, parts);
    const productIds = splitParts(externalProductId, parts);
    const quantities =
      typeof rawQty === 'string' ? splitParts(rawQty, parts).map((q) => readQuantityCell(q)) : [qtyCell];
    const orders: StagedOrder[] = [];
    for (let i = 0; i < parts; i++) {
      const order = orderLine(
        i,
        parts,
        lineIds[i] ?? '',
        titles[i] ?? '',
        skus[i] ?? '',
        productIds[i] ?? '',
        quantities[i] ?? quantities[0] ?? qtyCell,
      );
      if (order === undefined) return outOfRange();
      orders.push(order);
    }
    return { kind: 'orders', orders };
  };
  // The mapped columns, and the first three (summary rows say 合计 there); every other cell is
  // only ever tested for emptiness.
  const columns = [...new Set([0, 1, 2, ...Object.values(cols).filter((i): i is number => i !== undefined)])].filter(
    (i) => i < headers.length,
  );
  return Object.assign(normalise, { columns });
}

const emptyAmount: AmountCell = { kind: 'empty' };

/** An amount past the limit on one line. */
function tooLarge(cell: AmountCell): boolean {
  return cell.kind === 'ok' && Math.abs(cell.fen) > importLimits.maxLineFen;
}

function amountAt(cells: readonly CellValue[], i: number | undefined, unit: 'yuan' | 'fen'): AmountCell {
  return i === undefined ? emptyAmount : readAmountCell(cells[i], unit);
}

/** One `;`-joined cell of a 订单维度 row, as many pieces as it has sub-orders (else all on the first). */
function splitParts(s: string, parts: number): string[] {
  const pieces = s.split(/\s*;\s*/u);
  return pieces.length === parts ? pieces : Array.from({ length: parts }, (_, i) => (i === 0 ? s : ''));
}

/** Candidate header row: enough non-empty, mostly non-numeric cells. */
function looksLikeHeader(cells: readonly CellValue[]): boolean {
  const texts = cells.map(cellText).filter((t) => t !== '');
  if (texts.length < 3) return false;
  const numeric = texts.filter((t) => /^[\d.,:\-/ ]+$/u.test(t)).length;
  return numeric / texts.length < 0.3;
}

/** Where the header is among the first rows, and which preset or mapping fits it. */
export interface HeaderGuess {
  /** Index into the rows given. */
  readonly index: number;
  readonly headers: string[];
  readonly mapping: ColumnMapping | undefined;
  readonly platform: ColumnMapping['platform'] | undefined;
  readonly isPreset: boolean;
}

/**
 * Scans the first rows (titles and notes may come before the header) for one a preset or a
 * saved mapping fits. Falls back to the first header-looking row, so the user can map it.
 */
export function findHeaderRow(
  rows: readonly (readonly CellValue[])[],
  fits: (headers: string[]) => { mapping: ColumnMapping; isPreset: boolean } | undefined,
  maxRows = 20,
): HeaderGuess | undefined {
  let fallback: HeaderGuess | undefined;
  for (let i = 0; i < Math.min(rows.length, maxRows); i++) {
    const row = rows[i];
    if (row === undefined) continue;
    const headers = row.map((c) => cellText(c));
    const fit = fits(headers);
    if (fit !== undefined) {
      return { index: i, headers, mapping: fit.mapping, platform: fit.mapping.platform, isPreset: fit.isPreset };
    }
    if (fallback === undefined && looksLikeHeader(row)) {
      fallback = { index: i, headers, mapping: undefined, platform: undefined, isPreset: false };
    }
  }
  return fallback;
}
