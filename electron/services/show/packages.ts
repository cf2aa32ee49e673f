import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import yauzl from 'yauzl';
import yazl from 'yazl';
import { z } from 'zod';

import { StudioError } from '../../../shared/api/result';
import { salesPlatformSchema } from '../../../shared/api/sales';
import type { PackageFile, PackageManifest } from '../../../shared/show/package';
import {
  manifestProblems,
  packageEntryPattern,
  packageFormat,
  packageHeaderSchema,
  packageLimits,
  packageManifestSchema,
  packageVersion,
  referencedAssets,
} from '../../../shared/show/package';
import type { Preset } from '../../../shared/show/preset';
import type { ShowProduct } from '../../../shared/show/product';
import type { Logger } from '../logger';
import { openSaveTarget } from '../save-target';
import type { ShowLibrary } from './library';
import { newId } from './library';
import type { ShowAssetsPort, ShowSalesPort } from './ports';

export interface PackageDeps {
  dataDir: string;
  logger: Logger;
  library: ShowLibrary;
  sales: ShowSalesPort;
  assets: ShowAssetsPort;
  appVersion: string;
  now?: () => number;
}

/** Largest package handed back inline (base64) to a browser UI. */
const maxInlineBytes = 64 * 1024 * 1024;
/** Small entries may compress well beyond the ratio limit (a JSON of repeated keys); only big ones are checked. */
const ratioCheckFromBytes = 1024 * 1024;

const packageError = (
  code:
    | 'show/package-unreadable'
    | 'show/package-too-large'
    | 'show/package-unsafe'
    | 'show/package-invalid'
    | 'show/package-newer',
  message: string,
  detail?: string,
  params?: Record<string, string | number>,
) =>
  new StudioError(code, message, {
    ...(detail === undefined ? {} : { detail: detail.slice(0, 2000) }),
    ...(params === undefined ? {} : { params }),
  });

/** Streams a file through sha256. */
async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function slug(title: string): string {
  const s = title.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '');
  return (s === '' ? 'show' : s).slice(0, 40);
}

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Writes a rundown with its presets, products and their files as one zip. */
export async function exportPackage(
  deps: PackageDeps,
  input: { rundownId: string; path?: string | undefined; inline: boolean },
): Promise<{ path: string; bytes: number; sha256: string; dataBase64?: string }> {
  const now = (deps.now ?? Date.now)();
  const rundown = deps.library.getRundown(input.rundownId);
  const presets: Preset[] = [];
  for (const id of new Set(rundown.segments.flatMap((s) => (s.presetId === null ? [] : [s.presetId])))) {
    presets.push(deps.library.getPreset(id));
  }
  const products: ShowProduct[] = [];
  for (const id of new Set(rundown.segments.flatMap((s) => (s.productId === null ? [] : [s.productId])))) {
    products.push(await deps.library.getProduct(id));
  }
  const files: (PackageFile & { source: string })[] = [];
  for (const assetId of [...referencedAssets({ presets, products })].sort()) {
    const found = await deps.assets.locate(assetId);
    if (found === undefined) {
      throw new StudioError('show/file-not-found', 'A file this show uses is missing from the library.', {
        params: { id: assetId },
      });
    }
    const { sha256, bytes } = await hashFile(found.path);
    const ext = path
      .extname(found.fileName)
      .toLowerCase()
      .replace(/[^a-z0-9.]/g, '')
      .slice(0, 10);
    files.push({
      path: `files/${String(files.length + 1).padStart(4, '0')}${ext}`,
      assetId,
      kind: found.kind,
      fileName: found.fileName.slice(0, 200),
      bytes,
      sha256,
      source: found.path,
    });
  }
  const manifest: PackageManifest = packageManifestSchema.parse({
    format: packageFormat,
    version: packageVersion,
    createdAt: now,
    generator: { name: 'Harvest Studio', version: deps.appVersion },
    // Runs point into this studio's sales log; they mean nothing to another studio.
    rundown: { ...rundown, runs: [] },
    presets,
    products,
    files: files.map(({ source: _s, ...f }) => f),
  });

  let target = input.path;
  if (target === undefined) {
    target = path.join(deps.dataDir, 'show', 'exports', `${slug(rundown.title)}-${stamp(now)}.harvest-show.zip`);
  }
  const save = openSaveTarget(target);
  const zip = new yazl.ZipFile();
  const mtime = new Date(now);
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json', { mtime });
  for (const f of files) {
    // Images and videos are compressed already; deflating them again only costs time.
    zip.addFile(f.source, f.path, { mtime, compress: f.kind === 'model' });
  }
  zip.end();
  const hash = createHash('sha256');
  let bytes = 0;
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(zip.outputStream, hasher, fs.createWriteStream(save.tmp));
    await save.commit();
  } catch (error) {
    await save.discard();
    throw error;
  }
  const result: { path: string; bytes: number; sha256: string; dataBase64?: string } = {
    path: target,
    bytes,
    sha256: hash.digest('hex'),
  };
  if (input.inline) {
    if (bytes > maxInlineBytes) {
      throw packageError('show/package-too-large', 'The package is too large to hand to the browser.', undefined, {
        bytes,
      });
    }
    result.dataBase64 = fs.readFileSync(target).toString('base64');
  }
  deps.logger.info('show package exported', { rundownId: rundown.id, bytes, files: files.length });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Import

