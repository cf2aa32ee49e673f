import { StudioError } from '../../shared/api/result';
import { assertNever } from '../../shared/assert-never';
import type { AnchorPose, HandAnchorOptions, Landmark, PalmObservation } from '../../shared/compositor/anchor';
import { defaultHandAnchor, emptyPose, HandAnchorTracker, landmark, observePalm } from '../../shared/compositor/anchor';
import type { Size } from '../../shared/compositor/coords';
import { coverFit } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import { orientationOf, safeArea } from '../../shared/compositor/safe-areas';
import type { Anchor, CompositorScene } from '../../shared/compositor/scene';
import { CanvasRenderer } from './canvas-renderer';
import type { BackSource, Box, FrameInputs, ModelHandle, TierRenderer } from './frame';
import { GlRenderer } from './gl-renderer';
import type { OverlayTexts } from './overlay-draw';
import type { OverlayAvoid } from './overlay-stack';
import { OverlayStack } from './overlay-stack';
import type { Tier, TierInfo } from './tier';
import { detectTier, isSoftwareRenderer } from './tier';
import type { VisionResult } from './vision/protocol';
import { RollingAverage, VisionClient } from './vision/vision-client';

/** Absolute URLs of everything the compositor loads besides assets. */
export interface CompositorUrls {
  /** Folder with draco/ and basis/ decoders (trailing slash). */
  vendor: string;
  wasm: string;
  hands: string;
  segmenter: string;
  face: string;
  handsLite?: string;
  segmenterLandscape?: string;
}

type ModelName = 'hands' | 'segmenter' | 'face';

export interface CompositorOptions {
  canvas: HTMLCanvasElement;
  /** Logical output size (the program size). */
  size: Size;
  /** Drawing-buffer pixels per output pixel (1 for the program, less for the preview). */
  renderScale?: number;
  urls: CompositorUrls;
  texts: OverlayTexts;
  /** Page-relative URL of an asset, or undefined if unknown. */
  resolveAsset(assetId: string): Promise<string | undefined>;
  onError(error: StudioError): void;
  /** Fires once per setScene, after the first frame that shows it is drawn. */
  onSceneReady(): void;
  /** The tier was chosen, or changed after a context loss. */
  onTier?(info: TierInfo): void;
  /** Render at most this often when the camera gives no new frame (animations, countdown). */
  maxFps?: number;
  /** Longest side of frames given to MediaPipe. */
  inferenceSide?: number;
  /** Give MediaPipe at most one frame per this many ms (preview: spare the CPU for the program). */
  visionIntervalMs?: number;
  /** The program runs the studio's one vision engine; a preview takes its results. */
  visionRole?: 'program' | 'preview';
  /** Lower the drawing-buffer resolution when frames are too slow (program output). */
  adaptive?: boolean;
  /** Force a tier ('gpu' | 'software' | 'none'; support and tests); otherwise probed. */
  tier?: string | null;
  /** `gpu` or `cpu` forces MediaPipe's delegate (support, tests); otherwise GPU on a hardware GPU tier. */
  visionDelegate?: string | null;
  /** A model finished loading (error null) or failed. */
  onVisionModel?: (model: ModelName, error: string | null) => void;
}

/** What the HUD and tests read; numbers are rolling averages in ms unless named otherwise. */
export interface CompositorSnapshot {
  fps: number;
  renderMs: number;
  /** Milliseconds per drawing stage (software tier: picture, product, overlays). */
  stageMs: Record<string, number>;
  /** 95th percentile of the interval between drawn frames, over the last 120 frames. */
  frameTimeP95: number;
  captureMs: number;
  segmentMs: number;
  handsMs: number;
  faceMs: number;
  visionRate: number;
  /** Camera frames the vision engine skipped because they barely changed, per second. */
  skippedRate: number;
  /** What runs each loaded model: MediaPipe's 'GPU' or 'CPU' delegate. */
  visionDelegates: Partial<Record<'hands' | 'segmenter' | 'face', 'GPU' | 'CPU'>>;
  /** Segmentation masks and hand results per second (real inferences). */
  maskRate: number;
  handRate: number;
  /** This window runs the studio's inference (others take its results). */
  visionLeader: boolean;
  /** Camera frame available → program frame drawn with it. */
  latencyMs: number;
  frames: number;
  contextLosses: number;
  contextLost: boolean;
  visionReady: boolean;
  /** A segmentation mask has arrived (the background effect is showing). */
  maskReady: boolean;
  /** Per model, the load error (null or absent when it loaded). */
  visionFailed: Record<string, string | null>;
  memory: { geometries: number; textures: number; programs: number };
  hand: { found: boolean; x: number; y: number; size: number; at: number };
  product: {
    visible: boolean;
    x: number;
    y: number;
    state: AnchorPose['state'];
    url: string | null;
    /** The palm of the hand result the drawn product follows (`hand` may be a newer one, not drawn yet). */
    palm: { x: number; y: number; size: number; at: number };
  };
  /** The product's box on the output (px), and the host's face box, if known. */
  productBox: Rect | null;
  faceBox: Rect | null;
  overlayBoxes: { id: string; x: number; y: number; width: number; height: number }[];
  camera: { width: number; height: number };
  /** The main camera's track ('' for none or the demo clip). */
  mainTrackId: string;
  sceneGeneration: number;
  /** Drawing-buffer pixels per output pixel now (lower when frames were too slow). */
  resolutionScale: number;
  /** WebGL runs on a software rasteriser (no GPU, or a blocked driver). */
  softwareGl: boolean;
  tier: Tier;
  /** The product is drawn in 3D (false: as its photo). */
  product3d: boolean;
}

