import { assertNever } from '../../../shared/assert-never';
import type { ChannelLike } from './bus';
import { noWants, ResultCache, sameWants, VisionBus, wantsRepeatMs } from './bus';
import type { LockManagerLike, VisionRole } from './election';
import { VisionElection } from './election';
import type {
  FromVision,
  ModelKey,
  VisionModels,
  VisionResult,
  VisionWants,
  WorkerResult,
  WorkerRole,
} from './protocol';
import { visionChannelName, visionLockName } from './protocol';
import { RateMeter, RollingAverage } from './stats';

export { RateMeter, RollingAverage } from './stats';

export interface VisionModelUrls extends VisionModels {
  wasmBase: string;
  /** Use the lite hand model (no usable GPU here, so the CPU is the bottleneck). */
  preferLite: boolean;
  /** Try MediaPipe's GPU delegate first (a hardware GPU); CPU otherwise or where it fails. */
  gpuDelegate?: boolean;
}

export interface VisionStats {
  /** In the workers: camera frame drawn down to the model inputs (+ change thumbnail), ms. */
  capture: RollingAverage;
  /** Segmenter inference, ms. */
  segment: RollingAverage;
  /** Mask read back and smoothed, ms. */
  readback: RollingAverage;
  hands: RollingAverage;
  face: RollingAverage;
  /** On this window's main thread: camera frame wrapped and posted to the workers, ms. */
  handoff: RollingAverage;
  /** Results of any kind per second. */
  rate: RateMeter;
  /** Segmentation masks actually inferred per second (skipped frames not counted). */
  maskRate: RateMeter;
  /** Hand-model runs per second (skipped frames not counted). */
  handRate: RateMeter;
  /** Frames skipped because they barely changed, per second. */
  skipped: RateMeter;
}

export interface VisionClientOptions {
  /** Longest side of the frame the hand model gets (default 480). */
  inferenceSide?: number;
  /** At most one frame per this many ms per worker (the control window's preview, when it leads). */
  minIntervalMs?: number;
  onModel?: (model: ModelKey, error: string | null) => void;
  /** 'program' takes inference over from any other window; 'preview' waits for it (default 'program'). */
  role?: VisionRole;
  /** For tests: the lock manager and channel (default navigator.locks and a BroadcastChannel). */
  locks?: LockManagerLike | null;
  channel?: ChannelLike | null;
}

/** One of the two inference workers, as the leader's main thread sees it. */
interface WorkerSlot {
  role: WorkerRole;
  worker: Worker;
  ready: boolean;
  /**
   * Frames given to the worker and not yet answered: at most two, the one it is working on and the
   * next, so it starts the next the moment it finishes instead of waiting for the camera's next
   * frame (a 41 ms inference would otherwise run at most every 66 ms at 30 fps).
   */
  inFlight: number;
  loaded: Set<ModelKey>;
  lastSentAt: number;
  /** Camera frame number last given to this worker. */
  lastSeq: number;
}

/** Frames one worker holds at most: the one it infers and the next (see `WorkerSlot.inFlight`). */
const maxInFlight = 2;

/**
 * The hand model takes a frame at most this often (15 a second): the product follows the palm
 * smoothly between results (One Euro filter and velocity), while the segmenter beside it needs
 * every spare cycle of a two-core PC for a clean edge at 15 masks a second.
 */
const handsIntervalMs = 66;

/** Face boxes are wanted a few times a second; a worker that does only faces gets frames this often. */
const faceOnlyIntervalMs = 200;

