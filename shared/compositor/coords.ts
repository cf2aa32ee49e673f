// Coordinate spaces of the compositor, branded so a MediaPipe 0–1 point cannot be used where an
// output pixel is meant.

declare const normalizedBrand: unique symbol;
declare const pixelBrand: unique symbol;

/** MediaPipe image coordinates: x and y in 0–1 of the source frame, origin top-left. */
export type NormalizedPoint = { readonly x: number; readonly y: number } & { readonly [normalizedBrand]: true };
/** Output (program) pixels, origin top-left. */
export type PixelPoint = { x: number; y: number } & { readonly [pixelBrand]: true };

export const normalizedPoint = (x: number, y: number): NormalizedPoint => ({ x, y }) as NormalizedPoint;
export const pixelPoint = (x: number, y: number): PixelPoint => ({ x, y }) as PixelPoint;

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** How a source frame is drawn into the output: scaled to cover it, centred, cropped. */
export interface CoverFit {
  /** Output pixels per source pixel. */
  readonly scale: number;
  /** Where the source's top-left lands in output pixels (≤ 0 on the cropped axis). */
  readonly offsetX: number;
  readonly offsetY: number;
  /** Part of the source that is visible, as 0–1 UV rectangle (for shaders). */
  readonly uvOffsetX: number;
  readonly uvOffsetY: number;
  readonly uvScaleX: number;
  readonly uvScaleY: number;
}

/** Cover-fits `source` into `output`, like CSS `object-fit: cover`. */
export function coverFit(source: Size, output: Size): CoverFit {
  if (source.width <= 0 || source.height <= 0) {
    return { scale: 1, offsetX: 0, offsetY: 0, uvOffsetX: 0, uvOffsetY: 0, uvScaleX: 1, uvScaleY: 1 };
  }
  const scale = Math.max(output.width / source.width, output.height / source.height);
  const drawnW = source.width * scale;
  const drawnH = source.height * scale;
  const offsetX = (output.width - drawnW) / 2;
  const offsetY = (output.height - drawnH) / 2;
  return {
    scale,
    offsetX,
    offsetY,
    uvScaleX: output.width / drawnW,
    uvScaleY: output.height / drawnH,
    uvOffsetX: -offsetX / drawnW,
    uvOffsetY: -offsetY / drawnH,
  };
}

/** Maps a source-normalised point to output pixels under `fit`; `mirror` flips the source horizontally. */
export function toOutputPixels(p: NormalizedPoint, source: Size, fit: CoverFit, mirror = false): PixelPoint {
  const sx = (mirror ? 1 - p.x : p.x) * source.width;
  const sy = p.y * source.height;
  return pixelPoint(fit.offsetX + sx * fit.scale, fit.offsetY + sy * fit.scale);
}
