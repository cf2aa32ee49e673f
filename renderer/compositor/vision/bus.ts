// The studio's windows share one vision engine over a BroadcastChannel: the leader (see
// election.ts) publishes every result; followers apply them and tell the leader what their scene
// wants, so the leader infers the union.
import type { BusMessage, ModelKey, VisionResult, VisionWants, WorkerResult } from './protocol';

/** The part of BroadcastChannel the bus uses (a fake in unit tests). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/** A time on this window's performance.now() clock as epoch ms, the clock all windows share. */
export const toEpoch = (time: number, timeOrigin: number): number => timeOrigin + time;
/** Epoch ms back to this window's performance.now() clock. */
export const fromEpoch = (epoch: number, timeOrigin: number): number => epoch - timeOrigin;

export const noWants: VisionWants = { hands: false, segment: false, face: false };

export const sameWants = (a: VisionWants, b: VisionWants): boolean =>
  a.hands === b.hands && a.segment === b.segment && a.face === b.face;

/** Followers repeat their wants this often; the leader forgets a follower silent for `wantsExpiryMs`. */
export const wantsRepeatMs = 2000;
export const wantsExpiryMs = 3 * wantsRepeatMs;

export interface BusHandlers {
  /** A follower got the leader's result; `time` is already on this window's clock. */
  onResult(result: WorkerResult, time: number): void;
  onStatus(ready: boolean, failed: Record<string, string | null>): void;
  onModel(model: ModelKey, error: string | null): void;
  /** The leader heard a follower's wants (`isNew`: a follower it did not know, that needs its status). */
  onFollowerWants(isNew: boolean): void;
}

export class VisionBus {
  private leader = false;
  private ownWants: VisionWants = noWants;
  private readonly followers = new Map<string, { wants: VisionWants; at: number }>();

  constructor(
    private readonly channel: ChannelLike | undefined,
    readonly id: string,
    private readonly handlers: BusHandlers,
    private readonly clock: { timeOrigin: number; now(): number } = performance,
  ) {
    if (channel !== undefined) channel.onmessage = (event: MessageEvent) => this.receive(event.data as BusMessage);
  }

  private post(message: BusMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel (window unloading): nobody is listening any more.
    }
  }

  /** This window became the leader (announce it) or a follower (say what it wants). */
  setLeader(leader: boolean): void {
    this.leader = leader;
    this.followers.clear();
    if (leader) this.post({ type: 'leader', from: this.id });
    else this.post({ type: 'wants', from: this.id, wants: this.ownWants });
  }

  setWants(wants: VisionWants): void {
    this.ownWants = wants;
    if (!this.leader) this.post({ type: 'wants', from: this.id, wants });
  }

  /** Call every `wantsRepeatMs`: a follower repeats its wants so the leader knows it is alive. */
  tick(): void {
    if (!this.leader) this.post({ type: 'wants', from: this.id, wants: this.ownWants });
  }

  /** What the leader should infer: its own wants and every live follower's. */
  wants(): VisionWants {
    const now = this.clock.now();
    const union = { ...this.ownWants };
    for (const [id, entry] of this.followers) {
      if (now - entry.at > wantsExpiryMs) {
        this.followers.delete(id);
        continue;
      }
      union.hands ||= entry.wants.hands;
      union.segment ||= entry.wants.segment;
      union.face ||= entry.wants.face;
    }
    return union;
  }

  publishResult(result: WorkerResult): void {
    this.post({ type: 'result', from: this.id, epoch: toEpoch(result.time, this.clock.timeOrigin), result });
  }

  publishStatus(ready: boolean, failed: Record<string, string | null>): void {
    this.post({ type: 'status', from: this.id, ready, failed });
  }

  publishModel(model: ModelKey, error: string | null): void {
    this.post({ type: 'model', from: this.id, model, error });
  }

  /** Messages arrive from other windows, maybe of another version: the unknown are dropped. */
  private receive(message: BusMessage): void {
    if (typeof message !== 'object' || message === null || message.from === this.id) return;
    if (this.leader) {
      switch (message.type) {
        case 'wants': {
          const known = this.followers.has(message.from);
          this.followers.set(message.from, { wants: message.wants, at: this.clock.now() });
          this.handlers.onFollowerWants(!known);
          break;
        }
        case 'bye':
          this.followers.delete(message.from);
          break;
        case 'result':
        case 'status':
        case 'model':
        case 'leader':
          // Another leader's messages, in the moment a steal takes: this window's own engine counts.
          break;
        default:
          ignoreUnknown(message);
      }
      return;
    }
    switch (message.type) {
      case 'result':
        this.handlers.onResult(message.result, fromEpoch(message.epoch, this.clock.timeOrigin));
        break;
      case 'status':
        this.handlers.onStatus(message.ready, message.failed);
        break;
      case 'model':
        this.handlers.onModel(message.model, message.error);
        break;
      case 'leader':
        this.post({ type: 'wants', from: this.id, wants: this.ownWants });
        break;
      case 'wants':
      case 'bye':
        break;
      default:
        ignoreUnknown(message);
    }
  }

  close(): void {
    this.post({ type: 'bye', from: this.id });
    if (this.channel !== undefined) {
      this.channel.onmessage = null;
      this.channel.close();
    }
  }
}

/**
 * Turns worker results into the compositor's VisionResult: a skipped frame repeats the last
 * mask or hand of its worker, so the compositor's trackers hold instead of losing the hand.
 */
export class ResultCache {
  private mask: Uint8Array | null | undefined;
  private maskWidth = 0;
  private maskHeight = 0;
  private hand: Float32Array | null | undefined;

  resolve(result: WorkerResult, time: number): VisionResult {
    if (result.skipped) {
      const isSegment = result.role === 'segment';
      return {
        type: 'result',
        time,
        mask: isSegment ? this.mask : undefined,
        maskWidth: isSegment ? this.maskWidth : 0,
        maskHeight: isSegment ? this.maskHeight : 0,
        hand: isSegment ? undefined : this.hand,
        face: result.face,
        ms: result.ms,
      };
    }
    if (result.mask !== undefined) {
      this.mask = result.mask;
      this.maskWidth = result.maskWidth;
      this.maskHeight = result.maskHeight;
    }
    if (result.hand !== undefined) this.hand = result.hand;
    return {
      type: 'result',
      time,
      mask: result.mask,
      maskWidth: result.maskWidth,
      maskHeight: result.maskHeight,
      hand: result.hand,
      face: result.face,
      ms: result.ms,
    };
  }

  /** Forget the last results (a new engine, or a different camera). */
  reset(): void {
    this.mask = undefined;
    this.hand = undefined;
    this.maskWidth = 0;
    this.maskHeight = 0;
  }
}

/** The compiler proves every known message handled; at run time another version's message is dropped. */
function ignoreUnknown(_message: never): void {
  // Nothing to do: a window of another build may speak a message this one does not know.
}
