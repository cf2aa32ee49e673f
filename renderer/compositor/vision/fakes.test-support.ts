// Fakes of the browser's Web Locks and BroadcastChannel for the vision engine's unit tests,
// with the semantics the engine relies on (steal, queue, abort, release on window close).
import type { ChannelLike } from './bus';
import type { LockManagerLike } from './election';

interface Request {
  owner: string;
  callback: (lock: unknown) => Promise<void>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });

/** One browser's lock manager for a single lock name; `as(owner)` is one window's navigator.locks. */
export class FakeLocks {
  private holder: Request | undefined;
  private readonly queue: Request[] = [];

  as(owner: string): LockManagerLike {
    return {
      query: () => Promise.resolve({ pending: this.queue.map(() => ({ name: 'harvest-vision-engine' })) }),
      request: (_name, options, callback) =>
        new Promise((resolve, reject) => {
          const request: Request = { owner, callback, resolve, reject, signal: options.signal };
          if (options.steal === true) {
            const stolen = this.holder;
            this.holder = undefined;
            stolen?.reject(abortError());
            this.grant(request);
            return;
          }
          if (options.signal?.aborted === true) return reject(abortError());
          options.signal?.addEventListener('abort', () => {
            const i = this.queue.indexOf(request);
            if (i >= 0) {
              this.queue.splice(i, 1);
              reject(abortError());
            }
          });
          this.queue.push(request);
          this.next();
        }),
    };
  }

  get holderName(): string | undefined {
    return this.holder?.owner;
  }

  private next(): void {
    if (this.holder !== undefined) return;
    const request = this.queue.shift();
    if (request !== undefined) this.grant(request);
  }

  private grant(request: Request): void {
    this.holder = request;
    void Promise.resolve(request.callback({ name: 'lock' })).then(
      (value) => this.released(request, () => request.resolve(value)),
      (error: unknown) => this.released(request, () => request.reject(error)),
    );
  }

  private released(request: Request, settle: () => void): void {
    if (this.holder !== request) return; // stolen earlier: already settled
    this.holder = undefined;
    settle();
    this.next();
  }

  /** The window closed: the browser drops its lock and its queued requests (nothing settles there). */
  closeWindow(owner: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.owner === owner) this.queue.splice(i, 1);
    if (this.holder?.owner === owner) {
      this.holder = undefined;
      this.next();
    }
  }
}

/** BroadcastChannels of one name: a message reaches every other open channel, cloned, later. */
export class FakeChannels {
  private readonly open = new Set<FakeChannel>();
  readonly sent: unknown[] = [];

  channel(): ChannelLike {
    const channel: FakeChannel = {
      onmessage: null,
      postMessage: (message: unknown) => {
        if (!this.open.has(channel)) throw new Error('InvalidStateError: channel closed');
        this.sent.push(message);
        for (const other of this.open) {
          if (other === channel) continue;
          const data = structuredClone(message);
          queueMicrotask(() => {
            if (this.open.has(other)) other.onmessage?.({ data } as MessageEvent);
          });
        }
      },
      close: () => this.open.delete(channel),
    };
    this.open.add(channel);
    return channel;
  }
}

type FakeChannel = ChannelLike;

/** Lets queued microtasks and promise chains run. */
export const settle = async (rounds = 10): Promise<void> => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};
