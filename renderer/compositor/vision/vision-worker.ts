/// <reference lib="webworker" />
// A vision worker: runs MediaPipe off the main thread so inference never blocks the render loop.
// The client starts two, with a role: 'segment' (person segmentation, and face detection at a low
// rate) and 'hands' (hand landmarks), so both cores work in parallel, each at its own rate. Each
// gets the camera frame as a transferred VideoFrame, draws it down to what its model needs, and
// skips inference when the picture has barely changed since the last inferred frame.
import { FaceDetector, FilesetResolver, HandLandmarker, ImageSegmenter } from '@mediapipe/tasks-vision';

import { assertNever } from '../../../shared/assert-never';
import { ChangeGate, greyThumbnail, HandStability, thumbnailHeight, thumbnailWidth } from './frame-change';
import type { FrameLayout } from './frame-scale';
import { canScale, scaleFrame } from './frame-scale';
import type {
  FromVision,
  ModelKey,
  ToVision,
  VisionFrame,
  VisionInit,
  VisionTimes,
  VisionWants,
  WorkerResult,
  WorkerRole,
} from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Face detection runs at most this often: the face box only steers overlays and a face anchor. */
const faceIntervalMs = 200;
/** Longest side of the frame the face detector gets (its model input is 128×128). */
const faceSide = 320;

/** A model is created the first time it is wanted: a scene without a product never pays for the hand model. */
interface Slot<T> {
  state: 'idle' | 'loading' | 'ready' | 'failed';
  task: T | undefined;
}

const slots = {
  hands: { state: 'idle', task: undefined } as Slot<HandLandmarker>,
  segmenter: { state: 'idle', task: undefined } as Slot<ImageSegmenter>,
  face: { state: 'idle', task: undefined } as Slot<FaceDetector>,
};
let role: WorkerRole = 'segment';
let fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>> | undefined;
let models: VisionInit['models'] | undefined;
let preferLite = false;
let gpuDelegate = false;
let handSide = 480;
/** Width / height of the camera frames; picks the segmenter variant. */
let frameAspect = 16 / 9;
/** Which segmenter variant is loaded (or loading). */
let segmenterIsLandscape = true;
/** VIDEO mode needs strictly increasing timestamps per task. */
let lastTime = 0;
let lastFaceAt = -Infinity;
// Temporal smoothing of the mask, so hair and hand edges do not flicker frame to frame.
let smoothed: Float32Array | undefined;
let pendingWants: VisionWants | undefined;

const gate = new ChangeGate();
const handStability = new HandStability();
const thumbnail = new Uint8Array(thumbnailWidth * thumbnailHeight);

/** The camera frame's pixels (VideoFrame.copyTo), reused frame to frame. */
let pixels = new Uint8Array(0);
/** Model inputs, one per size, reused frame to frame (tasks-vision uploads them synchronously). */
const inputs = new Map<string, ImageData>();
let fallbackCanvas: OffscreenCanvasRenderingContext2D | undefined;

function inputOf(key: string, width: number, height: number): ImageData {
  let image = inputs.get(key);
  if (image?.width !== width || image.height !== height) {
    image = new ImageData(width, height);
    inputs.set(key, image);
  }
  return image;
}

/** The frame's pixels and layout, or undefined for a format frame-scale cannot read. */
async function readFrame(frame: VideoFrame): Promise<FrameLayout | undefined> {
  if (!canScale(frame.format)) return undefined;
  const size = frame.allocationSize();
  if (pixels.length < size) pixels = new Uint8Array(size);
  const planes = await frame.copyTo(pixels);
  return {
    format: frame.format!,
    width: frame.visibleRect?.width ?? frame.codedWidth,
    height: frame.visibleRect?.height ?? frame.codedHeight,
    planes,
    fullRange: frame.colorSpace?.fullRange === true,
    bt709: frame.colorSpace?.matrix === 'bt709',
  };
}