const faceAnchor: HandAnchorOptions = { ...defaultHandAnchor, liftPalms: 0, sizePalms: 1.2 };

/**
 * The program picture: camera, background effect, 3D product and overlays. React configures it
 * (setScene, setCameras); the frame loop only mutates preallocated objects. The tier's renderer
 * draws (GlRenderer on a GPU, CanvasRenderer on a software rasteriser or without WebGL);
 * inference runs in workers and the loop draws every frame regardless, predicting in between.
 */
export class Compositor {
  private readonly options: CompositorOptions;
  private canvas: HTMLCanvasElement;
  private size: Size;
  private readonly renderScale: number;
  /** Drawing-buffer scale picked by frame time: 1, then 0.75, 0.5 when frames are too slow. */
  private adaptiveLevel = 0;
  private adaptiveCheckedAt = 0;
  private fastSince = 0;
  private tierInfo: TierInfo;
  private renderer: TierRenderer;
  private vision: VisionClient;
  private readonly overlays: OverlayStack;

  private scene: CompositorScene | undefined;
  private generation = 0;
  private readyGeneration = 0;
  private main: HTMLVideoElement | undefined;
  private guest: HTMLVideoElement | undefined;
  private back: BackSource | null = null;
  private disposeBack: (() => void) | undefined;
  private backKey = '';
  private modelKey = '';
  private photoKey = '';
  private photo: ImageBitmap | null = null;
  private maskArrivedAt = 0;
  private drawFailedGeneration = 0;
  private readySince = 0;

  // Per-frame state, allocated once.
  private readonly frameInputs: FrameInputs;
  private readonly mainRect = { x: 0, y: 0, width: 0, height: 0 };
  private readonly guestRect = { x: 0, y: 0, width: 0, height: 0 };
  /** The guest's picture, which overlays keep clear of (one array, not one per frame). */
  private readonly guestKeepOut: readonly Rect[] = [this.guestRect];
  /** What the overlays keep clear of this frame (filled per frame, never reallocated). */
  private readonly avoid: OverlayAvoid = { face: null, product: null };
  private readonly pose: AnchorPose = emptyPose();
  private readonly handTracker = new HandAnchorTracker();
  private readonly faceTracker = new HandAnchorTracker(faceAnchor);
  private readonly palm = { x: 0, y: 0, size: 0, roll: 0, yaw: 0, pinch: 0 } as PalmObservation;
  // Written in place from each hand result (no allocation per frame): MediaPipe's 0–1 frame coordinates.
  private readonly landmarks: Landmark[] = Array.from({ length: 21 }, () => landmark(0, 0, 0));
  private readonly lastHand = { found: false, x: 0, y: 0, size: 0, at: 0 };
  /** The palm of the hand result behind the last drawn frame's product. */
  private readonly drawnPalm = { x: 0, y: 0, size: 0, at: 0 };
  private readonly productRect: Box = { x: 0, y: 0, width: 0, height: 0 };
  private readonly faceRect: Box = { x: 0, y: 0, width: 0, height: 0 };
  private faceSeenAt = 0;
  private safe: Rect = { x: 0, y: 0, width: 0, height: 0 };

  private raf = 0;
  private running = false;
  /** The GPU tier's context is lost: drawing pauses until it returns. */
  private contextLost = false;
  /** A context this compositor owns is lost (in the software tier only the product box pauses). */
  private glLost = false;
  private contextLosses = 0;
  private frames = 0;
  private lastRenderAt = 0;
  private mainFrameSeq = 0;
  private mainFrameAt = 0;
  private renderedSeq = 0;
  private mainFrameCallback = 0;
  private readonly renderMs = new RollingAverage(60);
  private readonly frameInterval = new RollingAverage(60);
  private readonly intervals = new Float64Array(120);
  private intervalIndex = 0;
  private intervalCount = 0;
  private readonly latency = new RollingAverage(60);

