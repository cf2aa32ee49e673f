import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { AssetEntry, AssetKind, VisionModelName, VisionModelsStatus } from '../../../shared/api/assets';
import { assetEntrySchema, uploadMaxBytes, visionModelNames } from '../../../shared/api/assets';
import { StudioError } from '../../../shared/api/result';
import { assertNever } from '../../../shared/assert-never';
import type { SniffedKind } from '../../../shared/compositor/model-check';
import { imageSize, sniffKind } from '../../../shared/compositor/model-check';
import type { Domain, DomainDeps } from '../domain';
import { readJsonEntries, readJsonFile, writeFileAtomic } from '../json-file';
import { ModelChecker } from './model-checker';

/** One model-check worker for the process (started on the first model import). */
const modelChecker = new ModelChecker();

/** URL prefix (page-relative) under which the transports serve `<dataDir>/assets/`. */
export const libraryUrlPrefix = 'library/';

const limits = {
  imageBytes: 32 * 1024 * 1024,
  videoBytes: 2 * 1024 * 1024 * 1024,
  imageSide: 8192,
};

const extensionKinds: Record<string, AssetKind> = {
  '.glb': 'model',
  '.gltf': 'model',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.webp': 'image',
  '.mp4': 'video',
  '.webm': 'video',
};

const sniffedKinds: Partial<Record<SniffedKind, AssetKind>> = {
  glb: 'model',
  gltf: 'model',
  png: 'image',
  jpeg: 'image',
  webp: 'image',
  mp4: 'video',
  webm: 'video',
};

/** Official model files, downloaded once on request; the bundled builds stay the fallback. */
const officialModelUrls: Record<VisionModelName, string> = {
  'hand_landmarker.task':
    'https://storage.googleapis.com/mediapipe-models/hand_landmarker/hand_landmarker/float16/latest/hand_landmarker.task',
  'selfie_segmenter.tflite':
    'https://storage.googleapis.com/mediapipe-models/image_segmenter/selfie_segmenter/float16/latest/selfie_segmenter.tflite',
  'blaze_face_short_range.tflite':
    'https://storage.googleapis.com/mediapipe-models/face_detector/blaze_face_short_range/float16/latest/blaze_face_short_range.tflite',
};

const storedEntrySchema = assetEntrySchema.extend({ fileName: z.string().min(1).max(200) });
type StoredEntry = z.infer<typeof storedEntrySchema>;

const modelStateSchema = z.object({
  preferOfficial: z.boolean(),
  states: z.record(z.string(), z.enum(['absent', 'downloaded', 'verified', 'rejected'])),
});

/** A file of the library as the show domain's packages use it. */
export interface LocatedAsset {
  assetId: string;
  kind: AssetKind;
  fileName: string;
  path: string;
}

/** The asset library: checked imports into the data folder, the shipped samples, MediaPipe models. */
export interface AssetsService {
  list(): AssetEntry[];
  importFile(source: string, name?: string): Promise<AssetEntry>;
  remove(id: string): void;
  /** Absolute path behind a `library/...` URL path, or undefined if it is not a library file. */
  resolveLibraryPath(urlPath: string): string | undefined;
  /** ShowAssetsPort: find a file by asset id. */
  locate(assetId: string): Promise<LocatedAsset | undefined>;
  /** ShowAssetsPort: take over a staged file (moved, not copied) under `assetId`, after checking it. */
  adopt(input: { assetId: string; kind: AssetKind; fileName: string; file: string }): Promise<void>;
  modelsStatus(): VisionModelsStatus;
  downloadModels(fetchImpl?: typeof fetch): Promise<VisionModelsStatus>;
  confirmModel(name: VisionModelName, loaded: boolean): VisionModelsStatus;
}

/** A file name safe on every OS, keeping the extension (loaders pick by it). */
function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/'));
  const cleaned = base.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '');
  return cleaned === '' ? 'file' : cleaned.slice(-120);
}

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex').slice(0, 32);

function readHead(file: string, bytes: number): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks a file the user (or a show package) brings in. The extension says what the user meant,
 * the bytes say what it is; both must agree, so a JPEG renamed to .glb is refused by name.
 * Returns the asset kind and what the check found. Throws StudioError `assets/...`.
 */
