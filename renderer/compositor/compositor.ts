import * as THREE from 'three';

import { StudioError } from '../../shared/api/result';
import type { AnchorPose, HandAnchorOptions, Landmark, PalmObservation } from '../../shared/compositor/anchor';
import { defaultHandAnchor, emptyPose, HandAnchorTracker, observePalm } from '../../shared/compositor/anchor';
import type { CoverFit, Size } from '../../shared/compositor/coords';
import { coverFit } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import { orientationOf, safeArea } from '../../shared/compositor/safe-areas';
import type { Anchor, CompositorScene } from '../../shared/compositor/scene';
import type { BackgroundInputs } from './background-layer';
import { BackgroundLayer, fitVector } from './background-layer';
import type { OverlayTexts } from './overlay-draw';
import { drawOverlays } from './overlay-draw';
import { ProductLayer } from './product-layer';
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
  /** Render at most this often when the camera gives no new frame (animations, countdown). */
  maxFps?: number;
  /** Longest side of frames given to MediaPipe. */
  inferenceSide?: number;
  /** Give MediaPipe at most one frame per this many ms (preview: spare the CPU for the program). */
  visionIntervalMs?: number;
  /** Lower the drawing-buffer resolution when frames are too slow (program output). */
  adaptive?: boolean;
  /** The program takes the studio's one vision engine over; a preview follows it. */
  visionRole?: 'program' | 'preview';
  /** A model finished loading (error null) or failed. */
  onVisionModel?: (model: 'hands' | 'segmenter' | 'face', error: string | null) => void;
}

/** What the HUD and tests read; numbers are rolling averages in ms unless named otherwise. */
export interface CompositorSnapshot {
  fps: number;
  renderMs: number;
  captureMs: number;
  segmentMs: number;
  handsMs: number;
  faceMs: number;
  visionRate: number;
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
  product: { visible: boolean; x: number; y: number; state: AnchorPose['state']; url: string | null };
  camera: { width: number; height: number };
  sceneGeneration: number;
  /** Drawing-buffer pixels per output pixel now (lower when frames were too slow). */
  resolutionScale: number;
  /** WebGL runs on a software rasteriser (no GPU, or a blocked driver). */
  softwareGl: boolean;
  /** This window runs the studio's inference (others apply its results); results per second. */
  visionLeader: boolean;
  maskRate: number;
  handRate: number;
}

const faceAnchor: HandAnchorOptions = { ...defaultHandAnchor, liftPalms: 0, sizePalms: 1.2 };

const guestVertex = /* glsl */ `
varying vec2 vUv;
void main() { vUv = uv; gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0); }`;
const guestFragment = /* glsl */ `
precision highp float;
varying vec2 vUv;
uniform sampler2D tVideo;
uniform vec4 fit;
uniform vec2 size;   // rect size in px, for rounded corners
uniform float radius;
void main() {
  vec2 img = fit.xy + vec2(vUv.x, 1.0 - vUv.y) * fit.zw;
  vec3 c = texture2D(tVideo, vec2(img.x, 1.0 - img.y)).rgb;
  vec2 p = abs(vUv - 0.5) * size - (size * 0.5 - radius);
  float d = length(max(p, 0.0)) - radius;
  float border = smoothstep(-6.0, -4.0, d);
  c = mix(c, vec3(1.0), border);
  gl_FragColor = vec4(c, 1.0 - smoothstep(-1.0, 1.0, d));
}`;

/**
 * The program picture: camera, background effect, 3D product and overlays, drawn by one
 * WebGLRenderer. React configures it (setScene, setCameras); the frame loop only mutates
 * preallocated objects. Inference runs in a worker; the loop draws every frame regardless.
 */
