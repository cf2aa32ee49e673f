import type { Logger } from '../logger';
import type { ShowObsPort } from './ports';

/** Where OBS stands relative to the studio. */
export interface ObsFollowState {
  scene: string | null;
  inSync: boolean;
  behindSince: number | null;
}

/**
 * Keeps OBS on the scene the studio wants. The studio never waits for OBS: a wish is recorded,
 * sent when OBS can take it, and re-sent when OBS comes back after a drop or restart (its program
 * scene is unknown then). Wishes made while a switch is in flight coalesce into the newest one.
 */
export class ObsFollower {
  private desired: string | null = null;
  /** What OBS is known to show; null when unknown. */
  private applied: string | null = null;
  private seq = 0;
  /** The newest wish OBS has carried out, and when. */
  appliedSeq = 0;
  appliedAt: number | null = null;
  private behindSince: number | null = null;
  private running = false;
  private readonly unsubscribe: () => void;
  private waiters: { seq: number; resolve: (applied: boolean) => void }[] = [];

  constructor(
    private readonly obs: ShowObsPort,
    private readonly logger: Logger,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {
    let wasConnected = obs.isConnected();
    // The OBS service reports every state change (stats too); only the edges of the connection matter.
    this.unsubscribe = obs.onStateChange((state) => {
      const isConnected = state.connection.status === 'connected';
      if (isConnected === wasConnected) return;
      wasConnected = isConnected;
      if (isConnected) {
        // After a reconnect OBS may have been restarted on another scene: assume nothing.
        this.applied = null;
        if (this.desired !== null) void this.sync();
      } else if (this.desired !== null && this.behindSince === null) {
        this.behindSince = this.now();
        this.onChange();
      }
    });
  }

  /**
   * Asks OBS to show `scene`. Returns the wish's number and a promise that settles true when OBS
   * shows it, false when OBS could not be reached or a newer wish replaced it.
   */
  want(scene: string): { seq: number; done: Promise<boolean> } {
    this.desired = scene;
    const seq = ++this.seq;
    const done = new Promise<boolean>((resolve) => this.waiters.push({ seq, resolve }));
    if (!this.obs.isConnected()) {
      this.behindSince ??= this.now();
      this.settle(false, seq - 1);
    }
    void this.sync();
    return { seq, done };
  }

  /** Forgets the wish (show ended); OBS stays where it is. */
  clear(): void {
    this.desired = null;
    this.behindSince = null;
    this.settle(false, this.seq);
  }

  state(): ObsFollowState {
    return {
      scene: this.desired,
      inSync: this.desired !== null && this.applied === this.desired && this.appliedSeq === this.seq,
      behindSince: this.behindSince,
    };
  }

  close(): void {
    this.unsubscribe();
    this.clear();
  }

  private settle(applied: boolean, upTo: number): void {
    const keep: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.seq <= upTo) w.resolve(applied && w.seq === upTo);
      else keep.push(w);
    }
    this.waiters = keep;
  }

  private markApplied(target: string, seq: number): void {
    this.applied = target;
    this.appliedSeq = seq;
    this.appliedAt = this.now();
    if (seq === this.seq) {
      if (this.behindSince !== null) {
        this.logger.info('OBS caught up', { scene: target, behindMs: this.appliedAt - this.behindSince });
      }
      this.behindSince = null;
    }
    this.settle(true, seq);
    this.onChange();
  }

  private async sync(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.desired !== null && this.obs.isConnected()) {
        const target = this.desired;
        const seq = this.seq;
        if (this.applied === target) {
          // OBS already shows it (two segments share a scene): nothing to send.
          if (this.appliedSeq !== seq) this.markApplied(target, seq);
          return;
        }
        try {
          await this.obs.switchProgramScene(target);
        } catch (error) {
          this.applied = null;
          this.behindSince ??= this.now();
          this.logger.warn('OBS did not switch scene; it will be caught up when it can', {
            scene: target,
            error: error instanceof Error ? error.message : String(error),
          });
          this.settle(false, seq);
          this.onChange();
          return;
        }
        this.markApplied(target, seq);
      }
    } finally {
      this.running = false;
    }
  }
}
