import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { fakeShowStudios } from '../../../test/support/show/studio';
import { FakeSales, rundownInput, segmentInput } from '../../../test/support/show/test-fakes';

const ctx = { transport: 'ws' } as const;
const newStudio = fakeShowStudios();
const studio = (dataDir?: string, sales?: FakeSales) => newStudio({ dataDir, sales });

describe('show library on real files', () => {
  it('presets: from a template, edited, listed after a restart, deleted unless a show uses them', async () => {
    const s = studio();
    const fromTemplate = await s.h['show:preset-from-template']({ templateId: 'fishing-port-9x16' }, ctx);
    expect(fromTemplate).toMatchObject({ name: '渔港（竖屏）', templateId: 'fishing-port-9x16', orientation: '9:16' });
    const edited = await s.h['show:preset-save']({ ...fromTemplate, name: '东港码头', obsScene: '东港 竖屏' }, ctx);
    expect(edited.id).toBe(fromTemplate.id);
    expect(edited.createdAt).toBe(fromTemplate.createdAt);
    expect(s.rec.of('show:library-changed')).toContainEqual({ kind: 'presets' });
    const file = path.join(s.deps.dataDir, 'show', 'presets', `${edited.id}.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ name: '东港码头' });

    const again = studio(s.deps.dataDir);
    expect((await again.h['show:presets-list'](undefined, ctx)).map((p) => p.name)).toEqual(['东港码头']);
    const rundown = await again.h['show:rundown-save'](rundownInput('A', [segmentInput({ presetId: edited.id })]), ctx);
    await expect((async () => again.h['show:preset-delete']({ id: edited.id }, ctx))()).rejects.toMatchObject({
      code: 'show/preset-in-use',
    });
    await again.h['show:rundown-delete']({ id: rundown.id }, ctx);
    await again.h['show:preset-delete']({ id: edited.id }, ctx);
    expect(fs.existsSync(file)).toBe(false);
    await expect(
      (async () => again.h['show:preset-from-template']({ templateId: 'nope' }, ctx))(),
    ).rejects.toMatchObject({
      code: 'show/template-not-found',
    });
  });

  it('a document that no longer parses is set aside, not lost and not fatal', async () => {
    const s = studio();
    const dir = path.join(s.deps.dataDir, 'show', 'presets');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'abc.json'), '{"id":"abc","name":');
    expect(await s.h['show:presets-list'](undefined, ctx)).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'abc.json.broken'))).toBe(true);
  });

  it('rundowns: save assigns segment ids, reorder persists, a past show duplicates as a template', async () => {
    const s = studio();
    const seg = (script: string) => segmentInput({ host: '小王', plannedSec: 90, script });
    const saved = await s.h['show:rundown-save'](
      rundownInput('周末专场', [seg('一'), seg('二'), seg('三')], { platforms: ['douyin'] }),
      ctx,
    );
    expect(saved.segments.every((x) => /^[a-z0-9-]+$/.test(x.id))).toBe(true);
    const reordered = await s.h['show:rundown-save'](
      { ...saved, segments: [saved.segments[2]!, saved.segments[0]!, saved.segments[1]!] },
      ctx,
    );
    expect(reordered.segments.map((x) => x.script)).toEqual(['三', '一', '二']);
    expect(reordered.segments[0]!.id).toBe(saved.segments[2]!.id);
    const copy = await s.h['show:rundown-duplicate']({ id: saved.id }, ctx);
    expect(copy.title).toBe('周末专场 （副本）');
    expect(copy.segments.map((x) => x.script)).toEqual(['三', '一', '二']);
    expect(copy.segments.map((x) => x.id)).not.toEqual(reordered.segments.map((x) => x.id));
    const list = await s.h['show:rundowns-list'](undefined, ctx);
    expect(list.map((r) => [r.title, r.segmentCount, r.plannedSec])).toEqual(
      expect.arrayContaining([
        ['周末专场', 3, 270],
        ['周末专场 （副本）', 3, 270],
      ]),
    );
    await expect((async () => s.h['show:rundown-get']({ id: 'missing' }, ctx))()).rejects.toMatchObject({
      code: 'show/rundown-not-found',
    });
  });

  it('the guard list is editable, kept across restarts, and can be reset', async () => {
    const s = studio();
    const terms = await s.h['show:guard-terms-get'](undefined, ctx);
    expect(terms.find((t) => t.term === '国家级')?.reason).toContain('第九条');
    await s.h['show:guard-terms-set'](
      [{ term: '秒杀', category: 'custom', reason: '平台不允许', exceptions: [] }],
      ctx,
    );
    const again = studio(s.deps.dataDir);
    expect(await again.h['show:guard-terms-get'](undefined, ctx)).toEqual([
      { term: '秒杀', category: 'custom', reason: '平台不允许', exceptions: [] },
    ]);
    expect((await again.h['show:guard-terms-reset'](undefined, ctx)).length).toBe(terms.length);
  });

  it('products combine the sales record with the story, photo and model kept here', async () => {
    const sales = new FakeSales();
    const p = sales.addProduct({ name: '高山绿茶', shopLinks: { taobao: 'https://example.com/t', douyin: '' } });
    const s = studio(undefined, sales);
    const updated = await s.h['show:product-media-set'](
      { productId: p.id, media: { story: '云雾里长大的茶', photoAssetId: 'photo-1', modelAssetId: 'builtin:tea-tin' } },
      ctx,
    );
    expect(updated).toMatchObject({
      name: '高山绿茶',
      story: '云雾里长大的茶',
      modelAssetId: 'builtin:tea-tin',
      shopLinks: [{ platform: 'taobao', url: 'https://example.com/t' }],
    });
    // Every window's product list follows from the event, not from the caller refetching.
    expect(s.rec.of('show:library-changed')).toEqual([{ kind: 'products' }]);
    const preview = await s.h['show:preset-preview'](
      {
        preset: { ...(await s.h['show:templates-list'](undefined, ctx))[0]!, name: 'x', templateId: null },
        productId: p.id,
        host: '',
        hostTitle: '',
        guest: '',
        guestTitle: '',
        apply: true,
      },
      ctx,
    );
    expect(preview.model?.assetId).toBe('builtin:tea-tin');
    expect(s.rec.of('show:scene-changed')).toEqual([preview]);
    await expect(
      (async () =>
        s.h['show:product-media-set'](
          { productId: '999', media: { story: '', photoAssetId: null, modelAssetId: null } },
          ctx,
        ))(),
    ).rejects.toMatchObject({
      code: 'show/product-not-found',
    });
    expect(s.rec.of('show:library-changed')).toHaveLength(1);
  });
});
