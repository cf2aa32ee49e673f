import type { Size } from './coords';

/** A rectangle in output pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Margins as fractions of the output size. */
export interface Insets {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/**
 * Where our overlays may go without being covered by the platform's own UI. On 9:16 (Douyin,
 * Kuaishou, WeChat Channels, Taobao Live) the top holds the host badge and viewer count, the right
 * column holds like/share/cart buttons, and the bottom quarter holds comments and the buy bar, so
 * these insets take the widest of them. On 16:9 it is the usual 5% title-safe margin.
 */
export const safeInsets: Record<'16:9' | '9:16', Insets> = {
  '16:9': { top: 0.05, right: 0.05, bottom: 0.05, left: 0.05 },
  '9:16': { top: 0.12, right: 0.16, bottom: 0.24, left: 0.04 },
};

/** The safe rectangle of an output of `size` and `orientation`. */
export function safeArea(size: Size, orientation: '16:9' | '9:16'): Rect {
  const i = safeInsets[orientation];
  const x = Math.round(size.width * i.left);
  const y = Math.round(size.height * i.top);
  return {
    x,
    y,
    width: Math.round(size.width * (1 - i.left - i.right)),
    height: Math.round(size.height * (1 - i.top - i.bottom)),
  };
}

/** Whether `inner` lies wholly inside `outer`. */
export function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** Orientation implied by an output size. */
export function orientationOf(size: Size): '16:9' | '9:16' {
  return size.height > size.width ? '9:16' : '16:9';
}
