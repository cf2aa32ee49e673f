import * as THREE from 'three';

import type { CoverFit } from '../../shared/compositor/coords';

// The camera layer: the host as the camera sees them, with the background kept, blurred, or
// replaced through the person-segmentation mask. One full-rect quad, one shader. Colours pass
// through untouched: camera, image and video textures are sampled as stored (NoColorSpace) and
// written without conversion, so the picture is bit-for-bit what the camera gave where nothing
// is composited.

const vertexShader = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;

const fragmentShader = /* glsl */ `
precision highp float;
varying vec2 vUv;
uniform sampler2D tCamera;
uniform sampler2D tMask;
uniform sampler2D tBack;
uniform sampler2D tBlur;
uniform vec4 camFit;   // offset.xy, scale.xy in image space (origin top-left)
uniform vec4 backFit;
uniform int mode;      // 0 camera as is, 1 blur, 2 replace
uniform float maskMix; // 0 until the first mask arrives, then eases to 1
uniform vec2 edge;     // smoothstep range of the mask: soft edges
uniform float hasCamera;
uniform float backTopFirst; // 1 for images decoded top row first, 0 for flipped video uploads
uniform vec3 emptyColor;

void main() {
  vec2 img = camFit.xy + vec2(vUv.x, 1.0 - vUv.y) * camFit.zw;
  vec3 cam = hasCamera > 0.5 ? texture2D(tCamera, vec2(img.x, 1.0 - img.y)).rgb : emptyColor;
  if (mode == 0) {
    gl_FragColor = vec4(cam, 1.0);
  } else {
    float person = smoothstep(edge.x, edge.y, texture2D(tMask, img).r);
    person = mix(1.0, person, maskMix);
    vec3 back;
    if (mode == 1) {
      back = texture2D(tBlur, vUv).rgb;
    } else {
      vec2 b = backFit.xy + vec2(vUv.x, 1.0 - vUv.y) * backFit.zw;
      back = texture2D(tBack, vec2(b.x, backTopFirst > 0.5 ? b.y : 1.0 - b.y)).rgb;
    }
    gl_FragColor = vec4(mix(back, cam, person), 1.0);
  }
}`;

/** Downsample + separable Gaussian blur of the (cover-fitted) camera, at a fraction of the output size. */
const blurFragment = /* glsl */ `
precision highp float;
varying vec2 vUv;
uniform sampler2D tSource;
uniform vec2 direction; // texel step, zero for the copy pass
uniform vec4 fit;       // for the copy pass: the camera's cover fit
uniform int copy;
void main() {
  if (copy == 1) {
    vec2 img = fit.xy + vec2(vUv.x, 1.0 - vUv.y) * fit.zw;
    gl_FragColor = texture2D(tSource, vec2(img.x, 1.0 - img.y));
    return;
  }
  vec4 sum = texture2D(tSource, vUv) * 0.2270270270;
  sum += texture2D(tSource, vUv + direction * 1.3846153846) * 0.3162162162;
  sum += texture2D(tSource, vUv - direction * 1.3846153846) * 0.3162162162;
  sum += texture2D(tSource, vUv + direction * 3.2307692308) * 0.0702702703;
  sum += texture2D(tSource, vUv - direction * 3.2307692308) * 0.0702702703;
  gl_FragColor = sum;
}`;

export interface BackgroundInputs {
  camera: THREE.Texture | null;
  cameraFit: CoverFit;
  mode: 'camera' | 'blur' | 'replace';
  back: THREE.Texture | null;
  backFit: CoverFit | null;
  /** The background texture's first row is the image's top (an ImageBitmap), not a flipped upload. */
  backTopFirst: boolean;
  blurStrength: number;
  /** 0 until the first mask arrives, then easing to 1. */
  maskMix: number;
}

/** Cover fit as the shader wants it: image-space offset and scale. */
export const fitVector = (fit: CoverFit, out: THREE.Vector4) =>
  out.set(fit.uvOffsetX, fit.uvOffsetY, fit.uvScaleX, fit.uvScaleY);

export class BackgroundLayer {
  readonly scene = new THREE.Scene();
  readonly mask: THREE.DataTexture;
  private readonly material: THREE.ShaderMaterial;
  private readonly quad: THREE.Mesh;
  private readonly geometry = new THREE.PlaneGeometry(1, 1);
  private readonly blurMaterial: THREE.ShaderMaterial;
  private readonly blurQuad: THREE.Mesh;
  private readonly blurScene = new THREE.Scene();
  private readonly blurCamera = new THREE.OrthographicCamera(-0.5, 0.5, 0.5, -0.5, 0, 1);
  private rtA: THREE.WebGLRenderTarget;
  private rtB: THREE.WebGLRenderTarget;
  private maskData: Uint8Array;
  private readonly blankTexture: THREE.DataTexture;

