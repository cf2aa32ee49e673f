import type { Worker } from 'node:worker_threads';

import { StudioError } from '../../../shared/api/result';
import type { Logger } from '../logger';
import { startWorker } from '../worker-entry';
import type { SalesDbOptions } from './connection';
import type { SalesDb } from './sales-db';
import type { ReadMethod, WorkerReply, WorkerRequest, WriteMethod } from './sales-worker';

/** The SalesDb methods callable through the worker: its explicit read and write lists. */
type DbMethod = ReadMethod | WriteMethod;

type DbArgs<K extends DbMethod> = SalesDb[K] extends (...args: infer A) => unknown ? A : never;
type DbResult<K extends DbMethod> = SalesDb[K] extends (...args: never[]) => infer R ? Awaited<R> : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: StudioError): void;
}

/** What the store knows about its database right now. */
export type StoreState = { kind: 'closed' } | { kind: 'open'; version: number } | { kind: 'error'; error: StudioError };

/**
 * The async face of the sales database: one worker thread owns the SQLite connection, every
 * call is a message, and a call resolves only once the worker answered (for writes: after the
 * commit is on disk). If the worker dies, pending calls reject with sales/db-unavailable and the
 * next call starts a new worker.
 */
export class SalesStore {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private opening: Promise<StoreState> | undefined;
  private isClosing = false;
  state: StoreState = { kind: 'closed' };

  constructor(
    private options: SalesDbOptions,
    private readonly logger: Logger,
  ) {}

  get file(): string {
    return this.options.file;
  }

  /** Opens (or re-opens, with new options) the database. Never throws: errors land in `state`. */
  open(options: SalesDbOptions = this.options): Promise<StoreState> {
    this.options = options;
    this.isClosing = false;
    const opening = (async (): Promise<StoreState> => {
      try {
        const { version } = (await this.post('open', [options])) as { version: number };
        this.state = { kind: 'open', version };
        this.logger.info('sales log open', { file: options.file, version });
      } catch (error) {
        const studioError =
          error instanceof StudioError ? error : new StudioError('sales/db-unavailable', String(error));
        this.state = { kind: 'error', error: studioError };
        this.logger.error('sales log cannot be opened', { code: studioError.code, detail: studioError.detail });
      }
      return this.state;
    })();
    this.opening = opening;
    return opening;
  }

  /** Calls a SalesDb method in the worker. */
  async call<K extends DbMethod>(method: K, ...args: DbArgs<K>): Promise<DbResult<K>> {
    if (this.isClosing) throw new StudioError('sales/db-unavailable', 'The sales log is closing.');
    if (this.opening !== undefined) await this.opening;
    if (this.state.kind === 'closed' && this.worker === undefined) await this.open();
    if (this.state.kind === 'error') throw this.state.error;
    return (await this.post(method, args)) as DbResult<K>;
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, 'sales-worker', { name: 'sales-db' });
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(StudioError.fromData(reply.error));
    });
    worker.on('error', (error) => {
      this.logger.error('sales worker failed', { error: error.stack ?? error.message });
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (!this.isClosing) {
        this.logger.error('sales worker exited', { code });
        // The next call starts a new worker and opens the database again.
        this.state = { kind: 'closed' };
      }
      const error = new StudioError('sales/db-unavailable', 'The sales log stopped; try again.');
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    return worker;
  }

  private post(method: string, args: readonly unknown[]): Promise<unknown> {
    this.worker ??= this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, method, args };
      worker.postMessage(request);
    });
  }

  /** Drains pending writes (the worker handles messages in order), closes the database, ends the worker. */
  async close(): Promise<void> {
    if (this.opening !== undefined) await this.opening.catch(() => undefined);
    const worker = this.worker;
    if (worker === undefined) {
      this.isClosing = true;
      this.state = { kind: 'closed' };
      return;
    }
    const drained = Promise.allSettled(
      [...this.pending.values()].map(
        (p) =>
          new Promise((r) => {
            const { resolve, reject } = p;
            p.resolve = (v) => (resolve(v), r(v));
            p.reject = (e) => (reject(e), r(e));
          }),
      ),
    );
    const closed = this.post('close', []).catch((error: unknown) => {
      this.logger.warn('sales log close failed', { error: String(error) });
    });
    this.isClosing = true;
    await drained;
    await closed;
    this.state = { kind: 'closed' };
    this.worker = undefined;
    await worker.terminate();
  }
}
