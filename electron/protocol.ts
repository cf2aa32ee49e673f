import fs from 'node:fs/promises';
import path from 'node:path';

import { contentSecurityPolicy } from './security/csp';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.glb': 'model/gltf-binary',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

const pages: Record<string, string> = { '/': 'index.html', '/program': 'program.html' };

/**
 * Answers app://studio/… from the built renderer folder: a fixed origin for permissions and
 * the same CSP as the host, without file:// and its loose rules.
 */
export function createAppProtocolHandler(
  rendererDir: string,
  resolveLibraryFile: (urlPath: string) => string | undefined,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    let file: string | undefined;
    if (url.pathname.startsWith('/library/')) {
      // Imported assets and downloaded models, from the data folder.
      file = resolveLibraryFile(url.pathname);
    } else {
      let rel: string;
      try {
        rel = pages[url.pathname] ?? decodeURIComponent(url.pathname);
      } catch {
        return new Response('Bad request', { status: 400 });
      }
      const candidate = path.resolve(rendererDir, `.${path.posix.sep}${rel.replace(/^\/+/, '')}`);
      if (candidate.startsWith(rendererDir + path.sep)) file = candidate;
    }
    if (file === undefined) return new Response('Not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      const headers: Record<string, string> = {
        'Content-Type': mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
      };
      if (file.endsWith('.html')) headers['Content-Security-Policy'] = contentSecurityPolicy({ allowWebSocket: false });
      return new Response(body, { status: 200, headers });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
