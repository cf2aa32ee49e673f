import type { FromVision, VisionResult, VisionWants } from './protocol';

/** Rolling average over the last `n` samples, without allocation per sample. */
export class RollingAverage {
  private readonly values: Float64Array;
  private index = 0;
  private count = 0;
  private sum = 0;

  constructor(n = 30) {
    this.values = new Float64Array(n);
  }

  push(value: number): void {
    this.sum -= this.values[this.index]!;
    this.values[this.index] = value;
    this.sum += value;
    this.index = (this.index + 1) % this.values.length;
    this.count = Math.min(this.count + 1, this.values.length);
  }

  get average(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  get samples(): number {
    return this.count;
  }

  reset(): void {
    this.values.fill(0);
    this.index = 0;
    this.count = 0;
    this.sum = 0;
  }
}

export interface VisionModelUrls {
  wasmBase: string;
  hands: string;
  segmenter: string;
  face: string;
  handsLite?: string;
  segmenterLandscape?: string;
  /** Use the lite hand model (no usable GPU here, so the CPU is the bottleneck). */
  preferLite: boolean;
}

export interface VisionStats {
  capture: RollingAverage;
  segment: RollingAverage;
  hands: RollingAverage;
  face: RollingAverage;
  /** Results per second. */
  rate: RollingAverage;
  /** Segmentation masks and hand results per second. */
  maskRate: RollingAverage;
  handRate: RollingAverage;
}

/**
 * Feeds camera frames to the vision worker from requestVideoFrameCallback, one in flight at a
 * time: when the worker is busy the frame is skipped, so a slow machine gets fewer results, never
 * a queue and never a stalled render loop. The compositor predicts between results.
 */
export class VisionClient {
  private worker: Worker | undefined;
  private video: HTMLVideoElement | undefined;
  private frameCallback = 0;
  private inFlight = false;
  private ready = false;
  private lastResultAt = 0;
  private closed = false;
  /** Longest side of the frame given to the models; smaller is faster and as accurate for these models. */
  private readonly inferenceSide: number;
  private wants: VisionWants = { hands: false, segment: false, face: false };
  /** Models that finished loading in the worker. */
  private readonly loaded = new Set<'hands' | 'segmenter' | 'face'>();
  readonly stats: VisionStats = {
    capture: new RollingAverage(),
    segment: new RollingAverage(),
    hands: new RollingAverage(),
    face: new RollingAverage(),
    rate: new RollingAverage(),
    maskRate: new RollingAverage(),
    handRate: new RollingAverage(),
  };
  private lastMaskAt = 0;
  private lastHandAt = 0;

  /** This window runs inference (one engine per window for now). */
  get isLeader(): boolean {
    return this.worker !== undefined;
  }
  /** Per model that finished loading: null when it loaded, else the error. */
  readonly failed: Record<string, string | null> = {};

  constructor(
    private readonly urls: VisionModelUrls,
    private readonly onResult: (result: VisionResult) => void,
    private readonly onError: (message: string) => void,
    options: {
      inferenceSide?: number;
      minIntervalMs?: number;
      role?: 'program' | 'preview';
      onModel?: (model: 'hands' | 'segmenter' | 'face', error: string | null) => void;
    } = {},
  ) {
    this.inferenceSide = options.inferenceSide ?? 640;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.onModel = options.onModel;
  }

  /** At most one frame per this many ms (the control window's preview runs at a lower rate). */
  private readonly minIntervalMs: number;
  private lastSentAt = 0;
  private readonly onModel: ((model: 'hands' | 'segmenter' | 'face', error: string | null) => void) | undefined;

