import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import type { HostMessage } from '../../shared/api/wire';
import { clientMessageSchema } from '../../shared/api/wire';
import { contentSecurityPolicy } from '../security/csp';
import type { StudioServices } from '../services';
import type { Logger } from '../services/logger';

export interface StudioHostOptions {
  services: StudioServices;
  /** Folder of the built renderer (index.html, program.html, assets/). */
  rendererDir: string;
  logger: Logger;
  /** 0 picks a free port. */
  port: number;
  /** Loopback only unless the user opts in to the LAN (phone producer panel, later). */
  bindAddress?: string;
  /** Fixed token (tests, restarts); a new random one per run otherwise. */
  token?: string;
}

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

/** Pages that need the token in their URL; everything else under the renderer is public code. */
const pages: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/program': 'program.html' };

function tokensMatch(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The headless studio host: serves the built renderer over HTTP and the API over WebSocket on
 * 127.0.0.1, guarded by a per-run token (and Host/Origin checks against DNS rebinding).
 */
export class StudioHost {
  readonly token: string;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private unsubscribe: (() => void) | undefined;
  private port = 0;

  constructor(private readonly options: StudioHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.server = http.createServer((req, res) => this.serve(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
    this.server.on('upgrade', (req, socket, head) => {
      const refusal = this.checkUpgrade(req);
      if (refusal !== undefined) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Starts listening; resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.bindAddress ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.unsubscribe = this.options.services.bus.subscribe((name, payload) => {
      this.broadcast({ type: 'event', name, payload });
    });
    return this.port;
  }

  /** The control window's address, token included. */
  url(page: '/' | '/program' = '/'): string {
    return `http://127.0.0.1:${this.port}${page}?token=${this.token}`;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private isAllowedHost(host: string | undefined): boolean {
    if (host === undefined) return false;
    const allowed = [`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`];
    return allowed.includes(host.toLowerCase());
  }

  private checkUpgrade(req: http.IncomingMessage): string | undefined {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== '/api') return '404 Not Found';
    if (!this.isAllowedHost(req.headers.host)) return '403 Forbidden';
    const origin = req.headers.origin;
    // Browsers always send Origin; it must be this host. Local tools (no Origin) need the token too.
    if (origin !== undefined && !this.isAllowedHost(origin.replace(/^https?:\/\//, ''))) return '403 Forbidden';
    if (!tokensMatch(url.searchParams.get('token'), this.token)) return '401 Unauthorized';
    return undefined;
  }

  private accept(ws: WebSocket): void {
    const log = this.options.logger;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      const parsed = clientMessageSchema.safeParse(message);
      if (!parsed.success) {
        const id = (message as { id?: unknown } | null)?.id;
        if (typeof id === 'number') {
          this.send(ws, {
            type: 'result',
            id,
            result: { ok: false, error: { code: 'app/invalid-payload', message: 'Malformed request frame' } },
          });
        }
        return;
      }
      const { id, name, payload } = parsed.data;
      void this.options.services.router.call(name, payload, { transport: 'ws' }).then(
        (result) => this.send(ws, { type: 'result', id, result }),
        (error: unknown) => log.error('router threw', { error: String(error) }),
      );
    });
  }

  private send(ws: WebSocket, message: HostMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  private broadcast(message: HostMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.wss.clients) if (client.readyState === client.OPEN) client.send(text);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: Record<string, string> = {
      'X-Content-Type-Options': 'nosniff',
      // The token rides in page URLs: never hand it to another site.
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (!this.isAllowedHost(req.headers.host)) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden host');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://host');
    const page = pages[url.pathname];
    if (page !== undefined) {
      if (!tokensMatch(url.searchParams.get('token'), this.token)) {
        res
          .writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
          .end(
            '需要访问令牌：请打开丰收直播间启动时打印的完整地址。\nA token is required: open the full address Harvest Studio printed at start-up.\n',
          );
        return;
      }
      this.sendFile(res, path.join(this.options.rendererDir, page), {
        ...headers,
        'Content-Security-Policy': contentSecurityPolicy({ allowWebSocket: true }),
        'Cache-Control': 'no-store',
      });
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (decoded.startsWith('/library/')) {
      // Imported models/backgrounds and downloaded MediaPipe models live in the data folder.
      const libraryFile = this.options.services.resolveLibraryFile(url.pathname);
      if (libraryFile === undefined) res.writeHead(404, headers).end();
      else this.sendFile(res, libraryFile, { ...headers, 'Cache-Control': 'no-cache' });
      return;
    }
    const file = path.resolve(this.options.rendererDir, `.${decoded}`);
    if (!file.startsWith(this.options.rendererDir + path.sep)) {
      res.writeHead(404, headers).end();
      return;
    }
    this.sendFile(res, file, { ...headers, 'Cache-Control': 'no-cache' });
  }

  private sendFile(res: http.ServerResponse, file: string, headers: Record<string, string>): void {
    fs.stat(file, (error, stat) => {
      if (error !== null || !stat.isFile()) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(stat.size),
      });
      fs.createReadStream(file).pipe(res);
    });
  }
}
