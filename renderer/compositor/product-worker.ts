/// <reference lib="webworker" />
// The product worker: three.js draws only the product's box (≤ productViewSide px) into an
// OffscreenCanvas, with the full-frame camera's projection cut down to the box, and hands it back
// as an ImageBitmap of CPU pixels. The readback waits here, never on the frame loop.
import * as THREE from 'three';

import { StudioError } from '../../shared/api/result';
import { assertNever } from '../../shared/assert-never';
import { emptyPose } from '../../shared/compositor/anchor';
import type { Box } from './frame';
import type { LoadedModel } from './product-layer';
import { ProductLayer } from './product-layer';
import type { FromProductWorker, ToProductWorker } from './product-protocol';

declare const self: DedicatedWorkerGlobalScope;

let renderer: THREE.WebGLRenderer | undefined;
let layer: ProductLayer | undefined;
let glCanvas: OffscreenCanvas | undefined;
let copy: OffscreenCanvasRenderingContext2D | undefined;
let copyCanvas: OffscreenCanvas | undefined;
let side = 384;
let size = { width: 1920, height: 1080 };
let lost = false;
const models = new Map<number, LoadedModel>();
const pose = emptyPose();
const box: Box = { x: 0, y: 0, width: 0, height: 0 };

const post = (message: FromProductWorker, transfer: Transferable[] = []) => self.postMessage(message, transfer);

function init(vendorBase: string, boxSide: number): void {
  side = boxSide;
  glCanvas = new OffscreenCanvas(side, side);
  glCanvas.addEventListener('webglcontextlost', (event) => {
    event.preventDefault();
    lost = true;
    post({ type: 'context', lost: true });
  });
  glCanvas.addEventListener('webglcontextrestored', () => {
    lost = false;
    layer?.buildEnvironment();
    post({ type: 'context', lost: false });
  });
  renderer = new THREE.WebGLRenderer({
    canvas: glCanvas as unknown as HTMLCanvasElement,
    alpha: true,
    premultipliedAlpha: true,
    antialias: false,
    preserveDrawingBuffer: false,
    powerPreference: 'low-power',
  });
  renderer.setPixelRatio(1);
  renderer.setSize(side, side, false);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  renderer.toneMapping = THREE.NoToneMapping;
  renderer.setClearColor(0x000000, 0);
  renderer.autoClear = false;
  layer = new ProductLayer(renderer, vendorBase);
  layer.setOutputSize(size.width, size.height);
  copyCanvas = new OffscreenCanvas(side, side);
  const ctx = copyCanvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D OffscreenCanvas');
  copy = ctx;
}

function render(seq: number, message: Extract<ToProductWorker, { type: 'render' }>): void {
  const t0 = performance.now();
  const frame = (bitmap: ImageBitmap | null) => {
    const info = renderer?.info;
    post(
      {
        type: 'frame',
        seq,
        bitmap,
        x: box.x,
        y: box.y,
        width: bitmap === null ? 0 : box.width,
        height: bitmap === null ? 0 : box.height,
        pose: message.pose,
        scale: message.scale,
        renderMs: performance.now() - t0,
        memory: {
          geometries: info?.memory.geometries ?? 0,
          textures: info?.memory.textures ?? 0,
          programs: info?.programs?.length ?? 0,
        },
      },
      bitmap === null ? [] : [bitmap],
    );
  };
  if (renderer === undefined || layer === undefined || copy === undefined || lost) return frame(null);
  Object.assign(pose, message.pose);
  pose.opacity = 1; // the main thread fades the drawn box instead
  pose.state = 'tracking';
  layer.applyPose(pose, message.scale, true);
  if (!layer.isVisible) return frame(null);
  const b = layer.screenBox(box);
  // A little room for antialiased edges; never outside the output.
  const x0 = Math.max(0, Math.floor(b.x - 4));
  const y0 = Math.max(0, Math.floor(b.y - 4));
  const x1 = Math.min(size.width, Math.ceil(b.x + b.width + 4));
  const y1 = Math.min(size.height, Math.ceil(b.y + b.height + 4));
  const bw = x1 - x0;
  const bh = y1 - y0;
  if (bw <= 0 || bh <= 0) return frame(null);
  box.x = x0;
  box.y = y0;
  box.width = bw;
  box.height = bh;
  // Output resolution where the box is small, capped at `side`.
  const k = Math.min(message.pixelScale, side / Math.max(bw, bh));
  const rw = Math.max(1, Math.min(side, Math.round(bw * k)));
  const rh = Math.max(1, Math.min(side, Math.round(bh * k)));
  const camera = layer.camera;
  renderer.setScissorTest(true);
  renderer.setViewport(0, 0, rw, rh);
  renderer.setScissor(0, 0, rw, rh);
  renderer.clear(true, true, false);
  camera.setViewOffset(size.width, size.height, x0, y0, bw, bh);
  renderer.render(layer.scene, camera);
  camera.clearViewOffset();
  renderer.setScissorTest(false);
  // CPU pixels for the 2D compositor: the copy reads the GL canvas back here, in the worker.
  copyCanvas!.width = rw;
  copyCanvas!.height = rh;
  // WebGL's origin is bottom-left: the rendered box is the bottom rows of the GL canvas.
  copy.drawImage(glCanvas!, 0, side - rh, rw, rh, 0, 0, rw, rh);
  frame(copyCanvas!.transferToImageBitmap());
}

async function load(id: number, url: string): Promise<void> {
  try {
    if (layer === undefined) throw new StudioError('compositor/no-3d', 'No 3D here.');
    models.set(id, await layer.load(url));
    post({ type: 'loaded', id, error: null });
  } catch (error) {
    const e =
      error instanceof StudioError
        ? error
        : new StudioError('assets/broken-model', 'The model file is damaged.', { detail: String(error) });
    post({ type: 'loaded', id, error: e.toData() });
  }
}

self.onmessage = (event: MessageEvent<ToProductWorker>) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'init':
        init(message.vendorBase, message.side);
        break;
      case 'size':
        size = { width: message.width, height: message.height };
        layer?.setOutputSize(size.width, size.height);
        break;
      case 'load':
        void load(message.id, message.url);
        break;
      case 'show':
        layer?.show(message.id === null ? undefined : models.get(message.id));
        if (message.id !== null) models.delete(message.id);
        break;
      case 'discard': {
        const model = models.get(message.id);
        if (model !== undefined) layer?.discard(model);
        models.delete(message.id);
        break;
      }
      case 'render':
        render(message.seq, message);
        break;
      case 'close':
        layer?.dispose();
        renderer?.dispose();
        self.close();
        break;
      default:
        assertNever(message, 'product worker request');
    }
  } catch (error) {
    post({ type: 'failed', message: String((error as Error)?.message ?? error) });
  }
};
