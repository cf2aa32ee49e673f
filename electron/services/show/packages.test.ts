import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from 'yauzl';

import type { PackageManifest } from '../../../shared/show/package';
import { fakeShowStudios } from '../../../test/support/show/studio';
import { rundownInput, segmentInput } from '../../../test/support/show/test-fakes';
import { buildZip } from '../../../test/support/show/zip-fixture';

const ctx = { transport: 'ws' } as const;
const newStudio = fakeShowStudios();
const studio = (dataDir?: string) => newStudio({ dataDir });

const glb = randomBytes(300_000);
const png = randomBytes(50_000);

/** A studio with a three-segment show that uses a background image, a product model and a photo. */
async function sourceStudio() {
  const s = studio();
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'show-src-'));
  fs.writeFileSync(path.join(src, 'crate.glb'), glb);
  fs.writeFileSync(path.join(src, 'orchard.png'), png);
  await s.assets.adopt({
    assetId: 'model-crate',
    kind: 'model',
    fileName: '橙子箱.glb',
    file: path.join(src, 'crate.glb'),
  });
  await s.assets.adopt({
    assetId: 'bg-orchard',
    kind: 'image',
    fileName: 'orchard.png',
    file: path.join(src, 'orchard.png'),
  });
  const orange = s.sales.addProduct({
    name: '赣南脐橙',
    certifications: ['地理标志'],
    shopLinks: { douyin: 'https://example.com/o' },
  });
  const honey = s.sales.addProduct({ name: '土蜂蜜', unit: '瓶', priceFen: 6800 });
  await s.h['show:product-media-set'](
    {
      productId: orange.id,
      media: { story: '山坡果园，日照充足', photoAssetId: 'bg-orchard', modelAssetId: 'model-crate' },
    },
    ctx,
  );
  const tpl = await s.h['show:preset-from-template']({ templateId: 'orchard-9x16' }, ctx);
  const orchard = await s.h['show:preset-save']({ ...tpl, background: { kind: 'image', assetId: 'bg-orchard' } }, ctx);
  const guest = await s.h['show:preset-from-template']({ templateId: 'official-guest-9x16' }, ctx);
  const seg = (productId: string | null, presetId: string, script: string) =>
    segmentInput({ productId, presetId, host: '小王', plannedSec: 120, script, notes: '备注' });
  const rundown = await s.h['show:rundown-save'](
    rundownInput('秋收专场', [
      seg(null, guest.id, '欢迎'),
      seg(orange.id, orchard.id, '橙子'),
      seg(honey.id, guest.id, '蜂蜜'),
    ]),
    ctx,
  );
  return { ...s, rundown };
}

/** What must survive a round trip: everything but ids the importing studio assigns. */
async function snapshot(s: ReturnType<typeof studio>, rundownId: string) {
  const rundown = await s.h['show:rundown-get']({ id: rundownId }, ctx);
  const products = await s.h['show:products'](undefined, ctx);
  const presets = await s.h['show:presets-list'](undefined, ctx);
  const files: Record<string, string> = {};
  for (const id of ['model-crate', 'bg-orchard']) {
    const f = await s.assets.locate(id);
    files[id] = f === undefined ? 'missing' : `${f.kind}:${f.fileName}:${fs.readFileSync(f.path).toString('base64')}`;
  }
  const productById = new Map(products.map((p) => [p.id, p]));
  return {
    rundown: {
      ...rundown,
      runs: [],
      updatedAt: 0,
      segments: rundown.segments.map((seg) => ({
        ...seg,
        productId: seg.productId === null ? null : { ...productById.get(seg.productId)!, id: 'x' },
      })),
    },
    presets: presets.map((p) => ({ ...p, updatedAt: 0 })),
    files,
  };
}

