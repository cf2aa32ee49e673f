import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import type { Result } from '../../shared/api/result';
import { StudioError } from '../../shared/api/result';
import type { HostMessage } from '../../shared/api/wire';
import { clientMessageSchema, messageTooLargeCloseCode, uploadPath, wsMaxMessageBytes } from '../../shared/api/wire';
import { contentSecurityPolicy } from '../security/csp';
import type { StudioServices } from '../services';
import type { Logger } from '../services/logger';
import { decodeRequestPath, openStaticFile, resolveInside } from '../services/static-files';
import { UploadStage } from './uploads';

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
  /** Where `POST /upload` stages files (under the data folder); no upload endpoint without it. */
  uploadDir?: string;
}

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
  private readonly uploads: UploadStage | undefined;
  private port = 0;

  constructor(private readonly options: StudioHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.uploads = options.uploadDir === undefined ? undefined : new UploadStage(options.uploadDir);
    const log = options.logger;
    // Every socket, stream and server gets an error handler where it is made: an unhandled
    // 'error' event ends the process, and with it the show.
    this.server = http.createServer((req, res) => {
      req.on('error', (error) => log.warn('request stream failed', { error: String(error) }));
      res.on('error', (error) => log.warn('response stream failed', { error: String(error) }));
      try {
        this.serve(req, res);
      } catch (error) {
        log.error('request handler threw', { error: String(error) });
        if (!res.headersSent) res.writeHead(400).end();
        else res.destroy();
      }
    });
    this.server.on('error', (error) => log.error('http server error', { error: String(error) }));
    this.server.on('clientError', (error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
      log.info('malformed http request', { error: (error as NodeJS.ErrnoException).code ?? String(error) });
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: wsMaxMessageBytes });
    this.wss.on('error', (error) => log.error('websocket server error', { error: String(error) }));
    this.server.on('upgrade', (req, socket, head) => {
      socket.on('error', (error) => log.info('upgrade socket failed', { error: String(error) }));
      let refusal: string | undefined;
      try {
        refusal = this.checkUpgrade(req);
      } catch {
        refusal = '400 Bad Request';
      }
      if (refusal !== undefined) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      try {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
      } catch (error) {
        log.warn('websocket upgrade failed', { error: String(error) });
        socket.destroy();
      }
    });
  }

  /** Starts listening; resolves with the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.bindAddress ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.uploads?.sweep();
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
    this.uploads?.sweep(true);
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
    // Oversized messages (over maxPayload) and broken frames arrive here; ws then closes the
    // socket, with 1009 for a message too large, which the page reads as app/message-too-large.
    ws.on('error', (error: Error & { code?: string }) => {
      log.warn('websocket client error', { code: error.code ?? 'unknown' });
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && ws.readyState === ws.OPEN) {
        ws.close(messageTooLargeCloseCode, 'app/message-too-large');
      }
    });
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
        if (typeof id === 'number' && Number.isFinite(id)) {
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
        (error: unknown) => {
          log.error('router threw', { error: String(error) });
          this.send(ws, {
            type: 'result',
            id,
            result: { ok: false, error: { code: 'app/internal', message: 'Something went wrong inside the studio.' } },
          });
        },
      );
    });
  }

  private send(ws: WebSocket, message: HostMessage): void {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      this.options.logger.error('reply not serialisable', { error: String(error) });
      return;
    }
    ws.send(text, (error) => {
      if (error) this.options.logger.info('reply not delivered', { error: String(error) });
    });
  }

  private broadcast(message: HostMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.wss.clients) if (client.readyState === client.OPEN) client.send(text, () => undefined);
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers: Record<string, string> = {
      'X-Content-Type-Options': 'nosniff',
      // The token rides in page URLs: never hand it to another site.
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    if (!this.isAllowedHost(req.headers.host)) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden host');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://host');
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (url.pathname === uploadPath && this.uploads !== undefined) {
      this.upload(req, res, url, headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
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
      this.sendFile(req, res, path.join(this.options.rendererDir, page), {
        ...headers,
        'Content-Security-Policy': contentSecurityPolicy({ allowWebSocket: true }),
        'Cache-Control': 'no-store',
      });
      return;
    }
    // Decoded in a try, NUL bytes and backslashes refused: a raw path never reaches fs.
    const decoded = decodeRequestPath(url.pathname);
    if (decoded === undefined) {
      res.writeHead(400, headers).end();
      return;
    }
    if (decoded.startsWith('/library/')) {
      // Imported models/backgrounds and downloaded MediaPipe models live in the data folder.
      const libraryFile = this.options.services.resolveLibraryFile(url.pathname);
      if (libraryFile === undefined || libraryFile.includes('\0')) res.writeHead(404, headers).end();
      else this.sendFile(req, res, libraryFile, { ...headers, 'Cache-Control': 'no-cache' });
      return;
    }
    const file = resolveInside(this.options.rendererDir, decoded);
    if (file === undefined) {
      res.writeHead(404, headers).end();
      return;
    }
    this.sendFile(req, res, file, { ...headers, 'Cache-Control': 'no-cache' });
  }

  /** `POST /upload?token=…&name=…`: stages a file from the browser; answers a Result of StagedUpload. */
  private upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: Record<string, string>): void {
    const answer = (status: number, result: Result<unknown>, close = false) => {
      if (res.headersSent) return;
      res.writeHead(status, {
        ...headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        // A refused body may still be on its way: the connection cannot carry another request.
        ...(close ? { Connection: 'close' } : {}),
      });
      res.end(JSON.stringify(result));
    };
    const refuse = (status: number, error: StudioError) => {
      answer(status, { ok: false, error: error.toData() }, true);
      // Drop what is left of a refused body; the socket closes after the answer.
      req.resume();
    };
    if (req.method !== 'POST') return refuse(405, new StudioError('app/invalid-payload', 'Uploads are POSTed.'));
    const origin = req.headers.origin;
    if (origin !== undefined && !this.isAllowedHost(origin.replace(/^https?:\/\//, ''))) {
      return refuse(403, new StudioError('app/unauthorized', 'Not this studio.'));
    }
    if (!tokensMatch(url.searchParams.get('token'), this.token)) {
      return refuse(401, new StudioError('app/unauthorized', 'A token is required.'));
    }
    const name = url.searchParams.get('name') ?? '';
    if (name === '' || name.length > 255 || name.includes('\0')) {
      return refuse(400, new StudioError('app/invalid-payload', 'The upload needs a file name.'));
    }
    this.uploads!.receive(req, name).then(
      (staged) => answer(200, { ok: true, value: staged }),
      (error: unknown) => {
        const studioError =
          error instanceof StudioError ? error : new StudioError('app/upload-failed', 'The upload did not complete.');
        this.options.logger.info('upload refused', { code: studioError.code });
        const status =
          studioError.code === 'app/upload-too-large' ? 413 : studioError.code === 'app/disk-full' ? 507 : 400;
        refuse(status, studioError);
      },
    );
  }

  private sendFile(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    file: string,
    headers: Record<string, string>,
  ): void {
    const log = this.options.logger;
    openStaticFile(file, {
      range: req.headers.range,
      head: req.method === 'HEAD',
      onError: (error) => {
        log.warn('file read failed', { error: String(error) });
        res.destroy();
      },
    }).then(
      (answer) => {
        if (answer.status === 404) {
          res.writeHead(404, { ...headers, ...answer.headers }).end('Not found');
          return;
        }
        res.writeHead(answer.status, { ...headers, ...answer.headers });
        if (answer.body === undefined) res.end();
        else answer.body.pipe(res);
        res.on('close', () => answer.body?.destroy());
      },
      (error: unknown) => {
        log.warn('file answer failed', { error: String(error) });
        if (!res.headersSent) res.writeHead(404, headers).end();
      },
    );
  }
}
