import type { ErrorCode } from '../api/contract';
import { StudioError } from '../api/result';
import { assertNever } from '../assert-never';

// Checks a product model BEFORE three.js sees it: a broken or huge file must give a clear coded
// error, never a frozen studio or a GPU out of memory mid-show. Pure: runs in the asset service
// (Node) on import and in the renderer before loading.

/** Limits for a product model on a modest laptop GPU. */
export interface ModelLimits {
  readonly maxBytes: number;
  readonly maxTriangles: number;
  /** Largest texture side in pixels. */
  readonly maxTextureSize: number;
}

export const defaultModelLimits: ModelLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxTriangles: 500_000,
  maxTextureSize: 4096,
};

/** What a model holds, once it passed the checks. */
export interface ModelInfo {
  readonly format: 'glb' | 'gltf';
  readonly bytes: number;
  readonly triangles: number;
  readonly meshes: number;
  readonly textures: readonly { readonly width: number; readonly height: number; readonly mime: string }[];
  readonly extensions: readonly string[];
}

/** A file kind recognised from its first bytes, whatever its name says. */
export type SniffedKind = 'glb' | 'gltf' | 'png' | 'jpeg' | 'webp' | 'gif' | 'ktx2' | 'mp4' | 'webm' | 'unknown';

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const u32be = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const u16be = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

/** Recognises a file from its first bytes. */
export function sniffKind(b: Uint8Array): SniffedKind {
  if (b.length >= 4 && u32(b, 0) === GLB_MAGIC) return 'glb';
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && b[0] === 0xab && ascii(b, 1, 6) === 'KTX 20') return 'ktx2';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return 'mp4';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  // A .gltf is JSON: skip a BOM and whitespace, then expect "{".
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && i < 64 && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  if (b[i] === 0x7b) return 'gltf';
  return 'unknown';
}

/** Width and height of a PNG, JPEG, WebP, GIF or KTX2 image, or undefined if unreadable. */
export function imageSize(b: Uint8Array): { width: number; height: number; mime: string } | undefined {
  const kind = sniffKind(b);
  switch (kind) {
    case 'png':
      return b.length >= 24 ? { width: u32be(b, 16), height: u32be(b, 20), mime: 'image/png' } : undefined;
    case 'gif':
      return b.length >= 10 ? { width: u16(b, 6), height: u16(b, 8), mime: 'image/gif' } : undefined;
    case 'ktx2':
      return b.length >= 28 ? { width: u32(b, 20), height: u32(b, 24), mime: 'image/ktx2' } : undefined;
    case 'webp': {
      const kind = ascii(b, 12, 4);
      if (kind === 'VP8X' && b.length >= 30) {
        return {
          width: 1 + (b[24]! | (b[25]! << 8) | (b[26]! << 16)),
          height: 1 + (b[27]! | (b[28]! << 8) | (b[29]! << 16)),
          mime: 'image/webp',
        };
      }
      if (kind === 'VP8 ' && b.length >= 30)
        return { width: u16(b, 26) & 0x3fff, height: u16(b, 28) & 0x3fff, mime: 'image/webp' };
      if (kind === 'VP8L' && b.length >= 25) {
        const bits = u32(b, 21);
        return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1, mime: 'image/webp' };
      }
      return undefined;
    }
    case 'jpeg': {
      // Walk the marker segments to the first start-of-frame.
      let o = 2;
      while (o + 9 < b.length) {
        if (b[o] !== 0xff) return undefined;
        const marker = b[o + 1]!;
        if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
          o += 2;
          continue;
        }
        const len = u16be(b, o + 2);
        const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
        if (isSof) return { width: u16be(b, o + 7), height: u16be(b, o + 5), mime: 'image/jpeg' };
        o += 2 + len;
      }
      return undefined;
    }
    case 'glb':
    case 'gltf':
    case 'mp4':
    case 'webm':
    case 'unknown':
      return undefined;
    default:
      return assertNever(kind, 'file kind');
  }
}

const kindName: Record<SniffedKind, string> = {
  glb: 'a GLB model',
  gltf: 'a glTF model',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  webp: 'a WebP image',
  gif: 'a GIF image',
  ktx2: 'a KTX2 texture',
  mp4: 'an MP4 video',
  webm: 'a WebM video',
  unknown: 'an unknown file',
};

