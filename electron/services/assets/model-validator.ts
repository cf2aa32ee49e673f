import validator from 'gltf-validator';

import { StudioError } from '../../../shared/api/result';
import { primitiveTriangles } from '../../../shared/compositor/model-check';

// The Khronos glTF validator (gltf-validator) on every model that enters the library, after the
// quick hand-written check (shared/compositor/model-check.ts, which the renderer runs too). The
// validator checks every property's type and range, every accessor against its buffer view and
// every index against its vertex count: a model that passes cannot put NaN into the library. On
// top of it, what the studio can afford on a modest laptop: triangles drawn (instancing counted),
// the size of Draco-compressed geometry once decoded, and the textures' GPU memory all together.

export interface ModelBudget {
  /** Triangles drawn per frame, every instance and every node that reuses a mesh counted. */
  maxTriangles: number;
  /** Vertex and index data once decoded (Draco geometry counts at its decoded size). */
  maxGeometryBytes: number;
  /** All textures in GPU memory: width × height × 4 bytes, plus a third for mipmaps. */
  maxTextureBytes: number;
}

export const defaultModelBudget: ModelBudget = {
  maxTriangles: 500_000,
  maxGeometryBytes: 256 * 1024 * 1024,
  maxTextureBytes: 256 * 1024 * 1024,
};

/** What the validator and the budget found. */
export interface ValidatedModel {
  triangles: number;
  geometryBytes: number;
  textureBytes: number;
}

interface ValidatorMessage {
  code: string;
  message: string;
  severity: number;
  pointer?: string;
}
interface ValidatorReport {
  issues: { numErrors: number; messages: ValidatorMessage[] };
  info?: { resources?: { pointer?: string; image?: { width?: number; height?: number } }[] };
}

/** three.js reads these without trouble; the validator calls them errors. */
const tolerated: Record<string, number> = {
  MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS: 1,
  ACCESSOR_MIN_MISMATCH: 1,
  ACCESSOR_MAX_MISMATCH: 1,
  ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND: 1,
  ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND: 1,
};

const componentBytes: Record<number, number> = { 5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4 };
const typeComponents: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT2: 4, MAT3: 9, MAT4: 16 };

interface Accessor {
  count?: unknown;
  componentType?: unknown;
  type?: unknown;
}
interface Primitive {
  mode?: number;
  indices?: number;
  attributes?: Record<string, number>;
  extensions?: Record<string, unknown>;
}
interface Gltf {
  accessors?: Accessor[];
  meshes?: { primitives?: Primitive[] }[];
  nodes?: { mesh?: number; children?: number[]; extensions?: Record<string, { attributes?: Record<string, number> }> }[];
  scenes?: { nodes?: number[] }[];
  scene?: number;
}

const countOf = (a: Accessor | undefined) =>
  typeof a?.count === 'number' && Number.isSafeInteger(a.count) && a.count >= 0 ? a.count : 0;
const bytesOf = (a: Accessor | undefined) =>
  countOf(a) * (componentBytes[Number(a?.componentType)] ?? 4) * (typeComponents[String(a?.type)] ?? 1);

/** The glTF JSON inside a GLB or .gltf (the validator already said it parses). */
function jsonOf(bytes: Uint8Array): Gltf {
  const isGlb = bytes.length >= 20 && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = isGlb
    ? new TextDecoder().decode(bytes.subarray(20, 20 + view.getUint32(12, true)))
    : new TextDecoder().decode(bytes);
  return JSON.parse(text.replace(/^\uFEFF/, '')) as Gltf;
}

