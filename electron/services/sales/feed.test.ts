import fs from 'node:fs';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

import { rejection } from '../../../test/support/sales/import-checks';
import type { SalesKit } from '../../../test/support/sales/test-kit';
import { makeSalesKit } from '../../../test/support/sales/test-kit';
import { fromObaOrder } from './feed-client';

let kit: SalesKit;
beforeEach(async () => {
  kit = await makeSalesKit({ feedMinDelayMs: 50 });
});
afterEach(async () => {
  await kit.close();
  fs.rmSync(kit.dir, { recursive: true, force: true });
});

async function liveShow() {
  const honey = await kit.call('products:save', { name: '百花蜂蜜', sku: 'B02', priceFen: 3900 });
  const orange = await kit.call('products:save', { name: '赣南脐橙', sku: 'A01', priceFen: 5990 });
  const show = await kit.call('sales:show-create', { title: '今晚', platforms: ['douyin'] });
  const segment = await kit.call('sales:segment-start', {
    showId: show.id,
    productId: honey.id,
    host: '小王',
    guest: '张县长',
    presetId: null,
    startedAt: Date.now() - 60_000,
  });
  return { honey, orange, show, segment };
}

/** A stand-in for oba-live-tool: a bare WebSocket server that broadcasts JSON objects. */
function obaServer(port = 0): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ port, host: '127.0.0.1' }, () => resolve(server));
  });
}
const broadcast = (server: WebSocketServer, message: unknown) => {
  for (const client of server.clients) client.send(JSON.stringify(message));
};
const closeServer = (server: WebSocketServer) =>
  new Promise<void>((resolve) => {
    for (const client of server.clients) client.terminate();
    server.close(() => resolve());
  });