  constructor(options: CompositorOptions) {
    this.options = options;
    this.canvas = options.canvas;
    this.size = options.size;
    this.renderScale = options.renderScale ?? 1;
    this.tierInfo = detectTier(options.tier ?? null);
    this.renderer = this.createRenderer();
    this.overlays = new OverlayStack(this.renderScale);
    this.frameInputs = {
      now: 0,
      size: this.size,
      mainRect: this.mainRect,
      mainFit: coverFit({ width: 1, height: 1 }, { width: 1, height: 1 }),
      camera: undefined,
      mode: 'camera',
      blurStrength: 0,
      back: null,
      backFit: null,
      maskMix: 0,
      guest: null,
      product: { visible: false, pose: this.pose, scale: 1 },
      overlays: [],
      productFps: 15,
    };
    this.vision = this.createVision(options.urls, options.onVisionModel);
    this.applySize();
    options.onTier?.(this.tierInfo);
  }

  /** The renderer for the current tier, on the current canvas. */
  private createRenderer(): TierRenderer {
    const { tier } = this.tierInfo;
    let renderer: TierRenderer;
    if (tier === 'gpu') {
      renderer = new GlRenderer(this.canvas, this.options.urls.vendor, isSoftwareRenderer(this.tierInfo.glRenderer));
    } else {
      renderer = new CanvasRenderer(this.canvas, tier, this.options.urls.vendor);
      if (renderer.tier !== tier) this.tierInfo = { ...this.tierInfo, tier: renderer.tier };
    }
    renderer.onContextChange(this.onContextChange);
    return renderer;
  }

  /** Replaces the vision worker, e.g. to fall back from downloaded models to the bundled ones. */
  restartVision(
    urls: Omit<CompositorUrls, 'vendor'>,
    onModel?: (model: ModelName, error: string | null) => void,
  ): void {
    this.vision.close();
    this.vision = this.createVision(urls, onModel);
    this.updateVisionWants();
    this.vision.setVideo(this.main);
    if (this.running) this.vision.start();
  }

  private createVision(
    urls: Omit<CompositorUrls, 'vendor'>,
    onModel?: (model: ModelName, error: string | null) => void,
  ): VisionClient {
    return new VisionClient(
      {
        wasmBase: urls.wasm,
        hands: urls.hands,
        segmenter: urls.segmenter,
        face: urls.face,
        ...(urls.handsLite === undefined ? {} : { handsLite: urls.handsLite }),
        ...(urls.segmenterLandscape === undefined ? {} : { segmenterLandscape: urls.segmenterLandscape }),
        preferLite: this.tierInfo.tier !== 'gpu',
        gpuDelegate: this.wantsGpuDelegate(),
      },
      this.onVision,
      (message) =>
        this.options.onError(
          new StudioError('compositor/vision-failed', 'Hand and person tracking stopped.', { detail: message }),
        ),
      {
        role: this.options.visionRole ?? 'program',
        ...(this.options.inferenceSide === undefined ? {} : { inferenceSide: this.options.inferenceSide }),
        ...(this.options.visionIntervalMs === undefined ? {} : { minIntervalMs: this.options.visionIntervalMs }),
        ...(onModel === undefined ? {} : { onModel }),
      },
    );
  }

  /** Starts the frame loop and the vision engine. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.vision.start();
    this.raf = requestAnimationFrame(this.frame);
  }

  get tier(): TierInfo {
    return this.tierInfo;
  }

  /** Changes the logical output size (settings changed). */
  setSize(size: Size): void {
    this.size = size;
    this.applySize();
  }

  private applySize(): void {
    const scale = this.renderScale * adaptiveScales[this.adaptiveLevel]!;
    this.renderer.setSize(this.size, scale);
    this.frameInputs.size = this.size;
    this.safe = safeArea(this.size, orientationOf(this.size));
    this.overlays.invalidate();
    this.layout();
  }

  /** Sets the main and guest camera videos (playing, owned by the caller). */
  setCameras(main: HTMLVideoElement | undefined, guest: HTMLVideoElement | undefined): void {
    if (main !== this.main) {
      if (this.main !== undefined && this.mainFrameCallback !== 0)
        this.main.cancelVideoFrameCallback(this.mainFrameCallback);
      this.mainFrameCallback = 0;
      this.main = main;
      // A new camera: its old mask and hand no longer fit; the effect eases in again.
      this.maskArrivedAt = 0;
      this.handTracker.reset();
      this.faceTracker.reset();
      if (main !== undefined) this.mainFrameCallback = main.requestVideoFrameCallback(this.onMainFrame);
      this.vision.setVideo(main);
    }
    this.guest = guest;
    this.layout();
  }

