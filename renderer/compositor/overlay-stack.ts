import type { Size } from '../../shared/compositor/coords';
import type { OverlayId, PlacedOverlay } from '../../shared/compositor/overlay-layout';
import { OverlayLayout } from '../../shared/compositor/overlay-layout';
import type { Rect } from '../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../shared/compositor/scene';
import type { OverlayDraw } from './frame';
import type { OverlayTexts } from './overlay-draw';
import { OverlaySprites, spriteDestination } from './overlay-draw';

/** What overlays keep clear of, in output pixels. */
export interface OverlayAvoid {
  face: Rect | null;
  product: Rect | null;
  /** Boxes no overlay may cover (the guest's picture). */
  keepOut?: readonly Rect[];
}

/**
 * The overlays of a scene for the renderers: each drawn once into its own sprite (redrawn only
 * when its content changes: scene, countdown second, fonts), laid out every frame around the
 * host's face and the product by OverlayLayout, handed over as source/destination rectangles.
 */
export class OverlayStack {
  private readonly sprites: OverlaySprites;
  private readonly layout = new OverlayLayout();
  private readonly draws: OverlayDraw[] = [];
  private readonly boxList: { id: OverlayId; width: number; height: number }[] = [];
  private placed: readonly PlacedOverlay[] = [];
  private spritesVersion = -1;
  private changed = 0;

  constructor(pixelScale: number) {
    this.sprites = new OverlaySprites(pixelScale);
  }

  /** Redraws every sprite at the next update (fonts arrived, language changed). */
  invalidate(): void {
    this.sprites.invalidate();
  }

  /** This frame's overlay boxes; `now` is the frame's performance.now(). */
  update(
    scene: CompositorScene | undefined,
    safe: Rect,
    size: Size,
    texts: OverlayTexts,
    avoid: OverlayAvoid,
    now: number,
  ): OverlayDraw[] {
    if (scene === undefined) {
      this.draws.length = 0;
      this.placed = [];
      return this.draws;
    }
    // Countdowns are wall-clock (coupon end times are Date.now() values).
    if (this.sprites.update(scene, size, texts, Date.now())) this.changed++;
    const sprites = this.sprites.sprites;
    if (this.spritesVersion !== this.changed) {
      this.spritesVersion = this.changed;
      this.boxList.length = 0;
      for (const s of sprites) this.boxList.push({ id: s.id, width: s.width, height: s.height });
    }
    this.placed = this.layout.place(this.boxList, safe, size, avoid, now);
    this.draws.length = 0;
    for (let i = 0; i < this.placed.length; i++) {
      const p = this.placed[i]!;
      let sprite = sprites[i]!;
      for (const s of sprites) if (s.id === p.id) sprite = s;
      if (p.opacity <= 0.01) continue;
      const d = spriteDestination(sprite, p);
      this.draws.push({
        source: sprite.canvas,
        version: sprite.version,
        sx: 0,
        sy: 0,
        sw: sprite.canvas.width,
        sh: sprite.canvas.height,
        dx: d.x,
        dy: d.y,
        dw: d.width,
        dh: d.height,
        opacity: p.opacity,
      });
    }
    return this.draws;
  }

  /** The boxes placed last (output px, without the shadow margin), for tests and the HUD. */
  boxes(): { id: string; x: number; y: number; width: number; height: number }[] {
    return this.placed.map((p) => ({ id: p.id, x: p.x, y: p.y, width: p.width, height: p.height }));
  }

  dispose(): void {
    this.sprites.dispose();
  }
}
