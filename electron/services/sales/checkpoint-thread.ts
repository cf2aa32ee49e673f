import type { Worker } from 'node:worker_threads';

import { startWorker } from '../worker-entry';
import type { CheckpointReply, CheckpointRequest, CheckpointThreadData } from './checkpoint-worker';

/**
 * The sales worker's side of the checkpoint thread (checkpoint-worker.ts). One checkpoint runs
 * at a time; asked again while one runs, it runs once more after it (the WAL has grown since),
 * however often it was asked meanwhile. A checkpoint is an optimisation: its promise never
 * rejects, and a thread that fails or dies resolves what waits on it and calls `onGone`, after
 * which the caller checkpoints on its own thread again.
 */
export class CheckpointThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, () => void>();
  private nextId = 1;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private isAlive = true;
  private readonly exited: Promise<void>;

  constructor(data: CheckpointThreadData, onGone: () => void) {
    this.worker = startWorker(import.meta.url, 'checkpoint-worker', {
      name: 'sales-checkpoint',
      workerData: data,
    });
    // Never what keeps the sales worker alive.
    this.worker.unref();
    this.worker.on('message', (reply: CheckpointReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      resolve?.();
    });
    const gone = () => {
      if (!this.isAlive) return;
      this.isAlive = false;
      for (const resolve of this.waiting.values()) resolve();
      this.waiting.clear();
      onGone();
    };
    this.worker.on('error', gone);
    this.exited = new Promise((resolve) =>
      this.worker.on('exit', () => {
        gone();
        resolve();
      }),
    );
  }

  checkpoint(): Promise<void> {
    if (this.queued !== undefined) return this.queued;
    if (this.running === undefined) {
      this.running = this.send({ id: this.nextId++ });
      return this.running;
    }
    this.queued = this.running.then(() => {
      this.queued = undefined;
      this.running = this.send({ id: this.nextId++ });
      return this.running;
    });
    return this.queued;
  }

  /** Closes the thread's connection (before the sales worker closes its own) and ends it. */
  async close(): Promise<void> {
    await this.queued;
    await this.running;
    await this.send({ id: this.nextId++, close: true });
    await this.exited;
  }

  private send(request: CheckpointRequest): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (!this.isAlive) return resolve();
      this.waiting.set(request.id, resolve);
      this.worker.postMessage(request);
    });
    const settled: Promise<void> = done.then(() => {
      if (this.running === settled) this.running = undefined;
    });
    return settled;
  }
}
