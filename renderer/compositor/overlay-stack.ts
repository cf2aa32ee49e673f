import type { Size } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../shared/compositor/scene';
import type { OverlayDraw } from './frame';
import type { OverlayTexts } from './overlay-draw';
import { drawOverlays } from './overlay-draw';

/** What overlays keep clear of, in output pixels. */
export interface OverlayAvoid {
  face: Rect | null;
  product: Rect | null;
}

/**
 * The overlays of a scene as boxes for the renderers: drawn into canvases only when something
 * changed (scene, countdown second, font), then handed over as source/destination rectangles.
 */
export class OverlayStack {
  private readonly canvas = document.createElement('canvas');
  private readonly context: CanvasRenderingContext2D;
  private readonly regions: Rect[] = [];
  private readonly draws: OverlayDraw[] = [];
  private dirty = true;
  private version = 0;
  private countdownShown = Number.NaN;
  private size: Size = { width: 0, height: 0 };

  constructor(private readonly pixelScale: number) {
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas for overlays');
    this.context = ctx;
  }

  invalidate(): void {
    this.dirty = true;
  }

  update(
    scene: CompositorScene | undefined,
    safe: Rect,
    size: Size,
    texts: OverlayTexts,
    _avoid: OverlayAvoid,
    now: number,
  ): OverlayDraw[] {
    if (scene === undefined) {
      this.draws.length = 0;
      return this.draws;
    }
    const coupon = scene.overlays.coupon;
    if (coupon.visible && coupon.endsAt !== null) {
      // A number, not the text: no string is made per frame, only when the second changes.
      const shown = Math.max(0, Math.ceil((coupon.endsAt - Date.now()) / 1000));
      if (shown !== this.countdownShown) {
        this.countdownShown = shown;
        this.dirty = true;
      }
    }
    if (size.width !== this.size.width || size.height !== this.size.height) {
      this.size = size;
      this.canvas.width = Math.round(size.width * this.pixelScale);
      this.canvas.height = Math.round(size.height * this.pixelScale);
      this.dirty = true;
    }
    if (this.dirty) {
      this.dirty = false;
      this.version++;
      const ctx = this.context;
      ctx.setTransform(this.pixelScale, 0, 0, this.pixelScale, 0, 0);
      drawOverlays(ctx, scene, safe, size, texts, Date.now(), this.regions);
      this.place();
    }
    void now;
    return this.draws;
  }

  private place(): void {
    const { width, height } = this.size;
    const k = this.pixelScale;
    this.draws.length = 0;
    for (const r of this.regions) {
      const x0 = Math.max(0, r.x);
      const y0 = Math.max(0, r.y);
      const x1 = Math.min(width, r.x + r.width);
      const y1 = Math.min(height, r.y + r.height);
      if (x1 <= x0 || y1 <= y0) continue;
      this.draws.push({
        source: this.canvas,
        version: this.version,
        sx: x0 * k,
        sy: y0 * k,
        sw: (x1 - x0) * k,
        sh: (y1 - y0) * k,
        dx: x0,
        dy: y0,
        dw: x1 - x0,
        dh: y1 - y0,
        opacity: 1,
      });
    }
  }

  /** The boxes drawn last (output px), for tests and the HUD. */
  boxes(): { id: string; x: number; y: number; width: number; height: number }[] {
    return this.draws.map((d, i) => ({ id: String(i), x: d.dx, y: d.dy, width: d.dw, height: d.dh }));
  }

  dispose(): void {
    this.canvas.width = this.canvas.height = 0;
  }
}