/** The frame at `width`×`height` RGBA for a model: from its YUV planes, or drawn when it has none. */
function scaledInput(
  key: string,
  frame: VideoFrame,
  layout: FrameLayout | undefined,
  width: number,
  height: number,
): ImageData {
  const image = inputOf(key, width, height);
  if (layout !== undefined && scaleFrame(pixels, layout, width, height, image.data)) return image;
  if (fallbackCanvas === undefined) {
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('no 2D canvas in the vision worker');
    fallbackCanvas = context;
  }
  const canvas = fallbackCanvas.canvas;
  canvas.width = width;
  canvas.height = height;
  fallbackCanvas.drawImage(frame, 0, 0, width, height);
  image.data.set(fallbackCanvas.getImageData(0, 0, width, height).data);
  return image;
}

/** `side` on the longest side, keeping the frame's aspect. */
function fitSide(width: number, height: number, side: number): [number, number] {
  const scale = Math.min(1, side / Math.max(width, height));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

const takeThumbnail = (image: ImageData): Uint8Array =>
  greyThumbnail(image.data, image.width, image.height, thumbnailWidth, thumbnailHeight, thumbnail);

const post = (message: FromVision, transfer: Transferable[] = []) => self.postMessage(message, transfer);
const messageOf = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0] ?? 'failed';

/** A module worker cannot importScripts; tasks-vision then needs its ES-module wasm loader. */
function isModuleWorker(): boolean {
  try {
    importScripts();
    return false;
  } catch {
    return true;
  }
}

/**
 * In a module worker tasks-vision loads its wasm glue with `import()`, which runs a module only
 * once, but it needs the glue to run again for every task it creates ("ModuleFactory not set" on
 * the second task). It lets us supply the import: a fresh query string re-runs the module.
 */
function allowRepeatedGlueImports(): void {
  let n = 0;
  (self as unknown as { import?: (url: string) => Promise<unknown> }).import = (url: string) =>
    import(/* @vite-ignore */ `${url}${url.includes('?') ? '&' : '?'}task=${++n}`);
}

async function init(message: VisionInit): Promise<void> {
  role = message.role;
  const moduleWorker = isModuleWorker();
  if (moduleWorker) allowRepeatedGlueImports();
  fileset = await FilesetResolver.forVisionTasks(message.wasmBase, moduleWorker);
  models = message.models;
  preferLite = message.preferLite;
  gpuDelegate = message.gpuDelegate;
  handSide = message.handSide;
  if (pendingWants !== undefined) prepare(pendingWants);
  post({ type: 'ready' });
}

type Task = HandLandmarker | ImageSegmenter | FaceDetector;

/** The GPU delegate where asked for and it starts (hardware WebGL in this worker); CPU otherwise. */
async function createTask(key: ModelKey): Promise<{ task: Task; delegate: 'GPU' | 'CPU' }> {
  if (gpuDelegate) {
    try {
      return { task: await create(key, 'GPU'), delegate: 'GPU' };
    } catch {
      // No WebGL2 in workers, a blocked driver: the CPU path below.
    }
  }
  return { task: await create(key, 'CPU'), delegate: 'CPU' };
}

function create(key: ModelKey, delegate: 'GPU' | 'CPU'): Promise<Task> {
  const fs = fileset!;
  const m = models!;
  switch (key) {
    case 'hands':
      return HandLandmarker.createFromOptions(fs, {
        baseOptions: {
          modelAssetPath: preferLite && m.handsLite !== undefined ? m.handsLite : m.hands,
          delegate,
        },
        runningMode: 'VIDEO',
        // One hand: with two, the palm detector re-runs on every frame (twice the cost).
        numHands: 1,
        minHandDetectionConfidence: 0.5,
        minHandPresenceConfidence: 0.5,
        minTrackingConfidence: 0.5,
      });
    case 'segmenter':
      segmenterIsLandscape = frameAspect > 1.2 && m.segmenterLandscape !== undefined;
      return ImageSegmenter.createFromOptions(fs, {
        baseOptions: { modelAssetPath: segmenterIsLandscape ? m.segmenterLandscape! : m.segmenter, delegate },
        runningMode: 'VIDEO',
        outputConfidenceMasks: true,
        outputCategoryMask: false,
      });
    case 'face':
      return FaceDetector.createFromOptions(fs, {
        baseOptions: { modelAssetPath: m.face, delegate },
        runningMode: 'VIDEO',
        minDetectionConfidence: 0.5,
      });
    default:
      return assertNever(key, 'model');
  }
}

