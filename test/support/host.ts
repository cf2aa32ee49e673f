import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A running studio host (the built dist/node/host.mjs) with its own data folder. */
export interface RunningHost {
  /** Control window URL with token. */
  url: string;
  /** Program output URL with token. */
  programUrl: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built host on a free port; resolves once it prints its URL. */
export async function startHost(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv; firstRun?: boolean } = {},
): Promise<RunningHost> {
  const entry = path.join(repoRoot, 'dist/node/host.mjs');
  if (!fs.existsSync(entry)) throw new Error('dist/node/host.mjs is missing: run `npm run build` first');
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-e2e-'));
  // Tests other than the first-run one start on a studio that has been set up: no guide in the way.
  const settingsFile = path.join(dataDir, 'settings.json');
  if (options.firstRun !== true && !fs.existsSync(settingsFile)) {
    fs.writeFileSync(settingsFile, JSON.stringify({ language: 'zh-CN', outputFormat: '1920x1080' }));
  }
  const child = spawn(process.execPath, [entry, '--port', '0', '--data-dir', dataDir], {
    cwd: repoRoot,
    // A fault the last-resort handler catches fails the test: the host exits with 70.
    env: { ...process.env, HARVEST_STRICT_FAULTS: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m !== null) {
        child.stdout.off('data', onData);
        resolve(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${out}`)));
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    programUrl: `${parsed.origin}/program?token=${token}`,
    origin: parsed.origin,
    token,
    dataDir,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