export async function checkAssetFile(
  file: string,
  fileName = path.basename(file),
): Promise<{ kind: AssetKind; bytes: number; triangles?: number; width?: number; height?: number; resources: string[] }> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StudioError('assets/not-found', 'The file was not found.', { params: { file: path.basename(file) } });
  }
  if (!stat.isFile()) throw new StudioError('assets/unreadable', 'This is not a file.', { params: { file: fileName } });
  const ext = path.extname(fileName).toLowerCase();
  const meant = extensionKinds[ext];
  if (meant === undefined) {
    throw new StudioError('assets/unsupported-type', 'This kind of file cannot be used.', { params: { ext: ext || '?' } });
  }
  const head = readHead(file, 64 * 1024);
  const actual = sniffKind(head);
  switch (meant) {
    case 'model': {
      // checkModel reports size, magic and content problems with their own codes.
      if (stat.size > 64 * 1024 * 1024) {
        throw new StudioError('assets/file-too-large', 'The model file is too large.', {
          params: { sizeMb: Math.round(stat.size / 1048576), maxMb: 64 },
        });
      }
      // Read and checked in a worker: the event loop that serves OBS and sales entry never waits on it.
      const found = await modelChecker.check(file);
      return {
        kind: 'model',
        bytes: stat.size,
        triangles: found.triangles,
        width: found.largestTexture,
        height: found.largestTexture,
        resources: found.resources,
      };
    }
    case 'image': {
      if (sniffedKinds[actual] !== 'image') {
        throw new StudioError('assets/unsupported-type', 'The file is not the image its name says.', {
          params: { ext, actual },
        });
      }
      if (stat.size > limits.imageBytes) {
        throw new StudioError('assets/file-too-large', 'The image file is too large.', {
          params: { sizeMb: Math.round(stat.size / 1048576), maxMb: limits.imageBytes / 1048576 },
        });
      }
      const size = imageSize(head);
      if (size === undefined) throw new StudioError('assets/unreadable', 'The image cannot be read.', { params: { file: fileName } });
      if (size.width > limits.imageSide || size.height > limits.imageSide) {
        throw new StudioError('assets/image-too-large', 'The image is too large.', {
          params: { width: size.width, height: size.height, max: limits.imageSide },
        });
      }
      return { kind: 'image', bytes: stat.size, width: size.width, height: size.height, resources: [] };
    }
    case 'video':
      if (sniffedKinds[actual] !== 'video') {
        throw new StudioError('assets/unsupported-type', 'The file is not the video its name says.', {
          params: { ext, actual },
        });
      }
      if (stat.size > limits.videoBytes) {
        throw new StudioError('assets/file-too-large', 'The video file is too large.', {
          params: { sizeMb: Math.round(stat.size / 1048576), maxMb: limits.videoBytes / 1048576 },
        });
      }
      return { kind: 'video', bytes: stat.size, resources: [] };
    default:
      return assertNever(meant, 'asset kind');
  }
}