// Models load one after another: each compiles the wasm module, and two at once only thrash.
let loading: Promise<void> = Promise.resolve();

/** The task if it is ready; otherwise starts loading it (once) and returns undefined. */
function ensure<K extends ModelKey>(key: K): (typeof slots)[K]['task'] {
  const slot = slots[key] as Slot<unknown>;
  if (slot.state === 'idle' && fileset !== undefined) {
    slot.state = 'loading';
    loading = loading.then(() =>
      createTask(key).then(
        ({ task, delegate }) => {
          slot.task = task;
          slot.state = 'ready';
          post({ type: 'model', model: key, error: null, delegate });
        },
        (error: unknown) => {
          slot.state = 'failed';
          post({ type: 'model', model: key, error: messageOf(error) });
        },
      ),
    );
  }
  return (slot.state === 'ready' ? slot.task : undefined) as (typeof slots)[K]['task'];
}

function prepare(wants: VisionWants): void {
  if (fileset === undefined) {
    pendingWants = wants;
    return;
  }
  if (role === 'segment') {
    if (wants.segment) ensure('segmenter');
    if (wants.face) ensure('face');
  } else if (wants.hands) ensure('hands');
}

/** The camera turned between landscape and portrait: the other segmenter variant fits it. */
function checkSegmenterVariant(): void {
  const wantLandscape = frameAspect > 1.2 && models?.segmenterLandscape !== undefined;
  const slot = slots.segmenter;
  if (slot.state !== 'ready' || wantLandscape === segmenterIsLandscape) return;
  slot.task?.close();
  slot.task = undefined;
  slot.state = 'idle';
  smoothed = undefined;
  gate.reset();
  ensure('segmenter');
}

const noTimes = (): VisionTimes => ({ capture: 0, segment: 0, readback: 0, hands: 0, face: 0 });

/** Mask smoothing: follow big changes (a moving arm) quickly, damp small ones (edge shimmer). */
function smoothMask(values: Float32Array): Uint8Array {
  if (smoothed?.length !== values.length) smoothed = Float32Array.from(values);
  const mask = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const prev = smoothed[i]!;
    const k = Math.abs(v - prev) > 0.4 ? 0.8 : 0.45;
    const next = prev + (v - prev) * k;
    smoothed[i] = next;
    mask[i] = next * 255;
  }
  return mask;
}

async function segmentFrame(message: VisionFrame, time: number, result: WorkerResult): Promise<void> {
  const { frame, wants } = message;
  const ms = result.ms;
  const t0 = performance.now();
  const segmenter = wants.segment ? ensure('segmenter') : undefined;
  const face = wants.face && time - lastFaceAt >= faceIntervalMs ? ensure('face') : undefined;
  if (segmenter === undefined && face === undefined) return;
  const layout = await readFrame(frame);
  // The segmenter's own input size: tasks-vision then uploads a small image, and the mask it
  // returns (at the input size) is small to read back and smooth.
  const segInput =
    segmenter === undefined ? undefined : scaledInput('segment', frame, layout, 256, segmenterIsLandscape ? 144 : 256);
  const faceInput =
    face === undefined
      ? undefined
      : scaledInput('face', frame, layout, ...fitSide(frame.displayWidth, frame.displayHeight, faceSide));
  frame.close(); // early: camera buffers are few
  const skip = segInput !== undefined && !gate.shouldInfer(takeThumbnail(segInput), time);
  const t1 = performance.now();
  ms.capture = t1 - t0;
  if (segInput !== undefined && !skip) {
    const output = segmenter!.segmentForVideo(segInput, time);
    const t2 = performance.now();
    const confidence = output.confidenceMasks?.[0];
    if (confidence === undefined) {
      result.mask = null;
    } else {
      result.mask = smoothMask(confidence.getAsFloat32Array());
      result.maskWidth = confidence.width;
      result.maskHeight = confidence.height;
    }
    output.close();
    gate.inferred(thumbnail, time);
    ms.segment = t2 - t1;
    ms.readback = performance.now() - t2;
  }
  result.skipped = skip;
  if (faceInput !== undefined) {
    const t3 = performance.now();
    lastFaceAt = time;
    const detected = face!.detectForVideo(faceInput, time);
    const box = detected.detections[0]?.boundingBox;
    result.face =
      box === undefined
        ? null
        : new Float32Array([
            box.originX / faceInput.width,
            box.originY / faceInput.height,
            box.width / faceInput.width,
            box.height / faceInput.height,
          ]);
    ms.face = performance.now() - t3;
  }
}