interface StagedEntry {
  file: string;
  bytes: number;
  sha256: string;
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true },
      (error, zip) => {
        if (error !== null || zip === undefined) {
          reject(
            packageError(
              'show/package-unreadable',
              'This file is not a show package (not a readable zip).',
              String(error),
            ),
          );
        } else {
          resolve(zip);
        }
      },
    );
  });
}

/** Maps yauzl's own refusals of a file name to "unsafe"; everything else means a broken zip. */
function zipError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/absolute path|relative path|backslash|invalid characters/i.test(message)) {
    return packageError(
      'show/package-unsafe',
      'The package tries to write outside its folder; it was refused.',
      message,
    );
  }
  return packageError('show/package-unreadable', 'The package is damaged and cannot be read.', message);
}

/**
 * Reads every entry of a zip into `stage`, refusing on the first unsafe or oversized one. Nothing
 * outside `stage` is touched; names never become paths (entries are staged as numbered files).
 */
async function stageZip(file: string, stage: string): Promise<Map<string, StagedEntry>> {
  const zip = await openZip(file);
  try {
    if (zip.entryCount > packageLimits.maxEntries) {
      throw packageError('show/package-too-large', 'The package has too many files.', undefined, {
        entries: zip.entryCount,
      });
    }
    const staged = new Map<string, StagedEntry>();
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        reject(zipError(error));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = entry.fileName;
          if (name === 'files/') return zip.readEntry();
          if (!packageEntryPattern.test(name)) {
            throw packageError(
              'show/package-unsafe',
              'The package contains a file it should not; it was refused.',
              name.slice(0, 200),
            );
          }
          if (staged.has(name))
            throw packageError('show/package-invalid', 'The package is not valid.', `duplicate entry ${name}`);
          if (entry.isEncrypted())
            throw packageError('show/package-invalid', 'The package is not valid.', `encrypted entry ${name}`);
          const limit = name === 'manifest.json' ? packageLimits.maxManifestBytes : packageLimits.maxEntryBytes;
          total += entry.uncompressedSize;
          if (entry.uncompressedSize > limit || total > packageLimits.maxTotalBytes) {
            throw packageError('show/package-too-large', 'A file in the package is too large.', name, {
              bytes: entry.uncompressedSize,
            });
          }
          if (
            entry.uncompressedSize > ratioCheckFromBytes &&
            entry.uncompressedSize / Math.max(1, entry.compressedSize) > packageLimits.maxCompressionRatio
          ) {
            throw packageError(
              'show/package-too-large',
              'A file in the package is too large.',
              `compression ratio of ${name}`,
            );
          }
          const target = path.join(stage, `entry-${staged.size}`);
          const hash = createHash('sha256');
          let bytes = 0;
          const counter = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              bytes += chunk.length;
              // yauzl checks sizes too; this guard holds even if a header lies.
              if (bytes > entry.uncompressedSize || bytes > limit) {
                cb(packageError('show/package-too-large', 'A file in the package is too large.', name));
                return;
              }
              hash.update(chunk);
              cb(null, chunk);
            },
          });
          const stream = await new Promise<NodeJS.ReadableStream>((res, rej) =>
            zip.openReadStream(entry, (error, s) => (error !== null || s === undefined ? rej(error) : res(s))),
          );
          await pipeline(stream, counter, fs.createWriteStream(target, { flags: 'wx' }));
          staged.set(name, { file: target, bytes, sha256: hash.digest('hex') });
          zip.readEntry();
        })().catch(fail);
      });
      zip.readEntry();
    });
    return staged;
  } finally {
    zip.close();
  }
}

