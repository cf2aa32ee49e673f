#!/usr/bin/env node
// Makes the sample products and origin backgrounds shipped in assets/samples, from code, so the
// studio can be tried on day one and every byte's origin is known (see assets/samples/README.md).
//   products (GLB, three.js GLTFExporter): oranges-crate, honey-jar, tea-tin
//   backgrounds (PNG, drawn pixel by pixel): orchard, fishing-port, workshop
// Deterministic: a seeded random source, fixed sizes. Run: node scripts/make-sample-assets.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import * as THREE from 'three';
import { GLTFExporter } from 'three/examples/jsm/exporters/GLTFExporter.js';
import { mergeVertices } from 'three/examples/jsm/utils/BufferGeometryUtils.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'assets', 'samples');

/** Seeded PRNG (mulberry32) so every run draws the same picture. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// GLTFExporter reads its output Blob with FileReader, which Node lacks.
globalThis.FileReader ??= class {
  readAsArrayBuffer(blob) {
    void blob.arrayBuffer().then((buffer) => {
      this.result = buffer;
      this.onloadend?.();
    });
  }
  readAsDataURL(blob) {
    void blob.arrayBuffer().then((buffer) => {
      this.result = `data:${blob.type};base64,${Buffer.from(buffer).toString('base64')}`;
      this.onloadend?.();
    });
  }
};

const mat = (color, roughness = 0.7, metalness = 0) => new THREE.MeshStandardMaterial({ color, roughness, metalness });

function orangesCrate(rand) {
  const group = new THREE.Group();
  group.name = 'oranges-crate';
  const wood = mat(0xb7834f, 0.85);
  const darkWood = mat(0x8a5a32, 0.9);
  const w = 1.2;
  const d = 0.8;
  const h = 0.5;
  const plank = 0.04;
  // Slatted sides: three horizontal boards on each side with gaps, corner posts.
  for (let i = 0; i < 3; i++) {
    const y = 0.08 + i * 0.16;
    for (const z of [-d / 2, d / 2]) {
      const board = new THREE.Mesh(new THREE.BoxGeometry(w, 0.12, plank), wood);
      board.position.set(0, y, z);
      group.add(board);
    }
    for (const x of [-w / 2, w / 2]) {
      const board = new THREE.Mesh(new THREE.BoxGeometry(plank, 0.12, d), wood);
      board.position.set(x, y, 0);
      group.add(board);
    }
  }
  for (const x of [-w / 2, w / 2]) {
    for (const z of [-d / 2, d / 2]) {
      const post = new THREE.Mesh(new THREE.BoxGeometry(0.07, h, 0.07), darkWood);
      post.position.set(x, h / 2 - 0.02, z);
      group.add(post);
    }
  }
  const floor = new THREE.Mesh(new THREE.BoxGeometry(w, 0.03, d), darkWood);
  floor.position.y = 0.0;
  group.add(floor);
  // A heap of navel oranges: one shared sphere geometry, slightly varied sizes and tints.
  const orangeGeometry = mergeVertices(new THREE.SphereGeometry(0.115, 20, 14));
  const peel = [mat(0xf28a1a, 0.55), mat(0xf59a26, 0.55), mat(0xe97b12, 0.55)];
  const leaf = mat(0x2f7d32, 0.6);
  const leafGeometry = new THREE.SphereGeometry(0.05, 8, 6);
  let n = 0;
  for (let layer = 0; layer < 2; layer++) {
    const rows = layer === 0 ? 3 : 2;
    const cols = layer === 0 ? 5 : 4;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const orange = new THREE.Mesh(orangeGeometry, peel[n++ % peel.length]);
        const s = 0.92 + rand() * 0.16;
        orange.scale.set(s, s * 0.95, s);
        orange.position.set(
          (c - (cols - 1) / 2) * 0.225 + (rand() - 0.5) * 0.02,
          0.13 + layer * 0.19,
          (r - (rows - 1) / 2) * 0.225 + (rand() - 0.5) * 0.02,
        );
        group.add(orange);
      }
    }
  }
  // Two leaves on top for a fresh-picked look.
  for (const [x, z] of [
    [0.05, 0.02],
    [-0.18, -0.05],
  ]) {
    const l = new THREE.Mesh(leafGeometry, leaf);
    l.scale.set(1.6, 0.25, 0.8);
    l.position.set(x, 0.45, z);
    l.rotation.y = rand() * Math.PI;
    group.add(l);
  }
  return group;
}

function honeyJar() {
  const group = new THREE.Group();
  group.name = 'honey-jar';
  // Jar body by revolving a profile: rounded shoulders, a neck for the lid.
  const profile = [
    [0, 0],
    [0.3, 0],
    [0.34, 0.04],
    [0.36, 0.15],
    [0.36, 0.52],
    [0.33, 0.6],
    [0.25, 0.65],
    [0.24, 0.7],
    [0, 0.7],
  ].map(([x, y]) => new THREE.Vector2(x, y));
  const honey = new THREE.MeshStandardMaterial({ color: 0xd98e04, roughness: 0.25, metalness: 0, emissive: 0x3a1d00 });
  group.add(new THREE.Mesh(new THREE.LatheGeometry(profile, 40), honey));
  const lid = new THREE.Mesh(new THREE.CylinderGeometry(0.27, 0.27, 0.12, 40), mat(0xc9a227, 0.35, 0.6));
  lid.position.y = 0.76;
  group.add(lid);
  // Gingham cloth over the lid, tied with a band.
  const cloth = new THREE.Mesh(new THREE.CylinderGeometry(0.31, 0.34, 0.05, 40), mat(0xc0392b, 0.8));
  cloth.position.y = 0.83;
  group.add(cloth);
  const band = new THREE.Mesh(new THREE.TorusGeometry(0.27, 0.012, 8, 40), mat(0x7b4a12, 0.7));
  band.rotation.x = Math.PI / 2;
  band.position.y = 0.72;
  group.add(band);
  // A paper label band around the belly.
  const label = new THREE.Mesh(new THREE.CylinderGeometry(0.365, 0.365, 0.2, 40, 1, true), mat(0xfff3d6, 0.9));
  label.position.y = 0.34;
  group.add(label);
  const stripe = new THREE.Mesh(new THREE.CylinderGeometry(0.367, 0.367, 0.04, 40, 1, true), mat(0x2e7d32, 0.8));
  stripe.position.y = 0.34;
  group.add(stripe);
  return group;
}

function teaTin() {
  const group = new THREE.Group();
  group.name = 'tea-tin';
  const green = mat(0x1b5e20, 0.35, 0.55);
  const gold = mat(0xd4af37, 0.3, 0.85);
  const body = new THREE.Mesh(new THREE.CylinderGeometry(0.3, 0.3, 0.8, 48), green);
  body.position.y = 0.4;
  group.add(body);
  const lid = new THREE.Mesh(new THREE.CylinderGeometry(0.31, 0.31, 0.16, 48), gold);
  lid.position.y = 0.86;
  group.add(lid);
  const knob = new THREE.Mesh(new THREE.SphereGeometry(0.06, 16, 10), gold);
  knob.position.y = 0.96;
  group.add(knob);
  for (const y of [0.06, 0.3, 0.5, 0.74]) {
    const ring = new THREE.Mesh(new THREE.TorusGeometry(0.302, 0.012, 8, 48), gold);
    ring.rotation.x = Math.PI / 2;
    ring.position.y = y;
    group.add(ring);
  }
  // A cream panel between the middle rings, where a printed label would be.
  const panel = new THREE.Mesh(
    new THREE.CylinderGeometry(0.303, 0.303, 0.16, 48, 1, true, -0.9, 1.8),
    mat(0xf5ecd0, 0.8),
  );
  panel.position.y = 0.4;
  group.add(panel);
  const leafMat = mat(0x66bb6a, 0.6);
  for (const [a, s] of [
    [-0.3, 1],
    [0.25, 0.8],
  ]) {
    const leaf = new THREE.Mesh(new THREE.SphereGeometry(0.05, 10, 8), leafMat);
    leaf.scale.set(0.5 * s, 1.4 * s, 0.2);
    leaf.position.set(Math.sin(a) * 0.305, 0.4, Math.cos(a) * 0.305);
    leaf.rotation.y = a;
    group.add(leaf);
  }
  return group;
}

async function exportGlb(object) {
  const exporter = new GLTFExporter();
  const result = await exporter.parseAsync(object, { binary: true, onlyVisible: true });
  return Buffer.from(result);
}

// ---------------------------------------------------------------------------------------------
// Backgrounds: a tiny rasteriser (gradients, ellipses, polygons) and a PNG writer.
// ---------------------------------------------------------------------------------------------

class Picture {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    this.px = new Float32Array(width * height * 3);
  }
  blend(x, y, [r, g, b], a) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || a <= 0) return;
    const i = (y * this.width + x) * 3;
    this.px[i] += (r - this.px[i]) * a;
    this.px[i + 1] += (g - this.px[i + 1]) * a;
    this.px[i + 2] += (b - this.px[i + 2]) * a;
  }
  verticalGradient(y0, y1, top, bottom) {
    for (let y = Math.max(0, y0); y < Math.min(this.height, y1); y++) {
      const t = (y - y0) / Math.max(1, y1 - y0);
      const c = top.map((v, k) => v + (bottom[k] - v) * t);
      for (let x = 0; x < this.width; x++) this.blend(x, y, c, 1);
    }
  }
  ellipse(cx, cy, rx, ry, color, alpha = 1, soft = 1.5) {
    const x0 = Math.floor(cx - rx - soft);
    const x1 = Math.ceil(cx + rx + soft);
    const y0 = Math.floor(cy - ry - soft);
    const y1 = Math.ceil(cy + ry + soft);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
        const edge = (1 - d) * Math.min(rx, ry);
        this.blend(x, y, color, alpha * Math.max(0, Math.min(1, edge / soft + 0.5)));
      }
    }
  }
  rect(x0, y0, w, h, color, alpha = 1) {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(this.height, y0 + h); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(this.width, x0 + w); x++) this.blend(x, y, color, alpha);
    }
  }
  /** Fills below the curve y = f(x) with `color`. */
  under(f, color, alpha = 1) {
    for (let x = 0; x < this.width; x++) {
      const top = f(x);
      for (let y = Math.max(0, Math.floor(top)); y < this.height; y++) {
        this.blend(x, y, color, alpha * Math.min(1, y + 1 - top));
      }
    }
  }
  polygon(points, color, alpha = 1) {
    const ys = points.map((p) => p[1]);
    for (
      let y = Math.max(0, Math.floor(Math.min(...ys)));
      y <= Math.min(this.height - 1, Math.ceil(Math.max(...ys)));
      y++
    ) {
      const xs = [];
      for (let i = 0; i < points.length; i++) {
        const [ax, ay] = points[i];
        const [bx, by] = points[(i + 1) % points.length];
        if ((ay <= y && by > y) || (by <= y && ay > y)) xs.push(ax + ((y - ay) / (by - ay)) * (bx - ax));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        for (let x = Math.max(0, Math.ceil(xs[k])); x <= Math.min(this.width - 1, xs[k + 1]); x++)
          this.blend(x, y, color, alpha);
      }
    }
  }
  noise(rand, amount) {
    for (let i = 0; i < this.px.length; i += 3) {
      const n = (rand() - 0.5) * amount;
      this.px[i] += n;
      this.px[i + 1] += n;
      this.px[i + 2] += n;
    }
  }
  png() {
    const { width, height } = this;
    const raw = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
      raw[y * (width * 3 + 1)] = 0; // filter: none
      for (let x = 0; x < width * 3; x++) {
        raw[y * (width * 3 + 1) + 1 + x] = Math.max(0, Math.min(255, Math.round(this.px[y * width * 3 + x])));
      }
    }
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc = (buf) => {
      let c = 0xffffffff;
      for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type, data) => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const sum = Buffer.alloc(4);
      sum.writeUInt32BE(crc(body));
      return Buffer.concat([len, body, sum]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

const W = 1920;
const H = 1080;

function orchard(rand) {
  const p = new Picture(W, H);
  p.verticalGradient(0, H * 0.55, [120, 180, 235], [205, 230, 245]);
  p.ellipse(W * 0.8, H * 0.16, 70, 70, [255, 244, 200], 0.9, 30);
  // Far hills, then the orchard slope.
  p.under((x) => H * 0.42 + Math.sin(x / 260) * 30 + Math.sin(x / 90) * 8, [110, 150, 95]);
  p.under((x) => H * 0.52 + Math.sin(x / 400 + 1) * 25, [95, 150, 60]);
  // Rows of orange trees, smaller towards the horizon.
  for (let row = 0; row < 5; row++) {
    const y = H * (0.55 + row * 0.1);
    const s = 0.5 + row * 0.35;
    for (let x = -40; x < W + 80; x += 150 * s) {
      const cx = x + (rand() - 0.5) * 30 * s;
      p.rect(cx - 6 * s, y - 10 * s, 12 * s, 55 * s, [95, 65, 40]);
      p.ellipse(cx, y - 40 * s, 70 * s, 55 * s, [40 + rand() * 20, 105 + rand() * 25, 40], 1, 3);
      p.ellipse(cx - 20 * s, y - 60 * s, 40 * s, 30 * s, [60, 130, 50], 0.8, 3);
      for (let k = 0; k < 9; k++) {
        const a = rand() * Math.PI * 2;
        const r = Math.sqrt(rand()) * 55 * s;
        p.ellipse(cx + Math.cos(a) * r, y - 40 * s + Math.sin(a) * r * 0.7, 7 * s, 7 * s, [245, 140, 25], 1, 1.5);
      }
    }
  }
  p.noise(rand, 2);
  return p;
}

function fishingPort(rand) {
  const p = new Picture(W, H);
  p.verticalGradient(0, H * 0.5, [250, 190, 140], [250, 225, 190]);
  p.ellipse(W * 0.3, H * 0.38, 90, 90, [255, 235, 170], 0.95, 20);
  p.under((x) => H * 0.45 + Math.sin(x / 300) * 12, [95, 110, 120]); // far shore
  p.verticalGradient(H * 0.5, H, [60, 120, 150], [25, 70, 100]); // sea
  for (let i = 0; i < 400; i++) {
    const x = rand() * W;
    const y = H * 0.5 + rand() ** 1.5 * H * 0.5;
    p.rect(x, y, 20 + rand() * 60, 2, [200, 225, 235], 0.25);
  }
  // Pier on the right.
  p.polygon(
    [
      [W * 0.62, H * 0.62],
      [W, H * 0.58],
      [W, H * 0.7],
      [W * 0.62, H * 0.67],
    ],
    [120, 90, 60],
  );
  for (let x = W * 0.64; x < W; x += 70) p.rect(x, H * 0.66, 10, H * 0.2, [80, 60, 40]);
  // Fishing boats: hulls, cabins, masts, flags.
  const colors = [
    [200, 50, 40],
    [30, 90, 170],
    [235, 235, 230],
    [40, 140, 90],
  ];
  for (let i = 0; i < 6; i++) {
    const cx = 120 + i * 270 + rand() * 60;
    const cy = H * (0.6 + (i % 2) * 0.08);
    const s = 1 + (i % 2) * 0.25;
    const hull = colors[i % colors.length];
    p.polygon(
      [
        [cx - 110 * s, cy],
        [cx + 120 * s, cy],
        [cx + 90 * s, cy + 40 * s],
        [cx - 85 * s, cy + 40 * s],
      ],
      hull,
    );
    p.rect(cx - 40 * s, cy - 45 * s, 70 * s, 45 * s, [240, 240, 235]);
    p.rect(cx - 30 * s, cy - 35 * s, 18 * s, 14 * s, [90, 140, 180]);
    p.rect(cx + 40 * s, cy - 140 * s, 5 * s, 140 * s, [70, 60, 50]);
    p.polygon(
      [
        [cx + 45 * s, cy - 140 * s],
        [cx + 85 * s, cy - 128 * s],
        [cx + 45 * s, cy - 116 * s],
      ],
      [220, 40, 40],
    );
  }
  p.noise(rand, 2);
  return p;
}

function workshop(rand) {
  const p = new Picture(W, H);
  // Warm plank wall.
  for (let x = 0; x < W; x += 120) {
    const tone = 150 + rand() * 40;
    p.rect(x, 0, 118, H, [tone, tone * 0.68, tone * 0.42]);
    p.rect(x + 118, 0, 2, H, [70, 45, 25]);
    for (let k = 0; k < 6; k++)
      p.rect(x + rand() * 110, rand() * H, 3, 60 + rand() * 120, [tone * 0.85, tone * 0.55, tone * 0.33], 0.5);
  }
  // Shelves with jars and baskets.
  for (const y of [H * 0.3, H * 0.58]) {
    p.rect(0, y, W, 22, [95, 62, 35]);
    p.rect(0, y + 22, W, 8, [60, 40, 22], 0.6);
    for (let x = 60; x < W - 60; x += 110 + rand() * 60) {
      const kind = Math.floor(rand() * 3);
      if (kind === 0) {
        p.rect(x, y - 90, 60, 90, [215, 140, 20], 0.95);
        p.rect(x - 4, y - 105, 68, 18, [190, 160, 50]);
      } else if (kind === 1) {
        p.ellipse(x + 40, y - 35, 55, 35, [170, 120, 60]);
        for (let k = 0; k < 4; k++) p.ellipse(x + 15 + k * 17, y - 62, 12, 12, [240, 140, 30]);
      } else {
        p.rect(x, y - 110, 50, 110, [30, 95, 45]);
        p.rect(x, y - 70, 50, 25, [240, 230, 200]);
      }
    }
  }
  p.rect(0, H * 0.8, W, H * 0.2, [110, 75, 45]); // workbench
  // A warm lamp glow.
  for (let r = 600; r > 0; r -= 40) p.ellipse(W * 0.5, H * 0.05, r * 1.6, r, [255, 220, 160], 0.035, 40);
  p.noise(rand, 2);
  return p;
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const products = { 'oranges-crate': orangesCrate(random(1)), 'honey-jar': honeyJar(), 'tea-tin': teaTin() };
  for (const [name, object] of Object.entries(products)) {
    const glb = await exportGlb(object);
    fs.writeFileSync(path.join(outDir, `${name}.glb`), glb);
    process.stdout.write(`${String(glb.length).padStart(8)}  ${name}.glb\n`);
  }
  const backgrounds = {
    orchard: orchard(random(2)),
    'fishing-port': fishingPort(random(3)),
    workshop: workshop(random(4)),
  };
  for (const [name, picture] of Object.entries(backgrounds)) {
    const png = picture.png();
    fs.writeFileSync(path.join(outDir, `${name}.png`), png);
    process.stdout.write(`${String(png.length).padStart(8)}  ${name}.png\n`);
  }
  // The demo clip shown when there is no camera: real footage of a person raising a hand (so hand
  // tracking and segmentation have something to do), from the MIT-licensed fingerpose package.
  const gif = path.join(root, 'node_modules/fingerpose/assets/fingers-lq.gif');
  const clip = path.join(outDir, 'demo-host.webm');
  try {
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      gif,
      '-vf',
      'scale=640:480:flags=lanczos,fps=25,format=yuv420p',
      '-c:v',
      'libvpx',
      '-b:v',
      '600k',
      '-an',
      // Bit-exact: no encoder version string or random segment id, so re-runs give the same bytes.
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      '-f',
      'webm',
      clip,
    ]);
    process.stdout.write(`${String(fs.statSync(clip).size).padStart(8)}  demo-host.webm\n`);
  } catch (error) {
    process.stdout.write(`demo-host.webm kept as is (needs ffmpeg and fingerpose): ${String(error).split('\n')[0]}\n`);
  }
}

await main();
