// The bench's two baselines, in one browser page served by ./server.ts (bundled with esbuild):
//   ?mode=naive        what MediaPipe's web sample does: on every camera frame, on the main thread,
//                      the landscape selfie segmenter and then the FULL hand landmarker, serially,
//                      then the composite drawn in a 2D canvas at the output size (camera cut out by
//                      the mask over a background image, the product drawn at the palm, overlays).
//   ?mode=passthrough  each camera frame drawn into a 2D canvas at the output size, nothing else.
// Both draw from requestVideoFrameCallback and count the frames they draw in `window.__benchPage`,
// which the bench's frame counter (./frame-counter.ts) reads exactly as it reads the program's.
import { FilesetResolver, HandLandmarker, ImageSegmenter } from '@mediapipe/tasks-vision';

export interface BaselinePageState {
  mode: 'naive' | 'passthrough';
  /** Composites drawn (one per camera frame the page kept up with). */
  frames: number;
  maskResults: number;
  handResults: number;
  /** Summed inference and draw times, ms (divide by the counts for means). */
  segmentMs: number;
  handsMs: number;
  drawMs: number;
  ready: boolean;
  error: string | null;
  camera: { width: number; height: number };
}

declare global {
  interface Window {
    __benchPage?: BaselinePageState;
    /** Lets go of the camera and takes it again (see `pause` below). */
    __benchControl?: { pause(): void; resume(): Promise<void> };
  }
}

const params = new URLSearchParams(location.search);
const mode = params.get('mode') === 'passthrough' ? 'passthrough' : 'naive';
const width = Number(params.get('w') ?? 1280);
const height = Number(params.get('h') ?? 720);
// The web sample asks for the GPU delegate; on a machine without a GPU that is SwiftShader and
// slower than the CPU one, which is also what the program uses here. `?delegate=GPU` to compare.
const delegate = params.get('delegate') === 'GPU' ? 'GPU' : 'CPU';

const state: BaselinePageState = {
  mode,
  frames: 0,
  maskResults: 0,
  handResults: 0,
  segmentMs: 0,
  handsMs: 0,
  drawMs: 0,
  ready: false,
  error: null,
  camera: { width: 0, height: 0 },
};
window.__benchPage = state;

interface Cover {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The camera picture scaled to cover the output, centred (what the program does with a 16:9 camera in 9:16). */
function cover(srcW: number, srcH: number): Cover {
  const s = Math.max(width / srcW, height / srcH);
  const w = srcW * s;
  const h = srcH * s;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

/** A QR-like module grid, drawn once (a sample would draw a library's QR canvas). */
function qrCanvas(side: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = side;
  c.height = side;
  const g = c.getContext('2d')!;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, side, side);
  g.fillStyle = '#000';
  const n = 25;
  const m = side / n;
  let seed = 7;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      seed = (seed * 16807) % 2147483647;
      if (seed % 2 === 0) g.fillRect(x * m, y * m, m, m);
    }
  return c;
}