  /** Shows `scene`: overlays and layout at once, model and background when loaded. */
  async setScene(scene: CompositorScene): Promise<void> {
    const generation = ++this.generation;
    this.scene = scene;
    this.overlays.invalidate();
    this.layout();
    this.updateVisionWants();

    const modelKey = this.renderer.has3d ? (scene.model?.assetId ?? '') : '';
    const photoKey = scene.model?.photoAssetId ?? '';
    const backKey =
      scene.background.kind === 'image' || scene.background.kind === 'video'
        ? `${scene.background.kind}:${scene.background.assetId}`
        : '';
    const [model, back, photo] = await Promise.allSettled([
      modelKey !== this.modelKey ? this.loadModel(modelKey) : Promise.resolve(null),
      backKey !== this.backKey ? this.loadBackground(scene) : Promise.resolve(null),
      photoKey !== this.photoKey ? this.loadPhoto(photoKey) : Promise.resolve(null),
    ]);
    if (generation !== this.generation) {
      // A newer scene came while loading: throw away what this one loaded.
      if (model.status === 'fulfilled' && model.value !== null && model.value !== undefined)
        this.renderer.discardModel(model.value);
      if (back.status === 'fulfilled' && back.value !== null) back.value.dispose();
      if (photo.status === 'fulfilled' && photo.value !== null) photo.value?.close();
      return;
    }
    if (model.status === 'fulfilled') {
      if (model.value !== null) {
        this.renderer.showModel(model.value);
        this.modelKey = modelKey;
      }
    } else {
      // The studio keeps running without the product; the operator sees why.
      this.renderer.showModel(undefined);
      this.modelKey = '';
      this.options.onError(asStudioError(model.reason));
    }
    if (photo.status === 'fulfilled') {
      if (photo.value !== null) this.swapPhoto(photo.value ?? null, photoKey);
    } else {
      this.swapPhoto(null, '');
      // Only the tier without 3D shows the photo: elsewhere a missing photo is not a fault.
      if (!this.renderer.has3d) this.options.onError(asStudioError(photo.reason));
    }
    if (back.status === 'fulfilled') {
      if (back.value !== null) this.swapBackground(back.value.source, back.value.dispose, backKey);
    } else {
      this.swapBackground(null, undefined, '');
      this.options.onError(asStudioError(back.reason));
    }
    if (backKey === '' && this.backKey !== '') this.swapBackground(null, undefined, '');
    this.readyGeneration = generation;
    this.readySince = performance.now();
  }

  private async loadModel(assetId: string): Promise<ModelHandle | undefined> {
    if (assetId === '') return undefined;
    const url = await this.options.resolveAsset(assetId);
    if (url === undefined)
      throw new StudioError('assets/not-found', 'The product model is not in the asset library.', {
        params: { id: assetId },
      });
    return this.renderer.loadModel(url);
  }

  private async fetchBitmap(assetId: string, what: string): Promise<ImageBitmap> {
    const url = await this.options.resolveAsset(assetId);
    const response = url === undefined ? undefined : await fetch(url).catch(() => undefined);
    if (response?.ok !== true)
      throw new StudioError('assets/not-found', `The ${what} could not be read.`, { params: { id: assetId } });
    try {
      return await createImageBitmap(await response.blob());
    } catch (error) {
      throw new StudioError('assets/unreadable', `The ${what} cannot be read.`, { detail: String(error) });
    }
  }

  private async loadPhoto(assetId: string): Promise<ImageBitmap | undefined> {
    if (assetId === '') return undefined;
    return this.fetchBitmap(assetId, 'product photo');
  }

  private async loadBackground(scene: CompositorScene): Promise<{ source: BackSource; dispose(): void } | null> {
    const bg = scene.background;
    if (bg.kind !== 'image' && bg.kind !== 'video') return null;
    if (bg.kind === 'image') {
      const image = await this.fetchBitmap(bg.assetId, 'background image');
      return {
        source: { kind: 'image', image, width: image.width, height: image.height },
        dispose: () => image.close(),
      };
    }
    const url = await this.options.resolveAsset(bg.assetId);
    if (url === undefined)
      throw new StudioError('assets/not-found', 'The background is not in the asset library.', {
        params: { id: bg.assetId },
      });
    const video = document.createElement('video');
    video.muted = true;
    video.loop = true;
    video.playsInline = true;
    video.src = url;
    try {
      await video.play();
    } catch (error) {
      throw new StudioError('assets/unreadable', 'The background video cannot be played.', { detail: String(error) });
    }
    return {
      source: { kind: 'video', video },
      dispose: () => {
        video.pause();
        video.removeAttribute('src');
        video.load();
      },
    };
  }

