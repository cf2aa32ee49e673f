import type { Worker } from 'node:worker_threads';

import { StudioError } from '../../../shared/api/result';
import { startWorker } from '../worker-entry';
import type { ModelCheckReply, ModelCheckRequest } from './model-worker';

/** A model check that takes longer than this is refused (a file built to stall the validator). */
const checkTimeoutMs = 60_000;

export type ModelCheckResult = Omit<Extract<ModelCheckReply, { ok: true }>, 'id' | 'ok'>;

/**
 * Checks model files in a worker thread, one at a time, with a memory cap and a time limit: a
 * hostile model can stall or exhaust only the worker, which is then replaced.
 */
export class ModelChecker {
  private worker: Worker | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  check(file: string): Promise<ModelCheckResult> {
    const run = this.queue.then(() => this.run(file));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = startWorker(import.meta.url, 'model-worker', {
      name: 'model-check',
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    worker.unref();
    return worker;
  }

  private run(file: string): Promise<ModelCheckResult> {
    clearTimeout(this.idleTimer);
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<ModelCheckResult>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onFailure);
        worker.off('exit', onFailure);
        // An idle worker goes away after a while; the next import starts a new one.
        this.idleTimer = setTimeout(() => this.close(), 30_000);
        this.idleTimer.unref();
      };
      const fail = (detail: string) => {
        done();
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        reject(new StudioError('assets/broken-model', 'The model could not be checked.', { detail }));
      };
      const timer = setTimeout(() => fail(`no answer in ${checkTimeoutMs} ms`), checkTimeoutMs);
      const onMessage = (reply: ModelCheckReply) => {
        if (reply.id !== id) return;
        done();
        if (reply.ok) {
          const { id: _id, ok: _ok, ...found } = reply;
          resolve(found);
        } else reject(StudioError.fromData(reply.error));
      };
      const onFailure = (error: unknown) => fail(`model check worker stopped: ${String(error)}`);
      worker.on('message', onMessage);
      worker.on('error', onFailure);
      worker.on('exit', onFailure);
      worker.postMessage({ id, file } satisfies ModelCheckRequest);
    });
  }
}