/** Card, price tag, lower third, QR and coupon: text drawn every frame, as a simple 2D overlay does. */
function drawOverlays(ctx: CanvasRenderingContext2D, qr: HTMLCanvasElement, now: number): void {
  const u = Math.min(width, height) / 720;
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  roundRect(ctx, 24 * u, 24 * u, 300 * u, 190 * u, 16 * u);
  ctx.fillStyle = '#1f2d1f';
  ctx.font = `bold ${30 * u}px sans-serif`;
  ctx.fillText('赣南脐橙', 44 * u, 70 * u);
  ctx.font = `${20 * u}px sans-serif`;
  ctx.fillText('江西赣州 · 5斤', 44 * u, 104 * u);
  ctx.fillText('地理标志 绿色食品 有机', 44 * u, 134 * u);
  ctx.fillText('果园直发，现摘现发', 44 * u, 164 * u);
  ctx.fillStyle = '#d4380d';
  roundRect(ctx, width - 220 * u, 24 * u, 196 * u, 80 * u, 40 * u);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${34 * u}px sans-serif`;
  ctx.fillText('¥39.90/箱', width - 206 * u, 76 * u);
  ctx.fillStyle = 'rgba(20,60,30,0.85)';
  roundRect(ctx, 24 * u, height - 130 * u, 460 * u, 96 * u, 12 * u);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${30 * u}px sans-serif`;
  ctx.fillText('李明', 44 * u, height - 88 * u);
  ctx.font = `${20 * u}px sans-serif`;
  ctx.fillText('赣州市商务局副局长', 44 * u, height - 54 * u);
  const side = 150 * u;
  ctx.drawImage(qr, width - side - 24 * u, height - side - 60 * u, side, side);
  ctx.fillStyle = '#fff';
  ctx.font = `${20 * u}px sans-serif`;
  ctx.fillText('扫码下单', width - side - 4 * u, height - 30 * u);
  const left = Math.max(0, 3_600_000 - (now % 3_600_000));
  const mm = Math.floor(left / 60_000);
  const ss = Math.floor((left % 60_000) / 1000);
  ctx.fillStyle = '#fa541c';
  roundRect(ctx, width - 260 * u, 120 * u, 236 * u, 70 * u, 12 * u);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${24 * u}px sans-serif`;
  ctx.fillText(`满99减20 ${mm}:${String(ss).padStart(2, '0')}`, width - 246 * u, 164 * u);
}

async function main(): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.style.cssText = `position:fixed;left:0;top:0;width:${width}px;height:${height}px`;
  document.body.style.margin = '0';
  document.body.append(canvas);
  // With alpha: the mask composite below needs a transparent canvas to cut the person out.
  const ctx = canvas.getContext('2d')!;
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  let stream: MediaStream | undefined;
  const openCamera = async () => {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: false });
    video.srcObject = stream;
    await video.play();
  };
  await openCamera();
  state.camera = { width: video.videoWidth, height: video.videoHeight };
  const fit = cover(video.videoWidth, video.videoHeight);
  let draw: VideoFrameRequestCallback = () => {
    ctx.drawImage(video, fit.x, fit.y, fit.w, fit.h);
    state.frames++;
  };
  let handle = 0;
  const loop: VideoFrameRequestCallback = (now, metadata) => {
    draw(now, metadata);
    handle = video.requestVideoFrameCallback(loop);
  };
  // While another contender is measured this page lets go of the camera rather than being frozen:
  // a frozen page keeps its capture buffers, and every other page of the browser reading the same
  // camera starves (seen here: passthrough 30 → 3–5 fps beside a frozen page).
  window.__benchControl = {
    pause() {
      video.cancelVideoFrameCallback(handle);
      stream?.getTracks().forEach((t) => t.stop());
      video.srcObject = null;
    },
    async resume() {
      await openCamera();
      handle = video.requestVideoFrameCallback(loop);
    },
  };
  const start = () => {
    state.ready = true;
    handle = video.requestVideoFrameCallback(loop);
  };
  if (mode === 'passthrough') return start();

  const fileset = await FilesetResolver.forVisionTasks('/wasm');
  const segmenter = await ImageSegmenter.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/models/selfie_segmenter_landscape.tflite', delegate },
    runningMode: 'VIDEO',
    outputConfidenceMasks: true,
    outputCategoryMask: false,
  });
  // The product goes in one hand: one hand, as the program tracks.
  const hands = await HandLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: '/models/hand_landmarker.task', delegate },
    runningMode: 'VIDEO',
    numHands: 1,
  });
  const background = new Image();
  background.src = '/samples/orchard.png';
  await background.decode();
  const bgFit = cover(background.naturalWidth, background.naturalHeight);
  const qr = qrCanvas(256);
  const maskCanvas = document.createElement('canvas');
  const maskCtx = maskCanvas.getContext('2d')!;
  let maskImage: ImageData | undefined;
  let lastTime = 0;

  draw = (now) => {
    const time = Math.max(now, lastTime + 1);
    lastTime = time;
    const t0 = performance.now();
    const seg = segmenter.segmentForVideo(video, time);
    const mask = seg.confidenceMasks?.[0];
    if (mask !== undefined) {
      if (maskImage === undefined || maskImage.width !== mask.width || maskImage.height !== mask.height) {
        maskCanvas.width = mask.width;
        maskCanvas.height = mask.height;
        maskImage = new ImageData(mask.width, mask.height);
      }
      const values = mask.getAsFloat32Array();
      const px = maskImage.data;
      for (let i = 0; i < values.length; i++) px[i * 4 + 3] = values[i]! * 255;
      maskCtx.putImageData(maskImage, 0, 0);
      state.maskResults++;
    }
    seg.close();
    const t1 = performance.now();
    const hand = hands.detectForVideo(video, time).landmarks[0];
    if (hand !== undefined) state.handResults++;
    const t2 = performance.now();

    ctx.globalCompositeOperation = 'copy';
    ctx.drawImage(maskCanvas, fit.x, fit.y, fit.w, fit.h);
    ctx.globalCompositeOperation = 'source-in';
    ctx.drawImage(video, fit.x, fit.y, fit.w, fit.h);
    ctx.globalCompositeOperation = 'destination-over';
    ctx.drawImage(background, bgFit.x, bgFit.y, bgFit.w, bgFit.h);
    ctx.globalCompositeOperation = 'source-over';
    if (hand !== undefined && hand.length >= 10) {
      // The crate above the palm, sized by the palm (wrist to middle-finger knuckle).
      const px = (p: { x: number; y: number }) => ({ x: fit.x + p.x * fit.w, y: fit.y + p.y * fit.h });
      const wrist = px(hand[0]!);
      const knuckle = px(hand[9]!);
      const palm = Math.hypot(knuckle.x - wrist.x, knuckle.y - wrist.y);
      const side = palm * 2.2;
      ctx.fillStyle = '#e8891a';
      roundRect(ctx, knuckle.x - side / 2, knuckle.y - side * 1.1, side, side * 0.8, side * 0.08);
      ctx.fillStyle = '#8a4b0f';
      ctx.fillRect(knuckle.x - side / 2, knuckle.y - side * 0.75, side, side * 0.08);
    }
    drawOverlays(ctx, qr, Date.now());
    state.segmentMs += t1 - t0;
    state.handsMs += t2 - t1;
    state.drawMs += performance.now() - t2;
    state.frames++;
  };
  start();
}

main().catch((error: unknown) => {
  state.error = error instanceof Error ? error.message : String(error);
});