  private swapBackground(source: BackSource | null, dispose: (() => void) | undefined, key: string): void {
    const previous = this.disposeBack;
    this.back = source;
    this.disposeBack = dispose;
    this.backKey = key;
    this.layout();
    // The renderer lets go of the old source on its next frame; the pixels are freed after it.
    if (previous !== undefined) requestAnimationFrame(() => requestAnimationFrame(previous));
  }

  private swapPhoto(photo: ImageBitmap | null, key: string): void {
    const previous = this.photo;
    this.photo = photo;
    this.photoKey = key;
    this.renderer.setProductPhoto(photo);
    if (previous !== null && previous !== photo) previous.close();
  }

  private overlaysVisible(): boolean {
    const o = this.scene?.overlays;
    if (o === undefined) return false;
    return o.productCard.visible || o.priceTag.visible || o.lowerThird.visible || o.qr.visible || o.coupon.visible;
  }

  private updateVisionWants(): void {
    const scene = this.scene;
    this.vision.setWants({
      segment: scene !== undefined && scene.background.kind !== 'camera',
      hands: scene?.model?.anchor === 'hand',
      // The face box keeps the overlays off the host's face, and anchors a product beside it.
      face: scene?.model?.anchor === 'face' || this.overlaysVisible(),
    });
  }

  /** Rectangles and fits that change only with scene, size or cameras. */
  private layout(): void {
    const { width, height } = this.size;
    const layout = this.scene?.layout ?? 'single';
    const sideBySide = layout === 'side-by-side' && this.guest !== undefined;
    const r = this.mainRect;
    r.x = 0;
    r.y = 0;
    r.width = sideBySide ? Math.round(width / 2) : width;
    r.height = height;
    const f = this.frameInputs;
    f.mainFit = coverFit(this.mainSize(), r);
    const back = this.back;
    const bw = back === null ? 0 : back.kind === 'image' ? back.width : back.video.videoWidth;
    const bh = back === null ? 0 : back.kind === 'image' ? back.height : back.video.videoHeight;
    f.backFit = bw > 0 && bh > 0 ? coverFit({ width: bw, height: bh }, r) : null;
    const guestVisible = this.guest !== undefined && (layout === 'pip' || layout === 'side-by-side');
    if (guestVisible && this.guest !== undefined) {
      const g = sideBySide ? { x: r.width, y: 0, width: width - r.width, height } : pipRect(this.safe, this.size);
      Object.assign(this.guestRect, g);
      f.guest = { video: this.guest, rect: this.guestRect, radius: sideBySide ? 0 : 18 };
    } else {
      f.guest = null;
    }
  }

  private mainSize(): Size {
    const v = this.main;
    return { width: v?.videoWidth || 16, height: v?.videoHeight || 9 };
  }

  private readonly onMainFrame = (now: number): void => {
    const video = this.main;
    if (video === undefined) return;
    this.mainFrameCallback = video.requestVideoFrameCallback(this.onMainFrame);
    this.mainFrameSeq++;
    this.mainFrameAt = now;
    // Camera size can change (device switch, rotation): refit when it does.
    const cam = this.mainSize();
    const fit = this.frameInputs.mainFit;
    if (Math.abs(cam.width * fit.scale - (this.mainRect.width - 2 * fit.offsetX)) > 1) this.layout();
  };

