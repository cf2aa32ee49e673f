#!/usr/bin/env node
// Builds the MediaPipe Tasks models the compositor uses from the legacy MediaPipe Solutions npm
// packages, offline and deterministically (same inputs → byte-identical outputs):
//   hand_landmarker.task          HandLandmarker  (@mediapipe/hands: palm_detection_full + hand_landmark_full)
//   hand_landmarker_lite.task     HandLandmarker  (palm_detection_lite + hand_landmark_lite: ~2× faster, for weak machines)
//   selfie_segmenter.tflite       ImageSegmenter  (@mediapipe/selfie_segmentation, 256×256 input)
//   selfie_segmenter_landscape.tflite             (144×256 input, cheaper on 16:9 frames)
//   blaze_face_short_range.tflite FaceDetector    (@mediapipe/face_detection)
//
// Why this is needed: the legacy .tflite files carry no TFLite metadata, and Tasks refuses a
// float-input image model without input NormalizationOptions. We add exactly that metadata
// (mean/std for the input range the legacy graphs fed the model) and, for the hand model, pack
// detector + landmarker into the stored zip that a `.task` bundle is.
//
// Usage: node scripts/build-models.mjs [--out DIR] [--check]
//   --out    default renderer/public/models (served by Vite, copied into the app)
//   --check  rebuild in memory and exit 1 if DIR differs (CI: "are the models up to date?")
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** [0,1] input: mean 0, std 255. [-1,1] input: mean 127.5, std 127.5. (legacy *_cpu.pbtxt graphs) */
const UNIT = [0, 1];
const SIGNED = [-1, 1];

/** What to build: output name, Tasks class, and members as [name in bundle, legacy file, input range]. */
export const MODEL_RECIPES = [
  {
    out: 'hand_landmarker.task',
    task: 'HandLandmarker',
    bundle: [
      ['hand_detector.tflite', 'palm_detection_full.tflite', UNIT],
      ['hand_landmarks_detector.tflite', 'hand_landmark_full.tflite', UNIT],
    ],
  },
  {
    out: 'hand_landmarker_lite.task',
    task: 'HandLandmarker',
    bundle: [
      ['hand_detector.tflite', 'palm_detection_lite.tflite', UNIT],
      ['hand_landmarks_detector.tflite', 'hand_landmark_lite.tflite', UNIT],
    ],
  },
  { out: 'selfie_segmenter.tflite', task: 'ImageSegmenter', single: ['selfie_segmentation.tflite', UNIT] },
  {
    out: 'selfie_segmenter_landscape.tflite',
    task: 'ImageSegmenter',
    single: ['selfie_segmentation_landscape.tflite', UNIT],
  },
  { out: 'blaze_face_short_range.tflite', task: 'FaceDetector', single: ['face_detection_short_range.tflite', SIGNED] },
];

const LEGACY_PACKAGES = ['hands', 'selfie_segmentation', 'face_detection'];

// ---------------------------------------------------------------------------------------------
// 1. Find the legacy model files: loose .tflite files, and files packed by Emscripten into
//    *_packed_assets.data, whose byte ranges are listed in *_packed_assets_loader.js.
// ---------------------------------------------------------------------------------------------

