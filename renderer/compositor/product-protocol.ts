// Messages between the software tier (main thread) and the product worker, which renders the 3D
// product's box with three.js on an OffscreenCanvas so the main thread never waits on the GPU
// process (on a software rasteriser that queue is shared with MediaPipe's own WebGL work).
import type { StudioErrorData } from '../../shared/api/result';

/** The pose a box is rendered for: the anchor's output pixels, size and angles. */
export interface ProductPose {
  x: number;
  y: number;
  size: number;
  roll: number;
  yaw: number;
  pinchScale: number;
}

export type ToProductWorker =
  | { type: 'init'; vendorBase: string; side: number }
  | { type: 'size'; width: number; height: number }
  | { type: 'load'; id: number; url: string }
  | { type: 'show'; id: number | null }
  | { type: 'discard'; id: number }
  | { type: 'render'; seq: number; pose: ProductPose; scale: number; pixelScale: number }
  | { type: 'close' };

export type FromProductWorker =
  | { type: 'loaded'; id: number; error: StudioErrorData | null }
  | {
      type: 'frame';
      seq: number;
      /** The rendered box (null: nothing to draw), its place on the output and the pose it shows. */
      bitmap: ImageBitmap | null;
      x: number;
      y: number;
      width: number;
      height: number;
      pose: ProductPose;
      scale: number;
      renderMs: number;
      memory: { geometries: number; textures: number; programs: number };
    }
  | { type: 'context'; lost: boolean }
  | { type: 'failed'; message: string };