/** Triangles drawn by the default scene (or every scene), instances and reused meshes counted. */
function trianglesDrawn(gltf: Gltf): number {
  const accessors = gltf.accessors ?? [];
  const meshTriangles = (gltf.meshes ?? []).map((mesh) =>
    (mesh.primitives ?? []).reduce((sum, prim) => {
      const index = prim.indices ?? prim.attributes?.['POSITION'];
      const count = index === undefined ? 0 : countOf(accessors[index]);
      return sum + primitiveTriangles(count, prim.mode);
    }, 0),
  );
  const nodes = gltf.nodes ?? [];
  const roots =
    gltf.scene !== undefined
      ? (gltf.scenes?.[gltf.scene]?.nodes ?? [])
      : (gltf.scenes ?? []).flatMap((s) => s.nodes ?? []);
  // No scene: three.js shows nothing, but a viewer might show every node; count them all.
  const start = roots.length > 0 ? roots : nodes.map((_, i) => i);
  let total = 0;
  let visits = 0;
  const walk = (index: number, depth: number) => {
    // The validator refuses cycles; the bound is for safety all the same.
    if (depth > 64 || ++visits > 1_000_000) return;
    const node = nodes[index];
    if (node === undefined) return;
    if (typeof node.mesh === 'number') {
      const instancing = node.extensions?.['EXT_mesh_gpu_instancing']?.attributes;
      const first = instancing === undefined ? undefined : Object.values(instancing)[0];
      const instances = first === undefined ? 1 : countOf(accessors[first]);
      total += (meshTriangles[node.mesh] ?? 0) * instances;
    }
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  for (const root of start) walk(root, 0);
  return total;
}

/** Vertex and index bytes once decoded; Draco primitives count at their decoded accessor sizes. */
function geometryBytes(gltf: Gltf): number {
  const accessors = gltf.accessors ?? [];
  const seen = new Set<number>();
  for (const mesh of gltf.meshes ?? []) {
    for (const prim of mesh.primitives ?? []) {
      for (const index of Object.values(prim.attributes ?? {})) seen.add(index);
      if (prim.indices !== undefined) seen.add(prim.indices);
    }
  }
  let total = 0;
  for (const index of seen) total += bytesOf(accessors[index]);
  return total;
}

/**
 * Validates a model's bytes with the Khronos validator and checks it against the budget.
 * `readResource` gives the bytes of an external file next to a .gltf (undefined: missing).
 * Throws StudioError `assets/broken-model`, `assets/too-many-triangles`, `assets/model-too-heavy`
 * or `assets/texture-budget`.
 */
export async function validateModel(
  bytes: Uint8Array,
  options: { readResource?: (uri: string) => Uint8Array | undefined; budget?: ModelBudget } = {},
): Promise<ValidatedModel> {
  const budget = options.budget ?? defaultModelBudget;
  let report: ValidatorReport;
  try {
    report = (await validator.validateBytes(bytes, {
      maxIssues: 20,
      writeTimestamp: false,
      severityOverrides: tolerated,
      externalResourceFunction: (uri: string) => {
        const data = options.readResource?.(decodeURIComponent(uri));
        return data === undefined ? Promise.reject(new Error(`missing ${uri}`)) : Promise.resolve(data);
      },
    })) as ValidatorReport;
  } catch (error) {
    throw new StudioError('assets/broken-model', 'The model file is damaged.', { detail: String(error) });
  }
  if (report.issues.numErrors > 0) {
    const errors = report.issues.messages.filter((m) => m.severity === 0);
    throw new StudioError('assets/broken-model', 'The model file is damaged.', {
      detail: errors
        .slice(0, 5)
        .map((m) => `${m.code} at ${m.pointer ?? '/'}: ${m.message}`)
        .join('\n'),
      params: { issue: errors[0]?.code ?? 'UNKNOWN' },
    });
  }
  let gltf: Gltf;
  try {
    gltf = jsonOf(bytes);
  } catch (error) {
    throw new StudioError('assets/broken-model', 'The model file is damaged.', { detail: String(error) });
  }
  const triangles = trianglesDrawn(gltf);
  if (triangles > budget.maxTriangles) {
    throw new StudioError('assets/too-many-triangles', 'The model is too detailed for live use.', {
      params: { triangles, max: budget.maxTriangles },
    });
  }
  const geometry = geometryBytes(gltf);
  if (geometry > budget.maxGeometryBytes) {
    throw new StudioError('assets/model-too-heavy', 'The model geometry is too large once decoded.', {
      params: { sizeMb: Math.round(geometry / 1048576), maxMb: Math.round(budget.maxGeometryBytes / 1048576) },
    });
  }
  let textureBytes = 0;
  for (const resource of report.info?.resources ?? []) {
    const width = resource.image?.width ?? 0;
    const height = resource.image?.height ?? 0;
    textureBytes += Math.ceil((width * height * 4 * 4) / 3);
  }
  if (textureBytes > budget.maxTextureBytes) {
    throw new StudioError('assets/texture-budget', 'The textures together need too much GPU memory.', {
      params: { sizeMb: Math.round(textureBytes / 1048576), maxMb: Math.round(budget.maxTextureBytes / 1048576) },
    });
  }
  return { triangles, geometryBytes: geometry, textureBytes };
}