export class Compositor {
  readonly renderer: THREE.WebGLRenderer;
  private readonly options: CompositorOptions;
  private readonly canvas: HTMLCanvasElement;
  private size: Size;
  private readonly renderScale: number;
  /** Drawing-buffer scale picked by frame time: 1, then 0.75, 0.5 when frames are too slow. */
  private adaptiveLevel = 0;
  private adaptiveCheckedAt = 0;
  private fastSince = 0;
  private readonly software: boolean;
  private readonly ortho = new THREE.OrthographicCamera(0, 1, 1, 0, -10, 10);
  private readonly background = new BackgroundLayer();
  private readonly product: ProductLayer;
  private vision: VisionClient;
  private readonly overlayCanvas = document.createElement('canvas');
  private readonly overlayContext: CanvasRenderingContext2D;
  private readonly overlayTexture: THREE.CanvasTexture;
  private readonly overlayScene = new THREE.Scene();
  private readonly overlayMaterial: THREE.MeshBasicMaterial;
  private readonly guestScene = new THREE.Scene();
  private readonly guestMaterial: THREE.ShaderMaterial;
  private readonly quadGeometry = new THREE.PlaneGeometry(1, 1);
  private readonly guestQuad: THREE.Mesh;
  /** One quad per overlay box: only the pixels under overlays are blended, not the whole frame. */
  private readonly overlayQuads: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshBasicMaterial>[] = [];
  private readonly overlayRegions: Rect[] = [];

  private scene: CompositorScene | undefined;
  private generation = 0;
  private readyGeneration = 0;
  private main: HTMLVideoElement | undefined;
  private guest: HTMLVideoElement | undefined;
  private mainTexture: THREE.VideoTexture | null = null;
  private guestTexture: THREE.VideoTexture | null = null;
  private backTexture: THREE.Texture | null = null;
  private backVideo: HTMLVideoElement | undefined;
  private backKey = '';
  private modelKey = '';

  // Per-frame state, allocated once.
  private readonly mainRect = { x: 0, y: 0, width: 0, height: 0 };
  private mainFit: CoverFit = coverFit({ width: 1, height: 1 }, { width: 1, height: 1 });
  private backFit: CoverFit | null = null;
  private readonly pose: AnchorPose = emptyPose();
  private readonly handTracker = new HandAnchorTracker();
  private readonly faceTracker = new HandAnchorTracker(faceAnchor);
  private readonly palm = { x: 0, y: 0, size: 0, roll: 0, yaw: 0, pinch: 0 } as PalmObservation;
  private readonly landmarks: Landmark[] = Array.from({ length: 21 }, () => ({ x: 0, y: 0, z: 0 }));
  private readonly lastHand = { found: false, x: 0, y: 0, size: 0, at: 0 };
  private readonly productPoint = { x: 0, y: 0 };
  private safe: Rect = { x: 0, y: 0, width: 0, height: 0 };

  private raf = 0;
  private running = false;
  private contextLost = false;
  private contextLosses = 0;
  private frames = 0;
  private lastRenderAt = 0;
  private mainFrameSeq = 0;
  private mainFrameAt = 0;
  private renderedSeq = 0;
  private mainFrameCallback = 0;
  private overlayDirty = true;
  /** Seconds left on the coupon as last drawn; the overlay redraws when it changes. */
  private countdownShown = Number.NaN;
  private readonly backgroundInput: BackgroundInputs = {
    camera: null,
    cameraFit: coverFit({ width: 1, height: 1 }, { width: 1, height: 1 }),
    mode: 'camera',
    back: null,
    backFit: null,
    blurStrength: 0,
  };
  private readonly renderMs = new RollingAverage(60);
  private readonly frameInterval = new RollingAverage(60);
  private readonly latency = new RollingAverage(60);

