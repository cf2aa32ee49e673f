import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';

export type WorkerName = 'sales-worker' | 'checkpoint-worker' | 'import-worker' | 'model-worker';

/**
 * Where a worker's code is: the bundle the build puts beside the main bundle
 * (dist/node/<name>.mjs), else the TypeScript source `<name>.ts` beside the caller (`base`, its
 * `import.meta.url`) run through tsx (tests, dev).
 * A `--import tsx` in the worker's execArgv does not register the loader in time on Node 20,
 * so the source is started from a one-line bootstrap that registers tsx first.
 */
export function workerEntry(base: string, name: WorkerName): URL {
  // The bench points this at dist/node: it measures the bundles the app ships, not tsx
  // compiling TypeScript in every new worker (that alone was ~0.4 s of each measured import).
  const bundles = process.env.HARVEST_WORKER_BUNDLES;
  if (bundles !== undefined && bundles !== '') return pathToFileURL(`${bundles}/${name}.mjs`);
  const built = new URL(`./${name}.mjs`, base);
  if (built.protocol === 'file:' && fs.existsSync(fileURLToPath(built))) {
    // In an installed app the worker is unpacked from the asar (worker threads cannot read asar files).
    const unpacked = fileURLToPath(built).replace(/app\.asar([\\/])/u, 'app.asar.unpacked$1');
    return unpacked !== fileURLToPath(built) && fs.existsSync(unpacked) ? pathToFileURL(unpacked) : built;
  }
  const source = new URL(`./${name}.ts`, base);
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/u, '.mjs'),
  );
  const boot = `import { register } from ${JSON.stringify(tsxApi.href)};
register();
await import(${JSON.stringify(source.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** Flags that load modules before a program: a test runner's `--import tsx`, say. */
const loaderFlags = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** `execArgv` without its module-loader flags (each with its value, `--flag value` or `--flag=value`). */
export function withoutLoaderFlags(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const flag = arg.startsWith('--') ? (arg.split('=', 1)[0] as string) : arg;
    if (!loaderFlags.has(flag)) kept.push(arg);
    else if (flag === arg) i += 1; // its value is the next argument
  }
  return kept;
}

/**
 * Starts a worker (workerEntry). One started from a bundle does not take the parent's module
 * loaders: under a test runner's `--import tsx` every worker registered tsx's hooks again and
 * resolved its imports through them, which the app never does (a cold import worker read its
 * first row 160–200 ms after it was asked, against 75–110 ms under plain Node). The source
 * bootstrap (tests, dev) keeps them; so does a worker whose other flags a worker cannot take.
 */
export function startWorker(
  base: string,
  name: WorkerName,
  options: WorkerOptions = {},
  parentArgv: readonly string[] = process.execArgv,
): Worker {
  const entry = workerEntry(base, name);
  const execArgv = withoutLoaderFlags(parentArgv);
  if (entry.protocol !== 'file:' || execArgv.length === parentArgv.length) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv });
  } catch {
    return new Worker(entry, options);
  }
}
