#!/usr/bin/env node
// `npm run dist`: build, then make installers with electron-builder (Windows NSIS, macOS dmg,
// Linux AppImage/deb). Needs internet (Electron runtime, native rebuild for Electron); it cannot
// run on our CI machines. Extra arguments go to electron-builder, e.g. `npm run dist -- --win`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
// The production build: Vite compiles the program page's test probe out (vite.config.ts `define`).
run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);
assertNoTestProbe(path.join(root, 'dist/renderer/assets'));
run(path.join(root, 'node_modules/.bin/electron-builder'), [
  '--config',
  'electron-builder.yml',
  ...process.argv.slice(2),
]);

/** An installer never ships the test probe (it hands out the WebGL context). */
function assertNoTestProbe(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (name.endsWith('.js') && fs.readFileSync(path.join(dir, name), 'utf8').includes('__harvestCompositor')) {
      console.error(`dist: ${name} still contains the test probe; was HARVEST_BUILD=production passed to Vite?`);
      process.exit(1);
    }
  }
}
