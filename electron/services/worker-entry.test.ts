import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { startWorker, withoutLoaderFlags } from './worker-entry';

describe('withoutLoaderFlags', () => {
  it('drops module loaders with their values, in both spellings, and keeps every other flag', () => {
    expect(withoutLoaderFlags(['--import', 'tsx', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(
      withoutLoaderFlags([
        '--require=./a.cjs',
        '-r',
        './b.cjs',
        '--no-warnings',
        '--loader',
        'x.mjs',
        '--experimental-loader=y.mjs',
        '--import=file:///z.mjs',
        '--stack-size=900',
      ]),
    ).toEqual(['--no-warnings', '--stack-size=900']);
    expect(withoutLoaderFlags([])).toEqual([]);
    // A flag that only starts like one is kept.
    expect(withoutLoaderFlags(['--imports-are-fine'])).toEqual(['--imports-are-fine']);
  });
});

describe('startWorker', () => {
  const saved = process.env.HARVEST_WORKER_BUNDLES;
  let dir = '';
  afterEach(() => {
    if (saved === undefined) delete process.env.HARVEST_WORKER_BUNDLES;
    else process.env.HARVEST_WORKER_BUNDLES = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("starts a bundle without the parent's module loaders, keeping its other flags", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-worker-entry-'));
    // A loader that marks the thread it runs in, and a bundle that reports what it started with.
    const loader = path.join(dir, 'loader.mjs');
    fs.writeFileSync(loader, 'globalThis.loaderRan = true;\n');
    fs.writeFileSync(
      path.join(dir, 'model-worker.mjs'),
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ execArgv: process.execArgv, loaderRan: globalThis.loaderRan === true });\n`,
    );
    process.env.HARVEST_WORKER_BUNDLES = dir;
    const withLoader = ['--import', pathToFileURL(loader).href, '--no-warnings'];
    const worker = startWorker(import.meta.url, 'model-worker', {}, withLoader);
    const [report] = (await once(worker, 'message')) as [{ execArgv: string[]; loaderRan: boolean }];
    await worker.terminate();
    expect(report).toEqual({ execArgv: ['--no-warnings'], loaderRan: false });
  });
});
