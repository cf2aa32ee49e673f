import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where a worker's code is: the bundle the build puts beside the main bundle
 * (dist/node/<name>.mjs), else the TypeScript source `<name>.ts` beside the caller (`base`, its
 * `import.meta.url`) run through tsx (tests, dev).
 * A `--import tsx` in the worker's execArgv does not register the loader in time on Node 20,
 * so the source is started from a one-line bootstrap that registers tsx first.
 */
export function workerEntry(
  base: string,
  name: 'sales-worker' | 'checkpoint-worker' | 'import-worker' | 'model-worker',
): URL {
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
