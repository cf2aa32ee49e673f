#!/usr/bin/env node
// Puts everything the renderer loads at run time under renderer/public/ (Vite's public dir, copied
// into dist/renderer), so nothing is ever fetched from a CDN:
//   vendor/mediapipe/wasm/   @mediapipe/tasks-vision wasm (the exact pinned version)
//   vendor/draco/, vendor/basis/   three's Draco and KTX2 (Basis) decoders
//   models/                  MediaPipe models built from the legacy npm packages (build-models.mjs)
//   samples/                 sample products, origin backgrounds, demo clip (assets/samples)
//   fonts/                   the CJK font subset for overlays (assets/fonts)
// Idempotent and quick when nothing changed. Run by `npm run build`; safe to run by hand.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { modelsUpToDate, writeModels } from './build-models.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pub = path.join(root, 'renderer', 'public');

/** Copies files from `from` into `to` when missing or different in size/mtime. */
function mirror(from, to, filter = () => true) {
  if (!fs.existsSync(from)) throw new Error(`missing ${path.relative(root, from)}`);
  fs.mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      copied += mirror(src, dst, filter);
      continue;
    }
    if (!filter(entry.name)) continue;
    const a = fs.statSync(src);
    const b = fs.existsSync(dst) ? fs.statSync(dst) : undefined;
    if (b !== undefined && b.size === a.size && b.mtimeMs >= a.mtimeMs) continue;
    fs.copyFileSync(src, dst);
    copied++;
  }
  return copied;
}

const nm = path.join(root, 'node_modules');
const steps = [
  [
    'vendor/mediapipe/wasm',
    () => mirror(path.join(nm, '@mediapipe/tasks-vision/wasm'), path.join(pub, 'vendor/mediapipe/wasm')),
  ],
  [
    'vendor/draco',
    () =>
      mirror(path.join(nm, 'three/examples/jsm/libs/draco'), path.join(pub, 'vendor/draco'), (n) => !n.endsWith('.md')),
  ],
  [
    'vendor/basis',
    () =>
      mirror(path.join(nm, 'three/examples/jsm/libs/basis'), path.join(pub, 'vendor/basis'), (n) => !n.endsWith('.md')),
  ],
  ['samples', () => mirror(path.join(root, 'assets/samples'), path.join(pub, 'samples'))],
  [
    'fonts',
    () =>
      fs.existsSync(path.join(root, 'assets/fonts'))
        ? mirror(path.join(root, 'assets/fonts'), path.join(pub, 'fonts'))
        : 0,
  ],
  [
    'models',
    () => {
      const out = path.join(pub, 'models');
      if (modelsUpToDate(out)) return 0;
      return Object.keys(writeModels(out)).length;
    },
  ],
];
for (const [name, run] of steps) {
  const n = run();
  process.stdout.write(`prepare-assets: ${name}: ${n === 0 ? 'up to date' : `${n} file(s) written`}\n`);
}