  /** Starts the worker (once) and loads the models. */
  start(): void {
    if (this.worker !== undefined || this.closed) return;
    const worker = new Worker(new URL('./vision-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromVision>) => this.receive(event.data);
    worker.onerror = (event) => this.onError(event.message || 'vision worker failed');
    worker.postMessage({
      type: 'init',
      wasmBase: this.urls.wasmBase,
      models: {
        hands: this.urls.hands,
        segmenter: this.urls.segmenter,
        face: this.urls.face,
        ...(this.urls.handsLite === undefined ? {} : { handsLite: this.urls.handsLite }),
        ...(this.urls.segmenterLandscape === undefined ? {} : { segmenterLandscape: this.urls.segmenterLandscape }),
      },
      preferLite: this.urls.preferLite,
    });
    this.worker = worker;
    worker.postMessage({ type: 'prepare', wants: this.wants });
  }

  /** Which models frames should go through; starts loading them at once. */
  setWants(wants: VisionWants): void {
    this.wants = wants;
    this.worker?.postMessage({ type: 'prepare', wants });
  }

  /** Follows a new camera video (or none). */
  setVideo(video: HTMLVideoElement | undefined): void {
    if (this.video === video) return;
    if (this.video !== undefined && this.frameCallback !== 0) this.video.cancelVideoFrameCallback(this.frameCallback);
    this.frameCallback = 0;
    this.video = video;
    if (video !== undefined) this.frameCallback = video.requestVideoFrameCallback(this.onFrame);
  }

  get isReady(): boolean {
    return this.ready;
  }

  private readonly onFrame = (now: number): void => {
    const video = this.video;
    if (video === undefined || this.closed) return;
    this.frameCallback = video.requestVideoFrameCallback(this.onFrame);
    // Frames only once a wanted model has loaded: before that they would come back empty, and
    // each one costs a bitmap copy here and time in the worker that model loading needs.
    const want = this.wants;
    const useful =
      (want.hands && this.loaded.has('hands')) ||
      (want.segment && this.loaded.has('segmenter')) ||
      (want.face && this.loaded.has('face'));
    if (!this.ready || this.inFlight || !useful || this.worker === undefined) return;
    if (now - this.lastSentAt < this.minIntervalMs) return;
    this.lastSentAt = now;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w === 0 || h === 0) return;
    this.inFlight = true;
    const scale = Math.min(1, this.inferenceSide / Math.max(w, h));
    const t0 = performance.now();
    const worker = this.worker;
    createImageBitmap(video, {
      resizeWidth: Math.round(w * scale),
      resizeHeight: Math.round(h * scale),
      resizeQuality: 'low',
    }).then(
      (bitmap) => {
        this.stats.capture.push(performance.now() - t0);
        if (this.closed) {
          bitmap.close();
          return;
        }
        worker.postMessage({ type: 'frame', time: now, bitmap, wants: { ...this.wants } }, [bitmap]);
      },
      () => {
        this.inFlight = false;
      },
    );
  };

  private receive(message: FromVision): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        break;
      case 'model':
        this.failed[message.model] = message.error;
        if (message.error === null) this.loaded.add(message.model);
        if (this.onModel !== undefined) this.onModel(message.model, message.error);
        else if (message.error !== null) this.onError(`${message.model}: ${message.error}`);
        break;
      case 'result': {
        this.inFlight = false;
        const now = performance.now();
        if (this.lastResultAt > 0) this.stats.rate.push(1000 / Math.max(1, now - this.lastResultAt));
        this.lastResultAt = now;
        if (message.mask !== null) {
          if (this.lastMaskAt > 0) this.stats.maskRate.push(1000 / Math.max(1, now - this.lastMaskAt));
          this.lastMaskAt = now;
        }
        if (message.ms.hands > 0) {
          if (this.lastHandAt > 0) this.stats.handRate.push(1000 / Math.max(1, now - this.lastHandAt));
          this.lastHandAt = now;
        }
        if (message.ms.segment > 0) this.stats.segment.push(message.ms.segment);
        if (message.ms.hands > 0) this.stats.hands.push(message.ms.hands);
        if (message.ms.face > 0) this.stats.face.push(message.ms.face);
        this.onResult(message);
        break;
      }
      case 'error':
        this.inFlight = false;
        this.onError(message.message);
        break;
    }
  }

  close(): void {
    this.closed = true;
    this.setVideo(undefined);
    this.worker?.postMessage({ type: 'close' });
    this.worker = undefined;
  }
}
