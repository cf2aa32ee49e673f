import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { build } from 'esbuild';

/** The baseline pages' server: `origin` + `/?mode=naive|passthrough&w=…&h=…`. */
export interface BaselineServer {
  origin: string;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.json': 'application/json',
};

const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>bench baseline</title></head>
<body style="margin:0;background:#000"><script type="module" src="/baseline-page.js"></script></body></html>`;

/**
 * A tiny static server on 127.0.0.1 for the naive and passthrough pages: the page (bundled here
 * with esbuild, tasks-vision included), and from the build the same MediaPipe wasm, models and
 * sample background the program loads (dist/renderer/vendor/mediapipe/wasm, models, samples).
 */
export async function startBaselineServer(root: string): Promise<BaselineServer> {
  const dist = path.join(root, 'dist/renderer');
  const mounts: Record<string, string> = {
    '/wasm/': path.join(dist, 'vendor/mediapipe/wasm'),
    '/models/': path.join(dist, 'models'),
    '/samples/': path.join(dist, 'samples'),
  };
  for (const dir of Object.values(mounts))
    if (!fs.existsSync(dir)) throw new Error(`${path.relative(root, dir)} is missing: run \`npm run build\``);
  const bundle = await build({
    entryPoints: [path.join(import.meta.dirname, 'baseline-page.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.contents;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: Uint8Array | string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') return send(200, types['.html']!, page);
    if (url.pathname === '/baseline-page.js') return send(200, types['.js']!, script);
    if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
    const mount = Object.keys(mounts).find((m) => url.pathname.startsWith(m));
    if (mount === undefined) return send(404, 'text/plain', 'not found');
    const base = mounts[mount]!;
    const file = path.resolve(base, decodeURIComponent(url.pathname.slice(mount.length)));
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return send(404, 'text/plain', 'not found');
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'content-length': fs.statSync(file).size,
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
