import type { StagedOrder } from '../../../shared/sales/import/normalise';

/**
 * `count` one-line 抖店-style orders as the import worker stages them: ids O0, O1, …, one
 * second apart from 2026-04-15 12:00 UTC, product 赣南脐橙 with merchant code A01, ¥59.90 paid.
 */
export function stagedOrders(count: number): StagedOrder[] {
  return Array.from({ length: count }, (_, i) => ({
    line: i + 2,
    orderId: `O${i}`,
    lineKey: '#1',
    orderCount: 1,
    orderedAt: Date.UTC(2026, 3, 15, 12) + i * 1000,
    isDateOnly: false,
    productTitle: '赣南脐橙',
    externalProductId: '',
    sku: 'A01',
    quantity: 1,
    unitPriceFen: 5990,
    amountFen: 5990,
    status: 'paid',
  })) as StagedOrder[];
}