function parseManifest(staged: Map<string, StagedEntry>): PackageManifest {
  const entry = staged.get('manifest.json');
  if (entry === undefined) throw packageError('show/package-invalid', 'The package is not valid.', 'no manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(entry.file, 'utf8'));
  } catch (error) {
    throw packageError('show/package-invalid', 'The package is not valid.', `manifest.json: ${String(error)}`);
  }
  const header = packageHeaderSchema.safeParse(json);
  if (!header.success)
    throw packageError('show/package-invalid', 'The package is not valid.', 'not a Harvest Studio show package');
  if (header.data.version > packageVersion) {
    throw packageError(
      'show/package-newer',
      'This package was made by a newer Harvest Studio; update to import it.',
      undefined,
      {
        version: header.data.version,
      },
    );
  }
  const parsed = packageManifestSchema.safeParse(json);
  if (!parsed.success)
    throw packageError('show/package-invalid', 'The package is not valid.', z.prettifyError(parsed.error));
  const problems = manifestProblems(parsed.data);
  for (const f of parsed.data.files) {
    const got = staged.get(f.path);
    if (got === undefined) problems.push(`${f.path} missing`);
    else if (got.bytes !== f.bytes || got.sha256 !== f.sha256) problems.push(`${f.path} does not match its checksum`);
  }
  const listed = new Set(parsed.data.files.map((f) => f.path));
  for (const name of staged.keys()) {
    if (name !== 'manifest.json' && !listed.has(name)) problems.push(`${name} is not in the manifest`);
  }
  if (problems.length > 0) throw packageError('show/package-invalid', 'The package is not valid.', problems.join('; '));
  return parsed.data;
}

export type PackageSource = { path: string } | { fileName: string; dataBase64: string };

/**
 * Imports a package all or nothing. Everything is read and checked in a staging folder first;
 * only a whole, valid package is committed, and a failure while committing undoes what was done
 * (products already created in the sales store stay, as the store never hard-deletes).
 */