  private readonly onVision = (result: VisionResult): void => {
    const now = performance.now();
    if (result.mask !== undefined && result.mask !== null) {
      this.renderer.updateMask(result.mask, result.maskWidth, result.maskHeight);
      if (this.maskArrivedAt === 0) this.maskArrivedAt = now;
    }
    const cam = this.mainSize();
    const fit = this.frameInputs.mainFit;
    if (result.hand !== undefined && result.hand !== null) {
      const h = result.hand;
      for (let i = 0; i < 21; i++) {
        const l = this.landmarks[i] as { x: number; y: number; z: number };
        l.x = h[i * 3]!;
        l.y = h[i * 3 + 1]!;
        l.z = h[i * 3 + 2]!;
      }
      const obs = observePalm(this.landmarks, cam, fit, false, this.palm);
      if (obs !== undefined) {
        this.handTracker.update(obs, result.time, now);
        this.lastHand.found = true;
        this.lastHand.x = obs.x;
        this.lastHand.y = obs.y;
        this.lastHand.size = obs.size;
        this.lastHand.at = result.time;
      }
    } else if (result.hand === null) {
      this.lastHand.found = false;
    }
    if (result.face !== undefined && result.face !== null) {
      const [fx, fy, fw, fh] = result.face as unknown as [number, number, number, number];
      const left = fit.offsetX + fx * cam.width * fit.scale;
      const top = fit.offsetY + fy * cam.height * fit.scale;
      const w = fw * cam.width * fit.scale;
      const h = fh * cam.height * fit.scale;
      this.observeFace(left, top, w, h, now);
      // Beside the face, on the side with more room.
      const right = left + w / 2 < this.mainRect.width / 2;
      const o = this.palm;
      o.x = right ? left + w * 1.6 : left - w * 0.6;
      o.y = top + h * 0.7;
      o.size = h;
      o.roll = 0;
      o.yaw = 0;
      o.pinch = 1;
      this.faceTracker.update(o, result.time, now);
    }
  };

  /** Follows the face box smoothly (it keeps overlays away, so it must not jitter). */
  private observeFace(x: number, y: number, w: number, h: number, now: number): void {
    const f = this.faceRect;
    const fresh = now - this.faceSeenAt > 1500 || f.width === 0;
    const k = fresh ? 1 : 0.35;
    f.x += (x - f.x) * k;
    f.y += (y - f.y) * k;
    f.width += (w - f.width) * k;
    f.height += (h - f.height) * k;
    this.faceSeenAt = now;
  }

  private faceBox(now: number): Rect | null {
    return this.faceSeenAt > 0 && now - this.faceSeenAt < 2000 && this.faceRect.width > 0 ? this.faceRect : null;
  }

  private readonly frame = (now: number): void => {
    if (!this.running) return;
    this.raf = requestAnimationFrame(this.frame);
    if (this.contextLost) return;
    const newCameraFrame = this.mainFrameSeq !== this.renderedSeq;
    // A preview beside the program (which runs the vision engine) is a monitor: it draws at a
    // third of the rate and asks for few product boxes, leaving the CPU to the program.
    const following = this.options.visionRole === 'preview' && !this.vision.isLeader;
    const maxFps = following ? Math.min(this.options.maxFps ?? 30, 10) : (this.options.maxFps ?? 30);
    this.frameInputs.productFps = following ? 4 : 15;
    // The program draws every camera frame; a preview (lower maxFps) draws at most maxFps, and
    // without new camera frames only animations (turntable, countdown) ask for frames.
    const early = now - this.lastRenderAt < 1000 / maxFps - 2;
    if (early && !(newCameraFrame && maxFps >= 30)) return;
    if (this.lastRenderAt > 0) {
      const interval = now - this.lastRenderAt;
      this.frameInterval.push(interval);
      this.intervals[this.intervalIndex] = interval;
      this.intervalIndex = (this.intervalIndex + 1) % this.intervals.length;
      this.intervalCount = Math.min(this.intervalCount + 1, this.intervals.length);
    }
    this.lastRenderAt = now;
    const t0 = performance.now();
    try {
      this.draw(t0);
    } catch (error) {
      // One bad frame must not stop the loop; the operator hears of it once per scene.
      if (this.drawFailedGeneration !== this.generation) this.options.onError(asStudioError(error));
      this.drawFailedGeneration = this.generation;
    }
    const t1 = performance.now();
    this.renderMs.push(t1 - t0);
    if (newCameraFrame && this.mainFrameAt > 0) {
      this.latency.push(t1 - this.mainFrameAt);
      this.renderedSeq = this.mainFrameSeq;
    }
    this.frames++;
    this.adapt(now);
    // Ready once the scene is on screen with its product: the product's first 3D box comes from
    // a worker a few frames later (given up on after 1.5 s, e.g. a hand not yet in view).
    const productWait = this.renderer.productPending?.() === true && now - this.readySince < 1500;
    if (this.readyGeneration !== 0 && !productWait) {
      this.readyGeneration = 0;
      this.options.onSceneReady();
    }
  };

