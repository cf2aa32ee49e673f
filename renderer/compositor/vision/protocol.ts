// Messages of the vision engine: the compositor's VisionClient, its two workers (segmentation
// and hands, the same worker file started with a role), and the other windows of the studio over
// the 'harvest-vision' BroadcastChannel. Frames go to the workers as transferred VideoFrames;
// results come back as transferred typed arrays.

/** Which models a frame should go through. */
export interface VisionWants {
  hands: boolean;
  segment: boolean;
  face: boolean;
}

export type ModelKey = 'hands' | 'segmenter' | 'face';

/** One worker runs the segmenter (and the face detector, at a low rate); the other the hand model. */
export type WorkerRole = 'segment' | 'hands';

/** Milliseconds spent in a worker for one frame, per stage (0 = the stage did not run). */
export interface VisionTimes {
  /** VideoFrame drawn down to the model's input size, plus the change thumbnail. */
  capture: number;
  /** Segmenter inference (tasks-vision uploads the small input and runs the model). */
  segment: number;
  /** Mask read back from the segmenter and temporally smoothed into bytes. */
  readback: number;
  hands: number;
  face: number;
}

/**
 * What the compositor gets. For `mask`, `hand` and `face`: `undefined` = this result says nothing
 * about it (it came from the other worker, or the model did not run on this frame); `null` = none
 * found (no person mask, no hand in view, no face).
 */
export interface VisionResult {
  type: 'result';
  /** The camera frame's time on THIS window's performance.now() clock. */
  time: number;
  /** 21 landmarks × (x, y, z), normalised to the camera frame. */
  hand: Float32Array | null | undefined;
  /** Confidence mask 0–255, temporally smoothed, `maskWidth`×`maskHeight`. */
  mask: Uint8Array | null | undefined;
  maskWidth: number;
  maskHeight: number;
  /** Face box, normalised (x, y, width, height). */
  face: Float32Array | null | undefined;
  ms: VisionTimes;
}

// --- main thread → worker ---

/** Absolute URLs of the model files. */
export interface VisionModels {
  hands: string;
  segmenter: string;
  face: string;
  /** Cheaper hand model, used when `preferLite` (a machine without a usable GPU). */
  handsLite?: string;
  /** 144×256 segmenter for landscape frames: about half the work of the 256×256 one. */
  segmenterLandscape?: string;
}

export interface VisionInit {
  type: 'init';
  role: WorkerRole;
  /** Absolute URL of the tasks-vision wasm folder. */
  wasmBase: string;
  /** Absolute URLs of the model files. */
  models: VisionModels;
  preferLite: boolean;
  /** Ask for MediaPipe's GPU delegate (hardware WebGL in the worker); CPU where it does not start. */
  gpuDelegate: boolean;
  /** Longest side of the frame the hand model gets. */
  handSide: number;
}

export interface VisionFrame {
  type: 'frame';
  /** Frame time (performance.now() clock of the main thread), strictly increasing. */
  time: number;
  /** Transferred; the worker closes it. */
  frame: VideoFrame;
  wants: VisionWants;
}

/** Load these models now (before frames need them). */
export interface VisionPrepare {
  type: 'prepare';
  wants: VisionWants;
}

export type ToVision = VisionInit | VisionFrame | VisionPrepare | { type: 'close' };

// --- worker → main thread ---

/**
 * One frame's outcome in one worker. `skipped`: the frame barely changed since the last inferred
 * one, so no model ran; the receiver repeats its last mask / hand for this frame's time.
 */
export interface WorkerResult extends VisionResult {
  role: WorkerRole;
  skipped: boolean;
}

/** The wasm runtime is loaded; models load when wanted. */
export interface VisionReady {
  type: 'ready';
}

/** A model finished loading: `error` is null when it loaded. */
export interface VisionModelLoaded {
  type: 'model';
  model: ModelKey;
  error: string | null;
  /** What runs it: 'GPU' when the GPU delegate started, 'CPU' otherwise. */
  delegate?: 'GPU' | 'CPU';
}

export interface VisionFailure {
  type: 'error';
  message: string;
}

export type FromVision = WorkerResult | VisionReady | VisionModelLoaded | VisionFailure;

// --- window ↔ window (BroadcastChannel 'harvest-vision') ---

export const visionChannelName = 'harvest-vision';
export const visionLockName = 'harvest-vision-engine';

/** Every bus message names its sender (a random id per VisionClient). */
export type BusMessage =
  /** The leader's result; times cross windows as epoch ms (performance.timeOrigin + t). */
  | { type: 'result'; from: string; epoch: number; result: WorkerResult }
  /** The leader's engine state, sent when it changes and when a follower appears. */
  | { type: 'status'; from: string; ready: boolean; failed: Record<string, string | null> }
  | { type: 'model'; from: string; model: ModelKey; error: string | null }
  /** A window took over inference: followers answer with their wants. */
  | { type: 'leader'; from: string }
  /** A follower's wants, sent on change, when a leader appears, and every few seconds. */
  | { type: 'wants'; from: string; wants: VisionWants }
  | { type: 'bye'; from: string };
