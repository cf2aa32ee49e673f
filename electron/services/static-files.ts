import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

// Static files for both transports: the studio host's HTTP server and Electron's app:// protocol
// (electron/protocol.ts). One MIME table, one way to turn a request path into a file inside a
// folder (decoded in a try, NUL and traversal refused), and streamed bodies with Range requests,
// so a 2 GB background video is never read whole into memory.

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.bin': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.tflite': 'application/octet-stream',
  '.ktx2': 'image/ktx2',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** The Content-Type for a file name (octet-stream when unknown; pages send nosniff). */
export function mimeTypeOf(file: string): string {
  return mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * A URL path decoded for the file system, or undefined when it cannot name a file: a broken
 * %-escape, a NUL byte (fs throws synchronously on those), a backslash or an absurd length.
 */
export function decodeRequestPath(pathname: string): string | undefined {
  if (pathname.length > 4096) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  return decoded;
}

/** `root` + a decoded request path, if the result stays inside `root`. */
export function resolveInside(root: string, decodedPath: string): string | undefined {
  if (decodedPath.includes('\0')) return undefined;
  const file = path.resolve(root, `.${path.posix.sep}${decodedPath.replace(/^\/+/, '')}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** A byte range of a file of `size` bytes: inclusive bounds. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range: bytes=…` header (one range; several are answered whole, as RFC 9110 allows).
 * Undefined means "send it all", 'unsatisfiable' means 416.
 */
export function parseRange(header: string | undefined | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    const suffix = Number(to);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start >= size || end < start)
    return 'unsatisfiable';
  return { start, end };
}

/** What to answer for a static file: status, headers and (unless HEAD or an error) a stream. */
export interface StaticResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  body?: Readable;
}

/**
 * Opens a file for an answer: 404 when it is missing or not a file, a 206 slice for a Range
 * request, the whole file as a stream otherwise. The stream carries its own error handler: a
 * read error ends the answer, never the process.
 */
export async function openStaticFile(
  file: string,
  options: { range?: string | null | undefined; head?: boolean; onError?: (error: Error) => void } = {},
): Promise<StaticResponse> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
  }
  if (!stat.isFile()) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } };
  const headers: Record<string, string> = { 'Content-Type': mimeTypeOf(file), 'Accept-Ranges': 'bytes' };
  const range = parseRange(options.range, stat.size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${stat.size}` } };
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? stat.size - 1;
  headers['Content-Length'] = String(Math.max(0, end - start + 1));
  if (range !== undefined) headers['Content-Range'] = `bytes ${start}-${end}/${stat.size}`;
  const status = range === undefined ? 200 : 206;
  if (options.head === true || stat.size === 0) return { status, headers };
  const body = fs.createReadStream(file, { start, end });
  body.on('error', (error) => {
    options.onError?.(error);
    body.destroy();
  });
  return { status, headers, body };
}
