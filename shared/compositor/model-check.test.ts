import { describe, expect, it } from 'vitest';

import { StudioError } from '../api/result';
import { buildGlb } from './glb-builder';
import { checkModel, decodeBase64, imageSize, sniffKind } from './model-check';

/** A one-triangle model; `extra` patches the JSON. */
function triangleGlb(extra: Record<string, unknown> = {}, bin?: Uint8Array): Uint8Array {
  const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  const data = bin ?? new Uint8Array(positions.buffer);
  return buildGlb(
    {
      asset: { version: '2.0' },
      buffers: [{ byteLength: data.length }],
      bufferViews: [{ buffer: 0, byteOffset: 0, byteLength: 36 }],
      accessors: [{ bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
      nodes: [{ mesh: 0 }],
      scenes: [{ nodes: [0] }],
      ...extra,
    },
    data,
  );
}

/** Just enough of a PNG for its header to say `w`×`h`. */
function pngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, w);
  new DataView(b.buffer).setUint32(20, h);
  return b;
}

/** The start of a baseline JPEG: SOI, an APP0 (JFIF) segment, then SOF0 saying `w`×`h`. */
function jpegHeader(w: number, h: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0, 17, 8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    return (error as StudioError).code;
  }
  return 'no error';
}

describe('checkModel', () => {
  it('accepts a well-formed GLB and counts its triangles', () => {
    const info = checkModel(triangleGlb());
    expect(info).toMatchObject({ format: 'glb', triangles: 1, meshes: 1, textures: [] });
  });

  it('counts a mesh once per node that draws it', () => {
    const info = checkModel(triangleGlb({ nodes: [{ mesh: 0 }, { mesh: 0 }, { mesh: 0 }] }));
    expect(info.triangles).toBe(3);
  });

  it('refuses a truncated file', () => {
    const good = triangleGlb();
    expect(codeOf(() => checkModel(good.subarray(0, good.length - 10)))).toBe('assets/truncated');
    expect(codeOf(() => checkModel(good.subarray(0, 14)))).toBe('assets/truncated');
  });

  it('refuses a wrong magic number', () => {
    const bad = triangleGlb().slice();
    bad.set([0x67, 0x6c, 0x54, 0x47], 0); // "glTG"
    expect(codeOf(() => checkModel(bad))).toBe('assets/not-a-model');
  });

  it('refuses a JPEG renamed to .glb and says what it is', () => {
    const jpeg = jpegHeader(480, 640);
    try {
      checkModel(jpeg);
      expect.unreachable();
    } catch (error) {
      expect((error as StudioError).code).toBe('assets/not-a-model');
      expect((error as StudioError).params).toEqual({ actual: 'jpeg' });
    }
  });

  it('refuses an 8k texture', () => {
    /** The triangle with a PNG texture of this size (its header is all the checker reads). */
    const textured = (side: number) => {
      const png = pngHeader(side, side);
      const positions = new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer);
      const bin = new Uint8Array(36 + png.length + 3);
      bin.set(positions, 0);
      bin.set(png, 36);
      return triangleGlb(
        {
          buffers: [{ byteLength: bin.length }],
          bufferViews: [
            { buffer: 0, byteOffset: 0, byteLength: 36 },
            { buffer: 0, byteOffset: 36, byteLength: png.length },
          ],
          images: [{ bufferView: 1, mimeType: 'image/png' }],
        },
        bin,
      );
    };
    expect(codeOf(() => checkModel(textured(8192)))).toBe('assets/texture-too-large');
    // The same model with a 2k texture passes.
    expect(checkModel(textured(2048)).textures).toEqual([{ width: 2048, height: 2048, mime: 'image/png' }]);
  });

  it('refuses millions of triangles', () => {
    const glb = triangleGlb({
      accessors: [
        { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3' },
        { componentType: 5125, count: 3 * 2_000_000, type: 'SCALAR' },
      ],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
    });
    expect(codeOf(() => checkModel(glb))).toBe('assets/too-many-triangles');
  });

  it('refuses an over-size file before parsing it', () => {
    const glb = triangleGlb();
    expect(codeOf(() => checkModel(glb, { limits: { maxBytes: 10, maxTriangles: 1, maxTextureSize: 1 } }))).toBe(
      'assets/file-too-large',
    );
  });

  it('refuses damaged JSON, glTF 1.0 and unknown required extensions', () => {
    const broken = buildGlb({ asset: { version: '2.0' } }).slice();
    broken[20] = 0x5b; // "[" where "{" was: not an object
    expect(codeOf(() => checkModel(broken))).toBe('assets/broken-model');
    expect(codeOf(() => checkModel(buildGlb({ asset: { version: '1.0' } })))).toBe('assets/unsupported-version');
    expect(codeOf(() => checkModel(triangleGlb({ extensionsRequired: ['VENDOR_magic'] })))).toBe(
      'assets/unsupported-extension',
    );
  });

  it('checks a .gltf with a data: buffer and refuses missing or escaping external files', () => {
    const positions = new Uint8Array(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]).buffer);
    const b64 = Buffer.from(positions).toString('base64');
    const gltf = (uri: string) =>
      new TextEncoder().encode(
        JSON.stringify({
          asset: { version: '2.0' },
          buffers: [{ byteLength: 36, uri }],
          bufferViews: [{ buffer: 0, byteLength: 36 }],
          accessors: [{ bufferView: 0, count: 3 }],
          meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
        }),
      );
    expect(checkModel(gltf(`data:application/octet-stream;base64,${b64}`)).triangles).toBe(1);
    expect(codeOf(() => checkModel(gltf('model.bin')))).toBe('assets/missing-resource');
    expect(
      checkModel(gltf('model.bin'), { readResource: (uri) => (uri === 'model.bin' ? positions : undefined) }).format,
    ).toBe('gltf');
    expect(codeOf(() => checkModel(gltf('../../etc/passwd')))).toBe('assets/external-reference');
  });
});

describe('sniffing and image headers', () => {
  it('recognises files from their bytes', () => {
    expect(sniffKind(triangleGlb())).toBe('glb');
    expect(sniffKind(pngHeader(1, 1))).toBe('png');
    expect(sniffKind(new TextEncoder().encode('  {"asset":{}}'))).toBe('gltf');
    expect(sniffKind(new Uint8Array([1, 2, 3]))).toBe('unknown');
  });

  it('reads the size of a JPEG from its start-of-frame segment', () => {
    expect(imageSize(jpegHeader(480, 640))).toEqual({ width: 480, height: 640, mime: 'image/jpeg' });
  });

  it('decodes base64 like Node does', () => {
    const bytes = new Uint8Array(256).map((_, i) => (i * 7) & 0xff);
    expect([...decodeBase64(Buffer.from(bytes).toString('base64'))]).toEqual([...bytes]);
  });
});
