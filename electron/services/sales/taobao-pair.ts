import type { BadRow, ColumnMapping } from '../../../shared/api/sales';
import { StudioError } from '../../../shared/api/studio-error';
import type { CellValue } from '../../../shared/sales/import/cells';
import { readAmountCell, readIdCell } from '../../../shared/sales/import/cells';
import type { StagedOrder } from '../../../shared/sales/import/normalise';
import { createRowNormaliser, findHeaderRow } from '../../../shared/sales/import/normalise';
import { normaliseHeader } from '../../../shared/sales/import/presets';
import type { ZonedClock } from '../../../shared/sales/time';
import type { FileRow, FileSource, SniffResult } from './import-reader';
import { readRows, sniffFile } from './import-reader';
import { stageBatchLimit } from './staged-columns';

// 淘宝/千牛 export the orders as a pair of files: the order file (one row per 主订单: times,
// status, 买家应付邮费, what the buyer paid) and the item file (one row per 宝贝/子订单: title,
// price, quantity, merchant code). Imported together, in either order, joined on the order id:
// each item becomes a line with its product, the order's paid goods amount is spread over its
// lines by price × quantity (largest remainder, so the fen add up), and the order's postage goes
// on its first line, so every order's lines sum to exactly what its buyer paid.

const has = (headers: readonly string[], ...names: string[]) => {
  const set = new Set(headers.map(normaliseHeader));
  return names.some((n) => set.has(normaliseHeader(n)));
};

export type PairRole = 'orders' | 'items';

/** Which half of a 淘宝 pair a header row is; undefined if neither. */
export function pairRole(headers: readonly string[]): PairRole | undefined {
  const hasOrderId = has(headers, '订单编号', '主订单编号');
  if (!hasOrderId) return undefined;
  if (has(headers, '买家应付邮费') && has(headers, '买家实付金额', '买家实际支付金额', '总金额')) return 'orders';
  if (has(headers, '标题', '商品标题') && has(headers, '价格', '商品价格') && has(headers, '购买数量')) return 'items';
  return undefined;
}

function pick(headers: readonly string[], ...names: string[]): string | undefined {
  const byKey = new Map(headers.map((h) => [normaliseHeader(h), h]));
  for (const n of names) {
    const found = byKey.get(normaliseHeader(n));
    if (found !== undefined) return found;
  }
  return undefined;
}

function ordersMapping(headers: readonly string[]): ColumnMapping {
  const columns: ColumnMapping['columns'] = {};
  const set = (field: keyof ColumnMapping['columns'], ...names: string[]) => {
    const h = pick(headers, ...names);
    if (h !== undefined) columns[field] = h;
  };
  set('orderId', '主订单编号', '订单编号');
  set('orderedAt', '订单创建时间');
  set('paidAt', '订单付款时间');
  set('productTitle', '宝贝标题');
  set('quantity', '宝贝总数量');
  set('orderAmount', '买家实付金额', '买家实际支付金额', '总金额');
  set('status', '订单状态');
  return { name: '淘宝/千牛 订单', platform: 'taobao', columns, amountUnit: 'yuan' };
}

/** The item file's mapping; `timeColumn` is the order time joined in from the order file. */
function itemsMapping(headers: readonly string[], timeColumn: string): ColumnMapping {
  const columns: ColumnMapping['columns'] = { orderedAt: timeColumn };
  const set = (field: keyof ColumnMapping['columns'], ...names: string[]) => {
    const h = pick(headers, ...names);
    if (h !== undefined) columns[field] = h;
  };
  set('orderId', '主订单编号', '订单编号');
  set('lineId', '子订单编号');
  // The item file's own time (current 千牛 子订单 files have one) when its order is not in the order file.
  set('paidAt', '订单创建时间', '订单付款时间');
  set('productTitle', '商品标题', '标题');
  set('externalProductId', '商品ID');
  set('sku', '商家编码', '外部系统编号');
  set('quantity', '购买数量');
  set('unitPrice', '商品价格', '价格');
  set('status', '订单状态');
  set('afterSale', '退款状态');
  return { name: '淘宝/千牛 宝贝', platform: 'taobao', columns, amountUnit: 'yuan' };
}

interface OrderInfo {
  orderedAt: number;
  isDateOnly: boolean;
  paidFen: number;
  postageFen: number;
  status: StagedOrder['status'];
  title: string;
  quantity: number;
  line: number;
  hasItems: boolean;
}

