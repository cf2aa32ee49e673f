import * as THREE from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import type { GLTF } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';

import { StudioError } from '../../shared/api/result';
import type { AnchorPose } from '../../shared/compositor/anchor';
import { checkModel } from '../../shared/compositor/model-check';
import type { Box } from './frame';

/** A loaded product model and everything it owns on the GPU. */
export interface LoadedModel {
  readonly url: string;
  readonly root: THREE.Object3D;
  /** Half the normalised bounding box (largest side 1), for the product's screen box. */
  readonly half: THREE.Vector3;
  readonly materials: THREE.Material[];
  readonly geometries: THREE.BufferGeometry[];
  readonly textures: THREE.Texture[];
}

/**
 * The 3D product: a perspective scene whose world units are output pixels at z = 0, so an anchor
 * in pixels places the product exactly there. Models are checked (size, triangles, textures)
 * before three.js parses them, normalised to unit height, centred, and lit with a soft room.
 */
export class ProductLayer {
  readonly scene = new THREE.Scene();
  readonly camera = new THREE.PerspectiveCamera(30, 16 / 9, 10, 100000);
  private readonly holder = new THREE.Group();
  private readonly loader: GLTFLoader;
  private readonly draco: DRACOLoader;
  private readonly ktx2: KTX2Loader;
  private envTarget: THREE.WebGLRenderTarget | undefined;
  private model: LoadedModel | undefined;
  private opacity = 1;
  private outputWidth = 1920;
  private outputHeight = 1080;

  constructor(
    private readonly renderer: THREE.WebGLRenderer,
    vendorBase: string,
  ) {
    this.draco = new DRACOLoader().setDecoderPath(`${vendorBase}draco/`);
    this.ktx2 = new KTX2Loader().setTranscoderPath(`${vendorBase}basis/`).detectSupport(renderer);
    this.loader = new GLTFLoader()
      .setDRACOLoader(this.draco)
      .setKTX2Loader(this.ktx2)
      .setMeshoptDecoder(MeshoptDecoder);
    this.scene.add(this.holder);
    this.holder.visible = false;
    const hemi = new THREE.HemisphereLight(0xfff4e0, 0x3a2a1a, 1.2);
    const key = new THREE.DirectionalLight(0xffffff, 2.2);
    key.position.set(-0.6, 1, 1.2);
    const rim = new THREE.DirectionalLight(0xffe0b0, 1.0);
    rim.position.set(1, 0.6, -0.8);
    this.scene.add(hemi, key, rim);
    this.buildEnvironment();
  }

  /** Reflections for shiny products (tea tin, jar lid); rebuilt after a context loss. */
  buildEnvironment(): void {
    this.envTarget?.dispose();
    const pmrem = new THREE.PMREMGenerator(this.renderer);
    const room = new RoomEnvironment();
    this.envTarget = pmrem.fromScene(room, 0.04);
    this.scene.environment = this.envTarget.texture;
    this.scene.environmentIntensity = 0.6;
    room.dispose();
    pmrem.dispose();
  }

  setOutputSize(width: number, height: number): void {
    this.outputWidth = width;
    this.outputHeight = height;
    this.camera.aspect = width / height;
    // Distance at which one world unit is one output pixel at z = 0.
    const distance = height / 2 / Math.tan(THREE.MathUtils.degToRad(this.camera.fov / 2));
    this.camera.position.set(width / 2, height / 2, distance);
    this.camera.lookAt(width / 2, height / 2, 0);
    this.camera.far = distance * 4;
    this.camera.updateProjectionMatrix();
  }

  get loadedUrl(): string | undefined {
    return this.model?.url;
  }

