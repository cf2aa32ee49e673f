import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { StudioError } from '../../../shared/api/result';
import type { CutProxy, TestPg } from '../../../test/support/centre/pg';
import { isPgAvailable, startCutProxy, startTestPg } from '../../../test/support/centre/pg';
import type { TestStudio } from '../../../test/support/centre/studio';
import { centreRows, makeStudio, rollupDrift } from '../../../test/support/centre/studio';
import { createNullLogger } from '../logger';
import { CentreAdmin } from './centre-admin';

// Three studios (three real SQLite files) push to a real PostgreSQL 15 through TCP proxies the
// test can cut. Every push happens when the test calls syncNow; clocks are injected.

const describePg = isPgAvailable() ? describe : describe.skip;

async function codedError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StudioError) return error.code;
    throw error;
  }
  throw new Error('expected a coded error');
}

describePg('county centre sync (real PostgreSQL)', () => {
  let server: TestPg;
  let admin: CentreAdmin;
  const proxies: CutProxy[] = [];
  const studios: TestStudio[] = [];

  const join = async (studio: TestStudio, name: string, proxy: CutProxy) => {
    const invite = await admin.invite({ name, cooperative: `${name}合作社`, town: '城关镇' });
    const link = await studio.call('centre:join', {
      address: `127.0.0.1:${proxy.port}/postgres`,
      code: invite.code.toLowerCase(),
    });
    return { invite, link: link as { studioId: string } };
  };
  const sync = (studio: TestStudio) => studio.call('centre:sync-now');
  const localSales = async (studio: TestStudio) =>
    (await studio.sales.call('sales:list', { limit: 1000 })).sales.map((s) => [s.id, s.status] as const);

  beforeAll(async () => {
    server = await startTestPg();
    admin = new CentreAdmin({
      url: server.adminUrl,
      logger: createNullLogger(),
      joinAddress: 'centre.test:5432/postgres',
    });
    await admin.start();
    expect(admin.mode().errorCode).toBeNull();
  });

  afterAll(async () => {
    for (const s of studios) await s.close();
    for (const p of proxies) await p.close();
    await admin?.close();
    await server?.destroy();
  });

  it('three studios, one offline for a day: the centre converges with no duplicate and refunds applied', async () => {
    const day0 = Date.parse('2026-11-20T01:00:00Z');
    const ids: string[] = [];
    for (const name of ['东山直播间', '西岭直播间', '南湖直播间']) {
      const studio = await makeStudio({ start: day0, batchSize: 50 });
      const proxy = await startCutProxy(server.port);
      studios.push(studio);
      proxies.push(proxy);
      const { link } = await join(studio, name, proxy);
      ids.push(link.studioId);
      for (let i = 0; i < 40; i++) await studio.sell(1000 + i, day0 + i * 60_000);
      await sync(studio);
    }
    // 南湖 loses its uplink for a day; it keeps selling and refunds two sales the centre has.
    const [east, west, south] = studios as [TestStudio, TestStudio, TestStudio];
    const southProxy = proxies[2]!;
    southProxy.cut();
    const firstIds = (await localSales(south)).map(([id]) => id).sort((a, b) => a - b);
    for (let hour = 0; hour < 24; hour++) {
      south.clock.now = day0 + hour * 3_600_000;
      for (let i = 0; i < 5; i++) await south.sell(2000 + hour, south.clock.now + i * 1000);
      if (hour === 3) {
        await south.sales.call('sales:set-status', { saleId: firstIds[0]!, status: 'refunded', reason: '坏果' });
        await south.sales.call('sales:set-status', { saleId: firstIds[1]!, status: 'cancelled' });
      }
      expect(await codedError(sync(south))).toBe('centre/unreachable');
    }
    const offline = south.centre.service.link.status();
    expect(offline.errorCode).toBe('centre/unreachable');
    expect(offline.pending).toBe(24 * 5 + 2);
    // Backed off: the next try is minutes away, not seconds, after a day of failures.
    expect(offline.nextRetryAt! - south.clock.now).toBeGreaterThan(60_000);
    // The others keep pushing meanwhile.
    await east.sell(9900);
    await sync(east);

    southProxy.restore();
    await sync(south);
    expect(south.centre.service.link.status()).toMatchObject({ errorCode: null, nextRetryAt: null, pending: 0 });
    for (const [i, studio] of studios.entries()) {
      const rows = await centreRows(server.adminUrl, ids[i]!);
      const local = await localSales(studio);
      expect(rows.size).toBe(local.length);
      for (const [id, status] of local) expect(rows.get(id)?.status).toBe(status);
    }
    const southRows = await centreRows(server.adminUrl, ids[2]!);
    expect(southRows.get(firstIds[0]!)).toMatchObject({ status: 'refunded', revision: 2 });
    expect(southRows.get(firstIds[1]!)).toMatchObject({ status: 'cancelled', revision: 2 });
    expect(await rollupDrift(server.adminUrl)).toBe(0);

    const analytics = await admin.analytics({ from: '2026-11-19', to: '2026-11-22' });
    const southAnalytics = analytics.byStudio.find((s) => s.studioId === ids[2]);
    const southLocal = (await south.sales.call('sales:list', { limit: 1000 })).sales;
    const counted = southLocal.filter((s) => s.status === 'placed' || s.status === 'paid');
    expect(southAnalytics).toMatchObject({
      gmvFen: counted.reduce((sum, s) => sum + s.amountFen, 0),
      orders: counted.length,
      refundedOrders: 1,
      town: '城关镇',
    });
    expect(analytics.totals.orders).toBe(analytics.byStudio.reduce((n, s) => n + s.orders, 0));
    // Products come from other roll-ups (whole months + edge days): they add up to the same totals
    // over ranges that start and end inside, on and across month boundaries.
    for (const [from, to] of [
      ['2026-11-19', '2026-11-22'],
      ['2026-11-01', '2026-11-30'],
      ['2026-10-15', '2026-12-10'],
      ['2026-11-21', '2026-11-21'],
      ['2025-12-01', '2026-11-20'],
    ] as const) {
      const a = await admin.analytics({ from, to });
      expect(
        a.byProduct.reduce((n, p) => n + p.gmvFen, 0),
        `${from}..${to}`,
      ).toBe(a.totals.gmvFen);
      expect(
        a.byProduct.reduce((n, p) => n + p.refundedOrders, 0),
        `${from}..${to}`,
      ).toBe(a.totals.refundedOrders);
      expect(a.byDay.reduce((n, d) => n + d.orders, 0)).toBe(a.totals.orders);
    }
    const eastOnly = await admin.analytics({ from: '2026-11-01', to: '2026-11-30', studioId: ids[0]! });
    expect(eastOnly.byStudio.map((s) => s.studioId)).toEqual([ids[0]]);
    expect(eastOnly.byProduct[0]?.gmvFen).toBe(eastOnly.totals.gmvFen);
    void west;
  });

  it('a network cut mid-batch leaves whole batches only, and the next push goes on from there', async () => {
    const studio = await makeStudio({ batchSize: 25 });
    const proxy = await startCutProxy(server.port);
    studios.push(studio);
    proxies.push(proxy);
    const { link } = await join(studio, '北坡直播间', proxy);
    for (let i = 0; i < 200; i++) await studio.sell(500 + i);
    let upserts = 0;
    proxy.onClientData((bytes) => {
      if (bytes.includes('INSERT INTO harvest.sales') && ++upserts === 4) proxy.cut();
    });
    expect(await codedError(sync(studio))).toBe('centre/unreachable');
    const partial = await centreRows(server.adminUrl, link.studioId);
    expect(partial.size).toBe(75);
    proxy.onClientData(undefined);
    proxy.restore();
    await sync(studio);
    const rows = await centreRows(server.adminUrl, link.studioId);
    expect(rows.size).toBe(200);
    expect([...rows.values()].every((r) => r.revision === 1)).toBe(true);
    expect(await rollupDrift(server.adminUrl)).toBe(0);
  });

  it('PostgreSQL restarted mid-sync: the push resumes once it is back', async () => {
    const studio = await makeStudio({ batchSize: 100 });
    const proxy = await startCutProxy(server.port);
    studios.push(studio);
    proxies.push(proxy);
    const { link } = await join(studio, '古镇直播间', proxy);
    for (let i = 0; i < 600; i++) await studio.sell(300 + i);
    let upserts = 0;
    let stopped: Promise<void> | undefined;
    proxy.onClientData((bytes) => {
      if (bytes.includes('INSERT INTO harvest.sales') && ++upserts === 3) stopped = server.stop();
    });
    const code = await codedError(sync(studio));
    expect(code).toBe('centre/unreachable');
    await stopped;
    proxy.onClientData(undefined);
    expect(await codedError(sync(studio))).toBe('centre/unreachable');
    await server.start();
    await sync(studio);
    const rows = await centreRows(server.adminUrl, link.studioId);
    expect(rows.size).toBe(600);
    expect(await rollupDrift(server.adminUrl)).toBe(0);
    // The centre's own pool survived the restart too.
    expect((await admin.studios()).find((s) => s.id === link.studioId)?.sales).toBe(600);
  });

  it("a studio's clock an hour fast: its refund still wins, and the centre sees the skew", async () => {
    const studio = await makeStudio({ clockOffsetMs: 3_600_000 });
    const proxy = await startCutProxy(server.port);
    studios.push(studio);
    proxies.push(proxy);
    const { link } = await join(studio, '快钟直播间', proxy);
    const saleId = await studio.sell(8800);
    await sync(studio);
    // The refund is stamped by the wrong clock; order comes from revisions, not from times.
    studio.clock.now -= 2 * 3_600_000;
    await studio.sales.call('sales:set-status', { saleId, status: 'refunded' });
    await sync(studio);
    const rows = await centreRows(server.adminUrl, link.studioId);
    expect(rows.get(saleId)).toMatchObject({ status: 'refunded', revision: 2 });
    studio.clock.now += 2 * 3_600_000;
    await studio.sell(100);
    await sync(studio);
    const seen = (await admin.studios()).find((s) => s.id === link.studioId)!;
    expect(Math.abs(seen.clockSkewMs! - 3_600_000)).toBeLessThan(60_000);
  });

  it('codes: wrong, used, expired address; a studio cannot touch another studio; revoke and leave', async () => {
    const studio = await makeStudio();
    const proxy = await startCutProxy(server.port);
    studios.push(studio);
    proxies.push(proxy);
    const joinWith = (address: string, code: string) => studio.call('centre:join', { address, code });
    const address = `127.0.0.1:${proxy.port}/postgres`;
    expect(await codedError(joinWith(address, 'ABCD-EFGH-JKMN'))).toBe('centre/pair-code-invalid');
    expect(await codedError(joinWith(address, 'too short'))).toBe('centre/pair-code-invalid');
    expect(await codedError(joinWith('not an address!', 'ABCD-EFGH-JKMN'))).toBe('centre/bad-address');
    proxy.cut();
    expect(await codedError(joinWith(address, 'ABCD-EFGH-JKMN'))).toBe('centre/unreachable');
    proxy.restore();
    const invite = await admin.invite({ name: '测试直播间', cooperative: '', town: '' });
    const link = (await joinWith(address, invite.code)) as { studioId: string; state: string };
    expect(link.state).toBe('joined');
    // The code is spent: a second studio typing it gets nowhere.
    const other = await makeStudio();
    studios.push(other);
    expect(await codedError(other.call('centre:join', { address, code: invite.code }))).toBe(
      'centre/pair-code-invalid',
    );
    expect(await codedError(joinWith(address, invite.code))).toBe('centre/already-joined');

    // Row-level security: with its own login the studio cannot write rows of another studio.
    const [role] = (await admin.studios()).filter((s) => s.id === link.studioId);
    expect(role?.state).toBe('joined');
    const direct = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      database: 'postgres',
      user: `harvest_s_${invite.code.slice(0, 4).toLowerCase()}`,
      password: studio.password()!,
    });
    await direct.connect();
    const someoneElse = (await admin.studios()).find((s) => s.id !== link.studioId)!.id;
    await expect(
      direct.query(
        `INSERT INTO harvest.sales (studio_id, sale_id, revision, quantity, amount_fen, ordered_at, status, order_count)
         VALUES ($1, 999999, 1, 1, 1, 0, 'paid', 1)`,
        [someoneElse],
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await direct.query('SELECT count(*)::int AS n FROM harvest.sales')).rows[0]).toEqual({ n: 0 });
    await expect(direct.query('SELECT * FROM harvest.daily')).rejects.toMatchObject({ code: '42501' });
    await direct.end();

    // Removed by the centre: the next push says so, and the credentials are gone.
    await studio.sell(100);
    await sync(studio);
    await admin.revoke(link.studioId);
    await studio.sell(100);
    expect(await codedError(sync(studio))).toBe('centre/revoked');
    expect(studio.centre.service.link.status()).toMatchObject({ state: 'revoked', errorCode: 'centre/revoked' });
    expect(studio.password()).toBeUndefined();
    expect((await centreRows(server.adminUrl, link.studioId)).size).toBe(1);
    // Leaving after a revoke just forgets the link.
    expect(await studio.call('centre:leave')).toEqual({ isCentreTold: false });
    expect(studio.centre.service.link.status().state).toBe('none');

    // A new code for the same studio: it joins again and pushes what it has.
    const again = await admin.invite({ name: '测试直播间', cooperative: '', town: '', studioId: link.studioId });
    await joinWith(address, again.code);
    await sync(studio);
    expect((await centreRows(server.adminUrl, link.studioId)).size).toBe(2);
    // Leaving tells the centre, which can no longer be logged into with those credentials.
    const password = studio.password()!;
    expect(await studio.call('centre:leave')).toEqual({ isCentreTold: true });
    expect(studio.password()).toBeUndefined();
    const left = new pg.Client({
      host: '127.0.0.1',
      port: server.port,
      database: 'postgres',
      user: `harvest_s_${again.code.slice(0, 4).toLowerCase()}`,
      password,
    });
    left.on('error', () => undefined);
    await expect(left.connect()).rejects.toMatchObject({ code: '28000' });
    expect((await admin.studios()).find((s) => s.id === link.studioId)?.state).toBe('left');
  });
});
