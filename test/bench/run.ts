// `npm run bench [-- --json] [-- --soak] [-- name-filter]`: runs every test/bench/*.bench.ts against a real OBS
// (OBS_WS_URL/OBS_WS_PASSWORD as start-obs.sh exports them, or one started here) and prints a
// table, or one JSON line per figure with --json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ensureObs } from '../support/obs';
import type { BenchFigure, BenchModule } from './types';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const soak = args.includes('--soak');
const filters = args.filter((a) => !a.startsWith('--'));
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<number> {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--if-stale'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (build.status !== 0) return build.status ?? 1;

  const files = fs
    .readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  const obs = await ensureObs();
  if (!obs.info.available) log(`no OBS: ${obs.info.reason ?? 'unknown'} (OBS figures will be missing)`);
  const rows: Array<BenchFigure & { module: string }> = [];
  let failures = 0;
  try {
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as { default: BenchModule };
      const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${file.replace('.bench.ts', '')}-`));
      log(`${file}…`);
      try {
        const figures = await mod.default({ obs: obs.info, tmpDir, root, soak, log: (m) => log(`${file}: ${m}`) });
        for (const figure of figures) {
          rows.push({ ...figure, module: file });
          if (asJson)
            process.stdout.write(`${JSON.stringify({ name: figure.name, value: figure.value, unit: figure.unit })}\n`);
        }
      } catch (error) {
        failures++;
        log(`${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      } finally {
        fs.rmSync(tmpDir, { recursive: true, force: true });
      }
    }
  } finally {
    await obs.stop();
  }
  if (!asJson) {
    const width = Math.max(...rows.map((r) => r.name.length), 10);
    process.stdout.write(`${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit\n`);
    process.stdout.write(`${'-'.repeat(width)}  ${'-'.repeat(12)}  ----\n`);
    for (const r of rows) {
      const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2);
      process.stdout.write(`${r.name.padEnd(width)}  ${value.padStart(12)}  ${r.unit}\n`);
    }
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(String(error));
    process.exit(1);
  },
);
