// The 2D tier's background blur, without `ctx.filter`. Chromium keeps the result of every filtered
// draw in Skia's image-filter cache, keyed by the source picture: a camera gives a new picture every
// frame, so the cache filled at about 7 MB/s up to its budget. Measured here at 30 fps: the program
// renderer's anonymous memory ran 265–365 MB in a sawtooth while a blurred background was shown
// (257–276 MB flat with the pyramid), and a bare page drawing a camera through any canvas filter
// went 51 → 162 MB in about 17 s. A pyramid of halvings with bilinear smoothing averages 2×2 pixels
// a step and allocates nothing per frame; two smooth upscales give the soft look of a Gaussian.
// Measured cost, 1280×720: 2.4 ms a frame, where the filtered draw took 2.2 ms.

import { StudioError } from '../../shared/api/result';

/** Halvings for a blur strength 0–1: the picture's detail is averaged over 2^n output pixels. */
export function blurHalvings(strength: number, width: number, height: number): number {
  const s = Math.min(1, Math.max(0, Number.isFinite(strength) ? strength : 0));
  // The 2D tier's former blur radius at a quarter of the output (1.5 + 5·s px), as a box width at full size.
  const wanted = Math.round(Math.log2(8 * (1.5 + 5 * s)));
  // Never below 2 px on the short side.
  const room = Math.max(1, Math.floor(Math.log2(Math.max(2, Math.min(width, height)) / 2)));
  return Math.max(1, Math.min(wanted, room));
}

interface Level {
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
}

function level(): Level {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (ctx === null)
    throw new StudioError('compositor/webgl-unavailable', 'This computer cannot draw the program picture.');
  return { canvas, ctx };
}

function resize(l: Level, width: number, height: number): void {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (l.canvas.width !== w || l.canvas.height !== h) {
    l.canvas.width = w;
    l.canvas.height = h;
  }
}

export class BlurPyramid {
  private readonly levels: Level[] = [];
  private readonly up = level();
  private count = 0;

  /**
   * The first level (half of width × height) for the caller to draw the source into, and the
   * number of levels that `finish` will go down for `strength`.
   */
  begin(width: number, height: number, strength: number): CanvasRenderingContext2D {
    this.count = blurHalvings(strength, width, height);
    for (let i = 0; i < this.count; i++) {
      const l = (this.levels[i] ??= level());
      resize(l, width / 2 ** (i + 1), height / 2 ** (i + 1));
    }
    // The last upscale's source: a quarter of the output.
    resize(this.up, width / 4, height / 4);
    // Context state is set each frame: resizing a canvas resets it.
    const first = this.levels[0]!;
    first.ctx.globalCompositeOperation = 'copy';
    return first.ctx;
  }

  /** Goes down the levels from the first and back up to a quarter size; returns that canvas. */
  finish(): HTMLCanvasElement {
    for (let i = 1; i < this.count; i++) {
      const from = this.levels[i - 1]!.canvas;
      const to = this.levels[i]!;
      to.ctx.globalCompositeOperation = 'copy';
      to.ctx.imageSmoothingQuality = 'low';
      to.ctx.drawImage(from, 0, 0, to.canvas.width, to.canvas.height);
    }
    const u = this.up.ctx;
    u.globalCompositeOperation = 'copy';
    u.imageSmoothingQuality = 'high';
    u.drawImage(this.levels[this.count - 1]!.canvas, 0, 0, this.up.canvas.width, this.up.canvas.height);
    return this.up.canvas;
  }

  dispose(): void {
    for (const l of [...this.levels, this.up]) l.canvas.width = l.canvas.height = 0;
  }
}
