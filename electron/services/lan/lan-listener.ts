import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';

import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';

import type { StudioErrorData } from '../../../shared/api/result';
import { StudioError } from '../../../shared/api/result';
import type { HostMessage } from '../../../shared/api/wire';
import { clientMessageSchema } from '../../../shared/api/wire';
import type { PanelCloseCode } from '../../../shared/lan/panel';
import { pairRequestSchema, panelCloseCodes, panelLimits } from '../../../shared/lan/panel';
import { toStudioError } from '../api-router';
import type { Logger } from '../logger';
import type { PanelCaller } from './panel-gateway';
import { RateLimiter } from './rate-limit';

export interface LanListenerOptions {
  /** One IPv4 address of this PC (never 0.0.0.0). */
  address: string;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer; only panel.html and the files it names are served. */
  rendererDir: string;
  logger: Logger;
  /** The device a token belongs to, if it is paired. */
  authenticate(token: string): PanelCaller | undefined;
  /** Spends a pairing code: the new device's token, or a coded error. */
  pair(code: string): { deviceToken: string; role: string; name: string };
  handle(caller: PanelCaller, name: string, payload: unknown): Promise<unknown>;
  /** A device's first socket opened or its last one closed. */
  onPresence(deviceId: string): void;
  now?: () => number;
}

const mimeTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const maxSocketsPerAddress = 8;
const maxPairBodyBytes = 1024;
const heartbeatMs = 15_000;

interface Client {
  ws: WebSocket;
  caller: PanelCaller;
  address: string;
  isAlive: boolean;
}

/** The error of a refused request, as JSON the phone can translate. */
const errorBody = (error: StudioErrorData) => JSON.stringify({ ok: false, error });

/**
 * The LAN listener: a second HTTP/WebSocket server, on one chosen LAN address, that serves the
 * phone panel and nothing else. It knows no studio token: the control window, the program page and
 * the studio API are not routes here. Every request is checked for Host and Origin (against DNS
 * rebinding and other sites' pages), rate-limited per address, and every socket and stream has an
 * error handler where it is made.
 */
export class LanListener {
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<Client>();
  private readonly pages: RateLimiter;
  private readonly pairings: RateLimiter;
  private readonly pairingsAll: RateLimiter;
  private readonly upgrades: RateLimiter;
  private readonly messages: RateLimiter;
  private assets = new Set<string>();
  private heartbeat: NodeJS.Timeout | undefined;
  private port = 0;