function fail(code: ErrorCode, message: string, params?: Record<string, string | number>, detail?: string): never {
  throw new StudioError(code, message, {
    ...(params === undefined ? {} : { params }),
    ...(detail === undefined ? {} : { detail }),
  });
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 without DOM or Node APIs (shared/ uses neither). */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    value = (value << 6) | BASE64.indexOf(clean[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

interface GltfJson {
  asset?: { version?: string };
  buffers?: { byteLength?: number; uri?: string }[];
  bufferViews?: { buffer?: number; byteOffset?: number; byteLength?: number }[];
  accessors?: { count?: number; bufferView?: number }[];
  meshes?: { primitives?: { mode?: number; indices?: number; attributes?: Record<string, number> }[] }[];
  nodes?: { mesh?: number }[];
  images?: { uri?: string; bufferView?: number; mimeType?: string }[];
  extensionsRequired?: string[];
  extensionsUsed?: string[];
}

/** Extensions the studio's loader can decode (decoders served from our own origin). */
export const supportedGltfExtensions: ReadonlySet<string> = new Set([
  'KHR_draco_mesh_compression',
  'KHR_texture_basisu',
  'EXT_meshopt_compression',
  'KHR_mesh_quantization',
  'KHR_materials_unlit',
  'KHR_materials_emissive_strength',
  'KHR_materials_ior',
  'KHR_materials_specular',
  'KHR_materials_transmission',
  'KHR_materials_clearcoat',
  'KHR_materials_sheen',
  'KHR_materials_volume',
  'KHR_texture_transform',
  'KHR_lights_punctual',
  'EXT_texture_webp',
  'EXT_mesh_gpu_instancing',
]);

/** Reads external files of a .gltf (relative URIs); undefined when missing. */
/** Triangles one glTF primitive draws from `count` vertices (or indices) in its `mode` (default: triangles). */
export function primitiveTriangles(count: number, mode = 4): number {
  if (mode === 4) return Math.floor(count / 3);
  // Triangle strip and fan; points and lines draw none.
  if (mode === 5 || mode === 6) return Math.max(0, count - 2);
  return 0;
}

export type ResourceReader = (uri: string) => Uint8Array | undefined;

function readUri(uri: string, readResource: ResourceReader | undefined): Uint8Array {
  const m = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(uri);
  if (m !== null) {
    return m[2] !== undefined ? decodeBase64(m[3] ?? '') : new TextEncoder().encode(decodeURIComponent(m[3] ?? ''));
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.split(/[\\/]/).includes('..')) {
    fail('assets/external-reference', 'The model refers to a file outside its folder.', { uri: uri.slice(0, 120) });
  }
  const bytes = readResource?.(decodeURIComponent(uri));
  if (bytes === undefined)
    fail('assets/missing-resource', 'A file the model needs is missing.', { uri: uri.slice(0, 120) });
  return bytes;
}

function parseJson(bytes: Uint8Array): GltfJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  } catch (error) {
    fail(
      'assets/broken-model',
      'The model file is damaged (its description cannot be read).',
      undefined,
      String(error),
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail('assets/broken-model', 'The model file is damaged (its description is not an object).');
  }
  const gltf = json as GltfJson;
  if (typeof gltf.asset?.version !== 'string' || !gltf.asset.version.startsWith('2.')) {
    fail('assets/unsupported-version', 'Only glTF 2.0 models are supported.', {
      version: String(gltf.asset?.version ?? '?'),
    });
  }
  return gltf;
}

/**
 * Validates a GLB or glTF file and reports what it holds. Throws StudioError with an
 * `assets/...` code for anything the studio should not try to render.
 */
export function checkModel(
  bytes: Uint8Array,
  options: { limits?: ModelLimits; readResource?: ResourceReader } = {},
): ModelInfo {
  try {
    return checkModelUnguarded(bytes, options);
  } catch (error) {
    // A JSON of the wrong shape (primitives that are not a list, …) is a damaged model, not a bug.
    if (error instanceof StudioError) throw error;
    throw new StudioError('assets/broken-model', 'The model file is damaged.', { detail: String(error) });
  }
}

function checkModelUnguarded(
  bytes: Uint8Array,
  options: { limits?: ModelLimits; readResource?: ResourceReader },
): ModelInfo {
  const limits = options.limits ?? defaultModelLimits;
  if (bytes.length > limits.maxBytes) {
    fail('assets/file-too-large', 'The model file is too large.', {
      sizeMb: Math.round(bytes.length / 1048576),
      maxMb: Math.round(limits.maxBytes / 1048576),
    });
  }
  const kind = sniffKind(bytes);
  if (kind !== 'glb' && kind !== 'gltf') {
    fail('assets/not-a-model', `This is not a 3D model: it looks like ${kindName[kind]}.`, { actual: kind });
  }

  let gltf: GltfJson;
  let bin: Uint8Array | undefined;
  if (kind === 'glb') {
    if (bytes.length < 20) fail('assets/truncated', 'The model file is cut short.', { bytes: bytes.length });
    const version = u32(bytes, 4);
    if (version !== 2) fail('assets/unsupported-version', 'Only glTF 2.0 models are supported.', { version });
    const declared = u32(bytes, 8);
    if (declared > bytes.length) {
      fail('assets/truncated', 'The model file is cut short.', { bytes: bytes.length, expected: declared });
    }
    let o = 12;
    let json: Uint8Array | undefined;
    while (o + 8 <= declared) {
      const len = u32(bytes, o);
      const type = u32(bytes, o + 4);
      if (o + 8 + len > declared)
        fail('assets/truncated', 'The model file is cut short.', { bytes: bytes.length, expected: o + 8 + len });
      const data = bytes.subarray(o + 8, o + 8 + len);
      if (type === CHUNK_JSON && json === undefined) json = data;
      else if (type === CHUNK_BIN && bin === undefined) bin = data;
      o += 8 + len + ((4 - (len % 4)) % 4);
    }
    if (json === undefined) fail('assets/broken-model', 'The model file is damaged (no description chunk).');
    gltf = parseJson(json);
  } else {
    gltf = parseJson(bytes);
  }

  const required = gltf.extensionsRequired ?? [];
  const unsupported = required.filter((e) => !supportedGltfExtensions.has(e));
  if (unsupported.length > 0) {
    fail('assets/unsupported-extension', 'The model needs a feature the studio cannot draw.', {
      extension: unsupported.join(', '),
    });
  }

  // Buffers: the embedded BIN chunk, data: URIs, or files beside a .gltf.
  const buffers: Uint8Array[] = (gltf.buffers ?? []).map((buffer, i) => {
    const data =
      buffer.uri === undefined
        ? kind === 'glb' && i === 0
          ? bin
          : undefined
        : readUri(buffer.uri, options.readResource);
    if (data === undefined)
      fail('assets/broken-model', 'The model file is damaged (a data block is missing).', { buffer: i });
    if (typeof buffer.byteLength === 'number' && data.length < buffer.byteLength) {
      fail('assets/truncated', 'The model file is cut short.', { bytes: data.length, expected: buffer.byteLength });
    }
    return data;
  });
  const views = gltf.bufferViews ?? [];
  const viewBytes = (index: number): Uint8Array => {
    const view = views[index];
    const buffer = view === undefined ? undefined : buffers[view.buffer ?? -1];
    if (view === undefined || buffer === undefined)
      fail('assets/broken-model', 'The model file is damaged (bad data reference).');
    const start = view.byteOffset ?? 0;
    const end = start + (view.byteLength ?? 0);
    if (end > buffer.length)
      fail('assets/truncated', 'The model file is cut short.', { bytes: buffer.length, expected: end });
    return buffer.subarray(start, end);
  };
  views.forEach((_, i) => viewBytes(i));

  // Triangles drawn: every node that uses a mesh draws it once.
  const accessors = gltf.accessors ?? [];
  const meshes = gltf.meshes ?? [];
  const meshTriangles = meshes.map((mesh) =>
    (mesh.primitives ?? []).reduce((sum, prim) => {
      const index = prim.indices ?? prim.attributes?.['POSITION'];
      const count = index === undefined ? 0 : (accessors[index]?.count ?? 0);
      // A count that is not a whole number (a string, NaN, -1) would put NaN into the library.
      if (!Number.isSafeInteger(count) || count < 0)
        fail('assets/broken-model', 'The model file is damaged (bad count).');
      return sum + primitiveTriangles(count, prim.mode);
    }, 0),
  );
  const nodes = gltf.nodes ?? [];
  const used = nodes.filter((n) => typeof n.mesh === 'number');
  const triangles =
    used.length > 0
      ? used.reduce((s, n) => s + (meshTriangles[n.mesh!] ?? 0), 0)
      : meshTriangles.reduce((s, t) => s + t, 0);
  if (triangles > limits.maxTriangles) {
    fail('assets/too-many-triangles', 'The model is too detailed for live use.', {
      triangles,
      max: limits.maxTriangles,
    });
  }

  const textures = (gltf.images ?? []).map((image, i) => {
    const data =
      image.bufferView !== undefined
        ? viewBytes(image.bufferView)
        : image.uri !== undefined
          ? readUri(image.uri, options.readResource)
          : undefined;
    const size = data === undefined ? undefined : imageSize(data);
    if (size === undefined) fail('assets/broken-texture', 'A texture of the model cannot be read.', { image: i });
    if (size.width > limits.maxTextureSize || size.height > limits.maxTextureSize) {
      fail('assets/texture-too-large', 'A texture of the model is too large.', {
        width: size.width,
        height: size.height,
        max: limits.maxTextureSize,
      });
    }
    return size;
  });

  return {
    format: kind,
    bytes: bytes.length,
    triangles,
    meshes: meshes.length,
    textures,
    extensions: gltf.extensionsUsed ?? [],
  };
}
