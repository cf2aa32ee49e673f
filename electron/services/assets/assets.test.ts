import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { EventName } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import { buildGlb } from '../../../shared/compositor/glb-builder';
import { checkModel, imageSize } from '../../../shared/compositor/model-check';
import type { DomainDeps } from '../domain';
import { createNullLogger } from '../logger';
import type { AssetsService } from './index';
import { createAssetsService } from './index';

const repo = path.resolve(import.meta.dirname, '../../..');
const jpeg = path.join(repo, 'node_modules/fingerpose/assets/nocurl.jpg');

/** `triangles` non-indexed triangles, drawn by one node `instances` times (EXT_mesh_gpu_instancing). */
function instancedGlb(triangles: number, instances: number, count: unknown = triangles * 3): Uint8Array {
  const positions = new Float32Array(triangles * 9).map((_, i) => (i % 9 === 3 || i % 9 === 7 ? 1 : 0));
  const translations = new Float32Array(instances * 3).map((_, i) => i);
  const bin = new Uint8Array(positions.byteLength + translations.byteLength);
  bin.set(new Uint8Array(positions.buffer), 0);
  bin.set(new Uint8Array(translations.buffer), positions.byteLength);
  return buildGlb(
    {
      asset: { version: '2.0' },
      extensionsUsed: ['EXT_mesh_gpu_instancing'],
      buffers: [{ byteLength: bin.length }],
      bufferViews: [
        { buffer: 0, byteLength: positions.byteLength, target: 34962 },
        { buffer: 0, byteOffset: positions.byteLength, byteLength: translations.byteLength },
      ],
      accessors: [
        { bufferView: 0, componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
        { bufferView: 1, componentType: 5126, count: instances, type: 'VEC3' },
      ],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0, extensions: { EXT_mesh_gpu_instancing: { attributes: { TRANSLATION: 1 } } } }],
      scenes: [{ nodes: [0] }],
      scene: 0,
    },
    bin,
  );
}

function triangleGlb(): Uint8Array {
  const positions = new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer);
  return buildGlb(
    {
      asset: { version: '2.0' },
      buffers: [{ byteLength: 36 }],
      bufferViews: [{ buffer: 0, byteLength: 36 }],
      accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0 }],
    },
    positions,
  );
}

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return (error as StudioError).code;
  }
  return 'no error';
}