export interface PairScan {
  readonly sniff: SniffResult;
  readonly sheet: string | null;
  readonly headerLine: number;
  readonly headers: string[];
  readonly mapping: ColumnMapping;
  readonly orderColumn: string;
  readonly counts: { total: number; ok: number; bad: number; skipped: number };
  readonly badRows: BadRow[];
}

async function headerOf(
  source: FileSource,
  onBytes: (n: number) => void,
): Promise<{ sniff: SniffResult; role: PairRole; rows: AsyncGenerator<FileRow[]>; head: FileRow[]; index: number }> {
  const sniff = await sniffFile(source);
  const rows = readRows(source, sniff, onBytes);
  const head: FileRow[] = [];
  // Not a for-await with break: that would end the generator, and the rest of the file with it.
  while (head.length < 20) {
    const next = await rows.next();
    if (next.done === true) break;
    for (const r of next.value) head.push(r);
  }
  const guess = findHeaderRow(
    head.map((r) => r.cells),
    (headers) => (pairRole(headers) === undefined ? undefined : { mapping: ordersMapping(headers), isPreset: true }),
  );
  const role = guess?.mapping === undefined ? undefined : pairRole(guess.headers);
  if (guess === undefined || role === undefined) {
    throw new StudioError('sales/import-pair', 'These two files are not a 淘宝/千牛 order file and its item file.', {
      params: { file: sniff.name },
    });
  }
  return { sniff, role, rows, head, index: guess.index };
}

/** Allocates `total` fen over `weights` in proportion (largest remainder); equal shares when all are 0. */
export function allocate(total: number, weights: readonly number[]): number[] {
  const w = weights.some((x) => x > 0) ? weights.map((x) => Math.max(0, x)) : weights.map(() => 1);
  const sum = w.reduce((a, b) => a + b, 0);
  const exact = w.map((x) => (total * x) / sum);
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0 && k < order.length; k++, left--) out[order[k]?.[1] ?? 0] += 1;
  return out;
}

