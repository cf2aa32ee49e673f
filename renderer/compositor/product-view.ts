import { StudioError } from '../../shared/api/result';
import { assertNever } from '../../shared/assert-never';
import type { AnchorPose } from '../../shared/compositor/anchor';
import type { Size } from '../../shared/compositor/coords';
import type { Box, ModelHandle } from './frame';
import { copyBox } from './frame';
import type { FromProductWorker, ProductBoxPlacement, ToProductWorker } from './product-protocol';
import { RollingAverage } from './vision/vision-client';

/** Longest side, in drawing-buffer pixels, of the box the software tier renders the product in. */
export const productViewSide = 384;

interface ProductModel extends ModelHandle {
  readonly id: number;
}

type RenderedBox = ProductBoxPlacement & { bitmap: ImageBitmap };

/**
 * The 3D product for the software tier. three.js draws only the box around the product, in a
 * worker on an OffscreenCanvas, with the full-frame camera's projection cut down to that box
 * (`setViewOffset`), so it lands where the GPU tier would draw it. The frame loop never waits for
 * it: it sends the pose when the worker is free and pastes the latest box, moved, scaled and
 * turned to the pose of this frame (the box is at most a frame or two old).
 */
export class ProductView {
  private readonly worker: Worker;
  private lost = false;
  private broken = false;
  private inFlight = false;
  private postedAt = 0;
  private outputWidth = 1;
  private seq = 0;
  /** Frames rendered before this sequence number show a model no longer on screen. */
  private freshFrom = 0;
  private nextId = 1;
  private shown: ProductModel | undefined;
  private last: RenderedBox | undefined;
  private readonly pending = new Map<number, { resolve(): void; reject(error: StudioError): void }>();
  private readonly box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private mem = { geometries: 0, textures: 0, programs: 0 };
  private onContext: ((lost: boolean) => void) | undefined;
  readonly renderMs = new RollingAverage(30);