  /** Fetches, checks and parses a model. Throws StudioError (assets/...) for a bad file. */
  async load(url: string): Promise<LoadedModel> {
    let bytes: ArrayBuffer;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      bytes = await response.arrayBuffer();
    } catch (error) {
      throw new StudioError('assets/not-found', 'The model file could not be read.', { detail: String(error) });
    }
    // The same check as on import: a file damaged or swapped since then is refused here too.
    checkModel(new Uint8Array(bytes));
    let gltf: GLTF;
    try {
      gltf = await this.loader.parseAsync(bytes, url.replace(/[^/]*$/, ''));
    } catch (error) {
      throw new StudioError('assets/broken-model', 'The model file is damaged.', { detail: String(error) });
    }
    const root = gltf.scene;
    const materials = new Set<THREE.Material>();
    const geometries = new Set<THREE.BufferGeometry>();
    const textures = new Set<THREE.Texture>();
    root.traverse((object) => {
      const mesh = object as THREE.Mesh;
      if (!mesh.isMesh) return;
      geometries.add(mesh.geometry);
      for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) {
        materials.add(material);
        for (const value of Object.values(material)) if (value instanceof THREE.Texture) textures.add(value);
      }
    });
    // Normalise: largest side 1, centred on its bounding box, so every product fills the hand alike.
    const box = new THREE.Box3().setFromObject(root);
    const size = box.getSize(new THREE.Vector3());
    const centre = box.getCenter(new THREE.Vector3());
    const unit = 1 / Math.max(size.x, size.y, size.z, 1e-6);
    const wrapper = new THREE.Group();
    root.position.sub(centre);
    wrapper.add(root);
    wrapper.scale.setScalar(unit);
    const half = size.multiplyScalar(unit / 2);
    return {
      url,
      root: wrapper,
      half,
      materials: [...materials],
      geometries: [...geometries],
      textures: [...textures],
    };
  }

  /** Shows `model` (or none), disposing of the previous one. */
  show(model: LoadedModel | undefined): void {
    if (this.model !== undefined) {
      this.holder.remove(this.model.root);
      disposeModel(this.model);
    }
    this.model = model;
    if (model !== undefined) this.holder.add(model.root);
    this.opacity = -1; // force the material pass on the next pose
  }

  /** Drops a parsed model that will not be shown (a newer scene arrived while it loaded). */
  discard(model: LoadedModel): void {
    disposeModel(model);
  }

  /** Places the product for this frame. `scale` is the scene's extra scale. */
  applyPose(pose: AnchorPose, scale: number, visible: boolean): void {
    const show = visible && this.model !== undefined && pose.opacity > 0.01;
    this.holder.visible = show;
    if (!show) return;
    const s = pose.size * pose.pinchScale * scale;
    this.holder.position.set(pose.x, this.outputHeight - pose.y, 0);
    this.holder.scale.setScalar(s);
    this.holder.rotation.set(0.12, pose.yaw, -pose.roll);
    if (Math.abs(pose.opacity - this.opacity) > 0.01) {
      this.opacity = pose.opacity;
      for (const m of this.model!.materials) {
        m.transparent = pose.opacity < 0.999;
        m.opacity = pose.opacity;
      }
    }
  }

  get isVisible(): boolean {
    return this.holder.visible;
  }

  /** Where the product's centre lands on the output (for tests and the HUD). */
  screenPosition(out: { x: number; y: number }): { x: number; y: number } {
    out.x = this.holder.position.x;
    out.y = this.outputHeight - this.holder.position.y;
    return out;
  }

  get width(): number {
    return this.outputWidth;
  }

  /**
   * The output-pixel box the product covers after `applyPose`: its bounding box's corners through
   * the full-frame camera (the software tier renders just this box). Empty when hidden.
   */
  screenBox(out: Box): Box {
    const model = this.model;
    if (!this.holder.visible || model === undefined) {
      out.x = out.y = out.width = out.height = 0;
      return out;
    }
    this.holder.updateMatrixWorld();
    this.camera.updateMatrixWorld();
    const c = corner;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < 8; i++) {
      c.set(
        i & 1 ? model.half.x : -model.half.x,
        i & 2 ? model.half.y : -model.half.y,
        i & 4 ? model.half.z : -model.half.z,
      );
      c.applyMatrix4(this.holder.matrixWorld).project(this.camera);
      const px = ((c.x + 1) / 2) * this.outputWidth;
      const py = ((1 - c.y) / 2) * this.outputHeight;
      x0 = Math.min(x0, px);
      y0 = Math.min(y0, py);
      x1 = Math.max(x1, px);
      y1 = Math.max(y1, py);
    }
    out.x = x0;
    out.y = y0;
    out.width = x1 - x0;
    out.height = y1 - y0;
    return out;
  }

  dispose(): void {
    this.show(undefined);
    this.envTarget?.dispose();
    this.draco.dispose();
    this.ktx2.dispose();
  }
}

const corner = new THREE.Vector3();

function disposeModel(model: LoadedModel): void {
  for (const g of model.geometries) g.dispose();
  for (const m of model.materials) m.dispose();
  for (const t of model.textures) {
    t.dispose();
    const image = t.image as { close?: () => void } | undefined;
    image?.close?.(); // ImageBitmaps from GLTFLoader hold decoded pixels until closed
  }
}