export async function importPackage(
  deps: PackageDeps,
  source: PackageSource,
): Promise<{ rundownId: string; title: string; presets: number; products: number; files: number }> {
  const stagingRoot = path.join(deps.dataDir, 'show', 'staging');
  fs.mkdirSync(stagingRoot, { recursive: true });
  const stage = fs.mkdtempSync(path.join(stagingRoot, 'import-'));
  try {
    let zipFile: string;
    if ('path' in source) {
      if (!path.isAbsolute(source.path))
        throw packageError('show/package-unreadable', 'Choose a package file.', 'path must be absolute');
      zipFile = source.path;
    } else {
      const data = Buffer.from(source.dataBase64, 'base64');
      if (data.length > packageLimits.maxPackageBytes)
        throw packageError('show/package-too-large', 'The package is too large.');
      zipFile = path.join(stage, 'package.zip');
      fs.writeFileSync(zipFile, data);
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(zipFile);
    } catch (error) {
      throw packageError('show/package-unreadable', 'The package file cannot be opened.', String(error));
    }
    if (!stat.isFile())
      throw packageError('show/package-unreadable', 'The package file cannot be opened.', 'not a file');
    if (stat.size > packageLimits.maxPackageBytes) {
      throw packageError('show/package-too-large', 'The package is too large.', undefined, { bytes: stat.size });
    }
    const staged = await stageZip(zipFile, stage);
    const manifest = parseManifest(staged);
    const result = await commit(deps, manifest, staged);
    deps.logger.info('show package imported', { ...result });
    return result;
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function commit(
  deps: PackageDeps,
  manifest: PackageManifest,
  staged: Map<string, StagedEntry>,
): Promise<{ rundownId: string; title: string; presets: number; products: number; files: number }> {
  const { library, assets, sales } = deps;
  const created = {
    assets: [] as string[],
    presets: [] as string[],
    media: [] as string[],
    rundown: null as string | null,
  };
  try {
    // Files: an id already in the library with the same bytes is reused; a clash gets a new id.
    const assetMap = new Map<string, string>();
    for (const f of manifest.files) {
      let id = f.assetId;
      const existing = await assets.locate(id);
      if (existing !== undefined) {
        if ((await hashFile(existing.path)).sha256 === f.sha256) {
          assetMap.set(f.assetId, id);
          continue;
        }
        id = `${f.assetId.slice(0, 110)}-${randomBytes(4).toString('hex')}`;
      }
      await assets.adopt({ assetId: id, kind: f.kind, fileName: f.fileName, file: staged.get(f.path)!.file });
      created.assets.push(id);
      assetMap.set(f.assetId, id);
    }
    const mapAsset = (id: string | null) => (id === null ? null : (assetMap.get(id) ?? id));

    // Products: the same product already in the library is reused; others are created.
    const productMap = new Map<string, string>();
    const existingProducts = await sales.listProducts();
    for (const p of manifest.products) {
      const same = existingProducts.find(
        (e) => e.name === p.name && e.unit === p.unit && e.priceFen === p.priceFen && e.origin === p.origin,
      );
      const id =
        same?.id ??
        (
          await sales.createProduct({
            name: p.name,
            sku: '',
            unit: p.unit,
            priceFen: p.priceFen,
            origin: p.origin,
            certifications: p.certifications,
            // A package's links name platforms as text; only the ones the sales store knows are kept.
            shopLinks: Object.fromEntries(
              p.shopLinks
                .filter((l) => salesPlatformSchema.safeParse(l.platform).success)
                .map((l) => [l.platform, l.url]),
            ),
          })
        ).id;
      productMap.set(p.id, id);
    }

    const presetMap = new Map<string, string>();
    for (const p of manifest.presets) {
      const id = library.presets.has(p.id) ? newId() : p.id;
      library.presets.put({
        ...p,
        id,
        background:
          p.background.kind === 'image' || p.background.kind === 'video'
            ? { ...p.background, assetId: mapAsset(p.background.assetId)! }
            : p.background,
        model: p.model === null ? null : { ...p.model, assetId: mapAsset(p.model.assetId) },
      });
      created.presets.push(id);
      presetMap.set(p.id, id);
    }

    const media = manifest.products.map(
      (p) =>
        [
          productMap.get(p.id)!,
          { story: p.story, photoAssetId: mapAsset(p.photoAssetId), modelAssetId: mapAsset(p.modelAssetId) },
        ] as const,
    );
    if (media.length > 0) library.setMediaOf(media);
    created.media.push(...media.map(([id]) => id));

    const r = manifest.rundown;
    const rundownId = library.rundowns.has(r.id) ? newId() : r.id;
    library.putRundown({
      ...r,
      id: rundownId,
      segments: r.segments.map((s) => ({
        ...s,
        productId: s.productId === null ? null : productMap.get(s.productId)!,
        presetId: s.presetId === null ? null : presetMap.get(s.presetId)!,
      })),
      runs: [],
    });
    created.rundown = rundownId;
    // The presets were put straight into the library (the rundown announced itself).
    if (created.presets.length > 0) library.announce('presets');
    return {
      rundownId,
      title: r.title,
      presets: manifest.presets.length,
      products: manifest.products.length,
      files: manifest.files.length,
    };
  } catch (error) {
    deps.logger.error('show package import failed while committing; undoing', { error: String(error) });
    if (created.rundown !== null) library.rundowns.delete(created.rundown);
    for (const id of created.presets) library.presets.delete(id);
    if (created.media.length > 0) library.deleteMedia(created.media);
    for (const id of created.assets) await assets.remove(id).catch(() => undefined);
    throw error;
  }
}
