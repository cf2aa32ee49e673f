import { Readable } from 'node:stream';

import { contentSecurityPolicy } from './security/csp';
import { decodeRequestPath, openStaticFile, resolveInside } from './services/static-files';

const pages: Record<string, string> = { '/': '/index.html', '/program': '/program.html' };

/**
 * Answers app://studio/… from the built renderer folder: a fixed origin for permissions and
 * the same CSP as the host, without file:// and its loose rules. Files are streamed, with Range
 * requests (video backgrounds seek), through the static-file module the host uses too.
 */
export function createAppProtocolHandler(
  rendererDir: string,
  resolveLibraryFile: (urlPath: string) => string | undefined,
  onError: (error: Error) => void = () => undefined,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const rel = pages[url.pathname] ?? decodeRequestPath(url.pathname);
    if (rel === undefined) return new Response('Bad request', { status: 400 });
    // Imported assets and downloaded models come from the data folder.
    const file = rel.startsWith('/library/') ? resolveLibraryFile(url.pathname) : resolveInside(rendererDir, rel);
    if (file === undefined || file.includes('\0')) return new Response('Not found', { status: 404 });
    try {
      const answer = await openStaticFile(file, {
        range: request.headers.get('range'),
        head: request.method === 'HEAD',
        onError,
      });
      if (answer.status === 404) return new Response('Not found', { status: 404 });
      const headers: Record<string, string> = { ...answer.headers, 'X-Content-Type-Options': 'nosniff' };
      if (file.endsWith('.html')) headers['Content-Security-Policy'] = contentSecurityPolicy({ allowWebSocket: false });
      const body = answer.body === undefined ? null : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>);
      return new Response(body, { status: answer.status, headers });
    } catch (error) {
      onError(error as Error);
      return new Response('Not found', { status: 404 });
    }
  };
}