const randomId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Math.random()}`.slice(2);

/**
 * The studio's vision engine, as one window sees it. Exactly one window of the browser (elected
 * by Web Locks, the program first) runs inference: two workers, segmentation and hands, in
 * parallel, each given the newest camera frames as transferred VideoFrames, one being worked on
 * and one waiting, so a worker never idles for the camera and a slow machine gets fewer results,
 * never a backlog; the render loop never waits. The leader publishes every result on a BroadcastChannel; the other windows apply
 * them and start no workers. When the leader closes, the next window takes over by itself.
 */
export class VisionClient {
  private slots: WorkerSlot[] = [];
  private video: HTMLVideoElement | undefined;
  private frameCallback = 0;
  private cameraSeq = 0;
  private cameraAt = 0;
  private started = false;
  private closed = false;
  private leaderReady = false;
  private wants: VisionWants = noWants;
  /** The wants the workers were last told (the union over the windows). */
  private preparedWants: VisionWants = noWants;
  private readonly inferenceSide: number;
  private readonly minIntervalMs: number;
  private readonly onModel: ((model: ModelKey, error: string | null) => void) | undefined;
  private readonly election: VisionElection;
  private readonly bus: VisionBus;
  /** What runs each loaded model on the leader: 'GPU' or 'CPU'. */
  readonly delegates: Partial<Record<ModelKey, 'GPU' | 'CPU'>> = {};
  private readonly cache = new ResultCache();
  private repeatTimer: ReturnType<typeof setInterval> | undefined;
  readonly stats: VisionStats = {
    capture: new RollingAverage(),
    segment: new RollingAverage(),
    readback: new RollingAverage(),
    hands: new RollingAverage(),
    face: new RollingAverage(),
    handoff: new RollingAverage(),
    rate: new RateMeter(),
    maskRate: new RateMeter(),
    handRate: new RateMeter(),
    skipped: new RateMeter(),
  };
  /** Per model that finished loading: null when it loaded, else the error. */
  readonly failed: Record<string, string | null> = {};

  constructor(
    private readonly urls: VisionModelUrls,
    private readonly onResult: (result: VisionResult) => void,
    private readonly onError: (message: string) => void,
    options: VisionClientOptions = {},
  ) {
    this.inferenceSide = options.inferenceSide ?? 480;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.onModel = options.onModel;
    const locks =
      options.locks === null
        ? undefined
        : (options.locks ?? (typeof navigator !== 'undefined' ? navigator.locks : undefined));
    let channel: ChannelLike | undefined;
    if (options.channel !== null) {
      channel =
        options.channel ??
        (typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(visionChannelName));
    }
    this.bus = new VisionBus(channel, randomId(), {
      onResult: (result, time) => this.apply(result, time),
      onStatus: (ready, failed) => {
        this.leaderReady = ready;
        Object.assign(this.failed, failed);
      },
      onModel: (model, error) => this.modelLoaded(model, error),
      onFollowerWants: (isNew) => {
        if (isNew) this.publishStatus();
        if (this.isLeader) this.prepare();
      },
    });
    this.election = new VisionElection(visionLockName, options.role ?? 'program', locks, (leader) =>
      this.leadershipChanged(leader),
    );
  }

  /** Joins the studio's engine: runs inference if elected, else follows the window that does. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.bus.setLeader(false);
    this.repeatTimer = setInterval(() => this.bus.tick(), wantsRepeatMs);
    this.election.start();
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.onVisibility);
      this.onVisibility();
    }
  }

  private readonly onVisibility = (): void => this.election.setHidden(document.visibilityState === 'hidden');

  /** This window runs the studio's inference (false: it applies another window's results). */
  get isLeader(): boolean {
    return this.election.isLeader;
  }

  /** Which models frames should go through; starts loading them at once. */
  setWants(wants: VisionWants): void {
    this.wants = { ...wants };
    this.bus.setWants(this.wants);
    if (this.isLeader) this.prepare();
  }

  /** Follows a new camera video (or none). */
  setVideo(video: HTMLVideoElement | undefined): void {
    if (this.video === video) return;
    if (this.video !== undefined && this.frameCallback !== 0) this.video.cancelVideoFrameCallback(this.frameCallback);
    this.frameCallback = 0;
    this.video = video;
    this.cache.reset();
    if (video !== undefined && this.isLeader) this.frameCallback = video.requestVideoFrameCallback(this.onFrame);
  }

  get isReady(): boolean {
    return this.isLeader ? this.slots.some((s) => s.ready) : this.leaderReady;
  }

  private leadershipChanged(leader: boolean): void {
    if (this.closed) return;
    this.bus.setLeader(leader);
    this.cache.reset();
    if (leader) {
      this.startWorkers();
      if (this.video !== undefined && this.frameCallback === 0)
        this.frameCallback = this.video.requestVideoFrameCallback(this.onFrame);
    } else {
      this.stopWorkers();
      if (this.video !== undefined && this.frameCallback !== 0) this.video.cancelVideoFrameCallback(this.frameCallback);
      this.frameCallback = 0;
      this.leaderReady = false;
    }
  }

  private startWorkers(): void {
    if (this.slots.length > 0) return;
    for (const role of ['segment', 'hands'] as const) {
      const worker = new Worker(new URL('./vision-worker.ts', import.meta.url), { type: 'module' });
      const slot: WorkerSlot = {
        role,
        worker,
        ready: false,
        inFlight: 0,
        loaded: new Set(),
        lastSentAt: -Infinity,
        lastSeq: 0,
      };
      worker.onmessage = (event: MessageEvent<FromVision>) => this.receive(slot, event.data);
      worker.onerror = (event) => this.onError(event.message || `vision worker (${role}) failed`);
      worker.postMessage({
        type: 'init',
        role,
        wasmBase: this.urls.wasmBase,
        models: {
          hands: this.urls.hands,
          segmenter: this.urls.segmenter,
          face: this.urls.face,
          ...(this.urls.handsLite === undefined ? {} : { handsLite: this.urls.handsLite }),
          ...(this.urls.segmenterLandscape === undefined ? {} : { segmenterLandscape: this.urls.segmenterLandscape }),
        },
        preferLite: this.urls.preferLite,
        gpuDelegate: this.urls.gpuDelegate ?? false,
        handSide: this.inferenceSide,
      });
      this.slots.push(slot);
    }
    this.preparedWants = noWants;
    this.prepare();
  }

  private stopWorkers(): void {
    for (const slot of this.slots) {
      slot.worker.onmessage = null;
      slot.worker.postMessage({ type: 'close' });
    }
    this.slots = [];
  }

  /** Tells the workers what to load: the union of what the studio's windows want. */
  private prepare(): void {
    const wants = this.bus.wants();
    if (sameWants(wants, this.preparedWants)) return;
    this.preparedWants = wants;
    for (const slot of this.slots) slot.worker.postMessage({ type: 'prepare', wants });
  }

  private publishStatus(): void {
    if (this.isLeader) this.bus.publishStatus(this.isReady, { ...this.failed });
  }

  /** Whether `slot` has work for the current wants, and how often it may take a frame. */
  private interval(slot: WorkerSlot, wants: VisionWants): number | undefined {
    if (!slot.ready || slot.inFlight >= maxInFlight) return undefined;
    if (slot.role === 'hands')
      return wants.hands && slot.loaded.has('hands') ? Math.max(this.minIntervalMs, handsIntervalMs) : undefined;
    if (wants.segment && slot.loaded.has('segmenter')) return this.minIntervalMs;
    if (wants.face && slot.loaded.has('face')) return Math.max(this.minIntervalMs, faceOnlyIntervalMs);
    return undefined;
  }

  private readonly onFrame = (now: number): void => {
    const video = this.video;
    if (video === undefined || this.closed || !this.isLeader) return;
    this.frameCallback = video.requestVideoFrameCallback(this.onFrame);
    this.cameraSeq++;
    this.cameraAt = now;
    this.feed();
  };

  /** Gives the newest camera frame to every idle worker that has not had it yet. */
  private feed(): void {
    const video = this.video;
    if (video === undefined || this.cameraSeq === 0 || video.videoWidth === 0) return;
    this.prepare();
    const wants = this.preparedWants;
    const now = this.cameraAt;
    const targets: WorkerSlot[] = [];
    for (const slot of this.slots) {
      const interval = this.interval(slot, wants);
      if (interval === undefined || slot.lastSeq === this.cameraSeq) continue;
      if (now - slot.lastSentAt < interval) continue;
      targets.push(slot);
    }
    if (targets.length === 0) return;
    const t0 = performance.now();
    let frame: VideoFrame;
    try {
      // Wraps the decoded camera frame (no copy, no resize here): the workers scale it down.
      frame = new VideoFrame(video, { timestamp: Math.round(now * 1000) });
    } catch {
      return; // no frame yet (the video is between sources)
    }
    targets.forEach((slot, i) => {
      const f = i === targets.length - 1 ? frame : frame.clone();
      slot.inFlight++;
      slot.lastSentAt = now;
      slot.lastSeq = this.cameraSeq;
      slot.worker.postMessage({ type: 'frame', time: now, frame: f, wants }, [f]);
    });
    this.stats.handoff.push(performance.now() - t0);
  }

  private receive(slot: WorkerSlot, message: FromVision): void {
    if (this.closed) return;
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.publishStatus();
        break;
      case 'model':
        slot.loaded.add(message.model);
        if (message.delegate !== undefined) this.delegates[message.model] = message.delegate;
        this.bus.publishModel(message.model, message.error);
        this.modelLoaded(message.model, message.error);
        this.publishStatus();
        break;
      case 'result':
        slot.inFlight = Math.max(0, slot.inFlight - 1);
        this.bus.publishResult(message);
        this.apply(message, message.time);
        // A camera frame may have come while this worker was busy: it gets it now, not at the next one.
        this.feed();
        break;
      case 'error':
        slot.inFlight = Math.max(0, slot.inFlight - 1);
        this.onError(message.message);
        break;
      default:
        assertNever(message, 'vision worker message');
    }
  }

  private modelLoaded(model: ModelKey, error: string | null): void {
    this.failed[model] = error;
    if (this.onModel !== undefined) this.onModel(model, error);
    else if (error !== null) this.onError(`${model}: ${error}`);
  }

  /** Accounts for a result (own or the leader's) and hands it to the compositor. */
  private apply(result: WorkerResult, time: number): void {
    const s = this.stats;
    const ms = result.ms;
    s.rate.mark();
    if (ms.capture > 0) s.capture.push(ms.capture);
    if (ms.face > 0) s.face.push(ms.face);
    if (result.skipped) s.skipped.mark();
    else if (result.role === 'segment' && result.mask !== undefined) {
      s.maskRate.mark();
      s.segment.push(ms.segment);
      s.readback.push(ms.readback);
    } else if (result.role === 'hands' && result.hand !== undefined) {
      s.handRate.mark();
      s.hands.push(ms.hands);
    }
    this.onResult(this.cache.resolve(result, time));
  }

  /** Leaves the engine: stops this window's workers; another window takes inference over. */
  close(): void {
    if (this.closed) return;
    this.setVideo(undefined);
    this.closed = true;
    if (this.repeatTimer !== undefined) clearInterval(this.repeatTimer);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
    this.stopWorkers();
    this.election.close();
    this.bus.close();
  }
}
