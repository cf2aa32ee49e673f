import { describe, expect, it } from 'vitest';

import { greyThumbnail } from './frame-change';
import type { FrameLayout } from './frame-scale';
import { scaleFrame } from './frame-scale';

/** A full-range frame layout (what a webcam gives). */
const fullRangeLayout = (
  format: FrameLayout['format'],
  width: number,
  height: number,
  planes: FrameLayout['planes'],
  bt709 = false,
): FrameLayout => ({ format, width, height, planes, fullRange: true, bt709 });

/** An I420 frame (full range) whose luma is `y(x, row)` and chroma `u`, `v` everywhere. */
function i420(w: number, h: number, y: (x: number, row: number) => number, u = 128, v = 128, stride = w) {
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const data = new Uint8Array(stride * h + cw * ch * 2);
  for (let r = 0; r < h; r++) for (let x = 0; x < w; x++) data[r * stride + x] = y(x, r);
  data.fill(u, stride * h, stride * h + cw * ch);
  data.fill(v, stride * h + cw * ch);
  const layout = fullRangeLayout('I420', w, h, [
    { offset: 0, stride },
    { offset: stride * h, stride: cw },
    { offset: stride * h + cw * ch, stride: cw },
  ]);
  return { data, layout };
}

const pixel = (out: Uint8ClampedArray, w: number, x: number, y: number) => [
  ...out.subarray((y * w + x) * 4, (y * w + x) * 4 + 4),
];

describe('scaleFrame', () => {
  it('scales luma down by box sampling and keeps left and right apart', () => {
    const { data, layout } = i420(1280, 720, (x) => (x < 640 ? 30 : 220));
    const out = new Uint8ClampedArray(256 * 144 * 4);
    expect(scaleFrame(data, layout, 256, 144, out)).toBe(true);
    expect(pixel(out, 256, 10, 70)).toEqual([30, 30, 30, 255]);
    expect(pixel(out, 256, 250, 70)).toEqual([220, 220, 220, 255]);
  });

  it('converts colour: full-range BT.601 red, and limited-range black and white', () => {
    // Y'CbCr of pure red in full-range BT.601: Y 76, Cb 85, Cr 255.
    const red = i420(64, 36, () => 76, 85, 255);
    const out = new Uint8ClampedArray(32 * 18 * 4);
    scaleFrame(red.data, red.layout, 32, 18, out);
    const [r, g, b] = pixel(out, 32, 5, 5);
    expect(r).toBeGreaterThan(245);
    expect(g).toBeLessThan(10);
    expect(b).toBeLessThan(10);

    const limited = i420(64, 36, (x) => (x < 32 ? 16 : 235));
    scaleFrame(limited.data, { ...limited.layout, fullRange: false }, 32, 18, out);
    expect(pixel(out, 32, 2, 2).slice(0, 3)).toEqual([0, 0, 0]);
    expect(pixel(out, 32, 30, 2).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it('reads NV12 (interleaved chroma), padded strides and odd sizes', () => {
    const w = 63;
    const h = 35;
    const stride = 64;
    const cw = 32;
    const ch = 18;
    const data = new Uint8Array(stride * h + cw * 2 * ch);
    data.fill(100, 0, stride * h);
    for (let i = 0; i < cw * ch; i++) {
      data[stride * h + i * 2] = 128;
      data[stride * h + i * 2 + 1] = 200; // Cr high: reddish
    }
    const layout = fullRangeLayout(
      'NV12',
      w,
      h,
      [
        { offset: 0, stride },
        { offset: stride * h, stride: cw * 2 },
      ],
      true,
    );
    const out = new Uint8ClampedArray(20 * 11 * 4);
    expect(scaleFrame(data, layout, 20, 11, out)).toBe(true);
    const [r, g, b] = pixel(out, 20, 19, 10);
    expect(r).toBeGreaterThan(g! + 50);
    expect(Math.abs(b! - 100)).toBeLessThan(3);
  });

  it('reads RGBA and BGRA, and refuses formats it does not know', () => {
    const data = new Uint8Array(8 * 4 * 4);
    for (let i = 0; i < 32; i++) data.set([200, 100, 10, 255], i * 4);
    const layout = fullRangeLayout('BGRA', 8, 4, [{ offset: 0, stride: 32 }]);
    const out = new Uint8ClampedArray(4 * 2 * 4);
    scaleFrame(data, layout, 4, 2, out);
    expect(pixel(out, 4, 1, 1)).toEqual([10, 100, 200, 255]);
    scaleFrame(data, { ...layout, format: 'RGBA' }, 4, 2, out);
    expect(pixel(out, 4, 1, 1)).toEqual([200, 100, 10, 255]);
    expect(scaleFrame(data, { ...layout, format: 'I444P10' }, 4, 2, out)).toBe(false);
  });

  it('feeds the change thumbnail: a camera frame and its scaled copy give the same thumbnail', () => {
    const { data, layout } = i420(320, 180, (x, y) => (x * 3 + y) % 256);
    const out = new Uint8ClampedArray(128 * 72 * 4);
    scaleFrame(data, layout, 128, 72, out);
    const t = greyThumbnail(out, 128, 72, 32, 18, new Uint8Array(576));
    expect(t[0]).toBeGreaterThan(0);
    expect(t[17 * 32 + 31]).toBeGreaterThan(t[0]!);
  });
});
