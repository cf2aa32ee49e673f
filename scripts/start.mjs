#!/usr/bin/env node
// `npm start`: the Electron app where Electron can run; otherwise the studio host in the system
// browser, said in one clear line. `npm run host` goes straight to the host.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const isHostOnly = args.includes('--host');
const passThrough = args.filter((a) => a !== '--host' && a !== '--dev');

function say(line) {
  process.stderr.write(`${line}\n`);
}

function buildIfStale() {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron runtime if it is already downloaded. */
function downloadedElectron() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(binary) ? binary : undefined;
}

/**
 * The Electron binary, or why there is none. The runtime is downloaded on first start; a short
 * probe first tells a machine that cannot reach the download (as on our CI) from a slow uplink.
 */
async function electronBinary() {
  if (process.env.HARVEST_NO_ELECTRON === '1') return { error: 'HARVEST_NO_ELECTRON=1' };
  const ready = downloadedElectron();
  if (ready !== undefined) return { binary: ready };
  const mirror = process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/';
  try {
    await fetch(mirror, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
  } catch (error) {
    return {
      error: `runtime not downloaded and ${new URL(mirror).host} is unreachable (${error.cause?.code ?? error.name})`,
    };
  }
  say('首次启动：正在下载 Electron 运行时… / First start: downloading the Electron runtime…');
  const dir = path.dirname(require.resolve('electron/package.json'));
  const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'inherit' });
  const binary = downloadedElectron();
  return r.status === 0 && binary !== undefined ? { binary } : { error: 'the Electron download failed' };
}

/**
 * better-sqlite3 built for Electron's ABI, kept in .electron-native/ so the Node build that the
 * tests and the host use stays as it is. Needs the network once (prebuilt binary or headers).
 */
function ensureElectronSqlite() {
  const target = path.join(root, '.electron-native', 'better_sqlite3.node');
  const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const stamp = path.join(root, '.electron-native', 'electron-version');
  if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === electronVersion) return true;
  say(
    `为 Electron ${electronVersion} 准备数据库模块… / Preparing the database module for Electron ${electronVersion}…`,
  );
  const work = path.join(root, '.electron-native', 'build');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(path.dirname(require.resolve('better-sqlite3/package.json')), work, { recursive: true });
  const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  const tries = [
    [bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
    [
      bin('node-gyp'),
      [
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        '--dist-url=https://electronjs.org/headers',
        `--arch=${process.arch}`,
      ],
    ],
  ];
  for (const [cmd, cmdArgs] of tries) {
    const r = spawnSync(cmd, cmdArgs, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' });
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (r.status === 0 && fs.existsSync(built)) {
      fs.copyFileSync(built, target);
      fs.writeFileSync(stamp, electronVersion);
      fs.rmSync(work, { recursive: true, force: true });
      return true;
    }
  }
  return false;
}

function runHost(reason) {
  if (reason !== undefined) {
    say(
      `Electron 无法启动，改用浏览器模式 / Electron cannot start (${reason}): open the studio in your browser instead.`,
    );
  }
  const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const shouldOpen = hasDisplay && process.env.CI !== 'true' && !passThrough.includes('--no-open');
  const hostArgs = passThrough.filter((a) => a !== '--no-open');
  if (shouldOpen) hostArgs.push('--open');
  const child = spawn(process.execPath, [path.join(root, 'dist/node/host.mjs'), ...hostArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

buildIfStale();
if (isHostOnly) {
  runHost();
} else {
  const electron = await electronBinary();
  if (electron.binary === undefined) {
    runHost(electron.error);
  } else {
    if (!ensureElectronSqlite()) {
      say('数据库模块无法为 Electron 编译，改用浏览器模式。/ Could not build the database module for Electron.');
      runHost('better-sqlite3 for Electron');
    } else {
      const started = Date.now();
      const child = spawn(electron.binary, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
      child.on('error', (error) => runHost(error.message));
      child.on('exit', (code) => {
        // An Electron that dies at once (missing libraries, no display) falls back; a normal quit ends here.
        if (code !== 0 && Date.now() - started < 5000) runHost(`electron exited with code ${code}`);
        else process.exit(code ?? 0);
      });
    }
  }
}