async function handsFrame(message: VisionFrame, time: number, result: WorkerResult): Promise<void> {
  const { frame } = message;
  const ms = result.ms;
  const t0 = performance.now();
  const hands = message.wants.hands ? ensure('hands') : undefined;
  if (hands === undefined) return;
  const layout = await readFrame(frame);
  const input = scaledInput('hands', frame, layout, ...fitSide(frame.displayWidth, frame.displayHeight, handSide));
  frame.close();
  // A still picture is skipped only while the hand holds still too: a hand that just appeared or
  // moves is tracked on every frame (the thumbnail is too coarse to see fingers).
  const skip = !gate.shouldInfer(takeThumbnail(input), time, handStability.isStable);
  const t1 = performance.now();
  ms.capture = t1 - t0;
  result.skipped = skip;
  if (skip) return;
  const detected = hands.detectForVideo(input, time);
  const landmarks = detected.landmarks[0];
  let hand: Float32Array | null = null;
  if (landmarks !== undefined && landmarks.length >= 21) {
    hand = new Float32Array(63);
    for (let i = 0; i < 21; i++) {
      const l = landmarks[i]!;
      hand[i * 3] = l.x;
      hand[i * 3 + 1] = l.y;
      hand[i * 3 + 2] = l.z;
    }
  }
  result.hand = hand;
  handStability.push(hand);
  gate.inferred(thumbnail, time);
  ms.hands = performance.now() - t1;
}

async function runFrame(message: VisionFrame): Promise<void> {
  frameAspect = message.frame.displayWidth / Math.max(1, message.frame.displayHeight);
  if (role === 'segment') checkSegmenterVariant();
  const time = Math.max(message.time, lastTime + 1);
  lastTime = time;
  const result: WorkerResult = {
    type: 'result',
    role,
    time: message.time,
    skipped: false,
    hand: undefined,
    mask: undefined,
    maskWidth: 0,
    maskHeight: 0,
    face: undefined,
    ms: noTimes(),
  };
  try {
    if (role === 'segment') await segmentFrame(message, time, result);
    else await handsFrame(message, time, result);
  } catch (error) {
    post({ type: 'error', message: messageOf(error) });
    return;
  } finally {
    message.frame.close();
  }
  const transfer: Transferable[] = [];
  if (result.mask) transfer.push(result.mask.buffer);
  if (result.hand) transfer.push(result.hand.buffer);
  if (result.face) transfer.push(result.face.buffer);
  post(result, transfer);
}

/** The frame being inferred is running; the client sends at most one more, which waits here. */
let running = false;
let next: VisionFrame | undefined;

function take(message: VisionFrame): void {
  if (running) {
    // The client keeps at most two frames here; should a third come, the newest wins.
    next?.frame.close();
    next = message;
    return;
  }
  running = true;
  void runFrame(message).finally(() => {
    running = false;
    const queued = next;
    next = undefined;
    if (queued !== undefined) take(queued);
  });
}

self.onmessage = (event: MessageEvent<ToVision>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init(message).catch((error: unknown) => post({ type: 'error', message: messageOf(error) }));
      break;
    case 'frame':
      take(message);
      break;
    case 'prepare':
      prepare(message.wants);
      break;
    case 'close':
      next?.frame.close();
      next = undefined;
      slots.hands.task?.close();
      slots.segmenter.task?.close();
      slots.face.task?.close();
      self.close();
      break;
    default:
      assertNever(message, 'message to the vision worker');
  }
};
