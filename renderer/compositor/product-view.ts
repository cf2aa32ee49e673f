import * as THREE from 'three';

import type { AnchorPose } from '../../shared/compositor/anchor';
import type { Size } from '../../shared/compositor/coords';
import type { Box } from './frame';
import type { LoadedModel } from './product-layer';
import { ProductLayer } from './product-layer';

/** Longest side, in drawing-buffer pixels, of the box the software tier renders the product in. */
export const productViewSide = 384;

/**
 * The 3D product for the software tier: three.js draws only the box around the product, into a
 * small offscreen WebGL canvas, with the full-frame camera's projection cut down to that box
 * (`setViewOffset`), so it lands exactly where the GPU tier would draw it; the 2D compositor then
 * pastes the box in. A software rasteriser pays for ≤ 384×384 pixels instead of the whole frame.
 */
export class ProductView {
  readonly canvas = document.createElement('canvas');
  readonly renderer: THREE.WebGLRenderer;
  readonly layer: ProductLayer;
  private size: Size = { width: 1, height: 1 };
  private lost = false;
  private readonly box: Box = { x: 0, y: 0, width: 0, height: 0 };
  private onContext: ((lost: boolean) => void) | undefined;

  constructor(vendorBase: string) {
    this.canvas.width = productViewSide;
    this.canvas.height = productViewSide;
    this.renderer = new THREE.WebGLRenderer({
      canvas: this.canvas,
      alpha: true,
      premultipliedAlpha: true,
      antialias: false,
      preserveDrawingBuffer: false,
      powerPreference: 'low-power',
    });
    this.renderer.setPixelRatio(1);
    this.renderer.setSize(productViewSide, productViewSide, false);
    this.renderer.outputColorSpace = THREE.SRGBColorSpace;
    this.renderer.toneMapping = THREE.NoToneMapping;
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.autoClear = false;
    this.layer = new ProductLayer(this.renderer, vendorBase);
    this.canvas.addEventListener('webglcontextlost', this.onLost);
    this.canvas.addEventListener('webglcontextrestored', this.onRestored);
  }

  onContextChange(handler: (lost: boolean) => void): void {
    this.onContext = handler;
  }

  setOutputSize(size: Size): void {
    this.size = size;
    this.layer.setOutputSize(size.width, size.height);
  }

  /** Places the product and, if it shows, draws its box onto `ctx` (in output pixels). */
  draw(ctx: CanvasRenderingContext2D, pose: AnchorPose, scale: number, visible: boolean, pixelScale: number): void {
    const layer = this.layer;
    layer.applyPose(pose, scale, visible && !this.lost);
    if (!layer.isVisible) {
      this.box.width = 0;
      return;
    }
    const b = layer.screenBox(this.box);
    // A little room for antialiased edges; never outside the output.
    const x0 = Math.max(0, Math.floor(b.x - 4));
    const y0 = Math.max(0, Math.floor(b.y - 4));
    const x1 = Math.min(this.size.width, Math.ceil(b.x + b.width + 4));
    const y1 = Math.min(this.size.height, Math.ceil(b.y + b.height + 4));
    const bw = x1 - x0;
    const bh = y1 - y0;
    if (bw <= 0 || bh <= 0) return;
    // Render at output resolution where the box is small, capped at productViewSide.
    const k = Math.min(pixelScale, productViewSide / Math.max(bw, bh));
    const rw = Math.max(1, Math.min(productViewSide, Math.round(bw * k)));
    const rh = Math.max(1, Math.min(productViewSide, Math.round(bh * k)));
    const renderer = this.renderer;
    const camera = layer.camera;
    renderer.setScissorTest(true);
    renderer.setViewport(0, 0, rw, rh);
    renderer.setScissor(0, 0, rw, rh);
    renderer.clear(true, true, false);
    camera.setViewOffset(this.size.width, this.size.height, x0, y0, bw, bh);
    renderer.render(layer.scene, camera);
    camera.clearViewOffset();
    renderer.setScissorTest(false);
    // WebGL's origin is bottom-left: the rendered box is the bottom rows of the canvas.
    ctx.drawImage(this.canvas, 0, productViewSide - rh, rw, rh, x0, y0, bw, bh);
  }

  /** The last drawn box (output px). */
  lastBox(out: Box): Box {
    out.x = this.box.x;
    out.y = this.box.y;
    out.width = this.box.width;
    out.height = this.box.height;
    return out;
  }

  show(model: LoadedModel | undefined): void {
    this.layer.show(model);
  }

  memory(): { geometries: number; textures: number; programs: number } {
    const info = this.renderer.info;
    return { geometries: info.memory.geometries, textures: info.memory.textures, programs: info.programs?.length ?? 0 };
  }

  private readonly onLost = (): void => {
    this.lost = true;
    this.onContext?.(true);
  };

  private readonly onRestored = (): void => {
    this.lost = false;
    this.layer.buildEnvironment();
    this.onContext?.(false);
  };

  dispose(): void {
    this.canvas.removeEventListener('webglcontextlost', this.onLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onRestored);
    this.layer.dispose();
    this.renderer.dispose();
  }
}
