import * as THREE from 'three';

import { StudioError } from '../../shared/api/result';
import type { Size } from '../../shared/compositor/coords';
import { coverFit } from '../../shared/compositor/coords';
import type { Rect } from '../../shared/compositor/safe-areas';
import { BackgroundLayer, fitVector } from './background-layer';
import type { BackSource, Box, FrameInputs, ModelHandle, OverlayDraw, TierRenderer } from './frame';
import type { LoadedModel } from './product-layer';
import { ProductLayer } from './product-layer';

const guestVertex = /* glsl */ `
varying vec2 vUv;
void main() { vUv = uv; gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0); }`;
const guestFragment = /* glsl */ `
precision highp float;
varying vec2 vUv;
uniform sampler2D tVideo;
uniform vec4 fit;
uniform vec2 size;   // rect size in px, for rounded corners
uniform float radius;
void main() {
  vec2 img = fit.xy + vec2(vUv.x, 1.0 - vUv.y) * fit.zw;
  vec3 c = texture2D(tVideo, vec2(img.x, 1.0 - img.y)).rgb;
  vec2 p = abs(vUv - 0.5) * size - (size * 0.5 - radius);
  float d = length(max(p, 0.0)) - radius;
  float border = smoothstep(-6.0, -4.0, d);
  c = mix(c, vec3(1.0), border);
  gl_FragColor = vec4(c, 1.0 - smoothstep(-1.0, 1.0, d));
}`;

const maxOverlayQuads = 12;

/** A texture per overlay canvas, re-uploaded when the canvas's version changes. */
interface OverlayTexture {
  texture: THREE.CanvasTexture;
  version: number;
  usedAt: number;
}

/**
 * The GPU tier: one three.js WebGLRenderer draws the whole frame (camera with the background
 * effect in one shader, the guest, the product, the overlay boxes). On a hardware GPU this is
 * the cheapest path; on a software rasteriser the 2D-canvas tier is (see canvas-renderer.ts).
 */
export class GlRenderer implements TierRenderer {
  readonly tier = 'gpu' as const;
  readonly has3d = true;
  readonly renderer: THREE.WebGLRenderer;
  private readonly ortho = new THREE.OrthographicCamera(0, 1, 1, 0, -10, 10);
  private readonly background = new BackgroundLayer();
  private readonly product: ProductLayer;
  private readonly guestScene = new THREE.Scene();
  private readonly guestMaterial: THREE.ShaderMaterial;
  private readonly quadGeometry = new THREE.PlaneGeometry(1, 1);
  private readonly guestQuad: THREE.Mesh;
  private readonly overlayScene = new THREE.Scene();
  private readonly overlayQuads: THREE.Mesh<THREE.PlaneGeometry, THREE.MeshBasicMaterial>[] = [];
  private readonly overlayTextures = new Map<HTMLCanvasElement, OverlayTexture>();
  private cameraTexture: THREE.VideoTexture | null = null;
  private cameraVideo: HTMLVideoElement | undefined;
  private guestTexture: THREE.VideoTexture | null = null;
  private guestVideo: HTMLVideoElement | undefined;
  private backTexture: THREE.Texture | null = null;
  private backSource: BackSource | null = null;
  private size: Size = { width: 1, height: 1 };
  private frameNo = 0;
  private contextHandler: ((lost: boolean) => void) | undefined;
  private readonly canvas: HTMLCanvasElement;

