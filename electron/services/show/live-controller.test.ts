import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { StudioError } from '../../../shared/api/result';
import type { FakeShowOptions } from '../../../test/support/show/studio';
import { fakeShowStudios } from '../../../test/support/show/studio';
import { FakeObs, FakeSales, rundownInput, segmentInput } from '../../../test/support/show/test-fakes';

const newStudio = fakeShowStudios();

async function setup(options: FakeShowOptions = {}) {
  const studio = newStudio(options);
  await studio.domain.start?.();
  return studio;
}

async function seed(ctx: Awaited<ReturnType<typeof setup>>) {
  const { h, sales } = ctx;
  const orange = sales.addProduct({ name: '赣南脐橙', priceFen: 3990, shopLinks: { douyin: 'https://example.com/o' } });
  const honey = sales.addProduct({ name: '土蜂蜜', priceFen: 6800, unit: '瓶' });
  const tea = sales.addProduct({ name: '高山绿茶', priceFen: 12800, unit: '罐' });
  const orchard = await h['show:preset-from-template']({ templateId: 'orchard-16x9' }, { transport: 'ws' });
  const kitchen = await h['show:preset-from-template']({ templateId: 'kitchen-16x9' }, { transport: 'ws' });
  const guest = await h['show:preset-from-template']({ templateId: 'official-guest-16x9' }, { transport: 'ws' });
  const seg = (productId: string, presetId: string, script = '', guestName = '') =>
    segmentInput({
      productId,
      presetId,
      host: '小王',
      guest: guestName,
      guestTitle: guestName === '' ? '' : '副县长',
      script,
    });
  const rundown = await h['show:rundown-save'](
    rundownInput(
      '秋收专场',
      [seg(orange.id, orchard.id, '大家好'), seg(honey.id, kitchen.id), seg(tea.id, guest.id, '', '李明')],
      { platforms: ['douyin'] },
    ),
    { transport: 'ws' },
  );
  return { rundown, presets: [orchard, kitchen, guest], products: [orange, honey, tea] };
}

afterEach(() => {
  vi.useRealTimers();
});

const ctx = { transport: 'ws' } as const;

