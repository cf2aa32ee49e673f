import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import WebSocket from 'ws';

import { StudioHost } from '../../electron/host/studio-host';
import type { StudioServices } from '../../electron/services';
import { createStudioServices } from '../../electron/services';
import { installLastResort } from '../../electron/services/last-resort';
import type { LogFields, Logger } from '../../electron/services/logger';
import type { Result } from '../../shared/api/result';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A logger that keeps error lines (the fuzz suite reports them) and drops the rest. */
export function collectingLogger(errors: string[], name = 'fuzz'): Logger {
  const make = (n: string): Logger => ({
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (message: string, fields?: LogFields) => {
      errors.push(`${n}: ${message} ${JSON.stringify(fields ?? {}).slice(0, 400)}`);
    },
    child: (child: string) => make(`${n}.${child}`),
  });
  return make(name);
}

/** The studio host in this process, on a fresh data folder and a tiny renderer folder. */
export interface FuzzHost {
  host: StudioHost;
  services: StudioServices;
  port: number;
  token: string;
  dataDir: string;
  scratch: string;
  /** Errors the services and host logged (an app/internal is logged here too). */
  loggedErrors: string[];
  /** Faults the last-resort handler saw (an uncaught throw or unhandled rejection). */
  faults(): number;
  close(): Promise<void>;
}

export async function startFuzzHost(): Promise<FuzzHost> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-fuzz-'));
  const dataDir = path.join(root, 'data');
  const rendererDir = path.join(root, 'renderer');
  const scratch = path.join(root, 'scratch');
  for (const dir of [dataDir, rendererDir, scratch, path.join(rendererDir, 'assets')])
    fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>control</title>');
  fs.writeFileSync(path.join(rendererDir, 'program.html'), '<!doctype html><title>program</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const loggedErrors: string[] = [];
  const logger = collectingLogger(loggedErrors);
  // Not strict: a fault is counted and the suite fails on the count, with the case that caused it.
  const guard = installLastResort(logger, { strict: false });
  const services = createStudioServices({ dataDir, appRoot: repoRoot, logger, mode: 'host', version: '0.0.0-fuzz' });
  const host = new StudioHost({
    services,
    rendererDir,
    logger: logger.child('http'),
    port: 0,
    uploadDir: path.join(dataDir, 'tmp', 'uploads'),
  });
  const port = await host.start();
  await services.start();
  return {
    host,
    services,
    port,
    token: host.token,
    dataDir,
    scratch,
    loggedErrors,
    faults: () => guard.faults,
    async close() {
      await host.stop();
      await services.close();
      guard.uninstall();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client of the API with numbered calls and a timeout per call. */
export class ApiSocket {
  private nextId = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  closeCode: number | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let message: { type?: string; id?: number; result?: Result<unknown> };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        return;
      }
      if (message.type !== 'result' || typeof message.id !== 'number') return;
      this.pending.get(message.id)?.(message.result!);
      this.pending.delete(message.id);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      for (const settle of this.pending.values())
        settle({ ok: false, error: { code: 'test/closed', message: `closed ${code}` } });
      this.pending.clear();
    });
    ws.on('error', () => undefined);
  }

  static open(port: number, token: string): Promise<ApiSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { maxPayload: 512 * 1024 * 1024 });
      ws.once('open', () => resolve(new ApiSocket(ws)));
      ws.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a call; resolves with the result, or a `test/timeout` error after `timeoutMs`. */
  call(name: string, payload: unknown, timeoutMs = 15_000): Promise<Result<unknown>> {
    const id = this.nextId++;
    return this.raw(JSON.stringify({ type: 'call', id, name, payload }), id, timeoutMs);
  }

  /** Sends any text (or bytes); with `id`, waits for the answer to that id. */
  raw(frame: string | Buffer, id?: number, timeoutMs = 15_000): Promise<Result<unknown>> {
    return new Promise((resolve) => {
      if (id !== undefined) {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          resolve({ ok: false, error: { code: 'test/timeout', message: `no answer in ${timeoutMs} ms` } });
        }, timeoutMs);
        this.pending.set(id, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
      }
      this.ws.send(frame, (error) => {
        if (error && id !== undefined) {
          this.pending.delete(id);
          resolve({ ok: false, error: { code: 'test/closed', message: String(error) } });
        }
      });
      if (id === undefined) resolve({ ok: true, value: undefined });
    });
  }

  /** Reserves an id for a hand-made frame. */
  reserveId(): number {
    return this.nextId++;
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * Sends raw bytes as one HTTP request on a new connection, half-closes, and resolves with the
 * status code the host answered (undefined when it closed without a status line).
 */
export function rawHttp(port: number, bytes: Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 5_000);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.length > 64) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve(m === null ? undefined : Number(m[1]));
    });
    socket.end(bytes);
  });
}
