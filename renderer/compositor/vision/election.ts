// Which window of the studio runs inference. Web Locks elect it: the program window steals the
// lock (it is the picture OBS captures, so it must never wait for the control window), the
// control window's preview queues for it. When the holder closes, the browser hands the lock to
// the next in the queue by itself; a window whose lock was stolen queues again. A hidden window
// (a background tab: no video frames, no animation frames) hands inference to a waiting one, and
// the program takes it back when it shows again.

/** The part of `navigator.locks` the election uses (a fake in unit tests). */
export interface LockManagerLike {
  request(
    name: string,
    options: { steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
  query?(): Promise<{ pending?: { name?: string }[] }>;
}

export type VisionRole = 'program' | 'preview';

export class VisionElection {
  private leader = false;
  private closed = false;
  private started = false;
  private hidden = false;
  /** Bumped per lock request, so a late callback of an abandoned request does nothing. */
  private generation = 0;
  private release: (() => void) | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly name: string,
    private readonly role: VisionRole,
    /** undefined: no Web Locks here (insecure context, old engine): this window leads alone. */
    private readonly locks: LockManagerLike | undefined,
    private readonly onChange: (isLeader: boolean) => void,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.locks === undefined) {
      this.set(true);
      return;
    }
    this.request(this.role === 'program');
  }

  private request(steal: boolean): void {
    const generation = ++this.generation;
    const abort = new AbortController();
    this.abort = abort;
    // `steal` and `signal` cannot be combined; a stealing request is granted at once anyway.
    const options = steal ? { steal: true } : { signal: abort.signal };
    let granted = false;
    let promise: Promise<unknown>;
    try {
      promise = this.locks!.request(this.name, options, () => {
        if (this.closed || generation !== this.generation) return Promise.resolve();
        granted = true;
        this.set(true);
        return new Promise<void>((resolve) => (this.release = resolve));
      });
    } catch {
      promise = Promise.reject(new Error('locks unavailable'));
    }
    promise.then(
      () => undefined,
      (error: unknown) => {
        if (this.closed || generation !== this.generation) return;
        if (granted) {
          // Another window stole the lock: hand over, and queue to take it back when it closes.
          this.release?.();
          this.release = undefined;
          this.set(false);
          this.request(false);
        } else if ((error as { name?: string } | undefined)?.name !== 'AbortError') {
          // Locks refused outright (SecurityError…): better one engine per window than none.
          this.set(true);
        }
      },
    );
  }

  /** The window was hidden or shown (document.visibilityState). */
  setHidden(hidden: boolean): void {
    if (this.closed || !this.started || this.locks === undefined || hidden === this.hidden) return;
    this.hidden = hidden;
    if (hidden && this.leader) void this.yieldIfWaitedFor();
    else if (!hidden && !this.leader && this.role === 'program') {
      this.abort?.abort();
      this.request(true);
    }
  }

  /** Hands the lock to a window that waits for it; with nobody waiting, keeps it (no needless restart). */
  private async yieldIfWaitedFor(): Promise<void> {
    const state = await this.locks!.query?.().catch(() => undefined);
    if (state !== undefined && !(state.pending ?? []).some((p) => p.name === this.name)) return;
    if (!this.hidden || !this.leader || this.closed) return;
    this.release?.();
    this.release = undefined;
    this.set(false);
    this.request(false);
  }

  private set(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.onChange(leader);
  }

  /** Leaves the election: releases the lock (the next window takes over) or the place in the queue. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.abort?.abort();
    this.release?.();
    this.release = undefined;
    this.leader = false;
  }
}