  constructor(options: CompositorOptions) {
    this.options = options;
    this.canvas = options.canvas;
    this.size = options.size;
    this.renderScale = options.renderScale ?? 1;
    this.software = isSoftwareGl();
    try {
      this.renderer = new THREE.WebGLRenderer({
        canvas: this.canvas,
        // MSAA is nearly free on a GPU and very dear in a software rasteriser (SwiftShader).
        antialias: !this.software,
        alpha: false,
        // No preserveDrawingBuffer: it costs a full-frame copy per frame; OBS and tests capture
        // the composited window, not the drawing buffer.
        preserveDrawingBuffer: false,
        powerPreference: 'high-performance',
      });
    } catch (error) {
      throw new StudioError('compositor/webgl-unavailable', 'This computer cannot draw the program picture (WebGL).', {
        detail: String(error),
      });
    }
    this.renderer.autoClear = false;
    this.renderer.setPixelRatio(1);
    this.renderer.outputColorSpace = THREE.SRGBColorSpace;
    this.renderer.toneMapping = THREE.NoToneMapping;
    this.canvas.addEventListener('webglcontextlost', this.onContextLost);
    this.canvas.addEventListener('webglcontextrestored', this.onContextRestored);

    this.product = new ProductLayer(this.renderer, options.urls.vendor);

    const ctx = this.overlayCanvas.getContext('2d');
    if (ctx === null) throw new StudioError('compositor/webgl-unavailable', 'No 2D canvas for overlays.');
    this.overlayContext = ctx;
    this.overlayTexture = new THREE.CanvasTexture(this.overlayCanvas);
    this.overlayTexture.colorSpace = THREE.NoColorSpace;
    this.overlayTexture.generateMipmaps = false;
    this.overlayTexture.minFilter = THREE.LinearFilter;
    this.overlayMaterial = new THREE.MeshBasicMaterial({
      map: this.overlayTexture,
      transparent: true,
      depthTest: false,
    });
    // The overlay canvas holds sRGB pixels already: draw them through unchanged.
    this.overlayMaterial.onBeforeCompile = (shader) => {
      shader.fragmentShader = shader.fragmentShader.replace('#include <colorspace_fragment>', '');
    };
    for (let i = 0; i < maxOverlayRegions; i++) {
      const quad = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), this.overlayMaterial);
      quad.frustumCulled = false;
      quad.visible = false;
      this.overlayQuads.push(quad);
      this.overlayScene.add(quad);
    }

    this.guestMaterial = new THREE.ShaderMaterial({
      vertexShader: guestVertex,
      fragmentShader: guestFragment,
      transparent: true,
      depthTest: false,
      uniforms: {
        tVideo: { value: null },
        fit: { value: new THREE.Vector4(0, 0, 1, 1) },
        size: { value: new THREE.Vector2(1, 1) },
        radius: { value: 16 },
      },
    });
    this.guestQuad = new THREE.Mesh(this.quadGeometry, this.guestMaterial);
    this.guestQuad.frustumCulled = false;
    this.guestScene.add(this.guestQuad);

    this.vision = this.createVision(options.urls, options.onVisionModel);
    this.applySize();
  }

  /** Replaces the vision worker, e.g. to fall back from downloaded models to the bundled ones. */
  restartVision(
    urls: Omit<CompositorUrls, 'vendor'>,
    onModel?: (model: 'hands' | 'segmenter' | 'face', error: string | null) => void,
  ): void {
    this.vision.close();
    this.vision = this.createVision(urls, onModel);
    this.updateVisionWants();
    this.vision.setVideo(this.main);
    if (this.running) this.vision.start();
  }

  private createVision(
    urls: Omit<CompositorUrls, 'vendor'>,
    onModel?: (model: 'hands' | 'segmenter' | 'face', error: string | null) => void,
  ): VisionClient {
    return new VisionClient(
      {
        wasmBase: urls.wasm,
        hands: urls.hands,
        segmenter: urls.segmenter,
        face: urls.face,
        ...(urls.handsLite === undefined ? {} : { handsLite: urls.handsLite }),
        ...(urls.segmenterLandscape === undefined ? {} : { segmenterLandscape: urls.segmenterLandscape }),
        preferLite: this.software,
      },
      this.onVision,
      (message) =>
        this.options.onError(
          new StudioError('compositor/vision-failed', 'Hand and person tracking stopped.', { detail: message }),
        ),
      {
        ...(this.options.inferenceSide === undefined ? {} : { inferenceSide: this.options.inferenceSide }),
        ...(this.options.visionIntervalMs === undefined ? {} : { minIntervalMs: this.options.visionIntervalMs }),
        ...(onModel === undefined ? {} : { onModel }),
        ...(this.options.visionRole === undefined ? {} : { role: this.options.visionRole }),
      },
    );
  }

  /** Starts the frame loop and the vision worker. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.vision.start();
    this.raf = requestAnimationFrame(this.frame);
  }

  /** Changes the logical output size (settings changed). */
  setSize(size: Size): void {
    this.size = size;
    this.applySize();
  }

  private applySize(): void {
    const { width, height } = this.size;
    const scale = this.renderScale * adaptiveScales[this.adaptiveLevel]!;
    this.renderer.setSize(Math.round(width * scale), Math.round(height * scale), false);
    this.ortho.left = 0;
    this.ortho.right = width;
    this.ortho.top = height;
    this.ortho.bottom = 0;
    this.ortho.updateProjectionMatrix();
    this.product.setOutputSize(width, height);
    this.overlayCanvas.width = Math.round(width * this.renderScale);
    this.overlayCanvas.height = Math.round(height * this.renderScale);
    // A canvas resize needs a new GPU texture of the new size.
    this.overlayTexture.dispose();
    this.safe = safeArea(this.size, orientationOf(this.size));
    this.layout();
    this.overlayDirty = true;
  }

  /** Sets the main and guest camera videos (playing, owned by the caller). */
  setCameras(main: HTMLVideoElement | undefined, guest: HTMLVideoElement | undefined): void {
    if (main !== this.main) {
      if (this.main !== undefined && this.mainFrameCallback !== 0)
        this.main.cancelVideoFrameCallback(this.mainFrameCallback);
      this.mainFrameCallback = 0;
      this.mainTexture?.dispose();
      this.mainTexture = main === undefined ? null : videoTexture(main);
      this.main = main;
      this.background.resetMask();
      this.handTracker.reset();
      this.faceTracker.reset();
      if (main !== undefined) this.mainFrameCallback = main.requestVideoFrameCallback(this.onMainFrame);
      this.vision.setVideo(main);
    }
    if (guest !== this.guest) {
      this.guestTexture?.dispose();
      this.guestMaterial.uniforms.tVideo!.value = null;
      this.guestTexture = guest === undefined ? null : videoTexture(guest);
      this.guest = guest;
    }
    this.layout();
  }

  /** Shows `scene`: overlays and layout at once, model and background when loaded. */
  async setScene(scene: CompositorScene): Promise<void> {
    const generation = ++this.generation;
    this.scene = scene;
    this.overlayDirty = true;
    this.layout();
    this.updateVisionWants();

    const modelKey = scene.model?.assetId ?? '';
    const backKey =
      scene.background.kind === 'image' || scene.background.kind === 'video'
        ? `${scene.background.kind}:${scene.background.assetId}`
        : '';
    const [model, back] = await Promise.allSettled([
      modelKey !== this.modelKey ? this.loadModel(modelKey) : Promise.resolve(null),
      backKey !== this.backKey ? this.loadBackground(scene) : Promise.resolve(null),
    ]);
    if (generation !== this.generation) {
      // A newer scene came while loading: throw away what this one loaded.
      if (model.status === 'fulfilled' && model.value !== null && model.value !== undefined)
        this.product.discard(model.value);
      if (back.status === 'fulfilled' && back.value !== null) back.value.dispose();
      return;
    }
    if (model.status === 'fulfilled') {
      if (model.value !== null) {
        this.product.show(model.value);
        this.modelKey = modelKey;
      }
    } else {
      // The studio keeps running without the product; the operator sees why.
      this.product.show(undefined);
      this.modelKey = '';
      this.options.onError(asStudioError(model.reason));
    }
    if (back.status === 'fulfilled') {
      if (back.value !== null) this.swapBackground(back.value.texture, back.value.video, backKey);
    } else {
      this.swapBackground(null, undefined, '');
      this.options.onError(asStudioError(back.reason));
    }
    if (backKey === '' && this.backKey !== '') this.swapBackground(null, undefined, '');
    this.readyGeneration = generation;
  }

  private async loadModel(assetId: string) {
    if (assetId === '') return undefined;
    const url = await this.options.resolveAsset(assetId);
    if (url === undefined)
      throw new StudioError('assets/not-found', 'The product model is not in the asset library.', {
        params: { id: assetId },
      });
    return this.product.load(url);
  }

  private async loadBackground(
    scene: CompositorScene,
  ): Promise<{ texture: THREE.Texture; video: HTMLVideoElement | undefined; dispose(): void } | null> {
    const bg = scene.background;
    if (bg.kind !== 'image' && bg.kind !== 'video') return null;
    const url = await this.options.resolveAsset(bg.assetId);
    if (url === undefined)
      throw new StudioError('assets/not-found', 'The background is not in the asset library.', {
        params: { id: bg.assetId },
      });
    if (bg.kind === 'image') {
      const response = await fetch(url).catch(() => undefined);
      if (response?.ok !== true)
        throw new StudioError('assets/not-found', 'The background image could not be read.', {
          params: { id: bg.assetId },
        });
      let bitmap: ImageBitmap;
      try {
        // Flipped on decode so it samples like three's flipY textures (video, camera).
        bitmap = await createImageBitmap(await response.blob(), { imageOrientation: 'flipY' });
      } catch (error) {
        throw new StudioError('assets/unreadable', 'The background image cannot be read.', { detail: String(error) });
      }
      const texture = new THREE.Texture(bitmap);
      texture.colorSpace = THREE.NoColorSpace;
      texture.flipY = false; // ImageBitmaps cannot be flipped on upload; it was flipped on decode
      texture.needsUpdate = true;
      return {
        texture,
        video: undefined,
        dispose: () => {
          texture.dispose();
          bitmap.close();
        },
      };
    }
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
    const texture = videoTexture(video);
    return {
      texture,
      video,
      dispose: () => {
        texture.dispose();
        video.pause();
        video.removeAttribute('src');
        video.load();
      },
    };
  }

  private swapBackground(texture: THREE.Texture | null, video: HTMLVideoElement | undefined, key: string): void {
    const image = this.backTexture?.image as ImageBitmap | undefined;
    this.backTexture?.dispose();
    if (image instanceof ImageBitmap) image.close();
    if (this.backVideo !== undefined) {
      this.backVideo.pause();
      this.backVideo.removeAttribute('src');
      this.backVideo.load();
    }
    this.backTexture = texture;
    this.backVideo = video;
    this.backKey = key;
    this.layout();
  }

  private updateVisionWants(): void {
    const scene = this.scene;
    this.vision.setWants({
      segment: scene !== undefined && scene.background.kind !== 'camera',
      hands: scene?.model?.anchor === 'hand',
      face: scene?.model?.anchor === 'face',
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
    this.background.setRect(r.x, r.y, r.width, r.height, height);
    const cam = this.mainSize();
    this.mainFit = coverFit(cam, r);
    const backImage = this.backTexture?.image as
      { width?: number; height?: number; videoWidth?: number; videoHeight?: number } | undefined;
    const bw = backImage?.videoWidth ?? backImage?.width ?? 0;
    const bh = backImage?.videoHeight ?? backImage?.height ?? 0;
    this.backFit = bw > 0 && bh > 0 ? coverFit({ width: bw, height: bh }, r) : null;

    const guestVisible = this.guest !== undefined && (layout === 'pip' || layout === 'side-by-side');
    this.guestQuad.visible = guestVisible;
    if (guestVisible && this.guest !== undefined) {
      const g = sideBySide ? { x: r.width, y: 0, width: width - r.width, height } : pipRect(this.safe, this.size);
      this.guestQuad.position.set(g.x + g.width / 2, height - (g.y + g.height / 2), 0);
      this.guestQuad.scale.set(g.width, g.height, 1);
      const u = this.guestMaterial.uniforms;
      (u.size!.value as THREE.Vector2).set(g.width, g.height);
      u.radius!.value = sideBySide ? 0 : 18;
      fitVector(
        coverFit({ width: this.guest.videoWidth || 16, height: this.guest.videoHeight || 9 }, g),
        u.fit!.value as THREE.Vector4,
      );
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
    if (Math.abs(cam.width * this.mainFit.scale - (this.mainRect.width - 2 * this.mainFit.offsetX)) > 1) this.layout();
  };

  private readonly onVision = (result: VisionResult): void => {
    const now = performance.now();
    // undefined: this result says nothing about the mask / hand / face (it came from the other worker).
    if (result.mask) this.background.updateMask(result.mask, result.maskWidth, result.maskHeight, now);
    const cam = this.mainSize();
    const fit = this.mainFit;
    if (result.hand === undefined) {
      // no information about the hand in this result
    } else if (result.hand !== null) {
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
    } else {
      this.lastHand.found = false;
    }
    if (result.face) {
      const [fx, fy, fw, fh] = result.face as unknown as [number, number, number, number];
      const left = fit.offsetX + fx * cam.width * fit.scale;
      const top = fit.offsetY + fy * cam.height * fit.scale;
      const w = fw * cam.width * fit.scale;
      const h = fh * cam.height * fit.scale;
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

  private readonly frame = (now: number): void => {
    if (!this.running) return;
    this.raf = requestAnimationFrame(this.frame);
    if (this.contextLost) return;
    const newCameraFrame = this.mainFrameSeq !== this.renderedSeq;
    const minInterval = 1000 / (this.options.maxFps ?? 30) - 2;
    if (!newCameraFrame && now - this.lastRenderAt < minInterval) return;
    if (this.lastRenderAt > 0) this.frameInterval.push(now - this.lastRenderAt);
    this.lastRenderAt = now;
    const t0 = performance.now();
    this.draw(t0);
    const t1 = performance.now();
    this.renderMs.push(t1 - t0);
    if (newCameraFrame && this.mainFrameAt > 0) {
      this.latency.push(t1 - this.mainFrameAt);
      this.renderedSeq = this.mainFrameSeq;
    }
    this.frames++;
    this.adapt(now);
    if (this.readyGeneration !== 0) {
      this.readyGeneration = 0;
      this.options.onSceneReady();
    }
  };

  private draw(now: number): void {
    const renderer = this.renderer;
    const scene = this.scene;
    renderer.setRenderTarget(null);
    // No colour clear: the camera layer (and guest) cover every pixel, and a full-frame clear is
    // a whole pass of fill rate on a software rasteriser.
    const bg = scene?.background;
    const mode = bg === undefined || bg.kind === 'camera' ? 'camera' : bg.kind === 'blur' ? 'blur' : 'replace';
    const input = this.backgroundInput;
    input.camera = this.mainTexture;
    input.cameraFit = this.mainFit;
    input.mode = mode === 'replace' && this.backTexture === null ? 'camera' : mode;
    input.back = this.backTexture;
    input.backFit = this.backFit;
    input.blurStrength = bg?.kind === 'blur' ? bg.strength : 0;
    this.background.prepare(renderer, input, now);
    renderer.render(this.background.scene, this.ortho);
    if (this.guestQuad.visible && this.guestTexture !== null) {
      this.guestMaterial.uniforms.tVideo!.value = this.guestTexture;
      renderer.render(this.guestScene, this.ortho);
    }
    const model = scene?.model;
    if (model !== undefined && model !== null) {
      this.poseFor(model.anchor, now);
      this.product.applyPose(this.pose, model.scale, true);
      if (this.product.isVisible) {
        renderer.clearDepth();
        renderer.render(this.product.scene, this.product.camera);
      }
    } else {
      this.product.applyPose(this.pose, 1, false);
    }
    if (scene !== undefined) {
      const coupon = scene.overlays.coupon;
      if (coupon.visible && coupon.endsAt !== null) {
        // A number, not the text: no string is made per frame, only when the second changes.
        const shown = Math.max(0, Math.ceil((coupon.endsAt - Date.now()) / 1000));
        if (shown !== this.countdownShown) {
          this.countdownShown = shown;
          this.overlayDirty = true;
        }
      }
      if (this.overlayDirty) {
        this.overlayDirty = false;
        const ctx = this.overlayContext;
        ctx.setTransform(this.renderScale, 0, 0, this.renderScale, 0, 0);
        drawOverlays(ctx, scene, this.safe, this.size, this.options.texts, Date.now(), this.overlayRegions);
        this.overlayTexture.needsUpdate = true;
        this.placeOverlayQuads();
      }
      if (this.overlayRegions.length > 0) renderer.render(this.overlayScene, this.ortho);
    }
  }

  private placeOverlayQuads(): void {
    const { width, height } = this.size;
    this.overlayQuads.forEach((quad, i) => {
      const r = this.overlayRegions[i];
      quad.visible = r !== undefined;
      if (r === undefined) return;
      const x0 = Math.max(0, r.x);
      const y0 = Math.max(0, r.y);
      const x1 = Math.min(width, r.x + r.width);
      const y1 = Math.min(height, r.y + r.height);
      quad.position.set((x0 + x1) / 2, height - (y0 + y1) / 2, 0);
      quad.scale.set(Math.max(1, x1 - x0), Math.max(1, y1 - y0), 1);
      // The canvas texture is flipped on upload (flipY): v runs bottom-up.
      const uv = quad.geometry.attributes.uv as THREE.BufferAttribute;
      const u0 = x0 / width;
      const u1 = x1 / width;
      const vTop = 1 - y0 / height;
      const vBottom = 1 - y1 / height;
      uv.setXY(0, u0, vTop);
      uv.setXY(1, u1, vTop);
      uv.setXY(2, u0, vBottom);
      uv.setXY(3, u1, vBottom);
      uv.needsUpdate = true;
    });
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

  private poseFor(anchor: Anchor, now: number): void {
    const pose = this.pose;
    switch (anchor) {
      case 'hand':
        this.handTracker.sample(now, pose);
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
    }
  }

  /** For the HUD and tests; allocates, so call it at most a few times per second. */
  snapshot(): CompositorSnapshot {
    const info = this.renderer.info;
    const stats = this.vision.stats;
    this.product.screenPosition(this.productPoint);
    return {
      fps: this.frameInterval.average > 0 ? 1000 / this.frameInterval.average : 0,
      renderMs: this.renderMs.average,
      captureMs: stats.capture.average,
      segmentMs: stats.segment.average,
      handsMs: stats.hands.average,
      faceMs: stats.face.average,
      visionRate: stats.rate.average,
      latencyMs: this.latency.average,
      frames: this.frames,
      contextLosses: this.contextLosses,
      contextLost: this.contextLost,
      visionReady: this.vision.isReady,
      maskReady: this.background.hasMask,
      visionFailed: { ...this.vision.failed },
      memory: {
        geometries: info.memory.geometries,
        textures: info.memory.textures,
        programs: info.programs?.length ?? 0,
      },
      hand: { ...this.lastHand },
      product: {
        visible: this.product.isVisible,
        x: this.productPoint.x,
        y: this.productPoint.y,
        state: this.pose.state,
        url: this.product.loadedUrl ?? null,
      },
      camera: this.mainSize(),
      sceneGeneration: this.generation,
      resolutionScale: this.renderScale * adaptiveScales[this.adaptiveLevel]!,
      softwareGl: this.software,
      visionLeader: this.vision.isLeader,
      maskRate: stats.maskRate.average,
      handRate: stats.handRate.average,
    };
  }

  /** Redraws the overlays (fonts arrived, language changed). */
  invalidateOverlays(texts?: OverlayTexts): void {
    if (texts !== undefined) this.options.texts = texts;
    this.overlayDirty = true;
  }

  private readonly onContextLost = (): void => {
    // three.js prevents the default (so the context can come back) and stops drawing; we pause.
    this.contextLost = true;
    this.contextLosses++;
    this.options.onError(
      new StudioError('compositor/context-lost', 'The graphics driver reset; the picture is recovering.'),
    );
  };

  private readonly onContextRestored = (): void => {
    this.contextLost = false;
    // GPU copies are gone: render targets and the environment map are rebuilt, textures re-upload.
    this.product.buildEnvironment();
    this.overlayDirty = true;
  };

  /** Stops everything and frees every GPU and media resource this compositor created. */
  dispose(): void {
    this.running = false;
    cancelAnimationFrame(this.raf);
    if (this.main !== undefined && this.mainFrameCallback !== 0)
      this.main.cancelVideoFrameCallback(this.mainFrameCallback);
    this.vision.close();
    this.canvas.removeEventListener('webglcontextlost', this.onContextLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onContextRestored);
    this.swapBackground(null, undefined, '');
    this.mainTexture?.dispose();
    this.guestTexture?.dispose();
    this.background.dispose();
    this.product.dispose();
    this.overlayTexture.dispose();
    this.overlayMaterial.dispose();
    for (const quad of this.overlayQuads) quad.geometry.dispose();
    this.guestMaterial.dispose();
    this.quadGeometry.dispose();
    this.renderer.dispose();
  }

  /** Exposed for tests of context loss (WEBGL_lose_context). */
  get gl(): WebGLRenderingContext | WebGL2RenderingContext {
    return this.renderer.getContext();
  }
}

const maxOverlayRegions = 8;
const adaptiveScales = [1, 0.75, 0.5] as const;

/** Whether WebGL here is a software rasteriser; asked of a throwaway context before ours exists. */
function isSoftwareGl(): boolean {
  const probe = document.createElement('canvas').getContext('webgl2');
  if (probe === null) return true;
  const info = probe.getExtension('WEBGL_debug_renderer_info');
  const name = String(
    info === null ? probe.getParameter(probe.RENDERER) : probe.getParameter(info.UNMASKED_RENDERER_WEBGL),
  );
  probe.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(name);
}

function videoTexture(video: HTMLVideoElement): THREE.VideoTexture {
  const texture = new THREE.VideoTexture(video);
  texture.colorSpace = THREE.NoColorSpace;
  texture.generateMipmaps = false;
  texture.minFilter = THREE.LinearFilter;
  texture.magFilter = THREE.LinearFilter;
  return texture;
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
