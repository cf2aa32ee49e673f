import { afterEach, describe, expect, it } from 'vitest';

import type { SalesKit } from '../../../test/support/sales/test-kit';
import { makeSalesKit } from '../../../test/support/sales/test-kit';
import {
  FakeObs,
  recordEvents,
  rundownInput,
  segmentInput,
  showDomainOnSales,
  testDeps,
} from '../../../test/support/show/test-fakes';

// The show domain with the real sales store (SQLite in its worker, on a temp folder): every NEXT
// opens the segment in the sales log, and sales entered after it land in it.

const ctx = { transport: 'ws' } as const;
let kit: SalesKit | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await kit?.close();
  kit = undefined;
  close = undefined;
});

describe('live mode with the real sales store', () => {
  it('each NEXT opens the sales segment; sales entered after it land in it; end closes the show', async () => {
    kit = await makeSalesKit();
    const rec = recordEvents();
    const obs = new FakeObs();
    const show = showDomainOnSales(testDeps(rec.emit, kit.dir), { obs, sales: kit.domain.service });
    close = show.close;
    const h = show.handlers;
    const products = [
      await kit.call('products:save', {
        name: '赣南脐橙',
        unit: '箱',
        priceFen: 3990,
        shopLinks: { douyin: 'https://example.com/o' },
      }),
      await kit.call('products:save', { name: '土蜂蜜', unit: '瓶', priceFen: 6800 }),
      await kit.call('products:save', { name: '高山绿茶', unit: '罐', priceFen: 12800 }),
    ];
    const presets = [
      await h['show:preset-from-template']({ templateId: 'orchard-16x9' }, ctx),
      await h['show:preset-from-template']({ templateId: 'kitchen-16x9' }, ctx),
      await h['show:preset-from-template']({ templateId: 'official-guest-16x9' }, ctx),
    ];
    const rundown = await h['show:rundown-save'](
      rundownInput(
        '秋收专场',
        products.map((p, i) =>
          segmentInput({
            productId: p.id,
            presetId: presets[i]!.id,
            host: '小王',
            guest: i === 2 ? '李明' : '',
            guestTitle: i === 2 ? '副县长' : '',
            plannedSec: 120,
          }),
        ),
        { platforms: ['douyin', 'not-a-platform'] },
      ),
      ctx,
    );
    // Products come from the sales store, with their shop links as the show domain sees them.
    expect((await h['show:products'](undefined, ctx)).find((p) => p.id === products[0]!.id)?.shopLinks).toEqual([
      { platform: 'douyin', url: 'https://example.com/o' },
    ]);

    const live = await h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    for (let i = 0; i < 3; i++) {
      const state = i === 0 ? live : await h['show:live-next'](undefined, ctx);
      const onAir = await kit.call('sales:live-segment');
      expect(onAir?.segment.id).toBe(state.salesSegmentId);
      expect(onAir?.segment).toMatchObject({ productId: products[i]!.id, presetId: presets[i]!.id, host: '小王' });
      expect(onAir?.segment.guest).toBe(i === 2 ? '李明' : null);
      const sale = await kit.call('sales:record', { quantity: 2 });
      expect(sale).toMatchObject({
        segmentId: state.salesSegmentId,
        productId: products[i]!.id,
        amountFen: products[i]!.priceFen * 2,
      });
    }
    await expect(
      (async () => h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx))(),
    ).rejects.toMatchObject({
      code: 'show/already-live',
    });
    const ended = await h['show:live-end'](undefined, ctx);
    expect(await kit.call('sales:live-segment')).toBeNull();
    const analytics = await kit.call('sales:analytics-show', { showId: ended.salesShowId! });
    expect(JSON.stringify(analytics)).toContain('秋收专场');
  });

  it('a product the sales store does not know stops the start with a clear code', async () => {
    kit = await makeSalesKit();
    const show = showDomainOnSales(testDeps(recordEvents().emit, kit.dir), {
      obs: new FakeObs(),
      sales: kit.domain.service,
    });
    close = show.close;
    const h = show.handlers;
    const preset = await h['show:preset-from-template']({ templateId: 'orchard-9x16' }, ctx);
    const rundown = await h['show:rundown-save'](
      rundownInput('x', [segmentInput({ productId: '999999', presetId: preset.id })]),
      ctx,
    );
    await expect(
      (async () => h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx))(),
    ).rejects.toMatchObject({
      code: 'show/product-not-found',
    });
  });
});