  constructor(private readonly options: LanListenerOptions) {
    const now = options.now ?? Date.now;
    this.pages = new RateLimiter(60, 2, now);
    this.pairings = new RateLimiter(10, 0.2, now);
    this.pairingsAll = new RateLimiter(30, 1, now);
    this.upgrades = new RateLimiter(20, 1, now);
    this.messages = new RateLimiter(30, 10, now);
    this.server = http.createServer((req, res) => this.serve(req, res));
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    this.server.on('connection', (socket) => socket.on('error', () => socket.destroy()));
    // Over this the socket closes (1009); smaller frames over the panel limit get a coded answer.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    this.wss.on('error', (error) => options.logger.warn('lan websocket server error', { error: String(error) }));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Binds the address; resolves with the port, or rejects with a coded error. */
  async start(): Promise<number> {
    this.assets = this.panelAssets();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          reject(
            new StudioError('lan/port-in-use', 'Another program uses this port.', {
              params: { port: this.options.port },
            }),
          );
        } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'EINVAL') {
          reject(
            new StudioError('lan/address-unavailable', 'This PC has no such network address (any more).', {
              params: { address: this.options.address },
            }),
          );
        } else reject(toStudioError(error));
      };
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.address, () => {
        this.server.off('error', onError);
        this.server.on('error', (error) => this.options.logger.warn('lan server error', { error: String(error) }));
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
    return this.port;
  }

  /** http://address:port, the origin phones load the panel from. */
  origin(): string {
    return `http://${this.options.address}:${this.port}`;
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Cuts a device off now: its sockets close with `code`, and the phone stops reconnecting. */
  disconnect(deviceId: string, code: PanelCloseCode = panelCloseCodes.revoked): void {
    for (const client of this.clients) {
      if (client.caller.deviceId !== deviceId) continue;
      client.ws.close(code, code === panelCloseCodes.revoked ? 'lan/unauthorized' : 'closed');
      // A phone that does not answer the close handshake is not waited for.
      setTimeout(() => client.ws.terminate(), 1000).unref();
      this.clients.delete(client);
    }
    this.options.onPresence(deviceId);
  }

  isConnected(deviceId: string): boolean {
    for (const client of this.clients) if (client.caller.deviceId === deviceId) return true;
    return false;
  }

  /** Pushes one event to each connected device, built for its caller (its role decides what it sees). */
  async push(name: string, build: (caller: PanelCaller) => Promise<unknown>): Promise<void> {
    const byDevice = new Map<string, Client[]>();
    for (const client of this.clients) {
      byDevice.set(client.caller.deviceId, [...(byDevice.get(client.caller.deviceId) ?? []), client]);
    }
    await Promise.all(
      [...byDevice.values()].map(async (clients) => {
        try {
          const payload = await build(clients[0]!.caller);
          for (const c of clients) this.send(c.ws, { type: 'event', name, payload });
        } catch (error) {
          this.options.logger.warn('panel push failed', { error: String(error) });
        }
      }),
    );
  }

  private clientAddress(req: http.IncomingMessage): string {
    return req.socket.remoteAddress ?? '?';
  }

  private isOwnHost(host: string | undefined): boolean {
    return host !== undefined && host.toLowerCase() === `${this.options.address}:${this.port}`;
  }

  private isOwnOrigin(origin: string | undefined): boolean {
    return origin !== undefined && origin.toLowerCase() === this.origin();
  }

  /** panel.html and the scripts and styles it names: the only files a phone can fetch. */
  private panelAssets(): Set<string> {
    const files = new Set<string>();
    try {
      const html = fs.readFileSync(path.join(this.options.rendererDir, 'panel.html'), 'utf8');
      for (const m of html.matchAll(/(?:src|href)="\.?\/?(assets\/[\w.-]+)"/g)) files.add(`/${m[1]}`);
    } catch {
      this.options.logger.warn('panel.html is not built: phones get 404');
    }
    return files;
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.on('error', () => req.destroy());
    res.on('error', () => res.destroy());
    const headers: Record<string, string> = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    };
    const json = (status: number, body: string) =>
      res
        .writeHead(status, {
          ...headers,
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        })
        .end(body);
    if (!this.isOwnHost(req.headers.host)) {
      json(403, errorBody({ code: 'lan/bad-origin', message: 'Wrong Host header.' }));
      return;
    }
    if (!this.pages.take(this.clientAddress(req))) {
      json(429, errorBody({ code: 'lan/rate-limited', message: 'Too many requests.' }));
      return;
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://host').pathname;
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (pathname === '/panel/pair') {
      this.servePair(req, json);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (pathname === '/' || pathname === '/panel' || pathname === '/panel/') {
      if (pathname === '/') {
        res.writeHead(302, { ...headers, Location: '/panel' }).end();
        return;
      }
      this.sendFile(res, path.join(this.options.rendererDir, 'panel.html'), {
        ...headers,
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          `connect-src 'self' ws://${this.options.address}:${this.port}`,
          "object-src 'none'",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join('; '),
      });
      return;
    }
    if (pathname === '/favicon.svg' || pathname === '/favicon.ico') {
      this.sendFile(res, path.join(this.options.rendererDir, 'favicon.svg'), {
        ...headers,
        'Content-Type': 'image/svg+xml',
        'Cache-Control': 'public, max-age=86400',
      });
      return;
    }
    if (this.assets.has(pathname)) {
      const file = path.join(this.options.rendererDir, pathname.slice(1));
      this.sendFile(res, file, {
        ...headers,
        'Content-Type': mimeTypes[path.extname(file)] ?? 'application/octet-stream',
        // Hashed names: a phone on weak Wi-Fi keeps them.
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
      return;
    }
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }

  private servePair(req: http.IncomingMessage, json: (status: number, body: string) => void): void {
    if (req.method !== 'POST') {
      json(405, errorBody({ code: 'app/invalid-payload', message: 'POST only.' }));
      req.resume();
      return;
    }
    // A page of another site (or a rebinding name) cannot pair on the user's behalf.
    if (!this.isOwnOrigin(req.headers.origin)) {
      json(403, errorBody({ code: 'lan/bad-origin', message: 'Pairing is only possible from the panel page.' }));
      req.resume();
      return;
    }
    const address = this.clientAddress(req);
    if (!this.pairingsAll.take('all') || !this.pairings.take(address)) {
      json(429, errorBody({ code: 'lan/rate-limited', message: 'Too many pairing attempts: wait a minute.' }));
      req.resume();
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    let isRefused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPairBodyBytes) {
        if (!isRefused) json(413, errorBody({ code: 'lan/message-too-large', message: 'Request too large.' }));
        isRefused = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (isRefused) return;
      let code: string;
      try {
        const parsed = pairRequestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!parsed.success) throw new Error('shape');
        code = parsed.data.code;
      } catch {
        json(400, errorBody({ code: 'app/invalid-payload', message: 'Malformed pairing request.' }));
        return;
      }
      try {
        json(200, JSON.stringify({ ok: true, value: this.options.pair(code) }));
      } catch (error) {
        const e = toStudioError(error);
        json(e.code === 'lan/pair-code-invalid' ? 401 : 500, errorBody(e.toData()));
      }
    });
  }

  private sendFile(res: http.ServerResponse, file: string, headers: Record<string, string>): void {
    fs.stat(file, (error, stat) => {
      if (error !== null || !stat.isFile()) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Length': String(stat.size) });
      const stream = fs.createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://host');
    } catch {
      refuse('400 Bad Request');
      return;
    }
    if (url.pathname !== '/panel/ws') return refuse('404 Not Found');
    // Browsers always send Origin on a WebSocket; it must be the panel's own.
    if (!this.isOwnHost(req.headers.host) || !this.isOwnOrigin(req.headers.origin)) return refuse('403 Forbidden');
    const address = this.clientAddress(req);
    if (!this.upgrades.take(address)) return refuse('429 Too Many Requests');
    let open = 0;
    for (const c of this.clients) if (c.address === address) open++;
    if (open >= maxSocketsPerAddress) return refuse('429 Too Many Requests');
    const caller = this.options.authenticate(url.searchParams.get('device') ?? '');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => ws.terminate());
      if (caller === undefined) {
        // Accepted only to say why: the phone reads the close code, forgets its token and asks to pair.
        this.send(ws, {
          type: 'event',
          name: 'panel:error',
          payload: { code: 'lan/unauthorized', message: 'Not paired.' },
        });
        ws.close(panelCloseCodes.unauthorized, 'lan/unauthorized');
        return;
      }
      this.accept(ws, caller, address);
    });
  }

  private accept(ws: WebSocket, caller: PanelCaller, address: string): void {
    const client: Client = { ws, caller, address, isAlive: true };
    const wasConnected = this.isConnected(caller.deviceId);
    this.clients.add(client);
    if (!wasConnected) this.options.onPresence(caller.deviceId);
    ws.on('pong', () => (client.isAlive = true));
    ws.on('close', () => {
      if (!this.clients.delete(client)) return;
      if (!this.isConnected(caller.deviceId)) this.options.onPresence(caller.deviceId);
    });
    ws.on('message', (data, isBinary) => {
      client.isAlive = true;
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
      const replyError = (id: number | undefined, error: StudioErrorData) => {
        if (id !== undefined) this.send(ws, { type: 'result', id, result: { ok: false, error } });
        else this.send(ws, { type: 'event', name: 'panel:error', payload: error });
      };
      if (isBinary || size > panelLimits.maxMessageBytes) {
        replyError(undefined, { code: 'lan/message-too-large', message: 'Message too large.' });
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        replyError(undefined, { code: 'app/invalid-payload', message: 'Malformed frame.' });
        return;
      }
      const parsed = clientMessageSchema.safeParse(message);
      const id = (message as { id?: unknown } | null)?.id;
      if (!parsed.success) {
        replyError(typeof id === 'number' ? id : undefined, {
          code: 'app/invalid-payload',
          message: 'Malformed frame.',
        });
        return;
      }
      if (!this.messages.take(`${address}/${caller.deviceId}`)) {
        replyError(parsed.data.id, { code: 'lan/rate-limited', message: 'Too many requests.' });
        return;
      }
      const { name, payload } = parsed.data;
      this.options.handle(caller, name, payload).then(
        (value) => this.send(ws, { type: 'result', id: parsed.data.id, result: { ok: true, value } }),
        (error: unknown) => {
          const e = toStudioError(error);
          if (e.code === 'app/internal')
            this.options.logger.error('panel request failed', { name, error: e.detail ?? e.message });
          replyError(parsed.data.id, e.toData());
        },
      );
    });
  }

  private beat(): void {
    // Weak Wi-Fi leaves sockets half-open: one missed pong and the socket is dropped (the phone reconnects).
    for (const client of this.clients) {
      if (!client.isAlive) {
        client.ws.terminate();
        continue;
      }
      client.isAlive = false;
      client.ws.ping();
    }
  }

  private send(ws: WebSocket, message: HostMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }
}