  constructor(vendorBase: string) {
    this.worker = new Worker(new URL('./product-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<FromProductWorker>) => this.receive(event.data);
    this.worker.onerror = () => this.fail('The 3D product worker stopped.');
    this.post({ type: 'init', vendorBase, side: productViewSide });
  }

  /** False once the worker could not draw at all (then the product shows as its photo). */
  get usable(): boolean {
    return !this.broken;
  }

  onContextChange(handler: (lost: boolean) => void): void {
    this.onContext = handler;
  }

  setOutputSize(size: Size): void {
    this.outputWidth = size.width;
    this.post({ type: 'size', width: size.width, height: size.height });
    this.freshFrom = this.seq + 1;
  }

  load(url: string): Promise<ModelHandle> {
    if (this.broken)
      return Promise.reject(
        new StudioError('compositor/no-3d', 'This computer cannot draw 3D: the product is shown as its photo.'),
      );
    const id = this.nextId++;
    const model: ProductModel = { id, url };
    return new Promise<ModelHandle>((resolve, reject) => {
      this.pending.set(id, { resolve: () => resolve(model), reject });
      this.post({ type: 'load', id, url });
    });
  }

  show(model: ModelHandle | undefined): void {
    const m = model as ProductModel | undefined;
    this.shown = m;
    this.post({ type: 'show', id: m?.id ?? null });
    this.freshFrom = this.seq + 1;
    this.dropLast();
  }

  discard(model: ModelHandle): void {
    this.post({ type: 'discard', id: (model as ProductModel).id });
  }

  /** A model is shown and its first box is still being drawn. */
  get awaitingFirstBox(): boolean {
    return this.shown !== undefined && this.last === undefined && !this.broken && !this.lost;
  }

  get loadedUrl(): string | undefined {
    return this.shown?.url;
  }

  /** Places the product for this frame and pastes its latest box onto `ctx` (output pixels). */
  draw(
    ctx: CanvasRenderingContext2D,
    pose: AnchorPose,
    scale: number,
    visible: boolean,
    pixelScale: number,
    maxFps = 15,
  ): void {
    this.box.width = 0;
    if (!visible || this.shown === undefined || this.lost || this.broken || pose.opacity <= 0.01) return;
    if (!this.inFlight && this.needsRender(pose, scale, maxFps)) {
      this.inFlight = true;
      this.postedAt = performance.now();
      this.post({
        type: 'render',
        seq: ++this.seq,
        pose: { x: pose.x, y: pose.y, size: pose.size, roll: pose.roll, yaw: pose.yaw, pinchScale: pose.pinchScale },
        scale,
        pixelScale,
      });
    }
    const f = this.last;
    if (f === undefined) return;
    const s0 = f.pose.size * f.pose.pinchScale * f.scale;
    const s1 = pose.size * pose.pinchScale * scale;
    const k = s0 > 0 ? s1 / s0 : 1;
    const dx = f.x - f.pose.x;
    const dy = f.y - f.pose.y;
    ctx.save();
    ctx.globalAlpha = pose.opacity;
    ctx.translate(pose.x, pose.y);
    // three.js turns the product by -roll in its y-up world: clockwise by roll on screen.
    ctx.rotate(pose.roll - f.pose.roll);
    ctx.scale(k, k);
    ctx.drawImage(f.bitmap, dx, dy, f.width, f.height);
    ctx.restore();
    this.box.x = pose.x + dx * k;
    this.box.y = pose.y + dy * k;
    this.box.width = f.width * k;
    this.box.height = f.height * k;
  }

  /**
   * Whether the box must be drawn again: moving it is free (it is pasted where the pose is), so
   * only turning, resizing or a long way across the picture (perspective) asks three.js for a new
   * one, and at most `maxFps` times a second. A software rasteriser serves MediaPipe's WebGL work from
   * the same queue: every box not drawn is inference time.
   */
  private needsRender(pose: AnchorPose, scale: number, maxFps: number): boolean {
    const f = this.last;
    if (f === undefined) return true;
    if (performance.now() - this.postedAt < 1000 / maxFps) return false;
    const s0 = f.pose.size * f.pose.pinchScale * f.scale;
    const s1 = pose.size * pose.pinchScale * scale;
    const turned =
      Math.abs(angleDelta(pose.yaw, f.pose.yaw)) > 0.035 || Math.abs(angleDelta(pose.roll, f.pose.roll)) > 0.06;
    const resized = s0 <= 0 || Math.abs(s1 / s0 - 1) > 0.06;
    const far = Math.hypot(pose.x - f.pose.x, pose.y - f.pose.y) > 0.12 * Math.max(this.outputWidth, 1);
    return turned || resized || far;
  }

  /** The last drawn box (output px). */
  lastBox(out: Box): Box {
    return copyBox(this.box, out);
  }

  memory(): { geometries: number; textures: number; programs: number } {
    return this.mem;
  }

  private receive(message: FromProductWorker): void {
    switch (message.type) {
      case 'frame': {
        this.inFlight = false;
        this.mem = message.memory;
        this.renderMs.push(message.renderMs);
        if (message.bitmap === null) return;
        if (message.seq < this.freshFrom) {
          message.bitmap.close();
          return;
        }
        this.dropLast();
        this.last = {
          bitmap: message.bitmap,
          x: message.x,
          y: message.y,
          width: message.width,
          height: message.height,
          pose: message.pose,
          scale: message.scale,
        };
        return;
      }
      case 'loaded': {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error === null) waiting?.resolve();
        else waiting?.reject(StudioError.fromData(message.error));
        return;
      }
      case 'context':
        this.lost = message.lost;
        if (message.lost) this.dropLast();
        this.inFlight = false;
        this.onContext?.(message.lost);
        return;
      case 'failed':
        this.inFlight = false;
        this.fail(message.message);
        return;
      default:
        assertNever(message, 'product worker message');
    }
  }

  private fail(message: string): void {
    this.broken = true;
    this.dropLast();
    for (const waiting of this.pending.values())
      waiting.reject(new StudioError('compositor/no-3d', 'This computer cannot draw 3D.', { detail: message }));
    this.pending.clear();
  }

  private dropLast(): void {
    this.last?.bitmap.close();
    this.last = undefined;
  }

  private post(message: ToProductWorker): void {
    this.worker.postMessage(message);
  }

  dispose(): void {
    this.dropLast();
    this.post({ type: 'close' });
  }
}

/** The signed difference of two angles, in −π…π. */
function angleDelta(a: number, b: number): number {
  const d = (a - b) % (2 * Math.PI);
  return d > Math.PI ? d - 2 * Math.PI : d < -Math.PI ? d + 2 * Math.PI : d;
}