/** Map of file name → { bytes, from } for every model file in the legacy packages. */
export function findLegacyModels(nodeModules) {
  const found = new Map();
  const add = (name, bytes, from) => {
    if (!found.has(name)) found.set(name, { bytes, from });
  };
  for (const pkg of LEGACY_PACKAGES) {
    const dir = path.join(nodeModules, '@mediapipe', pkg);
    if (!fs.existsSync(dir)) throw new Error(`@mediapipe/${pkg} is not installed (it is a devDependency: run npm ci)`);
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const origin = `@mediapipe/${pkg}@${version}`;
    for (const file of fs.readdirSync(dir).sort()) {
      if (file.endsWith('.tflite')) add(file, fs.readFileSync(path.join(dir, file)), `${origin}/${file}`);
      const packed = /^(.*)_packed_assets_loader\.js$/.exec(file);
      if (packed === null) continue;
      const loader = fs.readFileSync(path.join(dir, file), 'utf8');
      const table = /"files":\s*(\[[^\]]*\])/.exec(loader);
      if (table === null) throw new Error(`${origin}/${file}: no file table`);
      if (/lz4/i.test(loader)) throw new Error(`${origin}/${file}: compressed asset packages are not supported`);
      const data = fs.readFileSync(path.join(dir, `${packed[1]}_packed_assets.data`));
      for (const entry of JSON.parse(table[1])) {
        add(path.posix.basename(entry.filename), data.subarray(entry.start, entry.end), `${origin}/${entry.filename}`);
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// 2. A flatbuffer writer that lays objects out parent-first, so every offset points forward
//    (flatbuffer uoffsets are unsigned). Nodes:
//      { table: [[fieldId, 'u8'|'u32'|'ref', value], ...] }   { string }   { f32s: [...] }
//      { bytes: Uint8Array }   { refs: [node, ...] }   { at: absolutePosition }  (already written)
// ---------------------------------------------------------------------------------------------

class ForwardWriter {
  constructor(fileIdentifier, base = 0) {
    this.chunks = [];
    this.length = 0;
    this.base = base; // where this output will sit in the final file (for { at } nodes)
    this.patches = [];
    const header = Buffer.alloc(8);
    header.write(fileIdentifier, 4, 'latin1');
    this.push(header);
  }

  push(buf) {
    this.chunks.push(buf);
    this.length += buf.length;
  }

  align(n, plus = 0) {
    const gap = (((plus - this.length) % n) + n) % n;
    if (gap > 0) this.push(Buffer.alloc(gap));
  }

  /** Writes `node` (and, after it, its children); patches the uoffset at `from` to point to it. */
  write(node, from) {
    let target;
    if ('at' in node) {
      target = node.at - this.base;
    } else if ('string' in node) {
      this.align(4);
      target = this.length;
      const s = Buffer.from(node.string, 'utf8');
      const b = Buffer.alloc(4 + s.length + 1);
      b.writeUInt32LE(s.length, 0);
      s.copy(b, 4);
      this.push(b);
    } else if ('f32s' in node) {
      this.align(4);
      target = this.length;
      const b = Buffer.alloc(4 + 4 * node.f32s.length);
      b.writeUInt32LE(node.f32s.length, 0);
      node.f32s.forEach((v, i) => b.writeFloatLE(v, 4 + 4 * i));
      this.push(b);
    } else if ('bytes' in node) {
      this.align(16, 12); // the data (after the 4-byte length) 16-byte aligned, as TFLite buffers are
      target = this.length;
      const len = Buffer.alloc(4);
      len.writeUInt32LE(node.bytes.length, 0);
      this.push(len);
      this.push(Buffer.from(node.bytes));
    } else if ('refs' in node) {
      this.align(4);
      target = this.length;
      const b = Buffer.alloc(4 + 4 * node.refs.length);
      b.writeUInt32LE(node.refs.length, 0);
      this.push(b);
      node.refs.forEach((child, i) => this.write(child, target + 4 + 4 * i));
    } else if ('table' in node) {
      const fields = node.table.filter(([, , v]) => v !== undefined);
      const maxId = Math.max(-1, ...fields.map(([id]) => id));
      const vtableSize = 4 + 2 * (maxId + 1);
      const tableSize = 4 + 4 * fields.length; // every field in its own 4-byte slot
      this.align(4);
      const vtablePos = this.length;
      const vtable = Buffer.alloc(vtableSize + (vtableSize % 4));
      vtable.writeUInt16LE(vtableSize, 0);
      vtable.writeUInt16LE(tableSize, 2);
      fields.forEach(([id], i) => vtable.writeUInt16LE(4 + 4 * i, 4 + 2 * id));
      this.push(vtable);
      target = this.length;
      const table = Buffer.alloc(tableSize);
      table.writeInt32LE(target - vtablePos, 0);
      const children = [];
      fields.forEach(([, kind, value], i) => {
        const slot = 4 + 4 * i;
        if (kind === 'u8') table.writeUInt8(value, slot);
        else if (kind === 'u32') table.writeUInt32LE(value >>> 0, slot);
        else if (kind === 'ref') children.push([value, target + slot]);
        else throw new Error(`unknown field kind ${kind}`);
      });
      this.push(table);
      for (const [child, at] of children) this.write(child, at);
    } else {
      throw new Error('unknown flatbuffer node');
    }
    this.patches.push([from, target]);
    return target;
  }

  finish(rootNode) {
    this.write(rootNode, 0);
    const out = Buffer.concat(this.chunks);
    for (const [from, target] of this.patches) {
      if (target <= from) throw new Error('flatbuffer offset would point backwards');
      out.writeUInt32LE(target - from, from);
    }
    return out;
  }
}

// Minimal flatbuffer reading, enough for the TFLite Model root table.
const rd = {
  u16: (b, p) => b.readUInt16LE(p),
  u32: (b, p) => b.readUInt32LE(p),
  field(b, table, id) {
    const vtable = table - b.readInt32LE(table);
    if (4 + 2 * id >= rd.u16(b, vtable)) return 0;
    const off = rd.u16(b, vtable + 4 + 2 * id);
    return off === 0 ? 0 : table + off;
  },
  ref(b, table, id) {
    const p = rd.field(b, table, id);
    return p === 0 ? 0 : p + rd.u32(b, p);
  },
  refsOf(b, vector) {
    const n = vector === 0 ? 0 : rd.u32(b, vector);
    return Array.from({ length: n }, (_, i) => vector + 4 + 4 * i + rd.u32(b, vector + 4 + 4 * i));
  },
  string(b, s) {
    return b.toString('utf8', s + 4, s + 4 + rd.u32(b, s));
  },
};

/** The TFLite metadata flatbuffer ("M001", tflite-support schema) naming the input normalisation. */
function normalizationMetadata(name, [lo, hi]) {
  const std = 255 / (hi - lo);
  const mean = -lo * std;
  const normalization = {
    table: [
      [0, 'ref', { f32s: [mean] }],
      [1, 'ref', { f32s: [std] }],
    ],
  };
  // ProcessUnit { options_type = NormalizationOptions (1), options }
  const processUnit = {
    table: [
      [0, 'u8', 1],
      [1, 'ref', normalization],
    ],
  };
  // Content { content_properties_type = ImageProperties (2), content_properties = { color_space = RGB (1) } }
  const content = {
    table: [
      [0, 'u8', 2],
      [1, 'ref', { table: [[0, 'u8', 1]] }],
    ],
  };
  const tensor = {
    table: [
      [0, 'ref', { string: 'image' }],
      [3, 'ref', content],
      [4, 'ref', { refs: [processUnit] }],
    ],
  };
  const subgraph = { table: [[2, 'ref', { refs: [tensor] }]] };
  const model = {
    table: [
      [0, 'ref', { string: name }],
      [1, 'ref', { string: `input normalisation for range [${lo}, ${hi}], added by Harvest Studio's build-models` }],
      [3, 'ref', { refs: [subgraph] }],
      [7, 'ref', { string: '1.0.0' }], // min_parser_version
    ],
  };
  return new ForwardWriter('M001').finish(model);
}

/**
 * Returns `model` (a .tflite without metadata) with a TFLITE_METADATA entry added. The original
 * bytes are kept whole, after a new root table and the new vectors; its internal offsets are
 * relative, so they stay valid, and the prefix is a multiple of 64 bytes to keep its alignment.
 */
export function withInputNormalization(model, name, range) {
  if (model.toString('latin1', 4, 8) !== 'TFL3') throw new Error(`${name}: not a TFLite model`);
  const rootTable = rd.u32(model, 0);
  const vtable = rootTable - model.readInt32LE(rootTable);
  const fieldCount = (rd.u16(model, vtable) - 4) / 2;
  for (let id = 8; id < fieldCount; id++) {
    if (rd.field(model, rootTable, id) !== 0)
      throw new Error(`${name}: unknown Model field ${id}, refusing to rewrite`);
  }
  const oldMetadata = rd.refsOf(model, rd.ref(model, rootTable, 6));
  if (oldMetadata.some((m) => rd.string(model, rd.ref(model, m, 0)) === 'TFLITE_METADATA')) {
    throw new Error(`${name}: already has metadata`);
  }
  const oldBuffers = rd.refsOf(model, rd.ref(model, rootTable, 4));
  const metadata = normalizationMetadata(name, range);

  const prefixFor = (base) => {
    const old = (id) => {
      const p = rd.field(model, rootTable, id);
      return p === 0 ? undefined : { at: base + p + rd.u32(model, p) };
    };
    const versionSlot = rd.field(model, rootTable, 0);
    const root = {
      table: [
        [0, 'u32', versionSlot === 0 ? 3 : rd.u32(model, versionSlot)],
        [1, 'ref', old(1)], // operator_codes
        [2, 'ref', old(2)], // subgraphs
        [3, 'ref', old(3)], // description
        [
          4,
          'ref',
          { refs: [...oldBuffers.map((at) => ({ at: base + at })), { table: [[0, 'ref', { bytes: metadata }]] }] },
        ],
        [5, 'ref', old(5)], // metadata_buffer
        [
          6,
          'ref',
          {
            refs: [
              ...oldMetadata.map((at) => ({ at: base + at })),
              {
                table: [
                  [0, 'ref', { string: 'TFLITE_METADATA' }],
                  [1, 'u32', oldBuffers.length],
                ],
              },
            ],
          },
        ],
        [7, 'ref', old(7)], // signature_defs
      ],
    };
    return new ForwardWriter('TFL3').finish(root); // the prefix starts the file; `at` nodes are absolute
  };
  // The prefix length does not depend on `base` (where the old model will start): measure it with
  // a base far ahead, then write it for real.
  const prefixLength = Math.ceil(prefixFor(1 << 28).length / 64) * 64;
  const prefix = prefixFor(prefixLength);
  return Buffer.concat([prefix, Buffer.alloc(prefixLength - prefix.length), model]);
}

// ---------------------------------------------------------------------------------------------
// 3. A `.task` bundle is a zip of stored (uncompressed) members; member data starts on 64-byte
//    boundaries (padding goes in the local header's extra field) so it can be used in place.
// ---------------------------------------------------------------------------------------------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// Fixed timestamp (1 Jan 2020, DOS format) so bundles are reproducible.
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

/**
 * The fields a stored member's local header and its central directory entry share, from "version
 * needed" on (at 4 in the local header, at 6 in the central entry).
 */
function writeEntryFields(header, at, crc, size, nameLength) {
  header.writeUInt16LE(10, at);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

export function storedZip(members) {
  const parts = [];
  const directory = [];
  let offset = 0;
  for (const { name, data } of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    let extra = (64 - ((offset + 30 + nameBytes.length) % 64)) % 64;
    if (extra > 0 && extra < 4) extra += 64; // an extra field needs a 4-byte header
    const local = Buffer.alloc(30 + nameBytes.length + extra);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, crc, data.length, nameBytes.length);
    local.writeUInt16LE(extra, 28);
    nameBytes.copy(local, 30);
    if (extra > 0) {
      local.writeUInt16LE(0xcafe, 30 + nameBytes.length);
      local.writeUInt16LE(extra - 4, 32 + nameBytes.length);
    }
    const central = Buffer.alloc(46 + nameBytes.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    writeEntryFields(central, 6, crc, data.length, nameBytes.length);
    central.writeUInt32LE(offset, 42);
    nameBytes.copy(central, 46);
    parts.push(local, data);
    directory.push(central);
    offset += local.length + data.length;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

// ---------------------------------------------------------------------------------------------

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** Builds every model in memory: Map of output name → { bytes, task, from }. */
export function buildModels(nodeModules = path.join(root, 'node_modules')) {
  const legacy = findLegacyModels(nodeModules);
  const source = (file) => {
    const found = legacy.get(file);
    if (found === undefined) throw new Error(`${file} not found in the legacy MediaPipe packages`);
    return found;
  };
  const patched = (file, range) => withInputNormalization(source(file).bytes, file.replace(/\.tflite$/, ''), range);
  const out = new Map();
  for (const recipe of MODEL_RECIPES) {
    const files = recipe.single ? [recipe.single[0]] : recipe.bundle.map(([, file]) => file);
    const bytes = recipe.single
      ? patched(recipe.single[0], recipe.single[1])
      : storedZip(recipe.bundle.map(([name, file, range]) => ({ name, data: patched(file, range) })));
    out.set(recipe.out, { bytes, task: recipe.task, from: files.map((f) => source(f).from) });
  }
  return out;
}

/** Writes the models and a manifest.json into `outDir`; returns the manifest. */
export function writeModels(outDir) {
  const models = buildModels();
  fs.mkdirSync(outDir, { recursive: true });
  const manifest = {};
  for (const [name, { bytes, task, from }] of models) {
    fs.writeFileSync(path.join(outDir, name), bytes);
    manifest[name] = { task, size: bytes.length, sha256: sha256(bytes), from };
  }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Whether `outDir` already holds exactly what a build would write. */
export function modelsUpToDate(outDir) {
  const manifestFile = path.join(outDir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return false;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  return MODEL_RECIPES.every((r) => {
    const file = path.join(outDir, r.out);
    return fs.existsSync(file) && manifest[r.out]?.sha256 === sha256(fs.readFileSync(file));
  });
}

if (process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'renderer/public/models'));
  if (args.includes('--check')) {
    const built = buildModels();
    const stale = [...built].filter(([name, { bytes }]) => {
      const file = path.join(outDir, name);
      return !fs.existsSync(file) || !fs.readFileSync(file).equals(bytes);
    });
    for (const [name] of stale) process.stderr.write(`out of date: ${name}\n`);
    process.exit(stale.length === 0 ? 0 : 1);
  }
  const manifest = writeModels(outDir);
  for (const [name, m] of Object.entries(manifest)) {
    process.stdout.write(`${String(m.size).padStart(9)}  ${name}  (${m.task})\n`);
  }
}