/** Reads both files of a pair and hands on the joined order lines. */
export async function scanTaobaoPair(
  first: FileSource,
  second: FileSource,
  clock: ZonedClock,
  emit: (lines: StagedOrder[]) => Promise<void>,
  onBytes: (n: number) => void,
  begin: (fileName: string) => Promise<void>,
): Promise<PairScan> {
  const a = await headerOf(first, onBytes);
  const b = await headerOf(second, onBytes);
  if (a.role === b.role) {
    throw new StudioError('sales/import-pair', 'These two files are not a 淘宝/千牛 order file and its item file.', {
      params: { file: b.sniff.name },
    });
  }
  const ordersFile = a.role === 'orders' ? a : b;
  const itemsFile = a.role === 'orders' ? b : a;
  const counts = { total: 0, ok: 0, bad: 0, skipped: 0 };
  const badRows: BadRow[] = [];
  const noteBad = (bad: BadRow) => {
    counts.total += 1;
    counts.bad += 1;
    if (badRows.length < 200) badRows.push(bad);
  };

  // 1. The order file, whole, into a map keyed on the order id (a few numbers per order).
  const orderHeaderRow = ordersFile.head[ordersFile.index] as FileRow;
  const orderHeaders = orderHeaderRow.cells.map((c) => (typeof c === 'string' ? c : String(c ?? '')));
  const oMapping = ordersMapping(orderHeaders);
  const postageAt = orderHeaders.findIndex((h) => normaliseHeader(h) === normaliseHeader('买家应付邮费'));
  const normaliseOrder = createRowNormaliser({
    headers: orderHeaders,
    mapping: oMapping,
    clock,
    headerLine: orderHeaderRow.line,
  });
  const orders = new Map<string, OrderInfo>();
  const readOrder = (row: FileRow) => {
    if (row.sheet !== orderHeaderRow.sheet) return;
    const outcome = normaliseOrder(row.cells, row.line);
    if (outcome.kind === 'bad') return noteBad(outcome.bad);
    if (outcome.kind === 'skip') return;
    const o = outcome.orders[0];
    if (o === undefined) return;
    const postage = readAmountCell(row.cells[postageAt] as CellValue, 'yuan');
    orders.set(o.orderId, {
      orderedAt: o.orderedAt,
      isDateOnly: o.isDateOnly,
      paidFen: o.amountFen,
      postageFen: postage.kind === 'ok' ? postage.fen : 0,
      status: o.status,
      title: o.productTitle,
      quantity: o.quantity,
      line: o.line,
      hasItems: false,
    });
  };
  for (const r of ordersFile.head.slice(ordersFile.index + 1)) readOrder(r);
  for await (const batch of ordersFile.rows) for (const r of batch) readOrder(r);

  // 2. The item file, streamed; an order's lines are gathered (they are adjacent) and spread.
  const itemHeaderRow = itemsFile.head[itemsFile.index] as FileRow;
  const itemHeaders = itemHeaderRow.cells.map((c) => (typeof c === 'string' ? c : String(c ?? '')));
  const timeColumn = '订单创建时间(订单文件)';
  const iMapping = itemsMapping([...itemHeaders], timeColumn);
  const normaliseItem = createRowNormaliser({
    headers: [...itemHeaders, timeColumn],
    mapping: iMapping,
    clock,
    headerLine: itemHeaderRow.line,
  });
  const idAt = itemHeaders.indexOf(iMapping.columns.orderId ?? '');
  const hasItemStatus = iMapping.columns.status !== undefined;
  await begin(itemsFile.sniff.name);
  let group: StagedOrder[] = [];
  let out: StagedOrder[] = [];
  /** Lines handed on so far (batches start small, see stageBatchLimit). */
  let sent = 0;
  const emitIfFull = async () => {
    if (out.length < stageBatchLimit(sent)) return;
    const lines = out;
    out = [];
    sent += lines.length;
    await emit(lines);
  };
  const flushGroup = async () => {
    if (group.length === 0) return;
    const info = orders.get(group[0]?.orderId ?? '');
    if (info !== undefined) {
      const goods = allocate(
        Math.max(0, info.paidFen - info.postageFen),
        group.map((l) => l.unitPriceFen * l.quantity),
      );
      group = group.map((l, i) => ({
        ...l,
        orderCount: i === 0 ? 1 : 0,
        amountFen: ((goods[i] ?? 0) + (i === 0 ? info.postageFen : 0)) as StagedOrder['amountFen'],
        status: hasItemStatus ? l.status : info.status,
      }));
    }
    for (const l of group) out.push(l);
    group = [];
    await emitIfFull();
  };
  const readItem = async (row: FileRow) => {
    if (row.sheet !== itemHeaderRow.sheet) return;
    const id = readIdCell(row.cells[idAt]);
    const info = id.ok ? orders.get(id.id) : undefined;
    if (info !== undefined) info.hasItems = true;
    const outcome = normaliseItem([...row.cells.slice(0, itemHeaders.length), info?.orderedAt ?? null], row.line);
    if (outcome.kind === 'bad') return noteBad(outcome.bad);
    if (outcome.kind === 'skip') {
      if (outcome.why !== 'blank') {
        counts.total += 1;
        counts.skipped += 1;
      }
      return;
    }
    counts.total += 1;
    counts.ok += 1;
    for (const l of outcome.orders) {
      if (group.length > 0 && group[0]?.orderId !== l.orderId) await flushGroup();
      group.push(info?.isDateOnly === true ? { ...l, isDateOnly: true } : l);
    }
  };
  for (const r of itemsFile.head.slice(itemsFile.index + 1)) await readItem(r);
  for await (const batch of itemsFile.rows) for (const r of batch) await readItem(r);
  await flushGroup();

  // 3. Orders without any item row keep their own amount and 宝贝标题, so the totals still reconcile.
  for (const [orderId, info] of orders) {
    if (info.hasItems) continue;
    counts.total += 1;
    counts.ok += 1;
    out.push({
      line: info.line,
      orderId,
      lineKey: '#1',
      orderCount: 1,
      orderedAt: info.orderedAt,
      isDateOnly: info.isDateOnly,
      productTitle: info.title,
      externalProductId: '',
      sku: '',
      quantity: info.quantity,
      unitPriceFen: (info.quantity > 0 ? Math.trunc(info.paidFen / info.quantity) : 0) as StagedOrder['unitPriceFen'],
      amountFen: info.paidFen as StagedOrder['amountFen'],
      status: info.status,
    });
    await emitIfFull();
  }
  if (out.length > 0) await emit(out);
  return {
    sniff: itemsFile.sniff,
    sheet: itemHeaderRow.sheet,
    headerLine: itemHeaderRow.line,
    headers: itemHeaders,
    mapping: iMapping,
    orderColumn: oMapping.columns.orderAmount ?? '买家实付金额',
    counts,
    badRows,
  };
}