  constructor(canvas: HTMLCanvasElement, vendorBase: string, software: boolean) {
    this.canvas = canvas;
    try {
      this.renderer = new THREE.WebGLRenderer({
        canvas,
        // MSAA is nearly free on a GPU and very dear in a software rasteriser.
        antialias: !software,
        alpha: false,
        // No preserveDrawingBuffer: it costs a full-frame copy per frame; OBS captures the window.
        preserveDrawingBuffer: false,
        powerPreference: 'high-performance',
      });
    } catch (error) {
      throw new StudioError('compositor/webgl-unavailable', 'This computer cannot draw the program picture (WebGL).', {
        detail: String(error),
      });
    }
    this.renderer.autoClear = false;
    this.renderer.setPixelRatio(1);
    this.renderer.outputColorSpace = THREE.SRGBColorSpace;
    this.renderer.toneMapping = THREE.NoToneMapping;
    canvas.addEventListener('webglcontextlost', this.onLost);
    canvas.addEventListener('webglcontextrestored', this.onRestored);
    this.product = new ProductLayer(this.renderer, vendorBase);

    this.guestMaterial = new THREE.ShaderMaterial({
      vertexShader: guestVertex,
      fragmentShader: guestFragment,
      transparent: true,
      depthTest: false,
      uniforms: {
        tVideo: { value: null },
        fit: { value: new THREE.Vector4(0, 0, 1, 1) },
        size: { value: new THREE.Vector2(1, 1) },
        radius: { value: 16 },
      },
    });
    this.guestQuad = new THREE.Mesh(this.quadGeometry, this.guestMaterial);
    this.guestQuad.frustumCulled = false;
    this.guestScene.add(this.guestQuad);
    for (let i = 0; i < maxOverlayQuads; i++) {
      const material = new THREE.MeshBasicMaterial({ transparent: true, depthTest: false });
      // The overlay canvases hold sRGB pixels already: draw them through unchanged.
      material.onBeforeCompile = (shader) => {
        shader.fragmentShader = shader.fragmentShader.replace('#include <colorspace_fragment>', '');
      };
      const quad = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), material);
      quad.frustumCulled = false;
      quad.visible = false;
      this.overlayQuads.push(quad);
      this.overlayScene.add(quad);
    }
  }

  get gl(): WebGLRenderingContext | WebGL2RenderingContext {
    return this.renderer.getContext();
  }

  get loadedModelUrl(): string | undefined {
    return this.product.loadedUrl;
  }

  onContextChange(handler: (lost: boolean) => void): void {
    this.contextHandler = handler;
  }

  setSize(size: Size, scale: number): void {
    this.size = size;
    this.renderer.setSize(Math.round(size.width * scale), Math.round(size.height * scale), false);
    this.ortho.left = 0;
    this.ortho.right = size.width;
    this.ortho.top = size.height;
    this.ortho.bottom = 0;
    this.ortho.updateProjectionMatrix();
    this.product.setOutputSize(size.width, size.height);
  }

  updateMask(data: Uint8Array, width: number, height: number): void {
    this.background.updateMask(data, width, height);
  }

  async loadModel(url: string): Promise<ModelHandle> {
    return this.product.load(url);
  }

  showModel(model: ModelHandle | undefined): void {
    this.product.show(model as LoadedModel | undefined);
  }

  discardModel(model: ModelHandle): void {
    this.product.discard(model as LoadedModel);
  }

  setProductPhoto(): void {
    // The GPU tier always draws the model.
  }

  productBox(out: Box): Box {
    return this.product.screenBox(out);
  }

  draw(frame: FrameInputs): void {
    const renderer = this.renderer;
    this.frameNo++;
    this.bindVideos(frame);
    renderer.setRenderTarget(null);
    // No colour clear: the camera layer (and guest) cover every pixel; a full-frame clear is a
    // whole pass of fill rate.
    const r = frame.mainRect;
    this.background.setRect(r.x, r.y, r.width, r.height, frame.size.height);
    this.background.prepare(renderer, {
      camera: this.cameraTexture,
      cameraFit: frame.mainFit,
      mode: frame.mode,
      back: this.backTexture,
      backFit: frame.backFit,
      backTopFirst: this.backSource?.kind === 'image',
      blurStrength: frame.blurStrength,
      maskMix: frame.maskMix,
    });
    renderer.render(this.background.scene, this.ortho);
    if (frame.guest !== null && this.guestTexture !== null) {
      const g = frame.guest.rect;
      this.guestQuad.position.set(g.x + g.width / 2, frame.size.height - (g.y + g.height / 2), 0);
      this.guestQuad.scale.set(g.width, g.height, 1);
      const u = this.guestMaterial.uniforms;
      u.tVideo!.value = this.guestTexture;
      (u.size!.value as THREE.Vector2).set(g.width, g.height);
      u.radius!.value = frame.guest.radius;
      const v = frame.guest.video;
      fitVector(coverFitFor(v, g), u.fit!.value as THREE.Vector4);
      renderer.render(this.guestScene, this.ortho);
    }
    const p = frame.product;
    this.product.applyPose(p.pose, p.scale, p.visible);
    if (this.product.isVisible) {
      renderer.clearDepth();
      renderer.render(this.product.scene, this.product.camera);
    }
    if (frame.overlays.length > 0) {
      this.placeOverlays(frame.overlays);
      renderer.render(this.overlayScene, this.ortho);
    }
  }

  /** Follows the frame's camera, guest and background sources with textures. */
  private bindVideos(frame: FrameInputs): void {
    if (frame.camera !== this.cameraVideo) {
      this.cameraTexture?.dispose();
      this.cameraVideo = frame.camera;
      this.cameraTexture = frame.camera === undefined ? null : videoTexture(frame.camera);
      this.background.resetMask();
    }
    const guest = frame.guest?.video;
    if (guest !== this.guestVideo) {
      this.guestTexture?.dispose();
      this.guestMaterial.uniforms.tVideo!.value = null;
      this.guestVideo = guest;
      this.guestTexture = guest === undefined ? null : videoTexture(guest);
    }
    if (frame.back !== this.backSource) {
      this.backTexture?.dispose();
      this.backSource = frame.back;
      this.backTexture = frame.back === null ? null : backTexture(frame.back);
    }
  }

  private placeOverlays(draws: readonly OverlayDraw[]): void {
    const { height } = this.size;
    for (let i = 0; i < this.overlayQuads.length; i++) {
      const quad = this.overlayQuads[i]!;
      const d = draws[i];
      quad.visible = d !== undefined;
      if (d === undefined) continue;
      const entry = this.textureFor(d);
      const material = quad.material;
      if (material.map !== entry.texture) {
        material.map = entry.texture;
        material.needsUpdate = true;
      }
      material.opacity = d.opacity;
      quad.position.set(d.dx + d.dw / 2, height - (d.dy + d.dh / 2), 0);
      quad.scale.set(Math.max(1, d.dw), Math.max(1, d.dh), 1);
      // The canvas texture is flipped on upload (flipY): v runs bottom-up.
      const cw = d.source.width;
      const ch = d.source.height;
      const uv = quad.geometry.attributes.uv as THREE.BufferAttribute;
      const u0 = d.sx / cw;
      const u1 = (d.sx + d.sw) / cw;
      const vTop = 1 - d.sy / ch;
      const vBottom = 1 - (d.sy + d.sh) / ch;
      uv.setXY(0, u0, vTop);
      uv.setXY(1, u1, vTop);
      uv.setXY(2, u0, vBottom);
      uv.setXY(3, u1, vBottom);
      uv.needsUpdate = true;
    }
    // Textures of canvases no longer drawn are freed after a while (a scene change drops sprites).
    if (this.frameNo % 120 === 0) {
      for (const [canvas, entry] of this.overlayTextures) {
        if (this.frameNo - entry.usedAt > 120) {
          entry.texture.dispose();
          this.overlayTextures.delete(canvas);
        }
      }
    }
  }

  private textureFor(d: OverlayDraw): OverlayTexture {
    let entry = this.overlayTextures.get(d.source);
    if (entry !== undefined && (entry.texture.image as HTMLCanvasElement) === d.source) {
      const img = entry.texture.image as HTMLCanvasElement;
      // A resized canvas needs a GPU texture of the new size.
      if (
        img.width !== (entry.texture.userData.width as number) ||
        img.height !== (entry.texture.userData.height as number)
      ) {
        entry.texture.dispose();
        entry = undefined;
      }
    }
    if (entry === undefined) {
      const texture = new THREE.CanvasTexture(d.source);
      texture.colorSpace = THREE.NoColorSpace;
      texture.generateMipmaps = false;
      texture.minFilter = THREE.LinearFilter;
      texture.userData.width = d.source.width;
      texture.userData.height = d.source.height;
      entry = { texture, version: d.version, usedAt: this.frameNo };
      this.overlayTextures.set(d.source, entry);
    } else if (entry.version !== d.version) {
      entry.version = d.version;
      entry.texture.needsUpdate = true;
    }
    entry.usedAt = this.frameNo;
    return entry;
  }

  memory(): { geometries: number; textures: number; programs: number } {
    const info = this.renderer.info;
    return {
      geometries: info.memory.geometries,
      textures: info.memory.textures,
      programs: info.programs?.length ?? 0,
    };
  }

  private readonly onLost = (): void => {
    this.contextHandler?.(true);
  };

  private readonly onRestored = (): void => {
    // GPU copies are gone: render targets and the environment map are rebuilt, textures re-upload.
    this.product.buildEnvironment();
    for (const entry of this.overlayTextures.values()) entry.texture.needsUpdate = true;
    this.contextHandler?.(false);
  };

  dispose(): void {
    this.canvas.removeEventListener('webglcontextlost', this.onLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onRestored);
    this.cameraTexture?.dispose();
    this.guestTexture?.dispose();
    this.backTexture?.dispose();
    this.background.dispose();
    this.product.dispose();
    for (const entry of this.overlayTextures.values()) entry.texture.dispose();
    this.overlayTextures.clear();
    for (const quad of this.overlayQuads) {
      quad.geometry.dispose();
      quad.material.dispose();
    }
    this.guestMaterial.dispose();
    this.quadGeometry.dispose();
    this.renderer.dispose();
  }
}

function coverFitFor(video: HTMLVideoElement, rect: Rect) {
  return coverFit({ width: video.videoWidth || 16, height: video.videoHeight || 9 }, rect);
}

function videoTexture(video: HTMLVideoElement): THREE.VideoTexture {
  const texture = new THREE.VideoTexture(video);
  texture.colorSpace = THREE.NoColorSpace;
  texture.generateMipmaps = false;
  texture.minFilter = THREE.LinearFilter;
  texture.magFilter = THREE.LinearFilter;
  return texture;
}

function backTexture(source: BackSource): THREE.Texture {
  if (source.kind === 'video') return videoTexture(source.video);
  const texture = new THREE.Texture(source.image);
  texture.colorSpace = THREE.NoColorSpace;
  // ImageBitmaps cannot be flipped on upload: the shader samples them top row first instead.
  texture.flipY = false;
  texture.generateMipmaps = false;
  texture.minFilter = THREE.LinearFilter;
  texture.needsUpdate = true;
  return texture;
}
