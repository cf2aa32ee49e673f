/// <reference lib="webworker" />
// The vision worker: runs MediaPipe (hand landmarks, person segmentation, face detection) off the
// main thread so inference never blocks the render loop. One frame at a time; the main thread only
// sends a new frame when the previous result is back.
import { FaceDetector, FilesetResolver, HandLandmarker, ImageSegmenter } from '@mediapipe/tasks-vision';

import type { FromVision, ToVision, VisionFrame, VisionInit, VisionWants } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

type ModelKey = 'hands' | 'segmenter' | 'face';

/** A model is created the first time a frame needs it: a scene without a product never pays for the hand model. */
interface Slot<T> {
  state: 'idle' | 'loading' | 'ready' | 'failed';
  task: T | undefined;
}

const slots = {
  hands: { state: 'idle', task: undefined } as Slot<HandLandmarker>,
  segmenter: { state: 'idle', task: undefined } as Slot<ImageSegmenter>,
  face: { state: 'idle', task: undefined } as Slot<FaceDetector>,
};
let fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>> | undefined;
let models: VisionInit['models'] | undefined;
let preferLite = false;
/** Width / height of the frames, known from the first one; picks the segmenter variant. */
let frameAspect = 16 / 9;
let lastTime = 0;
// Temporal smoothing of the mask, so hair and hand edges do not flicker frame to frame.
let smoothed: Float32Array | undefined;

const post = (message: FromVision, transfer: Transferable[] = []) => self.postMessage(message, transfer);

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
  const moduleWorker = isModuleWorker();
  if (moduleWorker) allowRepeatedGlueImports();
  fileset = await FilesetResolver.forVisionTasks(message.wasmBase, moduleWorker);
  models = message.models;
  preferLite = message.preferLite;
  if (pendingWants !== undefined) prepare(pendingWants);
  post({ type: 'ready' });
}

function create(key: ModelKey): Promise<HandLandmarker | ImageSegmenter | FaceDetector> {
  const fs = fileset!;
  const m = models!;
  switch (key) {
    case 'hands':
      return HandLandmarker.createFromOptions(fs, {
        baseOptions: {
          modelAssetPath: preferLite && m.handsLite !== undefined ? m.handsLite : m.hands,
          delegate: 'CPU',
        },
        runningMode: 'VIDEO',
        // One hand: with two, the palm detector re-runs on every frame (twice the cost).
        numHands: 1,
        minHandDetectionConfidence: 0.5,
        minHandPresenceConfidence: 0.5,
        minTrackingConfidence: 0.5,
      });
    case 'segmenter':
      return ImageSegmenter.createFromOptions(fs, {
        baseOptions: {
          modelAssetPath: frameAspect > 1.2 && m.segmenterLandscape !== undefined ? m.segmenterLandscape : m.segmenter,
          delegate: 'CPU',
        },
        runningMode: 'VIDEO',
        outputConfidenceMasks: true,
        outputCategoryMask: false,
      });
    case 'face':
      return FaceDetector.createFromOptions(fs, {
        baseOptions: { modelAssetPath: m.face, delegate: 'CPU' },
        runningMode: 'VIDEO',
        minDetectionConfidence: 0.5,
      });
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
      create(key).then(
        (task) => {
          slot.task = task;
          slot.state = 'ready';
          post({ type: 'model', model: key, error: null });
        },
        (error: unknown) => {
          slot.state = 'failed';
          post({
            type: 'model',
            model: key,
            error: String((error as Error)?.message ?? error).split('\n')[0] ?? 'failed',
          });
        },
      ),
    );
  }
  return (slot.state === 'ready' ? slot.task : undefined) as (typeof slots)[K]['task'];
}

let pendingWants: VisionWants | undefined;

function prepare(wants: VisionWants): void {
  if (fileset === undefined) {
    pendingWants = wants;
    return;
  }
  if (wants.segment) ensure('segmenter');
  if (wants.hands) ensure('hands');
  if (wants.face) ensure('face');
}

function runFrame(message: VisionFrame): void {
  const { bitmap, wants } = message;
  frameAspect = bitmap.width / Math.max(1, bitmap.height);
  // VIDEO mode needs strictly increasing timestamps.
  const time = Math.max(message.time, lastTime + 1);
  lastTime = time;
  const ms = { segment: 0, hands: 0, face: 0 };
  let mask: Uint8Array | null = null;
  let maskWidth = 0;
  let maskHeight = 0;
  let hand: Float32Array | null = null;
  let faceBox: Float32Array | null = null;
  try {
    const segmenter = wants.segment ? ensure('segmenter') : undefined;
    const hands = wants.hands ? ensure('hands') : undefined;
    const face = wants.face ? ensure('face') : undefined;
    if (segmenter !== undefined) {
      const t0 = performance.now();
      const result = segmenter.segmentForVideo(bitmap, time);
      const confidence = result.confidenceMasks?.[0];
      if (confidence !== undefined) {
        const values = confidence.getAsFloat32Array();
        maskWidth = confidence.width;
        maskHeight = confidence.height;
        if (smoothed?.length !== values.length) smoothed = Float32Array.from(values);
        mask = new Uint8Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          const prev = smoothed[i]!;
          // Follow big changes (a moving arm) quickly, damp small ones (edge shimmer).
          const k = Math.abs(v - prev) > 0.4 ? 0.8 : 0.45;
          const next = prev + (v - prev) * k;
          smoothed[i] = next;
          mask[i] = next * 255;
        }
      }
      result.close();
      ms.segment = performance.now() - t0;
    }
    if (hands !== undefined) {
      const t0 = performance.now();
      const result = hands.detectForVideo(bitmap, time);
      const landmarks = result.landmarks[0];
      if (landmarks !== undefined && landmarks.length >= 21) {
        hand = new Float32Array(63);
        for (let i = 0; i < 21; i++) {
          const l = landmarks[i]!;
          hand[i * 3] = l.x;
          hand[i * 3 + 1] = l.y;
          hand[i * 3 + 2] = l.z;
        }
      }
      ms.hands = performance.now() - t0;
    }
    if (face !== undefined) {
      const t0 = performance.now();
      const result = face.detectForVideo(bitmap, time);
      const box = result.detections[0]?.boundingBox;
      if (box !== undefined) {
        faceBox = new Float32Array([
          box.originX / bitmap.width,
          box.originY / bitmap.height,
          box.width / bitmap.width,
          box.height / bitmap.height,
        ]);
      }
      ms.face = performance.now() - t0;
    }
  } catch (error) {
    post({ type: 'error', message: String((error as Error)?.message ?? error) });
  } finally {
    bitmap.close();
  }
  const transfer: Transferable[] = [];
  if (mask !== null) transfer.push(mask.buffer);
  if (hand !== null) transfer.push(hand.buffer);
  if (faceBox !== null) transfer.push(faceBox.buffer);
  post({ type: 'result', time: message.time, hand, mask, maskWidth, maskHeight, face: faceBox, ms }, transfer);
}

self.onmessage = (event: MessageEvent<ToVision>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init(message).catch((error: unknown) =>
        post({ type: 'error', message: String((error as Error)?.message ?? error) }),
      );
      break;
    case 'frame':
      runFrame(message);
      break;
    case 'prepare':
      prepare(message.wants);
      break;
    case 'close':
      slots.hands.task?.close();
      slots.segmenter.task?.close();
      slots.face.task?.close();
      self.close();
      break;
  }
};
