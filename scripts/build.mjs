#!/usr/bin/env node
// Builds everything `npm start` and the tests run: the Node-side bundles (Electron main, preload,
// studio host, workers) with esbuild, then the renderer with Vite.
//   node scripts/build.mjs            full build
//   node scripts/build.mjs --node     Node-side bundles only
//   node scripts/build.mjs --if-stale skip what is newer than its sources (used by npm start)
//   node scripts/build.mjs --production  the installers' build (npm run dist): the renderer without the
//                                     program page's test probe (HARVEST_BUILD=production, vite.config.ts)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
if (args.has('--production')) process.env.HARVEST_BUILD = 'production';
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const outDir = path.join(root, 'dist', 'node');

/** Newest modification time under the given folders (files only). */
function newest(dirs) {
  let latest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'public') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else latest = Math.max(latest, fs.statSync(p).mtimeMs);
    }
  };
  dirs.forEach((d) => walk(path.join(root, d)));
  return latest;
}

function mtime(file) {
  try {
    return fs.statSync(path.join(root, file)).mtimeMs;
  } catch {
    return 0;
  }
}

async function buildNode() {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  };
  const entries = [
    { in: 'electron/main.ts', out: 'main' },
    { in: 'electron/host/cli.ts', out: 'host' },
    { in: 'electron/services/sales/sales-worker.ts', out: 'sales-worker' },
    { in: 'electron/services/sales/checkpoint-worker.ts', out: 'checkpoint-worker' },
    { in: 'electron/services/assets/model-worker.ts', out: 'model-worker' },
    { in: 'electron/services/sales/import-worker.ts', out: 'import-worker' },
  ].filter((e) => fs.existsSync(path.join(root, e.in)));
  await build({
    ...common,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    entryPoints: entries.map((e) => ({ in: path.join(root, e.in), out: e.out })),
    outdir: outDir,
  });
  // A sandboxed preload can only be a single CommonJS file that requires nothing but electron.
  await build({
    ...common,
    packages: undefined,
    external: ['electron'],
    format: 'cjs',
    entryPoints: [path.join(root, 'electron/preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
  });
}

function buildRenderer() {
  for (const step of ['scripts/prepare-assets.mjs']) {
    if (fs.existsSync(path.join(root, step)))
      execFileSync(process.execPath, [path.join(root, step)], { stdio: 'inherit' });
  }
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

const ifStale = args.has('--if-stale');
const nodeStale = !ifStale || mtime('dist/node/host.mjs') < newest(['electron', 'shared']);
const rendererStale = !ifStale || mtime('dist/renderer/index.html') < newest(['renderer', 'shared', 'assets']);

if (nodeStale) await buildNode();
if (!args.has('--node') && rendererStale) buildRenderer();