describe('live order feed', () => {
  it('oba-live-tool: 已下单 then 已付款 is one sale, priced from our product, and the client reconnects by itself', async () => {
    const { honey, segment } = await liveShow();
    let server = await obaServer();
    const port = (server.address() as AddressInfo).port;
    const connected = kit.next('sales:feed-state', (s) => s.status === 'connected');
    const state = await kit.call('sales:feed-connect', { isEnabled: true, url: `ws://127.0.0.1:${port}` });
    expect(state.isEnabled).toBe(true);
    await connected;

    // Comments share the socket and are ignored.
    broadcast(server, { msg_type: 'comment', msg_id: 'c1', nick_name: 'a', content: '多少钱', time: Date.now() });
    const orderTs = Math.floor(Date.now() / 1000) - 5; // seconds: the unit is undocumented
    const recorded = kit.next('sales:recorded');
    broadcast(server, {
      msg_type: 'live_order',
      msg_id: '7000123#1',
      nick_name: '买家',
      order_status: '已下单',
      order_ts: orderTs,
      product_id: '3600000000000002',
      product_title: '百花蜂蜜 500g 农家',
      time: Date.now(),
    });
    const sale = await recorded;
    expect(sale).toMatchObject({
      source: 'feed',
      status: 'placed',
      externalOrderId: '7000123',
      productId: honey.id,
      amountFen: 3900,
      segmentId: segment.id,
      orderedAt: orderTs * 1000,
      platform: 'douyin',
    });
    const changed = kit.next('sales:changed', (c) => c.reason === 'feed');
    broadcast(server, {
      msg_type: 'live_order',
      msg_id: '7000123#3',
      order_status: '已付款',
      order_ts: orderTs * 1000,
      product_id: '3600000000000002',
      product_title: '百花蜂蜜 500g 农家',
      time: Date.now(),
    });
    await changed;
    const { sales } = await kit.call('sales:list', {});
    expect(sales).toHaveLength(1);
    expect(sales[0]?.status).toBe('paid');

    // oba-live-tool stops listening: the studio waits and comes back by itself.
    const waiting = kit.next('sales:feed-state', (s) => s.status === 'waiting');
    await closeServer(server);
    await waiting;
    const back = kit.next('sales:feed-state', (s) => s.status === 'connected');
    server = await obaServer(port);
    await back;

    // An unknown product id is listed for mapping; after mapping, its orders get our price.
    const unknown = kit.next('sales:feed-state', (s) => s.unmappedProducts.length > 0);
    broadcast(server, {
      msg_type: 'live_order',
      msg_id: '7000200#3',
      order_status: '已付款',
      order_ts: Date.now(),
      product_id: '999',
      product_title: '神秘礼盒',
      time: Date.now(),
    });
    expect((await unknown).unmappedProducts).toEqual([{ externalId: '999', title: '神秘礼盒' }]);
    const mapped = await kit.call('sales:feed-map-product', { externalId: '999', productId: honey.id });
    expect(mapped.find((m) => m.externalId === '999')?.productId).toBe(honey.id);
    const next = kit.next('sales:recorded');
    broadcast(server, {
      msg_type: 'live_order',
      msg_id: '7000201#3',
      order_status: '已付款',
      order_ts: Date.now(),
      product_id: '999',
      time: Date.now(),
    });
    expect(await next).toMatchObject({ productId: honey.id, amountFen: 3900 });
    expect((await kit.call('sales:feed-state')).ordersReceived).toBe(4);

    const off = kit.next('sales:feed-state', (s) => s.status === 'off');
    await kit.call('sales:feed-connect', { isEnabled: false });
    await off;
    await closeServer(server);
  });

  it('turns order_ts in seconds, ms or µs into ms, and distrusts a value far from the broadcast time', () => {
    const now = 1_776_255_630_000;
    const base = { msg_type: 'live_order' as const, msg_id: '1#1', order_status: '已下单', time: now };
    expect(fromObaOrder({ ...base, order_ts: now / 1000 }, now).orderedAt).toBe(now);
    expect(fromObaOrder({ ...base, order_ts: now }, now).orderedAt).toBe(now);
    expect(fromObaOrder({ ...base, order_ts: now * 1000 }, now).orderedAt).toBe(now);
    expect(fromObaOrder({ ...base, order_ts: 12345 }, now).orderedAt).toBe(now);
    expect(fromObaOrder({ ...base, order_status: '未知状态' }, now).status).toBe('placed');
  });

  it('accepts orders pushed by other local tools in the documented shape, and refuses anything else', async () => {
    const { orange, segment } = await liveShow();
    const order = {
      source: 'my-erp',
      platform: 'douyin' as const,
      orderId: 'E-1',
      status: 'paid' as const,
      orderedAt: new Date(Date.now() - 1000).toISOString(),
      productId: orange.id,
      quantity: 2,
    };
    const first = await kit.call('sales:feed-push', order);
    expect(first).toMatchObject({
      isDuplicate: false,
      sale: { amountFen: 11980, segmentId: segment.id, isOffAir: true },
    });
    const again = await kit.call('sales:feed-push', order);
    expect(again).toMatchObject({ isDuplicate: true, sale: { id: first.sale.id } });
    const refund = await kit.call('sales:feed-push', { ...order, status: 'refunded' as const });
    expect(refund.sale.status).toBe('refunded');
    // Status never goes back: a late 'placed' after 'refunded' changes nothing.
    expect((await kit.call('sales:feed-push', { ...order, status: 'placed' as const })).sale.status).toBe('refunded');

    const seconds = await kit.call('sales:feed-push', {
      source: 'x',
      platform: 'kuaishou',
      orderId: 'K-1',
      orderedAt: Math.floor(Date.now() / 1000),
      amountFen: 1234,
      productTitle: '赣南脐橙 10斤',
    });
    expect(seconds.sale).toMatchObject({ productId: orange.id, amountFen: 1234, platform: 'kuaishou' });
    expect(Math.abs(seconds.sale.orderedAt - Date.now())).toBeLessThan(5000);

    const refuse = async (payload: unknown, code: string) => {
      expect((await rejection(kit.call('sales:feed-push', payload as never))).code, JSON.stringify(payload)).toBe(code);
    };
    await refuse({ ...order, amountFen: 12.5 }, 'app/invalid-payload');
    await refuse({ ...order, platform: 'myspace' }, 'app/invalid-payload');
    await refuse({ ...order, orderId: '' }, 'app/invalid-payload');
    await refuse({ ...order, orderedAt: '2026-04-15 20:00:00' }, 'sales/invalid-time');
    await refuse({ ...order, orderId: 'E-2', productId: 'nope' }, 'sales/not-found');
  });
});
