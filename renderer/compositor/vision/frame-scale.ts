// Camera frames drawn down to a model's input size from the frame's own pixels (VideoFrame.copyTo),
// in the vision workers. Drawing a VideoFrame into a canvas converts the whole frame to RGB first,
// which on a machine without a GPU costs more than the segmentation itself; sampling the YUV
// planes at the output size costs about a millisecond. Pure, so it is unit-tested in Node.

/** The frame's pixel layout as VideoFrame.copyTo returns it (the visible rectangle only). */
export interface FrameLayout {
  /** VideoPixelFormat: 'I420', 'I420A', 'NV12', 'RGBA', 'RGBX', 'BGRA', 'BGRX' are read. */
  format: string;
  width: number;
  height: number;
  planes: readonly { offset: number; stride: number }[];
  /** Full-range YUV (JPEG, most webcams' MJPEG) rather than 16–235. */
  fullRange: boolean;
  /** BT.709 matrix (HD video) rather than BT.601. */
  bt709: boolean;
}

export const canScale = (format: string | null): boolean =>
  format !== null && ['I420', 'I420A', 'NV12', 'RGBA', 'RGBX', 'BGRA', 'BGRX'].includes(format);

/** Up to this many samples per axis are averaged into one output pixel (less aliasing, bounded cost). */
const maxTaps = 2;

/** Source column of each (output column, tap), and chroma column of each output column; cached per size. */
let columns: { key: string; x: Int32Array; cx: Int32Array } | undefined;

function columnsFor(width: number, outWidth: number, taps: number) {
  const key = `${width}/${outWidth}/${taps}`;
  if (columns?.key === key) return columns;
  const sx = width / outWidth;
  const x = new Int32Array(outWidth * taps);
  const cx = new Int32Array(outWidth);
  const cw = (width + 1) >> 1;
  for (let ox = 0; ox < outWidth; ox++) {
    for (let i = 0; i < taps; i++) x[ox * taps + i] = Math.min(width - 1, Math.floor((ox + (i + 0.5) / taps) * sx));
    cx[ox] = Math.min(cw - 1, Math.floor(((ox + 0.5) * sx) / 2));
  }
  columns = { key, x, cx };
  return columns;
}

/**
 * Scales the frame to `outWidth`×`outHeight` RGBA (box-sampled luma, one chroma sample per
 * pixel) into `out` (length outWidth*outHeight*4). Returns false for a format it cannot read.
 */
export function scaleFrame(
  data: Uint8Array,
  layout: FrameLayout,
  outWidth: number,
  outHeight: number,
  out: Uint8ClampedArray,
): boolean {
  const { format, width, height, planes } = layout;
  if (!canScale(format) || planes.length === 0) return false;
  const sx = width / outWidth;
  const sy = height / outHeight;
  const tx = Math.max(1, Math.min(maxTaps, Math.round(sx)));
  const ty = Math.max(1, Math.min(maxTaps, Math.round(sy)));
  const rgb = format === 'RGBA' || format === 'RGBX';
  const bgr = format === 'BGRA' || format === 'BGRX';
  if (rgb || bgr) {
    const { offset, stride } = planes[0]!;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let j = 0; j < ty; j++) {
          const y = Math.min(height - 1, Math.floor((oy + (j + 0.5) / ty) * sy));
          for (let i = 0; i < tx; i++) {
            const x = Math.min(width - 1, Math.floor((ox + (i + 0.5) / tx) * sx));
            const p = offset + y * stride + x * 4;
            r += data[p]!;
            g += data[p + 1]!;
            b += data[p + 2]!;
          }
        }
        const n = tx * ty;
        const q = (oy * outWidth + ox) * 4;
        out[q] = (bgr ? b : r) / n;
        out[q + 1] = g / n;
        out[q + 2] = (bgr ? r : b) / n;
        out[q + 3] = 255;
      }
    }
    return true;
  }
  const nv12 = format === 'NV12';
  const yPlane = planes[0]!;
  const uPlane = planes[1];
  const vPlane = nv12 ? planes[1] : planes[2];
  if (uPlane === undefined || vPlane === undefined) return false;
  // Y'CbCr → RGB: BT.601 or BT.709, limited (16–235) or full range.
  const kr = layout.bt709 ? 0.2126 : 0.299;
  const kb = layout.bt709 ? 0.0722 : 0.114;
  const kg = 1 - kr - kb;
  const ys = layout.fullRange ? 1 : 255 / 219;
  const cs = layout.fullRange ? 1 : 255 / 224;
  const yOff = layout.fullRange ? 0 : 16;
  const crR = 2 * (1 - kr) * cs;
  const cbB = 2 * (1 - kb) * cs;
  const cbG = ((2 * kb * (1 - kb)) / kg) * cs;
  const crG = ((2 * kr * (1 - kr)) / kg) * cs;
  const ch = (height + 1) >> 1;
  const { x: xs, cx: cxs } = columnsFor(width, outWidth, tx);
  const rows = new Int32Array(ty);
  const n = tx * ty;
  const uStep = nv12 ? 2 : 1;
  const vShift = nv12 ? 1 : 0;
  for (let oy = 0; oy < outHeight; oy++) {
    for (let j = 0; j < ty; j++)
      rows[j] = yPlane.offset + Math.min(height - 1, Math.floor((oy + (j + 0.5) / ty) * sy)) * yPlane.stride;
    const cy = Math.min(ch - 1, Math.floor(((oy + 0.5) * sy) / 2));
    const uRow = uPlane.offset + cy * uPlane.stride;
    const vRow = vPlane.offset + cy * vPlane.stride + vShift;
    let q = oy * outWidth * 4;
    for (let ox = 0; ox < outWidth; ox++, q += 4) {
      let sum = 0;
      const c0 = ox * tx;
      for (let j = 0; j < ty; j++) {
        const row = rows[j]!;
        for (let i = 0; i < tx; i++) sum += data[row + xs[c0 + i]!]!;
      }
      const luma = (sum / n - yOff) * ys;
      const cx = cxs[ox]! * uStep;
      const u = data[uRow + cx]! - 128;
      const v = data[vRow + cx]! - 128;
      out[q] = luma + crR * v; // Uint8ClampedArray rounds and clamps
      out[q + 1] = luma - cbG * u - crG * v;
      out[q + 2] = luma + cbB * u;
      out[q + 3] = 255;
    }
  }
  return true;
}