export function createAssetsService(deps: DomainDeps): AssetsService {
  const root = path.join(deps.dataDir, 'assets');
  const filesDir = path.join(root, 'files');
  const modelsDir = path.join(root, 'models');
  const indexFile = path.join(root, 'index.json');
  const modelStateFile = path.join(modelsDir, 'state.json');
  const samplesDir = path.join(deps.appRoot, 'assets', 'samples');
  const log = deps.logger;

  // Entry by entry: one bad entry is set aside (index.json.rejected.jsonl) and logged, the rest kept.
  let stored: StoredEntry[] = readJsonEntries(indexFile, 'entries', storedEntrySchema, (count, reason) =>
    log.warn('asset index: set aside entries that do not parse', { count, reason }),
  ).entries;
  const save = () => writeFileAtomic(indexFile, JSON.stringify({ entries: stored }, null, 2));

  const builtIns = (): AssetEntry[] => {
    let names: string[];
    try {
      names = fs.readdirSync(samplesDir).sort();
    } catch {
      return [];
    }
    return names.flatMap((fileName) => {
      const kind = extensionKinds[path.extname(fileName).toLowerCase()];
      if (kind === undefined) return [];
      const base = path.basename(fileName, path.extname(fileName));
      return [
        {
          id: `sample-${base}`,
          kind,
          name: base,
          builtIn: true,
          url: `samples/${encodeURIComponent(fileName)}`,
          bytes: fs.statSync(path.join(samplesDir, fileName)).size,
          addedAt: 0,
        },
      ];
    });
  };

  const publicEntry = ({ fileName: _fileName, ...entry }: StoredEntry): AssetEntry => entry;
  const list = () => [...builtIns(), ...stored.map(publicEntry)];
  const changed = () => deps.emit('assets:changed', list());

  /** Copies (or moves) a checked file and its resources into the library under `id`. */
  const store = async (
    id: string,
    source: string,
    fileName: string,
    name: string,
    move: boolean,
  ): Promise<AssetEntry> => {
    const checked = await checkAssetFile(source, fileName);
    const dir = path.join(filesDir, hashOf(id));
    const safeName = safeFileName(fileName);
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, safeName);
    if (move) {
      try {
        fs.renameSync(source, target);
      } catch {
        fs.copyFileSync(source, target);
        fs.rmSync(source, { force: true });
      }
    } else {
      fs.copyFileSync(source, `${target}.tmp`);
      fs.renameSync(`${target}.tmp`, target);
    }
    for (const resource of checked.resources) {
      const to = path.join(dir, resource);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(path.dirname(source), resource), to);
    }
    const candidate: StoredEntry = {
      id,
      kind: checked.kind,
      name: name.slice(0, 120),
      builtIn: false,
      url: `${libraryUrlPrefix}files/${hashOf(id)}/${encodeURIComponent(safeName)}`,
      bytes: checked.bytes,
      addedAt: Date.now(),
      fileName: safeName,
      ...(checked.triangles === undefined ? {} : { triangles: checked.triangles }),
      ...(checked.width === undefined ? {} : { width: checked.width }),
      ...(checked.height === undefined ? {} : { height: checked.height }),
    };
    // What is saved is what the next start reads back: checked with the same schema first.
    const valid = storedEntrySchema.safeParse(candidate);
    if (!valid.success) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new StudioError('assets/broken-model', 'The file is damaged.', { detail: valid.error.message.slice(0, 500) });
    }
    const entry = valid.data;
    stored = [...stored.filter((e) => e.id !== id), entry];
    save();
    log.info('asset stored', { id, kind: entry.kind, bytes: entry.bytes });
    return publicEntry(entry);
  };

  const readModelState = () =>
    readJsonFile(modelStateFile, modelStateSchema) ?? { preferOfficial: false, states: {} as Record<string, string> };

  const modelsStatus = (): VisionModelsStatus => {
    const state = readModelState();
    return {
      preferOfficial: state.preferOfficial,
      official: visionModelNames.map((name) => {
        const file = path.join(modelsDir, name);
        const exists = fs.existsSync(file);
        const s = state.states[name];
        const current = !exists ? (s === 'rejected' ? 'rejected' : 'absent') : s === 'verified' ? 'verified' : 'downloaded';
        return {
          name,
          state: current,
          ...(exists ? { url: `${libraryUrlPrefix}models/${name}`, bytes: fs.statSync(file).size } : {}),
        };
      }),
    };
  };

  const writeModelState = (patch: (s: z.infer<typeof modelStateSchema>) => void) => {
    const state = readModelState() as z.infer<typeof modelStateSchema>;
    patch(state);
    writeFileAtomic(modelStateFile, JSON.stringify(state, null, 2));
  };

  return {
    list,
    async importFile(source, name) {
      const fileName = path.basename(source);
      const base = path.basename(fileName, path.extname(fileName));
      const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'asset';
      const id = `${slug}-${randomBytes(4).toString('hex')}`;
      const entry = await store(id, source, fileName, name ?? base, false);
      changed();
      return entry;
    },
    remove(id) {
      if (builtIns().some((e) => e.id === id)) {
        throw new StudioError('assets/built-in', 'Sample assets that ship with the studio cannot be removed.');
      }
      if (!stored.some((e) => e.id === id)) throw new StudioError('assets/not-found', 'No such asset.', { params: { id } });
      fs.rmSync(path.join(filesDir, hashOf(id)), { recursive: true, force: true });
      stored = stored.filter((e) => e.id !== id);
      save();
      changed();
    },
    resolveLibraryPath(urlPath) {
      const rel = urlPath.replace(/^\/+/, '');
      if (!rel.startsWith(libraryUrlPrefix)) return undefined;
      let decoded: string;
      try {
        decoded = decodeURIComponent(rel.slice(libraryUrlPrefix.length));
      } catch {
        return undefined;
      }
      const file = path.resolve(root, decoded);
      const allowed = [filesDir, modelsDir].some((dir) => file.startsWith(dir + path.sep));
      return allowed && !file.endsWith('.json') ? file : undefined;
    },
    async locate(assetId) {
      const builtIn = builtIns().find((e) => e.id === assetId);
      if (builtIn !== undefined) {
        const fileName = decodeURIComponent(builtIn.url.slice('samples/'.length));
        return { assetId, kind: builtIn.kind, fileName, path: path.join(samplesDir, fileName) };
      }
      const entry = stored.find((e) => e.id === assetId);
      if (entry === undefined) return undefined;
      const file = path.join(filesDir, hashOf(assetId), entry.fileName);
      return fs.existsSync(file) ? { assetId, kind: entry.kind, fileName: entry.fileName, path: file } : undefined;
    },
    async adopt({ assetId, kind, fileName, file }) {
      const entry = await store(assetId, file, fileName, path.basename(fileName, path.extname(fileName)), true);
      if (entry.kind !== kind) {
        this.remove(assetId);
        throw new StudioError('assets/unsupported-type', 'The file is not the kind of asset the package says.', {
          params: { ext: path.extname(fileName), actual: entry.kind },
        });
      }
      changed();
    },
    modelsStatus,
    async downloadModels(fetchImpl = fetch) {
      fs.mkdirSync(modelsDir, { recursive: true });
      const failures: string[] = [];
      for (const name of visionModelNames) {
        const target = path.join(modelsDir, name);
        if (fs.existsSync(target)) continue;
        try {
          const response = await fetchImpl(officialModelUrls[name], { signal: AbortSignal.timeout(120_000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const bytes = new Uint8Array(await response.arrayBuffer());
          // A .task is a zip; a .tflite is a TFLite flatbuffer. Anything else (a captive portal page) is refused.
          const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
          const isTflite = new TextDecoder().decode(bytes.subarray(4, 8)) === 'TFL3';
          if (name.endsWith('.task') ? !isZip : !isTflite) throw new Error('not a model file');
          writeFileAtomic(target, bytes);
          writeModelState((s) => {
            s.states[name] = 'downloaded';
            s.preferOfficial = true;
          });
        } catch (error) {
          failures.push(`${name}: ${String(error)}`);
        }
      }
      if (failures.length === visionModelNames.length) {
        throw new StudioError('assets/download-failed', 'The official models could not be downloaded.', {
          detail: failures.join('\n'),
        });
      }
      if (failures.length > 0) log.warn('some models not downloaded', { failures });
      return modelsStatus();
    },
    confirmModel(name, loaded) {
      writeModelState((s) => {
        s.states[name] = loaded ? 'verified' : 'rejected';
      });
      if (!loaded) {
        fs.rmSync(path.join(modelsDir, name), { force: true });
        log.warn('downloaded model did not load; using the bundled one', { name });
      }
      return modelsStatus();
    },
  };
}

type AssetsRequest =
  | 'assets:list'
  | 'assets:import'
  | 'assets:upload'
  | 'assets:remove'
  | 'assets:models-status'
  | 'assets:download-models'
  | 'assets:confirm-model';

/**
 * Imports uploaded bytes through the same checks as a file on disk: written to a scratch file in
 * the data folder, imported (copied and checked), then the scratch file is removed.
 */
async function importUpload(
  service: AssetsService,
  dataDir: string,
  name: string,
  dataBase64: string,
): Promise<AssetEntry> {
  const bytes = Buffer.from(dataBase64, 'base64');
  if (bytes.length > uploadMaxBytes) {
    throw new StudioError('assets/upload-too-large', 'This file is too large to upload from the browser.', {
      params: { maxMb: Math.round(uploadMaxBytes / 1024 / 1024) },
    });
  }
  // A folder of its own, so the library keeps the file's own name (its extension picks the loader).
  const scratchDir = path.join(dataDir, 'tmp', `upload-${randomBytes(8).toString('hex')}`);
  fs.mkdirSync(scratchDir, { recursive: true });
  const fileName = safeFileName(name);
  const scratch = path.join(scratchDir, fileName);
  fs.writeFileSync(scratch, bytes);
  try {
    return await service.importFile(scratch, path.basename(fileName, path.extname(fileName)));
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

export function createAssetsDomain(deps: DomainDeps): Domain<AssetsService, AssetsRequest> {
  const service = createAssetsService(deps);
  return {
    service,
    handlers: {
      'assets:list': () => service.list(),
      'assets:import': (input) => service.importFile(input.path, input.name),
      'assets:upload': (input) => importUpload(service, deps.dataDir, input.name, input.dataBase64),
      'assets:remove': (input) => service.remove(input.id),
      'assets:models-status': () => service.modelsStatus(),
      'assets:download-models': () => service.downloadModels(),
      'assets:confirm-model': (input) => service.confirmModel(input.name, input.loaded),
    },
    close: async () => modelChecker.close(),
  };
}