  constructor() {
    this.maskData = new Uint8Array(1);
    this.mask = new THREE.DataTexture(this.maskData, 1, 1, THREE.RedFormat, THREE.UnsignedByteType);
    this.mask.magFilter = THREE.LinearFilter;
    this.mask.minFilter = THREE.LinearFilter;
    this.mask.needsUpdate = true;
    this.blankTexture = new THREE.DataTexture(new Uint8Array([40, 40, 40, 255]), 1, 1);
    this.blankTexture.needsUpdate = true;
    const rtOptions = { depthBuffer: false, type: THREE.UnsignedByteType };
    this.rtA = new THREE.WebGLRenderTarget(16, 16, rtOptions);
    this.rtB = new THREE.WebGLRenderTarget(16, 16, rtOptions);
    this.material = new THREE.ShaderMaterial({
      vertexShader,
      fragmentShader,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        tCamera: { value: this.blankTexture },
        tMask: { value: this.mask },
        tBack: { value: this.blankTexture },
        tBlur: { value: this.rtA.texture },
        camFit: { value: new THREE.Vector4(0, 0, 1, 1) },
        backFit: { value: new THREE.Vector4(0, 0, 1, 1) },
        mode: { value: 0 },
        maskMix: { value: 0 },
        edge: { value: new THREE.Vector2(0.35, 0.75) },
        hasCamera: { value: 0 },
        backTopFirst: { value: 0 },
        emptyColor: { value: new THREE.Color(0x202020) },
      },
    });
    this.quad = new THREE.Mesh(this.geometry, this.material);
    this.quad.frustumCulled = false;
    this.scene.add(this.quad);
    this.blurMaterial = new THREE.ShaderMaterial({
      vertexShader,
      fragmentShader: blurFragment,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        tSource: { value: this.blankTexture },
        direction: { value: new THREE.Vector2() },
        fit: { value: new THREE.Vector4(0, 0, 1, 1) },
        copy: { value: 1 },
      },
    });
    this.blurQuad = new THREE.Mesh(this.geometry, this.blurMaterial);
    this.blurQuad.frustumCulled = false;
    this.blurScene.add(this.blurQuad);
  }

  /** Places the layer on `rect` of the output (ortho camera in output pixels, y down). */
  setRect(x: number, y: number, width: number, height: number, outputHeight: number): void {
    this.quad.position.set(x + width / 2, outputHeight - (y + height / 2), 0);
    this.quad.scale.set(width, height, 1);
    // Blur at a quarter of the size: it is blurred anyway, and 16× fewer pixels.
    const bw = Math.max(16, Math.round(width / 4));
    const bh = Math.max(16, Math.round(height / 4));
    if (this.rtA.width !== bw || this.rtA.height !== bh) {
      this.rtA.setSize(bw, bh);
      this.rtB.setSize(bw, bh);
    }
  }

  /** Takes a new mask from the vision worker (copied into the texture's own buffer). */
  updateMask(data: Uint8Array, width: number, height: number): void {
    if (this.maskData.length !== data.length || this.mask.image.width !== width) {
      // The mask size changes only when the model does: a new texture size is allowed then.
      this.maskData = new Uint8Array(data.length);
      this.mask.image = { data: this.maskData, width, height };
      this.mask.dispose();
    }
    this.maskData.set(data);
    this.mask.needsUpdate = true;
  }

  /** Forgets the mask (camera changed). */
  resetMask(): void {
    this.maskData.fill(255);
    this.mask.needsUpdate = true;
  }

  /** Sets uniforms and runs the blur passes when needed; then render `scene`. */
  prepare(renderer: THREE.WebGLRenderer, input: BackgroundInputs): void {
    const u = this.material.uniforms;
    u.tCamera!.value = input.camera ?? this.blankTexture;
    u.hasCamera!.value = input.camera === null ? 0 : 1;
    fitVector(input.cameraFit, u.camFit!.value as THREE.Vector4);
    const mode = input.camera === null ? 0 : input.mode === 'camera' ? 0 : input.mode === 'blur' ? 1 : 2;
    u.mode!.value = mode;
    u.maskMix!.value = input.maskMix;
    u.backTopFirst!.value = input.backTopFirst ? 1 : 0;
    // Always rebind, even when unused: three binds every sampler uniform, and a disposed texture
    // left in one would be uploaded again, and leak.
    u.tBack!.value = input.back ?? this.blankTexture;
    if (mode === 2 && input.backFit !== null) fitVector(input.backFit, u.backFit!.value as THREE.Vector4);
    if (mode === 1 && input.camera !== null) this.blur(renderer, input.camera, input.cameraFit, input.blurStrength);
  }

  private blur(renderer: THREE.WebGLRenderer, camera: THREE.Texture, fit: CoverFit, strength: number): void {
    const u = this.blurMaterial.uniforms;
    const previous = renderer.getRenderTarget();
    u.copy!.value = 1;
    u.tSource!.value = camera;
    fitVector(fit, u.fit!.value as THREE.Vector4);
    renderer.setRenderTarget(this.rtA);
    renderer.render(this.blurScene, this.blurCamera);
    u.copy!.value = 0;
    const passes = 1 + Math.round(strength * 2);
    const spread = 0.5 + strength * 1.5;
    for (let i = 0; i < passes; i++) {
      u.tSource!.value = this.rtA.texture;
      (u.direction!.value as THREE.Vector2).set(spread / this.rtA.width, 0);
      renderer.setRenderTarget(this.rtB);
      renderer.render(this.blurScene, this.blurCamera);
      u.tSource!.value = this.rtB.texture;
      (u.direction!.value as THREE.Vector2).set(0, spread / this.rtA.height);
      renderer.setRenderTarget(this.rtA);
      renderer.render(this.blurScene, this.blurCamera);
    }
    renderer.setRenderTarget(previous);
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
    this.blurMaterial.dispose();
    this.rtA.dispose();
    this.rtB.dispose();
    this.mask.dispose();
    this.blankTexture.dispose();
  }
}
