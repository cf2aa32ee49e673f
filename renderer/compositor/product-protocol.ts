// Messages between the software tier (main thread) and the product worker, which renders the 3D
// product's box with three.js on an OffscreenCanvas so the main thread never waits on the GPU
// process (on a software rasteriser that queue is shared with MediaPipe's own WebGL work).
import type { StudioErrorData } from '../../shared/api/result';
import type { AnchorPose } from '../../shared/compositor/anchor';

/** The pose a box is rendered for: the anchor's output pixels, size and angles. */
export type ProductPose = Pick<AnchorPose, 'x' | 'y' | 'size' | 'roll' | 'yaw' | 'pinchScale'>;

/** A rendered box's place on the output and the pose and scale it shows. */
export interface ProductBoxPlacement {
  x: number;
  y: number;
  width: number;
  height: number;
  pose: ProductPose;
  scale: number;
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
  | ({
      type: 'frame';
      seq: number;
      /** The rendered box (null: nothing to draw). */
      bitmap: ImageBitmap | null;
      renderMs: number;
      memory: { geometries: number; textures: number; programs: number };
    } & ProductBoxPlacement)
  | { type: 'context'; lost: boolean }
  | { type: 'failed'; message: string };