describe('show packages', () => {
  let source: Awaited<ReturnType<typeof sourceStudio>>;
  let exported: { path: string; bytes: number; sha256: string };
  beforeAll(async () => {
    source = await sourceStudio();
    exported = await source.h['show:package-export']({ rundownId: source.rundown.id, inline: false }, ctx);
  });

  it('round trip: export, wipe, import gives the identical show, products, presets and files', async () => {
    expect(exported.bytes).toBeGreaterThan(glb.length);
    const before = await snapshot(source, source.rundown.id);
    expect(before.files['model-crate']).toContain('model:橙子箱.glb:');
    // Wipe: the same data folder, emptied, with an empty sales store.
    const dataDir = source.deps.dataDir;
    await source.domain.close();
    const kept = path.join(os.tmpdir(), `pkg-${process.pid}-${Date.now()}.zip`);
    fs.copyFileSync(exported.path, kept);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir);
    const target = studio(dataDir);
    expect(await target.h['show:rundowns-list'](undefined, ctx)).toEqual([]);
    const result = await target.h['show:package-import']({ path: kept }, ctx);
    expect(result).toMatchObject({ title: '秋收专场', presets: 2, products: 2, files: 2 });
    // Other windows hear of everything the package brought.
    expect(new Set(target.rec.of('show:library-changed').map((e) => e.kind))).toEqual(
      new Set(['presets', 'products', 'rundowns']),
    );
    expect(await snapshot(target, result.rundownId)).toEqual(before);
    expect(fs.readdirSync(path.join(dataDir, 'show', 'staging'))).toEqual([]);
  });

  it('a save path that names a folder, or runs through a file, is a coded error and writes nothing', async () => {
    const where = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-where-'));
    const folder = path.join(where, 'hand_landmarker.task');
    fs.mkdirSync(folder);
    const file = path.join(where, 'notes.txt');
    fs.writeFileSync(file, 'x');
    for (const target of [folder, path.join(file, 'show.zip')]) {
      await expect(
        (async () =>
          source.h['show:package-export']({ rundownId: source.rundown.id, path: target, inline: false }, ctx))(),
      ).rejects.toMatchObject({ code: 'app/save-path' });
    }
    // Nothing half-written beside them: the folder is still an empty folder, the file still the file.
    expect(fs.readdirSync(where).sort()).toEqual(['hand_landmarker.task', 'notes.txt']);
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('imports from bytes (the browser has no paths) into a studio that already has the show', async () => {
    const s = await sourceStudio();
    const inline = await s.h['show:package-export']({ rundownId: s.rundown.id, inline: true }, ctx);
    expect(Buffer.from(inline.dataBase64!, 'base64').length).toBe(inline.bytes);
    const result = await s.h['show:package-import']({ fileName: 'x.zip', dataBase64: inline.dataBase64! }, ctx);
    // Same ids exist already: the copy gets new ones; same files and products are reused.
    expect(result.rundownId).not.toBe(s.rundown.id);
    expect((await s.h['show:rundowns-list'](undefined, ctx)).map((r) => r.title)).toEqual(['秋收专场', '秋收专场']);
    expect(await s.h['show:presets-list'](undefined, ctx)).toHaveLength(4);
    expect(s.sales.products).toHaveLength(2);
  });

  describe('refuses broken and hostile packages, and writes nothing', () => {
    let manifest: PackageManifest;
    let files: Map<string, Buffer>;
    beforeAll(async () => {
      const s = await sourceStudio();
      const out = await s.h['show:package-export']({ rundownId: s.rundown.id, inline: false }, ctx);
      // Read the real package back with the importer's own staging to get its entries.
      const { default: yauzl } = await import('yauzl');
      files = await new Promise<Map<string, Buffer>>((resolve, reject) => {
        const map = new Map<string, Buffer>();
        yauzl.open(out.path, { lazyEntries: true }, (err, zip) => {
          if (err !== null || zip === undefined) return reject(err);
          zip.on('entry', (entry: Entry) => {
            zip.openReadStream(entry, (e, stream) => {
              if (e !== null || stream === undefined) return reject(e);
              const chunks: Buffer[] = [];
              stream.on('data', (c: Buffer) => chunks.push(c));
              stream.on('end', () => {
                map.set(entry.fileName, Buffer.concat(chunks));
                zip.readEntry();
              });
            });
          });
          zip.on('end', () => resolve(map));
          zip.readEntry();
        });
      });
      manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackageManifest;
    });

    const valid = (): { name: string; data: Buffer }[] => [...files].map(([name, data]) => ({ name, data }));
    const withManifest = (m: unknown) => [
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(m)) },
      ...valid().filter((e) => e.name !== 'manifest.json'),
    ];

    async function expectRefused(zip: Buffer, code: string) {
      const s = studio();
      const file = path.join(s.deps.dataDir, 'in.zip');
      fs.writeFileSync(file, zip);
      await expect((async () => s.h['show:package-import']({ path: file }, ctx))()).rejects.toMatchObject({ code });
      expect(await s.h['show:rundowns-list'](undefined, ctx)).toEqual([]);
      expect(await s.h['show:presets-list'](undefined, ctx)).toEqual([]);
      expect(s.sales.products).toEqual([]);
      const assetsDir = path.join(s.deps.dataDir, 'show', 'assets');
      expect(fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir) : []).toEqual([]);
      expect(fs.readdirSync(path.join(s.deps.dataDir, 'show', 'staging'))).toEqual([]);
      return s;
    }

    it('a valid rebuilt package is accepted (the fixture writer is sound)', async () => {
      const s = studio();
      const file = path.join(s.deps.dataDir, 'in.zip');
      fs.writeFileSync(file, buildZip(valid()));
      expect((await s.h['show:package-import']({ path: file }, ctx)).files).toBe(2);
    });

    it('zip-slip and absolute paths', async () => {
      const marker = `evil-${process.pid}-${Date.now()}`;
      for (const name of [
        `../${marker}`,
        `files/../../${marker}`,
        `/tmp/${marker}`,
        `C:\\${marker}`,
        `files/sub/${marker}`,
      ]) {
        const s = await expectRefused(
          buildZip([...valid(), { name, data: Buffer.from('pwned') }]),
          'show/package-unsafe',
        );
        expect(fs.existsSync(path.join(s.deps.dataDir, '..', marker))).toBe(false);
        expect(fs.existsSync(path.join('/tmp', marker))).toBe(false);
      }
    });

    it('huge entries, zip bombs and too many entries', async () => {
      const big = valid().map((e) =>
        e.name.endsWith('.glb') ? { ...e, deflate: true, declaredSize: 300 * 1024 * 1024 } : e,
      );
      await expectRefused(buildZip(big), 'show/package-too-large');
      const bomb = [...valid(), { name: 'files/zeros.bin', data: Buffer.alloc(8 * 1024 * 1024), deflate: true }];
      await expectRefused(buildZip(bomb), 'show/package-too-large');
      const many = [
        ...valid(),
        ...Array.from({ length: 600 }, (_, i) => ({ name: `files/x${i}`, data: Buffer.from('x') })),
      ];
      await expectRefused(buildZip(many), 'show/package-too-large');
    });

    it('bad manifests: not JSON, wrong shape, newer version, dangling references', async () => {
      await expectRefused(
        buildZip([{ name: 'manifest.json', data: Buffer.from('{not json') }]),
        'show/package-invalid',
      );
      await expectRefused(buildZip(withManifest({ ...manifest, rundown: { title: 5 } })), 'show/package-invalid');
      await expectRefused(buildZip(withManifest({ ...manifest, version: 2 })), 'show/package-newer');
      await expectRefused(buildZip(withManifest({ ...manifest, presets: [] })), 'show/package-invalid');
      await expectRefused(buildZip(valid().filter((e) => e.name === 'manifest.json')), 'show/package-invalid');
    });

    it('tampered files and unlisted extras', async () => {
      const tampered = valid().map((e) =>
        e.name.endsWith('.glb') ? { ...e, data: Buffer.concat([e.data.subarray(1), Buffer.from([0])]) } : e,
      );
      await expectRefused(buildZip(tampered), 'show/package-invalid');
      await expectRefused(
        buildZip([...valid(), { name: 'files/extra.txt', data: Buffer.from('x') }]),
        'show/package-invalid',
      );
    });

    it('files that are not zips, or cut short', async () => {
      await expectRefused(randomBytes(4096), 'show/package-unreadable');
      const whole = buildZip(valid());
      await expectRefused(whole.subarray(0, Math.floor(whole.length / 2)), 'show/package-unreadable');
    });

    it('a failure while committing undoes presets, rundown and files', async () => {
      const s = studio();
      let calls = 0;
      const create = s.sales.createProduct.bind(s.sales);
      s.sales.createProduct = async (input) => {
        if (++calls === 2) throw new Error('disk full');
        return create(input);
      };
      const file = path.join(s.deps.dataDir, 'in.zip');
      fs.writeFileSync(file, buildZip(valid()));
      await expect((async () => s.h['show:package-import']({ path: file }, ctx))()).rejects.toThrow('disk full');
      expect(await s.h['show:rundowns-list'](undefined, ctx)).toEqual([]);
      expect(await s.h['show:presets-list'](undefined, ctx)).toEqual([]);
      expect(fs.readdirSync(path.join(s.deps.dataDir, 'show', 'assets'))).toEqual([]);
    });
  });
});