  private draw(now: number): void {
    const scene = this.scene;
    const f = this.frameInputs;
    f.now = now;
    f.camera = this.main;
    const bg = scene?.background;
    const mode = bg === undefined || bg.kind === 'camera' ? 'camera' : bg.kind === 'blur' ? 'blur' : 'replace';
    f.mode = mode === 'replace' && this.back === null ? 'camera' : mode;
    f.back = this.back;
    f.blurStrength = bg?.kind === 'blur' ? bg.strength : 0;
    // Ease the effect in over 300 ms when the first mask arrives, instead of popping.
    f.maskMix = this.maskArrivedAt === 0 ? 0 : Math.min(1, (now - this.maskArrivedAt) / 300);
    const model = scene?.model;
    const product = f.product;
    if (model !== undefined && model !== null) {
      this.poseFor(model.anchor, now);
      product.visible = true;
      product.scale = model.scale;
    } else {
      product.visible = false;
    }
    // Overlays are laid out around where the product and the face were in the last frame.
    const productBox = this.renderer.productBox(this.productRect);
    const avoid = this.avoid;
    avoid.face = this.faceBox(now);
    avoid.product = productBox.width > 0 ? productBox : null;
    avoid.keepOut = f.guest === null ? undefined : this.guestKeepOut;
    f.overlays = this.overlays.update(scene, this.safe, this.size, this.options.texts, avoid, now);
    this.renderer.draw(f);
  }

  /** Degrades the drawing-buffer resolution when frames are too slow, and restores it when they are fast. */
  private adapt(now: number): void {
    if (!(this.options.adaptive ?? false) || now - this.adaptiveCheckedAt < 2000 || this.frameInterval.samples < 30)
      return;
    this.adaptiveCheckedAt = now;
    const fps = 1000 / this.frameInterval.average;
    const target = this.options.maxFps ?? 30;
    if (fps < target * 0.8 && this.adaptiveLevel < adaptiveScales.length - 1) {
      this.adaptiveLevel++;
      this.fastSince = 0;
      this.frameInterval.reset();
      this.applySize();
    } else if (fps > target * 0.95 && this.adaptiveLevel > 0) {
      if (this.fastSince === 0) this.fastSince = now;
      if (now - this.fastSince > 8000) {
        this.adaptiveLevel--;
        this.fastSince = 0;
        this.frameInterval.reset();
        this.applySize();
      }
    } else {
      this.fastSince = 0;
    }
  }

  /** Notes which palm the pose just sampled follows: the tracker's last result is `lastHand`'s. */
  private followedPalm(): void {
    const h = this.lastHand;
    const p = this.drawnPalm;
    p.x = h.x;
    p.y = h.y;
    p.size = h.size;
    p.at = h.at;
  }

  private poseFor(anchor: Anchor, now: number): void {
    const pose = this.pose;
    switch (anchor) {
      case 'hand':
        this.handTracker.sample(now, pose);
        this.followedPalm();
        return;
      case 'face':
        this.faceTracker.sample(now, pose);
        return;
      case 'turntable':
      case 'fixed': {
        const portrait = this.size.height > this.size.width;
        const s = this.safe;
        pose.x = portrait ? s.x + s.width / 2 : s.x + s.width * 0.72;
        pose.y = portrait ? s.y + s.height * 0.58 : s.y + s.height * 0.55;
        pose.size = portrait ? s.width * 0.55 : s.height * 0.42;
        pose.roll = 0;
        pose.pinchScale = 1;
        pose.opacity = 1;
        pose.state = 'tracking';
        pose.yaw = anchor === 'turntable' ? ((now / 1000) * 0.8) % (Math.PI * 2) : 0.5;
        return;
      }
      default:
        assertNever(anchor, 'anchor');
    }
  }

  /** MediaPipe on the GPU where the picture is drawn by a real one (a software GL would be slower than the CPU path). */
  private wantsGpuDelegate(): boolean {
    const forced = this.options.visionDelegate;
    if (forced === 'gpu' || forced === 'cpu') return forced === 'gpu';
    return this.tierInfo.tier === 'gpu' && !isSoftwareRenderer(this.tierInfo.glRenderer);
  }

