#!/usr/bin/env node
// The system packages `npm test` needs besides node_modules: Chromium for Playwright, a real OBS
// under Xvfb with Mesa, ffmpeg for the fake camera and the RTMP sink, CJK fonts for screenshots,
// PostgreSQL 15 for the centre. Installs what is missing where it can (root, or `sudo -n`), else
// stops at once with one line naming the exact command. `npm test` runs it first; .ci/run too.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Debian/Ubuntu package → a file that proves it is there on any distribution. */
const packages = [
  ['chromium', ['/usr/bin/chromium', '/usr/bin/chromium-browser']],
  ['obs-studio', ['/usr/bin/obs']],
  // obs-plugins: obs-websocket and the capture sources the tests use.
  ['obs-plugins', ['/usr/lib/x86_64-linux-gnu/obs-plugins/obs-websocket.so', '/usr/lib/obs-plugins/obs-websocket.so']],
  ['xvfb', ['/usr/bin/Xvfb']],
  ['libgl1-mesa-dri', ['/usr/lib/x86_64-linux-gnu/dri', '/usr/lib/aarch64-linux-gnu/dri']],
  ['libegl-mesa0', ['/usr/lib/x86_64-linux-gnu/libEGL_mesa.so.0', '/usr/lib/aarch64-linux-gnu/libEGL_mesa.so.0']],
  ['fonts-dejavu-core', ['/usr/share/fonts/truetype/dejavu']],
  ['fonts-noto-cjk', ['/usr/share/fonts/opentype/noto']],
  ['ffmpeg', ['/usr/bin/ffmpeg']],
  ['postgresql', ['/usr/lib/postgresql/15/bin/initdb']],
];

const log = (line) => console.log(`[system] ${line}`);

function dpkgHas(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
const missing = packages
  .filter(([name, files]) => !(hasDpkg ? dpkgHas(name) : files.some((f) => fs.existsSync(f))))
  .map(([name]) => name);

if (missing.length === 0 || process.env.HARVEST_SKIP_SYSTEM_SETUP === '1') process.exit(0);

const hasApt = spawnSync('apt-get', ['--version']).status === 0;
const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
if (!hasApt) {
  log(
    `missing ${missing.join(', ')}: install them with your package manager (names are Debian's), then rerun npm test`,
  );
  process.exit(1);
}
const isRoot = process.getuid?.() === 0;
const sudo = !isRoot && spawnSync('sudo', ['-n', 'true']).status === 0;
if (!isRoot && !sudo) {
  log(`missing ${missing.join(', ')}: run  sudo apt-get update && sudo ${command}  then npm test`);
  process.exit(1);
}
const run = (args) => {
  const [cmd, ...rest] = sudo ? ['sudo', '-n', ...args] : args;
  execFileSync(cmd, rest, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
log(`installing ${missing.join(' ')}`);
try {
  run(['apt-get', 'update', '-qq']);
  // --no-install-recommends: obs-plugins would pull in VLC otherwise.
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
} catch {
  log(`installing failed: run  ${sudo ? 'sudo ' : ''}${command}  yourself, then npm test`);
  process.exit(1);
}
