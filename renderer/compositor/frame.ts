import type { AnchorPose } from '../../shared/compositor/anchor';
import type { CoverFit, Size } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import type { Tier } from './tier';

// What one program frame shows, decided by the Compositor and drawn by the tier's renderer. The
// object is allocated once and mutated per frame; renderers read it and never keep references.

/** A rectangle the frame loop writes into (Rect is read-only). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Copies `from` into `out` (no allocation in the frame loop) and returns `out`. */
export function copyBox(from: Rect, out: Box): Box {
  out.x = from.x;
  out.y = from.y;
  out.width = from.width;
  out.height = from.height;
  return out;
}

/** An origin background: a decoded image (top-left first row) or a playing video. */
export type BackSource =
  { kind: 'image'; image: ImageBitmap; width: number; height: number } | { kind: 'video'; video: HTMLVideoElement };

/** One overlay box: a part of a canvas drawn at an output rectangle. */
export interface OverlayDraw {
  source: HTMLCanvasElement;
  /** Bumped whenever the canvas is redrawn (GPU textures re-upload then). */
  version: number;
  sx: number;
  sy: number;
  sw: number;
  sh: number;
  dx: number;
  dy: number;
  dw: number;
  dh: number;
  opacity: number;
}

export interface FrameInputs {
  now: number;
  size: Size;
  /** Where the main camera goes (the whole output, or the left half side by side). */
  mainRect: Rect;
  mainFit: CoverFit;
  camera: HTMLVideoElement | undefined;
  mode: 'camera' | 'blur' | 'replace';
  blurStrength: number;
  back: BackSource | null;
  backFit: CoverFit | null;
  /** 0 before the first mask, easing to 1 over 300 ms after it. */
  maskMix: number;
  guest: { video: HTMLVideoElement; rect: Rect; radius: number } | null;
  /** The product this frame; `visible` false hides it. */
  product: { visible: boolean; pose: AnchorPose; scale: number };
  overlays: OverlayDraw[];
  /** At most this many new 3D product boxes per second (software tier). */
  productFps: number;
}

/** A parsed product model, owned by the renderer that loaded it. */
export interface ModelHandle {
  readonly url: string;
}

/** What every tier's renderer does; the Compositor owns scene, assets, vision and layout. */
export interface TierRenderer {
  readonly tier: Tier;
  /** Whether the product is drawn in 3D (false: its photo, or nothing). */
  readonly has3d: boolean;
  /** Logical output size and drawing-buffer pixels per output pixel. */
  setSize(size: Size, scale: number): void;
  /** A new segmentation mask (0–255 person confidence), `width`×`height`. */
  updateMask(data: Uint8Array, width: number, height: number): void;
  /** Loads a model (3D tiers) — throws StudioError for a bad file. */
  loadModel(url: string): Promise<ModelHandle>;
  showModel(model: ModelHandle | undefined): void;
  discardModel(model: ModelHandle): void;
  /** The product's photo, for the tier without 3D (null: none). */
  setProductPhoto(photo: ImageBitmap | null): void;
  /** Draws one frame. */
  draw(frame: FrameInputs): void;
  /** Where the product's centre and box landed in the last frame (output px), for tests and layout. */
  productBox(out: Box): Box;
  readonly loadedModelUrl: string | undefined;
  /** GPU resources for the HUD and leak tests. */
  memory(): { geometries: number; textures: number; programs: number };
  /** A WebGL context this renderer owns (context-loss tests), if any. */
  readonly gl: WebGLRenderingContext | WebGL2RenderingContext | undefined;
  /** A model is shown but its first 3D box has not been drawn yet (software tier). */
  productPending?(): boolean;
  /** Per-stage milliseconds (picture, product, overlays), where the renderer measures them. */
  stages?(): Record<string, number>;
  /** The context was lost / restored (GPU tiers). */
  onContextChange(handler: (lost: boolean) => void): void;
  dispose(): void;
}