  /** For the HUD and tests; allocates, so call it at most a few times per second. */
  snapshot(): CompositorSnapshot {
    const stats = this.vision.stats;
    const now = performance.now();
    const box = this.renderer.productBox({ x: 0, y: 0, width: 0, height: 0 });
    const face = this.faceBox(now);
    const track = (this.main?.srcObject as MediaStream | null | undefined)?.getVideoTracks()[0];
    return {
      fps: this.frameInterval.average > 0 ? 1000 / this.frameInterval.average : 0,
      renderMs: this.renderMs.average,
      stageMs: this.renderer.stages?.() ?? {},
      frameTimeP95: percentile(this.intervals.subarray(0, this.intervalCount), 0.95),
      captureMs: stats.capture.average,
      segmentMs: stats.segment.average,
      handsMs: stats.hands.average,
      faceMs: stats.face.average,
      visionRate: stats.rate.average,
      skippedRate: stats.skipped.average,
      visionDelegates: { ...this.vision.delegates },
      maskRate: stats.maskRate.average,
      handRate: stats.handRate.average,
      visionLeader: this.vision.isLeader,
      latencyMs: this.latency.average,
      frames: this.frames,
      contextLosses: this.contextLosses,
      contextLost: this.glLost,
      visionReady: this.vision.isReady,
      maskReady: this.maskArrivedAt > 0,
      visionFailed: { ...this.vision.failed },
      memory: this.renderer.memory(),
      hand: { ...this.lastHand },
      product: {
        visible: box.width > 0,
        x: box.x + box.width / 2,
        y: box.y + box.height / 2,
        state: this.pose.state,
        url: this.renderer.loadedModelUrl ?? null,
        palm: { ...this.drawnPalm },
      },
      productBox: box.width > 0 ? box : null,
      faceBox: face === null ? null : { ...face },
      overlayBoxes: this.overlays.boxes(),
      camera: this.mainSize(),
      mainTrackId: track?.id ?? '',
      sceneGeneration: this.generation,
      resolutionScale: this.renderScale * adaptiveScales[this.adaptiveLevel]!,
      softwareGl: this.tierInfo.tier !== 'gpu' || isSoftwareRenderer(this.tierInfo.glRenderer),
      tier: this.tierInfo.tier,
      product3d: this.renderer.has3d,
    };
  }

  /** Redraws the overlays (fonts arrived, language changed). */
  invalidateOverlays(texts?: OverlayTexts): void {
    if (texts !== undefined) this.options.texts = texts;
    this.overlays.invalidate();
  }

  private readonly onContextChange = (lost: boolean): void => {
    this.glLost = lost;
    if (lost) {
      this.contextLosses++;
      // The GPU tier pauses (three.js keeps the context restorable); the software tier only
      // loses its product box until the context returns.
      if (this.renderer.tier === 'gpu') this.contextLost = true;
      this.options.onError(
        new StudioError('compositor/context-lost', 'The graphics driver reset; the picture is recovering.'),
      );
      return;
    }
    this.contextLost = false;
    this.overlays.invalidate();
    this.recheckTier();
  };

  /** After a context loss the driver may have changed (a GPU fell back to software): re-probe. */
  private recheckTier(): void {
    if (this.tierInfo.forced) return;
    const next = detectTier(null);
    if (next.tier === this.tierInfo.tier) return;
    this.tierInfo = next;
    // A canvas keeps the kind of context it was first given: the new tier needs a new canvas.
    const fresh = document.createElement('canvas');
    fresh.className = this.canvas.className;
    this.canvas.replaceWith(fresh);
    this.renderer.dispose();
    this.canvas = fresh;
    this.renderer = this.createRenderer();
    this.renderer.setProductPhoto(this.photo);
    this.maskArrivedAt = 0;
    this.modelKey = '';
    this.applySize();
    if (this.scene !== undefined) void this.setScene(this.scene);
    this.options.onTier?.(this.tierInfo);
  }

  /** Stops everything and frees every GPU and media resource this compositor created. */
  dispose(): void {
    this.running = false;
    cancelAnimationFrame(this.raf);
    if (this.main !== undefined && this.mainFrameCallback !== 0)
      this.main.cancelVideoFrameCallback(this.mainFrameCallback);
    this.vision.close();
    this.disposeBack?.();
    this.disposeBack = undefined;
    this.back = null;
    this.photo?.close();
    this.photo = null;
    this.overlays.dispose();
    this.renderer.dispose();
  }

  /** The renderer's WebGL context (WEBGL_lose_context in tests); undefined without WebGL. */
  get gl(): WebGLRenderingContext | WebGL2RenderingContext | undefined {
    return this.renderer.gl;
  }
}

const adaptiveScales = [1, 0.75, 0.5] as const;

function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * The guest's picture-in-picture box, where no overlay goes: 16:9 left, between the product card
 * and the lower third; 9:16 right, between the card and the QR code.
 */
function pipRect(safe: Rect, size: Size): Rect {
  const portrait = size.height > size.width;
  const width = Math.round(portrait ? safe.width * 0.42 : size.width * 0.22);
  const height = Math.round((width * (portrait ? 4 : 9)) / (portrait ? 3 : 16));
  const x = portrait ? safe.x + safe.width - width : safe.x;
  return { x, y: safe.y + Math.round(safe.height * (portrait ? 0.3 : 0.4)), width, height };
}

function asStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  return new StudioError('compositor/failed', 'The program picture could not show this.', { detail: String(error) });
}