describe('live mode', () => {
  it('NEXT moves OBS, the program scene and the sales segment together; BACK returns', async () => {
    const c = await setup();
    const { rundown, presets, products } = await seed(c);
    const live = await c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    expect(live.index).toBe(0);
    expect(c.sales.shows).toHaveLength(1);
    expect(c.obs.provisioned[0]).toEqual([
      'Harvest Orchard 16x9',
      'Harvest Kitchen 16x9',
      'Harvest Official Guest 16x9',
    ]);
    await vi.waitFor(() => expect(c.obs.program).toBe('Harvest Orchard 16x9'));
    expect(c.rec.of('show:scene-changed').at(-1)?.overlays.productCard.name).toBe('赣南脐橙');

    const next = await c.h['show:live-next'](undefined, ctx);
    expect(next.index).toBe(1);
    const scene = c.rec.of('show:scene-changed').at(-1)!;
    expect(scene.presetId).toBe(presets[1]!.id);
    expect(scene.overlays.priceTag).toMatchObject({ visible: true, priceFen: 6800, unit: '瓶' });
    expect(c.sales.live()).toMatchObject({ productId: products[1]!.id, presetId: presets[1]!.id, host: '小王' });
    expect(c.sales.segments.filter((s) => s.endedAt === null)).toHaveLength(1);
    await vi.waitFor(() => expect(c.obs.program).toBe('Harvest Kitchen 16x9'));

    await c.h['show:live-next'](undefined, ctx);
    const guestScene = c.rec.of('show:scene-changed').at(-1)!;
    expect(guestScene.layout).toBe('pip');
    expect(guestScene.overlays.lowerThird).toEqual({ visible: true, name: '李明', title: '副县长' });
    await expect(c.h['show:live-next'](undefined, ctx)).rejects.toMatchObject({ code: 'show/no-next-segment' });

    const back = await c.h['show:live-back'](undefined, ctx);
    expect(back.index).toBe(1);
    await vi.waitFor(() => expect(c.obs.program).toBe('Harvest Kitchen 16x9'));
    expect(c.obs.switches).toEqual([
      'Harvest Orchard 16x9',
      'Harvest Kitchen 16x9',
      'Harvest Official Guest 16x9',
      'Harvest Kitchen 16x9',
    ]);
    await vi.waitFor(() => expect(c.domain.service.live.get()?.obs.inSync).toBe(true));
    expect(c.domain.service.live.get()?.timeline.every((t) => t.obsAt !== null)).toBe(true);

    const ended = await c.h['show:live-end'](undefined, ctx);
    expect(ended.salesShowId).toBe(c.sales.shows[0]!.id);
    expect(c.sales.live()).toBeUndefined();
    expect(c.rec.of('show:live-changed').at(-1)).toEqual({ live: null, ended });
    const saved = await c.h['show:rundown-get']({ id: rundown.id }, ctx);
    expect(saved.runs).toEqual([
      { runId: ended.runId, salesShowId: ended.salesShowId, startedAt: ended.startedAt, endedAt: ended.endedAt },
    ]);
    expect(fs.existsSync(path.join(c.deps.dataDir, 'show', 'runs', `${ended.runId}.json`))).toBe(true);
  });

  it('presses are handled in order, one at a time', async () => {
    const c = await setup();
    c.obs.latencyMs = 20;
    const { rundown } = await seed(c);
    await c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    const [a, b] = await Promise.all([c.h['show:live-next'](undefined, ctx), c.h['show:live-next'](undefined, ctx)]);
    expect([a.index, b.index]).toEqual([1, 2]);
    await vi.waitFor(() => expect(c.obs.program).toBe('Harvest Official Guest 16x9'));
    expect(c.sales.segments.map((s) => s.endedAt === null)).toEqual([false, false, true]);
  });

  it('with OBS down the studio still switches, and OBS is caught up when it returns', async () => {
    const c = await setup();
    const { rundown } = await seed(c);
    await c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    await vi.waitFor(() => expect(c.domain.service.live.get()?.obs.inSync).toBe(true));
    c.obs.setStatus('disconnected');
    const next = await c.h['show:live-next'](undefined, ctx);
    expect(next.index).toBe(1);
    expect(next.obs).toMatchObject({ scene: 'Harvest Kitchen 16x9', inSync: false });
    expect(next.obs.behindSince).not.toBeNull();
    expect(next.timeline.at(-1)?.obsAt).toBeNull();
    expect(c.sales.live()?.presetId).toBe(next.segments[1]!.presetId);
    expect(c.rec.of('show:scene-changed').at(-1)?.overlays.priceTag.priceFen).toBe(6800);
    await c.h['show:live-next'](undefined, ctx);
    expect(c.obs.program).toBe('Harvest Orchard 16x9');

    c.obs.setStatus('connected');
    await vi.waitFor(() => expect(c.domain.service.live.get()?.obs.inSync).toBe(true));
    expect(c.obs.program).toBe('Harvest Official Guest 16x9');
    // Only the newest scene is sent: OBS skips the segment it missed.
    expect(c.obs.switches).toEqual(['Harvest Orchard 16x9', 'Harvest Official Guest 16x9']);
    const live = c.domain.service.live.get()!;
    expect(live.timeline.map((t) => t.obsAt !== null)).toEqual([true, true, true]);
    expect(live.timeline[1]!.obsAt! >= live.timeline[2]!.at).toBe(true);
    expect(live.obs.behindSince).toBeNull();
  });

  it('a sales failure changes nothing: no scene change, OBS back where it was', async () => {
    const c = await setup();
    c.obs.latencyMs = 5;
    const { rundown } = await seed(c);
    await c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    await vi.waitFor(() => expect(c.obs.program).toBe('Harvest Orchard 16x9'));
    const scenes = c.rec.of('show:scene-changed').length;
    c.sales.failNext = true;
    await expect(c.h['show:live-next'](undefined, ctx)).rejects.toMatchObject({ code: 'show/sales-failed' });
    expect(c.rec.of('show:scene-changed')).toHaveLength(scenes);
    expect(c.domain.service.live.get()?.index).toBe(0);
    await vi.waitFor(() => expect(c.domain.service.live.get()?.obs.inSync).toBe(true));
    expect(c.obs.program).toBe('Harvest Orchard 16x9');
    expect(c.sales.segments).toHaveLength(1);
  });

  it('refuses to start while the text guard finds words, until acknowledged', async () => {
    const c = await setup();
    const { rundown } = await seed(c);
    const withHits = await c.h['show:rundown-save'](
      {
        ...rundown,
        segments: rundown.segments.map((s, i) => (i === 1 ? { ...s, script: '这是最好的蜂蜜，国家级品质' } : s)),
      },
      ctx,
    );
    const findings = await c.h['show:guard-check']({ rundownId: withHits.id }, ctx);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ source: 'rundown', field: 'segments.1.script' });
    expect(findings[0]!.hits.map((hit) => hit.text)).toEqual(['最好', '国家级']);
    const refused = await (async () =>
      c.h['show:live-start']({ rundownId: withHits.id, acknowledgeGuard: false }, ctx))().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StudioError);
    expect(refused).toMatchObject({ code: 'show/guard-hits', params: { count: 2 } });
    expect(c.sales.shows).toHaveLength(0);
    expect((await c.h['show:live-start']({ rundownId: withHits.id, acknowledgeGuard: true }, ctx)).index).toBe(0);
  });

  it('refuses what cannot go live with clear codes', async () => {
    const c = await setup();
    const { rundown } = await seed(c);
    await expect(c.h['show:live-next'](undefined, ctx)).rejects.toMatchObject({ code: 'show/not-live' });
    const empty = await c.h['show:rundown-save']({ ...rundown, id: undefined, segments: [] }, ctx);
    await expect(c.h['show:live-start']({ rundownId: empty.id, acknowledgeGuard: false }, ctx)).rejects.toMatchObject({
      code: 'show/rundown-empty',
    });
    const noPreset = await c.h['show:rundown-save'](
      {
        ...rundown,
        id: undefined,
        segments: rundown.segments.map((s, i) => ({ ...s, id: undefined, presetId: i === 2 ? null : s.presetId })),
      },
      ctx,
    );
    await expect(
      c.h['show:live-start']({ rundownId: noPreset.id, acknowledgeGuard: false }, ctx),
    ).rejects.toMatchObject({
      code: 'show/segment-without-preset',
      params: { index: 3 },
    });
    c.sales.products.splice(1, 1);
    await expect(c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx)).rejects.toMatchObject(
      {
        code: 'show/product-not-found',
      },
    );
    expect(c.sales.shows).toHaveLength(0);
  });

  it('warns once when a segment overruns its plan', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const c = await setup();
    const { rundown } = await seed(c);
    await c.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    vi.advanceTimersByTime(59_000);
    expect(c.rec.of('show:segment-overrun')).toHaveLength(0);
    vi.advanceTimersByTime(2_000);
    expect(c.rec.of('show:segment-overrun')).toEqual([
      { runId: c.domain.service.live.get()!.runId, index: 0, plannedSec: 60 },
    ]);
    await c.h['show:live-next'](undefined, ctx);
    vi.advanceTimersByTime(30_000);
    expect(c.rec.of('show:segment-overrun')).toHaveLength(1);
  });

  it('a show on air survives a restart of the studio', async () => {
    const obs = new FakeObs();
    const sales = new FakeSales();
    const first = await setup({ obs, sales });
    const { rundown } = await seed(first);
    await first.h['show:live-start']({ rundownId: rundown.id, acknowledgeGuard: false }, ctx);
    await first.h['show:live-next'](undefined, ctx);
    await first.domain.close();
    const second = await setup({ dataDir: first.deps.dataDir, obs, sales });
    const restored = second.domain.service.live.get();
    expect(restored?.index).toBe(1);
    expect(second.rec.of('show:live-changed').at(-1)?.live?.runId).toBe(restored?.runId);
    await second.h['show:live-next'](undefined, ctx);
    expect(sales.live()?.productId).toBe(restored?.segments[2]?.productId);
    await expect(second.h['show:rundown-delete']({ id: rundown.id }, ctx)).rejects.toMatchObject({
      code: 'show/rundown-live',
    });
  });
});