describe('assets service', () => {
  let dataDir: string;
  let srcDir: string;
  let events: EventName[];
  let service: AssetsService;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assets-data-'));
    srcDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assets-src-'));
    events = [];
    const deps = {
      dataDir,
      appRoot: repo,
      logger: createNullLogger(),
      emit: (name: EventName) => events.push(name),
      mode: 'host',
    } as unknown as DomainDeps;
    service = createAssetsService(deps);
  });

  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(srcDir, { recursive: true, force: true });
  });

  it('lists the shipped samples and cannot remove them', async () => {
    const samples = service.list().filter((e) => e.builtIn);
    expect(samples.map((e) => e.id)).toEqual(
      expect.arrayContaining(['sample-oranges-crate', 'sample-honey-jar', 'sample-tea-tin', 'sample-orchard']),
    );
    expect(samples.find((e) => e.id === 'sample-orchard')?.kind).toBe('image');
    expect(await codeOf(() => service.remove('sample-honey-jar'))).toBe('assets/built-in');
    expect((await service.locate('sample-tea-tin'))?.path).toBe(path.join(repo, 'assets/samples/tea-tin.glb'));
  });

  it('imports a model and an image, survives a restart, and removes them', async () => {
    const glb = path.join(srcDir, '脐橙.glb');
    fs.writeFileSync(glb, triangleGlb());
    const model = await service.importFile(glb);
    expect(model).toMatchObject({ kind: 'model', name: '脐橙', triangles: 1, builtIn: false });
    const image = await service.importFile(jpeg, 'hand');
    expect(image).toMatchObject({ kind: 'image', width: 480, height: 640 });
    expect(events).toEqual(['assets:changed', 'assets:changed']);

    const file = service.resolveLibraryPath(model.url);
    expect(file).toBeDefined();
    expect(fs.readFileSync(file!)).toEqual(Buffer.from(triangleGlb()));
    expect(service.resolveLibraryPath('library/../settings.json')).toBeUndefined();
    expect(service.resolveLibraryPath('library/files/../index.json')).toBeUndefined();

    const again = createAssetsService({
      dataDir,
      appRoot: repo,
      logger: createNullLogger(),
      emit: () => undefined,
    } as unknown as DomainDeps);
    expect(again.list().filter((e) => !e.builtIn).map((e) => e.id)).toEqual([model.id, image.id]);

    service.remove(model.id);
    expect(fs.existsSync(file!)).toBe(false);
    expect(service.list().some((e) => e.id === model.id)).toBe(false);
  });

  it('reads a real photo and refuses it renamed to .glb, saying it is a JPEG', async () => {
    const bytes = new Uint8Array(fs.readFileSync(jpeg));
    expect(imageSize(bytes)).toEqual({ width: 480, height: 640, mime: 'image/jpeg' });
    const renamed = path.join(srcDir, 'crate.glb');
    fs.copyFileSync(jpeg, renamed);
    try {
      await service.importFile(renamed);
      expect.unreachable();
    } catch (error) {
      expect((error as StudioError).code).toBe('assets/not-a-model');
      expect((error as StudioError).params).toEqual({ actual: 'jpeg' });
    }
  });

  it('ships sample models that pass the model check', () => {
    for (const name of ['oranges-crate', 'honey-jar', 'tea-tin']) {
      const info = checkModel(new Uint8Array(fs.readFileSync(path.join(repo, 'assets/samples', `${name}.glb`))));
      expect(info.triangles, name).toBeGreaterThan(100);
      expect(info.triangles, name).toBeLessThan(50_000);
    }
  });

  it('refuses bad model files with coded errors and keeps nothing of them', async () => {
    const good = triangleGlb();
    const cases: [string, Uint8Array | Buffer, string][] = [
      ['truncated.glb', good.subarray(0, good.length - 8), 'assets/truncated'],
      ['magic.glb', Buffer.concat([Buffer.from('GLTF'), Buffer.from(good.subarray(4))]), 'assets/not-a-model'],
      ['photo.glb', fs.readFileSync(jpeg), 'assets/not-a-model'],
      ['notes.txt', Buffer.from('hello'), 'assets/unsupported-type'],
      ['model.png', good, 'assets/unsupported-type'],
    ];
    for (const [name, bytes, code] of cases) {
      const file = path.join(srcDir, name);
      fs.writeFileSync(file, bytes);
      expect(await codeOf(() => service.importFile(file)), name).toBe(code);
    }
    expect(await codeOf(() => service.importFile(path.join(srcDir, 'missing.glb')))).toBe('assets/not-found');
    expect(service.list().filter((e) => !e.builtIn)).toEqual([]);
    expect(events).toEqual([]);
  });

  it('adopts staged files for show packages by their own id', async () => {
    const staged = path.join(srcDir, 'staged.glb');
    fs.writeFileSync(staged, triangleGlb());
    await service.adopt({ assetId: 'pkg:crate/1', kind: 'model', fileName: 'crate.glb', file: staged });
    expect(fs.existsSync(staged)).toBe(false);
    const found = await service.locate('pkg:crate/1');
    expect(found?.kind).toBe('model');
    expect(fs.existsSync(found!.path)).toBe(true);
  });

  it('keeps a downloaded model only if it loads, and never keeps a non-model', async () => {
    const task = Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(100)]);
    const tflite = Buffer.concat([Buffer.alloc(4), Buffer.from('TFL3'), Buffer.alloc(100)]);
    const fakeFetch = (async (url: string) => {
      if (url.endsWith('.task')) return new Response(task);
      if (url.includes('selfie')) return new Response(tflite);
      return new Response('<html>captive portal</html>');
    }) as unknown as typeof fetch;
    const status = await service.downloadModels(fakeFetch);
    const byName = Object.fromEntries(status.official.map((m) => [m.name, m.state]));
    expect(byName).toEqual({
      'hand_landmarker.task': 'downloaded',
      'selfie_segmenter.tflite': 'downloaded',
      'blaze_face_short_range.tflite': 'absent',
    });
    expect(status.preferOfficial).toBe(true);
    const after = service.confirmModel('selfie_segmenter.tflite', false);
    expect(after.official.find((m) => m.name === 'selfie_segmenter.tflite')?.state).toBe('rejected');
    expect(service.confirmModel('hand_landmarker.task', true).official[0]?.state).toBe('verified');
    const failing = (async () => {
      throw new Error('offline');
    }) as unknown as typeof fetch;
    fs.rmSync(path.join(dataDir, 'assets/models/hand_landmarker.task'));
    expect(await codeOf(() => service.downloadModels(failing))).toBe('assets/download-failed');
  });

  it('refuses a model whose accessor count is not a number, and the library survives the next start', async () => {
    const good = path.join(srcDir, 'good.glb');
    fs.writeFileSync(good, triangleGlb());
    const kept = await service.importFile(good);
    const bad = path.join(srcDir, 'bad.glb');
    fs.writeFileSync(bad, instancedGlb(1, 1, 'three'));
    expect(await codeOf(() => service.importFile(bad))).toBe('assets/broken-model');
    const again = createAssetsService({ dataDir, appRoot: repo, logger: createNullLogger(), emit: () => undefined } as unknown as DomainDeps);
    expect(again.list().filter((e) => !e.builtIn).map((e) => e.id)).toEqual([kept.id]);
  });

  it('sets one bad index entry aside and keeps the others', async () => {
    const good = path.join(srcDir, 'good.glb');
    fs.writeFileSync(good, triangleGlb());
    const first = await service.importFile(good, 'one');
    const second = await service.importFile(good, 'two');
    const indexFile = path.join(dataDir, 'assets/index.json');
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { entries: Record<string, unknown>[] };
    index.entries[0]!.triangles = null; // what JSON makes of NaN
    fs.writeFileSync(indexFile, JSON.stringify(index));
    const again = createAssetsService({ dataDir, appRoot: repo, logger: createNullLogger(), emit: () => undefined } as unknown as DomainDeps);
    expect(again.list().filter((e) => !e.builtIn).map((e) => e.id)).toEqual([second.id]);
    const rejected = fs.readFileSync(`${indexFile}.rejected.jsonl`, 'utf8');
    expect(rejected).toContain(first.id);
    expect(rejected).toContain('triangles');
  });

  it('counts instances against the triangle budget (the Khronos validator checks the file first)', async () => {
    const fine = path.join(srcDir, 'few.glb');
    fs.writeFileSync(fine, instancedGlb(10, 100));
    expect((await service.importFile(fine)).triangles).toBe(1000);
    const many = path.join(srcDir, 'many.glb');
    fs.writeFileSync(many, instancedGlb(100, 6000));
    expect(await codeOf(() => service.importFile(many))).toBe('assets/too-many-triangles');
  });

  it('counts Draco-compressed geometry at its decoded size', async () => {
    // 64 bytes on disk that would unpack to 30 million vertices (360 MB of positions).
    const draco = (count: number) =>
      buildGlb(
        {
          asset: { version: '2.0' },
          extensionsUsed: ['KHR_draco_mesh_compression'],
          extensionsRequired: ['KHR_draco_mesh_compression'],
          buffers: [{ byteLength: 64 }],
          bufferViews: [{ buffer: 0, byteLength: 64 }],
          accessors: [{ componentType: 5126, count, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 1] }],
          meshes: [
            {
              primitives: [
                {
                  mode: 0,
                  attributes: { POSITION: 0 },
                  extensions: { KHR_draco_mesh_compression: { bufferView: 0, attributes: { POSITION: 0 } } },
                },
              ],
            },
          ],
          nodes: [{ mesh: 0 }],
          scenes: [{ nodes: [0] }],
          scene: 0,
        },
        new Uint8Array(64),
      );
    const bomb = path.join(srcDir, 'bomb.glb');
    fs.writeFileSync(bomb, draco(30_000_000));
    expect(await codeOf(() => service.importFile(bomb))).toBe('assets/model-too-heavy');
    const small = path.join(srcDir, 'small.glb');
    fs.writeFileSync(small, draco(1000));
    expect((await service.importFile(small)).kind).toBe('model');
  });

  it('adds up every texture against one GPU memory budget', async () => {
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type), data]);
      const out = Buffer.alloc(8 + data.length + 4);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(4096, 0);
    ihdr.writeUInt32BE(4096, 4);
    ihdr[8] = 8;
    ihdr[9] = 6;
    // A 4096×4096 RGBA PNG header: tiny on disk, 64 MB (plus mipmaps) on the GPU.
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(16))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const textured = (n: number) => {
      const geometry = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]).buffer);
      const bin = Buffer.concat([geometry, ...Array.from({ length: n }, () => png)]);
      const slots = ['baseColorTexture', 'emissiveTexture', 'normalTexture', 'occlusionTexture', 'metallicRoughnessTexture'];
      const material: Record<string, unknown> = { pbrMetallicRoughness: {} };
      slots.slice(0, n).forEach((slot, index) => {
        if (slot === 'baseColorTexture' || slot === 'metallicRoughnessTexture')
          (material.pbrMetallicRoughness as Record<string, unknown>)[slot] = { index };
        else material[slot] = { index };
      });
      return buildGlb(
        {
          asset: { version: '2.0' },
          buffers: [{ byteLength: bin.length }],
          bufferViews: [
            { buffer: 0, byteLength: 36, target: 34962 },
            { buffer: 0, byteOffset: 36, byteLength: 24, target: 34962 },
            ...Array.from({ length: n }, (_, i) => ({ buffer: 0, byteOffset: 60 + i * png.length, byteLength: png.length })),
          ],
          accessors: [
            { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
            { bufferView: 1, componentType: 5126, count: 3, type: 'VEC2' },
          ],
          images: Array.from({ length: n }, (_, i) => ({ bufferView: i + 2, mimeType: 'image/png' })),
          textures: Array.from({ length: n }, (_, i) => ({ source: i })),
          materials: [material],
          meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, material: 0 }] }],
          nodes: [{ mesh: 0 }],
          scenes: [{ nodes: [0] }],
          scene: 0,
        },
        bin,
      );
    };
    const one = path.join(srcDir, 'one-texture.glb');
    fs.writeFileSync(one, textured(1));
    expect((await service.importFile(one)).width).toBe(4096);
    const five = path.join(srcDir, 'five-textures.glb');
    fs.writeFileSync(five, textured(5));
    expect(await codeOf(() => service.importFile(five))).toBe('assets/texture-budget');
  });
});
