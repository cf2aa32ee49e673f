import { StudioError } from '../../shared/api/result';
import type { CoverFit, Size } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import { BlurPyramid } from './blur-pyramid';
import type { BackSource, Box, FrameInputs, ModelHandle, TierRenderer } from './frame';
import { copyBox } from './frame';
import { ProductView } from './product-view';
import { RollingAverage } from './vision/vision-client';

type ImageBack = Extract<BackSource, { kind: 'image' }>;

/** Where a mask value becomes person: the same soft edge as the GPU tier's shader. */
const edgeLow = 0.35;
const edgeHigh = 0.75;

/**
 * The software tier: the frame is composited in a 2D canvas, which Chromium rasterises on the
 * CPU with SIMD and no readback; on a software WebGL it is several times cheaper than a
 * full-frame shader. Order: the background (image, video or blurred camera), the host cut out
 * of the camera by the upscaled person mask, the guest, the product (its small 3D box, or its
 * photo without WebGL), the overlay boxes.
 */
export class CanvasRenderer implements TierRenderer {
  readonly tier: 'software' | 'none';
  private readonly ctx: CanvasRenderingContext2D;
  private readonly maskCanvas = document.createElement('canvas');
  private readonly maskContext: CanvasRenderingContext2D;
  private maskImage: ImageData | undefined;
  private readonly personCanvas = document.createElement('canvas');
  private readonly maskPlateCanvas = document.createElement('canvas');
  private readonly maskPlateContext: CanvasRenderingContext2D;
  /** What the mask plate was drawn for: mask version, crop (the fit object; a new one per layout) and size. */
  private maskPlateVersion = -1;
  private maskPlateFit: CoverFit | undefined;
  private maskVersion = 0;
  private readonly backPlateCanvas = document.createElement('canvas');
  private readonly backPlateContext: CanvasRenderingContext2D;
  private backPlateFit: CoverFit | null | undefined;
  private backPlateImage: ImageBitmap | undefined;
  /** Bumped whenever the background plate is redrawn. */
  private backPlateVersion = 0;
  /**
   * The background plate with the host's shape cut out of it (`destination-out`): laid over the
   * camera it gives the same picture as the host cut out and laid over the background, but it
   * changes only when a mask arrives, so a frame costs one camera draw and one blend.
   */
  private readonly holeCanvas = document.createElement('canvas');
  private readonly holeContext: CanvasRenderingContext2D;
  private holeKey = { mask: -1, back: -1, fit: undefined as CoverFit | undefined };
  private readonly personContext: CanvasRenderingContext2D;
  private readonly blur = new BlurPyramid();
  private readonly view: ProductView | undefined;
  private photo: ImageBitmap | null = null;
  private scale = 1;
  private hasMask = false;
  private readonly box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private readonly cutBox: Box = { x: 0, y: 0, width: 0, height: 0 };
  private contextHandler: ((lost: boolean) => void) | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    tier: 'software' | 'none',
    vendorBase: string,
  ) {
    // Opaque: the page compositor copies the canvas instead of blending it over the page.
    const ctx = canvas.getContext('2d', { alpha: false });
    const mask = this.maskCanvas.getContext('2d');
    const person = this.personCanvas.getContext('2d');
    const maskPlate = this.maskPlateCanvas.getContext('2d');
    const backPlate = this.backPlateCanvas.getContext('2d', { alpha: false });
    const hole = this.holeCanvas.getContext('2d');
    if (ctx === null || mask === null || person === null || maskPlate === null || backPlate === null || hole === null)
      throw new StudioError('compositor/webgl-unavailable', 'This computer cannot draw the program picture.');
    this.ctx = ctx;
    this.maskContext = mask;
    this.personContext = person;
    this.maskPlateContext = maskPlate;
    this.backPlateContext = backPlate;
    this.holeContext = hole;
    let view: ProductView | undefined;
    if (tier === 'software') {
      try {
        view = new ProductView(vendorBase);
        view.onContextChange((lost) => this.contextHandler?.(lost));
      } catch {
        view = undefined; // no workers here: photos instead
      }
    }
    this.view = view;
    this.tier = view === undefined ? 'none' : 'software';
  }

  /** 3D while the product worker can draw; its photo otherwise. */
  get has3d(): boolean {
    return this.view?.usable ?? false;
  }

  /** The product's WebGL context lives in its worker: none on this thread. */
  get gl(): undefined {
    return undefined;
  }

  get loadedModelUrl(): string | undefined {
    return this.view?.loadedUrl;
  }

  onContextChange(handler: (lost: boolean) => void): void {
    this.contextHandler = handler;
  }

  setSize(size: Size, scale: number): void {
    this.scale = scale;
    this.canvas.width = Math.round(size.width * scale);
    this.canvas.height = Math.round(size.height * scale);
    this.view?.setOutputSize(size);
  }

  updateMask(data: Uint8Array, width: number, height: number): void {
    if (this.maskImage?.width !== width || this.maskImage.height !== height) {
      this.maskCanvas.width = width;
      this.maskCanvas.height = height;
      this.maskImage = new ImageData(width, height);
      // The colour is irrelevant (only alpha is used by destination-in): white.
      this.maskImage.data.fill(255);
    }
    const px = this.maskImage.data;
    for (let i = 0, j = 3; i < data.length; i++, j += 4) px[j] = alphaOf[data[i]!]!;
    this.maskContext.putImageData(this.maskImage, 0, 0);
    this.hasMask = true;
    this.maskVersion++;
  }

  async loadModel(url: string): Promise<ModelHandle> {
    if (this.view === undefined)
      throw new StudioError('compositor/no-3d', 'This computer cannot draw 3D: the product is shown as its photo.');
    return this.view.load(url);
  }

  showModel(model: ModelHandle | undefined): void {
    this.view?.show(model);
  }

  discardModel(model: ModelHandle): void {
    this.view?.discard(model);
  }

  setProductPhoto(photo: ImageBitmap | null): void {
    this.photo = photo;
  }

  productBox(out: Box): Box {
    return copyBox(this.box, out);
  }

  /** Milliseconds per stage of the last frames: picture (camera, mask, background), product, overlays. */
  readonly stageMs = {
    picture: new RollingAverage(60),
    product: new RollingAverage(60),
    overlays: new RollingAverage(60),
  };

  draw(frame: FrameInputs): void {
    const t0 = performance.now();
    const ctx = this.ctx;
    const s = this.scale;
    ctx.setTransform(s, 0, 0, s, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
    const r = frame.mainRect;
    const camera = frame.camera;
    const ready = camera !== undefined && camera.videoWidth > 0;
    if (!ready) {
      ctx.fillStyle = '#202020';
      ctx.fillRect(r.x, r.y, r.width, r.height);
    } else {
      const effect =
        frame.mode !== 'camera' && this.hasMask && frame.maskMix > 0 && (frame.mode === 'blur' || frame.back !== null);
      if (!effect) {
        drawCover(ctx, camera, camera.videoWidth, camera.videoHeight, frame.mainFit, r);
      } else if (frame.mode !== 'blur' && frame.back?.kind === 'image') {
        // A still background: the camera, then the background with the host's hole over it
        // (faded in after the first mask).
        drawCover(ctx, camera, camera.videoWidth, camera.videoHeight, frame.mainFit, r);
        ctx.globalAlpha = frame.maskMix;
        ctx.drawImage(this.backWithHole(frame.back, frame.backFit, frame.mainFit, r), r.x, r.y, r.width, r.height);
        ctx.globalAlpha = 1;
      } else {
        // A moving background (video, blurred camera): the host cut out and laid over it.
        if (frame.maskMix < 1) {
          // Easing in after the first mask: the background fades in behind the host.
          drawCover(ctx, camera, camera.videoWidth, camera.videoHeight, frame.mainFit, r);
          ctx.globalAlpha = frame.maskMix;
        }
        if (frame.mode === 'blur') this.drawBlurred(ctx, camera, frame.mainFit, r, frame.blurStrength);
        else this.drawBack(ctx, frame.back!, frame.backFit, r);
        ctx.globalAlpha = 1;
        ctx.drawImage(this.cutOut(camera, frame.mainFit, r), r.x, r.y, r.width, r.height);
      }
    }
    const guest = frame.guest;
    if (guest !== null && guest.video.videoWidth > 0) this.drawGuest(ctx, guest.video, guest.rect, guest.radius);
    const t1 = performance.now();
    this.drawProduct(ctx, frame);
    const t2 = performance.now();
    for (const o of frame.overlays) {
      ctx.globalAlpha = o.opacity;
      ctx.drawImage(o.source, o.sx, o.sy, o.sw, o.sh, o.dx, o.dy, o.dw, o.dh);
    }
    ctx.globalAlpha = 1;
    const t3 = performance.now();
    this.stageMs.picture.push(t1 - t0);
    this.stageMs.product.push(t2 - t1);
    this.stageMs.overlays.push(t3 - t2);
  }

  /**
   * The host cut out of the visible part of the camera frame: the camera copied in, then kept
   * only where the upscaled mask says person (`destination-in`). Done at the smaller of the
   * camera's visible crop and the output box, so a 9:16 crop of a 16:9 camera costs a third.
   */
  private cutOut(camera: HTMLVideoElement, fit: CoverFit, r: Rect): HTMLCanvasElement {
    const vw = camera.videoWidth;
    const vh = camera.videoHeight;
    const sw = fit.uvScaleX * vw;
    const sh = fit.uvScaleY * vh;
    const k = Math.min(1, (r.width * this.scale) / sw, (r.height * this.scale) / sh);
    const pw = Math.max(1, Math.round(sw * k));
    const ph = Math.max(1, Math.round(sh * k));
    const canvas = this.personCanvas;
    const p = this.personContext;
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    const box = this.cutBox;
    box.width = pw;
    box.height = ph;
    const plate = this.maskPlate(fit, pw, ph, box);
    p.globalCompositeOperation = 'copy';
    drawCover(p, camera, vw, vh, fit, box);
    // Kept only where the mask says person: a 1:1 blend with the upscaled mask.
    p.globalCompositeOperation = 'destination-in';
    p.drawImage(plate, 0, 0);
    p.globalCompositeOperation = 'source-over';
    return canvas;
  }

  /**
   * The mask upscaled to the cut-out's size, redrawn only when a new mask arrives or the crop
   * changes: masks come at 10–15 per second, frames at 30, and the upscale is the dear part.
   */
  private maskPlate(fit: CoverFit, pw: number, ph: number, box: Rect): HTMLCanvasElement {
    const plate = this.maskPlateCanvas;
    const same =
      this.maskPlateVersion === this.maskVersion &&
      this.maskPlateFit === fit &&
      plate.width === pw &&
      plate.height === ph;
    if (same) return plate;
    this.maskPlateVersion = this.maskVersion;
    this.maskPlateFit = fit;
    if (plate.width !== pw || plate.height !== ph) {
      plate.width = pw;
      plate.height = ph;
    }
    const m = this.maskPlateContext;
    m.globalCompositeOperation = 'copy';
    // The mask is of the whole camera frame: cropped the same way as the camera.
    drawCover(m, this.maskCanvas, this.maskCanvas.width, this.maskCanvas.height, fit, box);
    return plate;
  }

  private drawProduct(ctx: CanvasRenderingContext2D, frame: FrameInputs): void {
    const p = frame.product;
    if (this.view?.usable === true) {
      this.view.draw(ctx, p.pose, p.scale, p.visible, this.scale, frame.productFps);
      this.view.lastBox(this.box);
      return;
    }
    const photo = this.photo;
    this.box.width = 0;
    if (!p.visible || photo === null || p.pose.opacity <= 0.01) return;
    // The photo stands where the 3D product would: centred on the anchor, the same size.
    const side = p.pose.size * p.pose.pinchScale * p.scale;
    const k = side / Math.max(photo.width, photo.height);
    const w = photo.width * k;
    const h = photo.height * k;
    ctx.save();
    ctx.globalAlpha = p.pose.opacity;
    ctx.translate(p.pose.x, p.pose.y);
    ctx.rotate(p.pose.roll);
    // No shadow: the clip below would cut it away, and it cost a blur a frame.
    ctx.beginPath();
    ctx.roundRect(-w / 2, -h / 2, w, h, Math.min(w, h) * 0.08);
    ctx.clip();
    ctx.drawImage(photo, -w / 2, -h / 2, w, h);
    ctx.restore();
    this.box.x = p.pose.x - w / 2;
    this.box.y = p.pose.y - h / 2;
    this.box.width = w;
    this.box.height = h;
  }

  /**
   * The origin background. A still image is scaled into a plate of the output box once (per
   * image and size), so each frame copies it 1:1 instead of resampling a 1920×1080 picture.
   */
  private drawBack(ctx: CanvasRenderingContext2D, back: BackSource, fit: CoverFit | null, r: Rect): void {
    if (back.kind === 'video') return drawBack(ctx, back, fit, r);
    ctx.drawImage(this.backPlate(back, fit, r), r.x, r.y, r.width, r.height);
  }

  private backPlate(back: ImageBack, fit: CoverFit | null, r: Rect): HTMLCanvasElement {
    const pw = Math.max(1, Math.round(r.width * this.scale));
    const ph = Math.max(1, Math.round(r.height * this.scale));
    const plate = this.backPlateCanvas;
    const same =
      back.image === this.backPlateImage && fit === this.backPlateFit && plate.width === pw && plate.height === ph;
    if (!same) {
      this.backPlateImage = back.image;
      this.backPlateFit = fit;
      this.backPlateVersion++;
      plate.width = pw;
      plate.height = ph;
      drawBack(this.backPlateContext, back, fit, { x: 0, y: 0, width: pw, height: ph });
    }
    return plate;
  }

  /** The background plate less the host (see `holeCanvas`), redrawn when a mask or the layout changes. */
  private backWithHole(back: ImageBack, backFit: CoverFit | null, mainFit: CoverFit, r: Rect): HTMLCanvasElement {
    const plate = this.backPlate(back, backFit, r);
    const hole = this.holeCanvas;
    const key = this.holeKey;
    if (
      key.mask === this.maskVersion &&
      key.back === this.backPlateVersion &&
      key.fit === mainFit &&
      hole.width === plate.width &&
      hole.height === plate.height
    )
      return hole;
    key.mask = this.maskVersion;
    key.back = this.backPlateVersion;
    key.fit = mainFit;
    if (hole.width !== plate.width || hole.height !== plate.height) {
      hole.width = plate.width;
      hole.height = plate.height;
    }
    const h = this.holeContext;
    h.globalCompositeOperation = 'copy';
    h.drawImage(plate, 0, 0);
    // The mask is of the whole camera frame: cropped as the camera is, upscaled by the draw.
    h.globalCompositeOperation = 'destination-out';
    const box = this.cutBox;
    box.width = hole.width;
    box.height = hole.height;
    drawCover(h, this.maskCanvas, this.maskCanvas.width, this.maskCanvas.height, mainFit, box);
    h.globalCompositeOperation = 'source-over';
    return hole;
  }

  private drawBlurred(
    ctx: CanvasRenderingContext2D,
    camera: HTMLVideoElement,
    fit: CoverFit,
    r: Rect,
    strength: number,
  ) {
    const first = this.blur.begin(r.width, r.height, strength);
    drawCover(first, camera, camera.videoWidth, camera.videoHeight, fit, {
      x: 0,
      y: 0,
      width: first.canvas.width,
      height: first.canvas.height,
    });
    const blurred = this.blur.finish();
    const quality = ctx.imageSmoothingQuality;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(blurred, r.x, r.y, r.width, r.height);
    ctx.imageSmoothingQuality = quality;
  }

  private drawGuest(ctx: CanvasRenderingContext2D, video: HTMLVideoElement, g: Rect, radius: number): void {
    ctx.save();
    ctx.beginPath();
    ctx.roundRect(g.x, g.y, g.width, g.height, radius);
    ctx.clip();
    const fit = coverFitInto(video.videoWidth, video.videoHeight, g);
    ctx.drawImage(video, fit.sx, fit.sy, fit.sw, fit.sh, g.x, g.y, g.width, g.height);
    if (radius > 0) {
      // The white frame the GPU tier's shader draws: 5 px inside the edge.
      ctx.lineWidth = 10;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
    ctx.restore();
  }

  productPending(): boolean {
    return this.view?.awaitingFirstBox ?? false;
  }

  stages(): Record<string, number> {
    const m = this.stageMs;
    return {
      picture: m.picture.average,
      product: m.product.average,
      overlays: m.overlays.average,
      productWorker: this.view?.renderMs.average ?? 0,
    };
  }

  memory(): { geometries: number; textures: number; programs: number } {
    return this.view?.memory() ?? { geometries: 0, textures: 0, programs: 0 };
  }

  dispose(): void {
    this.view?.dispose();
    this.maskCanvas.width = this.maskCanvas.height = 0;
    this.personCanvas.width = this.personCanvas.height = 0;
    this.maskPlateCanvas.width = this.maskPlateCanvas.height = 0;
    this.backPlateCanvas.width = this.backPlateCanvas.height = 0;
    this.backPlateImage = undefined;
    this.holeCanvas.width = this.holeCanvas.height = 0;
    this.blur.dispose();
  }
}

/** Person alpha for each mask value: smoothstep over the soft-edge range, like the GPU shader. */
const alphaOf = (() => {
  const table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) {
    const t = Math.min(1, Math.max(0, (v / 255 - edgeLow) / (edgeHigh - edgeLow)));
    table[v] = Math.round(t * t * (3 - 2 * t) * 255);
  }
  return table;
})();

