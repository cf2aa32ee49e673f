// Messages between the compositor (main thread) and the vision worker. Frames go in as
// transferred ImageBitmaps; results come back as transferred typed arrays.

/** Which models a frame should go through. */
export interface VisionWants {
  hands: boolean;
  segment: boolean;
  face: boolean;
}

export interface VisionInit {
  type: 'init';
  /** Absolute URL of the tasks-vision wasm folder. */
  wasmBase: string;
  /** Absolute URLs of the model files. */
  models: {
    hands: string;
    segmenter: string;
    face: string;
    /** Cheaper hand model, used when `preferLite` (a machine without a usable GPU). */
    handsLite?: string;
    /** 144×256 segmenter for landscape frames: about half the work of the 256×256 one. */
    segmenterLandscape?: string;
  };
  preferLite: boolean;
}

export interface VisionFrame {
  type: 'frame';
  /** Frame time (performance.now() clock of the main thread), strictly increasing. */
  time: number;
  bitmap: ImageBitmap;
  wants: VisionWants;
}

/** What the worker found in one frame. */
export interface VisionResult {
  type: 'result';
  time: number;
  /** 21 landmarks × (x, y, z), or null when no hand was found (or not asked). */
  hand: Float32Array | null;
  /** Confidence mask 0–255, temporally smoothed, `maskWidth`×`maskHeight`, or null. */
  mask: Uint8Array | null;
  maskWidth: number;
  maskHeight: number;
  /** Face box, normalised (x, y, width, height), or null. */
  face: Float32Array | null;
  /** Milliseconds spent per model in the worker. */
  ms: { segment: number; hands: number; face: number };
}

/** The wasm runtime is loaded; models load when a frame first needs them. */
export interface VisionReady {
  type: 'ready';
}

/** A model finished loading: `error` is null when it loaded. */
export interface VisionModelLoaded {
  type: 'model';
  model: 'hands' | 'segmenter' | 'face';
  error: string | null;
}

export interface VisionFailure {
  type: 'error';
  message: string;
}

/** Load these models now (before frames need them). */
export interface VisionPrepare {
  type: 'prepare';
  wants: VisionWants;
}

export type ToVision = VisionInit | VisionFrame | VisionPrepare | { type: 'close' };
export type FromVision = VisionResult | VisionReady | VisionModelLoaded | VisionFailure;