/** Draws `source` (w×h) cover-fitted into `r`: only the visible part of the source is read. */
function drawCover(
  ctx: CanvasRenderingContext2D,
  source: CanvasImageSource,
  w: number,
  h: number,
  fit: CoverFit,
  r: Rect,
): void {
  ctx.drawImage(
    source,
    fit.uvOffsetX * w,
    fit.uvOffsetY * h,
    fit.uvScaleX * w,
    fit.uvScaleY * h,
    r.x,
    r.y,
    r.width,
    r.height,
  );
}

function drawBack(ctx: CanvasRenderingContext2D, back: BackSource, fit: CoverFit | null, r: Rect): void {
  const source = back.kind === 'image' ? back.image : back.video;
  const w = back.kind === 'image' ? back.width : back.video.videoWidth;
  const h = back.kind === 'image' ? back.height : back.video.videoHeight;
  if (w === 0 || h === 0) return;
  if (fit === null) ctx.drawImage(source, r.x, r.y, r.width, r.height);
  else drawCover(ctx, source, w, h, fit, r);
}

function coverFitInto(w: number, h: number, r: Rect): { sx: number; sy: number; sw: number; sh: number } {
  const scale = Math.max(r.width / w, r.height / h);
  const sw = r.width / scale;
  const sh = r.height / scale;
  return { sx: (w - sw) / 2, sy: (h - sh) / 2, sw, sh };
}
