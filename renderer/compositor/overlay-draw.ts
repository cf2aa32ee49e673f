import QRCode from 'qrcode';

import { StudioError } from '../../shared/api/result';
import type { Size } from '../../shared/compositor/coords';
import type { OverlayId } from '../../shared/compositor/overlay-layout';
import { homePlace } from '../../shared/compositor/overlay-layout';
import type { Rect } from '../../shared/compositor/safe-areas';
import { orientationOf, safeArea } from '../../shared/compositor/safe-areas';
import type { CompositorScene, Overlays } from '../../shared/compositor/scene';
import { formatFen } from '../../shared/money';

/** Colours of a theme. */
interface Palette {
  panel: string;
  panelText: string;
  accent: string;
  accentText: string;
  price: string;
  badge: string;
  muted: string;
}

const palettes: Record<CompositorScene['theme'], Palette> = {
  harvest: {
    panel: 'rgba(255, 248, 235, 0.94)',
    panelText: '#3b2412',
    accent: '#e8731a',
    accentText: '#ffffff',
    price: '#d9480f',
    badge: '#2f7d32',
    muted: '#7a5a3a',
  },
  fresh: {
    panel: 'rgba(245, 255, 246, 0.94)',
    panelText: '#12351a',
    accent: '#2e9d4a',
    accentText: '#ffffff',
    price: '#e03131',
    badge: '#1971c2',
    muted: '#4a6b52',
  },
  official: {
    panel: 'rgba(255, 252, 245, 0.95)',
    panelText: '#2b1a10',
    accent: '#b3261e',
    accentText: '#fff3cf',
    price: '#b3261e',
    badge: '#b08400',
    muted: '#6b5b4b',
  },
};

/** Strings the overlays need from i18n, resolved by the caller. */
export interface OverlayTexts {
  origin: string;
  per: string;
  couponEnds: string;
  couponEnded: string;
  scan: string;
}

/** The CJK font family: our shipped subset first, then what the OS has. */
export const overlayFontFamily =
  '"Harvest CJK", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

/** A filled rounded box; `shadow` (px of blur) casts the sprite's drop shadow under this box only. */
function fillBox(
  ctx: CanvasRenderingContext2D,
  colour: string,
  box: { x: number; y: number; w: number; h: number; r: number },
  shadow = 0,
): void {
  ctx.shadowBlur = shadow;
  ctx.fillStyle = colour;
  roundRect(ctx, box.x, box.y, box.w, box.h, box.r);
  ctx.fill();
  ctx.shadowBlur = 0;
}

/** Shortens `text` with an ellipsis to fit `maxWidth`. */
function fit(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > maxWidth) s = s.slice(0, -1);
  return `${s}…`;
}

function qrModules(url: string): { size: number; get(x: number, y: number): boolean } | undefined {
  if (url === '') return undefined;
  try {
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    return { size: qr.modules.size, get: (x, y) => qr.modules.get(y, x) === 1 };
  } catch {
    return undefined;
  }
}

/** mm:ss (or h:mm:ss) left until `endsAt`. */
export function countdownText(endsAt: number, now: number): string | undefined {
  const left = Math.ceil((endsAt - now) / 1000);
  if (left <= 0) return undefined;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** What every overlay's drawing needs to know about the output. */
interface Env {
  /** One unit that scales with the output: 1080p → 1, 720p → 0.67, 9:16 1080 wide → 1. */
  readonly u: number;
  readonly portrait: boolean;
  readonly safe: Rect;
  readonly p: Palette;
  readonly texts: OverlayTexts;
  font(weight: number, px: number): string;
}

/** One overlay as drawn: its box (output px) and how to paint it with the box's top-left at 0,0. */
interface OverlaySpec {
  readonly id: OverlayId;
  readonly width: number;
  readonly height: number;
  /** Everything the pixels depend on; the sprite redraws only when this changes. */
  readonly key: string;
  draw(ctx: CanvasRenderingContext2D): void;
}

/** A spec whose key is its size and `dependsOn` (what else its pixels depend on). */
function overlaySpec(
  id: OverlayId,
  width: number,
  height: number,
  dependsOn: readonly unknown[],
  draw: (ctx: CanvasRenderingContext2D) => void,
): OverlaySpec {
  return { id, width, height, key: JSON.stringify([width, height, ...dependsOn]), draw };
}

function lowerThirdSpec(o: Overlays['lowerThird'], e: Env): OverlaySpec | undefined {
  if (!o.visible || o.name === '') return undefined;
  const { u, p } = e;
  const hasTitle = o.title.trim() !== '';
  const nameH = 118 * 0.58 * u;
  // Without a title only the name bar is drawn: an empty title strip looks like a glitch.
  const h = Math.round(hasTitle ? 118 * u : nameH);
  // Portrait: leave the right of the bottom row to the QR code.
  const w = Math.round(Math.min(e.safe.width * (e.portrait ? 0.58 : 0.45), 760 * u));
  return overlaySpec('lowerThird', w, h, [o.name, hasTitle ? o.title : '', p], (ctx) => {
    fillBox(ctx, p.accent, { x: 0, y: 0, w, h: nameH, r: 10 * u }, 12 * u);
    ctx.fillStyle = p.accentText;
    ctx.font = e.font(700, 44);
    ctx.fillText(fit(ctx, o.name, w - 40 * u), 22 * u, nameH * (0.45 / 0.58));
    if (hasTitle) {
      fillBox(ctx, p.panel, { x: 0, y: nameH, w: w * 0.85, h: h - nameH, r: 8 * u });
      ctx.fillStyle = p.panelText;
      ctx.font = e.font(500, 28);
      ctx.fillText(fit(ctx, o.title, w * 0.85 - 40 * u), 22 * u, h * 0.9);
    }
  });
}

/**
 * The product card. It carries the price only when the price tag is off: the tag is the one price
 * on screen (see `priceOnCard`).
 */
function productCardSpec(c: Overlays['productCard'], withPrice: boolean, e: Env): OverlaySpec | undefined {
  if (!c.visible || c.name === '') return undefined;
  const { u, p } = e;
  const w = Math.round(e.portrait ? e.safe.width : Math.min(620 * u, e.safe.width * 0.4));
  // Rows below the name move up by the price row's height when there is no price.
  const shift = withPrice ? 0 : 70;
  const h = Math.round((c.story === '' ? 250 : 300) * u - shift * u);
  return overlaySpec(
    'productCard',
    w,
    h,
    [c.name, withPrice ? c.priceFen : -1, c.unit, c.origin, c.certifications, c.story, p],
    (ctx) => {
      fillBox(ctx, p.panel, { x: 0, y: 0, w, h, r: 18 * u }, 16 * u);
      fillBox(ctx, p.accent, { x: 0, y: 0, w: 14 * u, h, r: 7 * u });
      const pad = 34 * u;
      ctx.fillStyle = p.panelText;
      ctx.font = e.font(800, 52);
      ctx.fillText(fit(ctx, c.name, w - pad * 2), pad, 72 * u);
      if (withPrice) {
        ctx.fillStyle = p.price;
        ctx.font = e.font(800, 56);
        const price = formatFen(c.priceFen);
        ctx.fillText(price, pad, 142 * u);
        const priceWidth = ctx.measureText(price).width;
        if (c.unit !== '') {
          ctx.fillStyle = p.muted;
          ctx.font = e.font(500, 30);
          ctx.fillText(`/${c.unit}`, pad + priceWidth + 8 * u, 142 * u);
        }
      }
      ctx.fillStyle = p.muted;
      ctx.font = e.font(500, 28);
      let line = (190 - shift) * u;
      if (c.origin !== '') ctx.fillText(fit(ctx, `${e.texts.origin}${c.origin}`, w - pad * 2), pad, line);
      // Certification badges (地理标志, 绿色食品, 有机…) as pills after the origin line.
      line += 46 * u;
      let bx = pad;
      ctx.font = e.font(700, 24);
      for (const cert of c.certifications) {
        const tw = ctx.measureText(cert).width + 26 * u;
        if (bx + tw > w - pad) break;
        fillBox(ctx, p.badge, { x: bx, y: line - 30 * u, w: tw, h: 40 * u, r: 20 * u });
        ctx.fillStyle = '#ffffff';
        ctx.fillText(cert, bx + 13 * u, line - 1 * u);
        bx += tw + 10 * u;
      }
      if (c.story !== '') {
        ctx.fillStyle = p.panelText;
        ctx.font = e.font(500, 26);
        ctx.fillText(fit(ctx, c.story, w - pad * 2), pad, h - 28 * u);
      }
    },
  );
}

/** A bold burst with the price (and the unit under it). */
function priceTagSpec(t: Overlays['priceTag'], e: Env, measure: CanvasRenderingContext2D): OverlaySpec | undefined {
  if (!t.visible) return undefined;
  const { u, p } = e;
  const text = formatFen(t.priceFen);
  measure.font = e.font(900, 76);
  const w = Math.round(measure.measureText(text).width + 70 * u);
  const h = Math.round(150 * u);
  return overlaySpec('priceTag', w, h, [text, t.unit, e.texts.per, p], (ctx) => {
    fillBox(ctx, p.price, { x: 0, y: 0, w, h, r: 24 * u }, 18 * u);
    ctx.fillStyle = '#ffffff';
    ctx.font = e.font(900, 76);
    ctx.fillText(text, 35 * u, 92 * u);
    if (t.unit !== '') {
      ctx.font = e.font(600, 28);
      ctx.fillText(`${e.texts.per}${t.unit}`, 35 * u, 132 * u);
    }
  });
}

/** The shop's QR code on a white card with a quiet zone and a caption. */
function qrSpec(q: Overlays['qr'], e: Env): OverlaySpec | undefined {
  const qr = q.visible ? qrModules(q.url) : undefined;
  if (qr === undefined) return undefined;
  const { u, p } = e;
  const box = (e.portrait ? 260 : 240) * u;
  // The white card reaches 12 units left/right/up of the code and 56 below it (the caption).
  const w = Math.round(box + 24 * u);
  const h = Math.round(box + 68 * u);
  const caption = q.caption === '' ? e.texts.scan : q.caption;
  return overlaySpec('qr', w, h, [q.url, caption, p], (ctx) => {
    fillBox(ctx, '#ffffff', { x: 0, y: 0, w, h, r: 14 * u });
    // Whole device pixels per module, wherever the box lands, so the code stays sharp and scannable.
    const m = ctx.getTransform();
    const x0 = m.e + m.a * 12 * u;
    const y0 = m.f + m.d * 12 * u;
    const cell = (box * m.a) / (qr.size + 2);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000000';
    for (let r = 0; r < qr.size; r++) {
      const top = Math.round(y0 + (r + 1) * cell);
      const bottom = Math.round(y0 + (r + 2) * cell);
      for (let c = 0; c < qr.size; c++) {
        if (!qr.get(c, r)) continue;
        const left = Math.round(x0 + (c + 1) * cell);
        ctx.fillRect(left, top, Math.round(x0 + (c + 2) * cell) - left, bottom - top);
      }
    }
    ctx.restore();
    ctx.fillStyle = p.panelText;
    ctx.font = e.font(700, 26);
    ctx.textAlign = 'center';
    ctx.fillText(fit(ctx, caption, box), 12 * u + box / 2, 12 * u + box + 40 * u);
    ctx.textAlign = 'left';
  });
}

/** Seconds shown on the coupon's countdown (-1: none), so callers redraw only when it changes. */
function couponSecond(c: Overlays['coupon'], now: number): number {
  return c.visible && c.endsAt !== null ? Math.max(0, Math.ceil((c.endsAt - now) / 1000)) : -1;
}

function couponSpec(c: Overlays['coupon'], e: Env, now: number): OverlaySpec | undefined {
  if (!c.visible || c.text === '') return undefined;
  const { u, p, texts } = e;
  const left = c.endsAt === null ? undefined : countdownText(c.endsAt, now);
  const timer = c.endsAt === null ? '' : left === undefined ? texts.couponEnded : `${texts.couponEnds} ${left}`;
  const w = Math.round(Math.min(520 * u, e.safe.width));
  const h = Math.round((timer === '' ? 90 : 140) * u);
  return overlaySpec('coupon', w, h, [c.text, timer, p], (ctx) => {
    fillBox(ctx, p.accent, { x: 0, y: 0, w, h, r: 16 * u }, 14 * u);
    ctx.setLineDash([10 * u, 8 * u]);
    ctx.strokeStyle = p.accentText;
    ctx.lineWidth = 3 * u;
    roundRect(ctx, 10 * u, 10 * u, w - 20 * u, h - 20 * u, 10 * u);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = p.accentText;
    ctx.font = e.font(800, 40);
    ctx.fillText(fit(ctx, c.text, w - 60 * u), 30 * u, 62 * u);
    if (timer !== '') {
      ctx.font = e.font(700, 34);
      ctx.fillText(timer, 30 * u, 112 * u);
    }
  });
}

/**
 * Whether the product card shows the price. Once: a viewer scanning a phone screen reads the big
 * red tag first, so when the tag is on it is the one price and the card keeps to what the product
 * is (name, origin, badges, story) — shorter, so it also finds room beside the host's face.
 */
export function priceOnCard(o: Overlays): boolean {
  return !o.priceTag.visible;
}

/** The visible overlays of `scene`, in drawing order (later ones on top). */
function overlaySpecs(
  scene: CompositorScene,
  size: Size,
  texts: OverlayTexts,
  now: number,
  measure: CanvasRenderingContext2D,
): OverlaySpec[] {
  const u = Math.min(size.width, size.height) / 1080;
  const env: Env = {
    u,
    portrait: size.height > size.width,
    safe: safeArea(size, orientationOf(size)),
    p: palettes[scene.theme],
    texts,
    font: (weight, px) => `${weight} ${Math.round(px * u)}px ${overlayFontFamily}`,
  };
  const o = scene.overlays;
  return [
    lowerThirdSpec(o.lowerThird, env),
    productCardSpec(o.productCard, priceOnCard(o), env),
    priceTagSpec(o.priceTag, env, measure),
    qrSpec(o.qr, env),
    couponSpec(o.coupon, env, now),
  ].filter((s): s is OverlaySpec => s !== undefined);
}

/** Room around each sprite's box for its shadow, output px. */
export function spriteMargin(size: Size): number {
  return Math.ceil(24 * (Math.min(size.width, size.height) / 1080));
}

function paint(ctx: CanvasRenderingContext2D, spec: OverlaySpec): void {
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.shadowColor = 'rgba(0,0,0,0.25)';
  ctx.shadowBlur = 0;
  spec.draw(ctx);
}

/** One overlay drawn once into its own canvas; `version` bumps each time it is redrawn. */
export interface OverlaySprite {
  readonly id: OverlayId;
  /** The box plus `margin` on every side (for the shadow), at the sprites' pixel scale. */
  readonly canvas: HTMLCanvasElement;
  /** The box in output px, without the margin. */
  readonly width: number;
  readonly height: number;
  readonly margin: number;
  readonly version: number;
}

interface MutableSprite {
  id: OverlayId;
  canvas: HTMLCanvasElement;
  width: number;
  height: number;
  margin: number;
  version: number;
  key: string;
}

/**
 * Each overlay of the scene as its own sprite, redrawn only when what it shows changes (scene,
 * texts, size, the coupon's second, a font that finished loading). Renderers draw each sprite's
 * canvas where `OverlayLayout` places its box; nothing here runs per frame except a few compares.
 */
export class OverlaySprites {
  private list: MutableSprite[] = [];
  private readonly byId = new Map<OverlayId, MutableSprite>();
  private readonly measure: CanvasRenderingContext2D;
  private scene: CompositorScene | undefined;
  private texts: OverlayTexts | undefined;
  private width = 0;
  private height = 0;
  private second = -1;
  private fontEpoch = 0;
  private drawnEpoch = -1;
  private readonly fonts: FontFaceSet | undefined;

  constructor(
    private readonly pixelScale: number,
    private readonly createCanvas: () => HTMLCanvasElement = () => document.createElement('canvas'),
  ) {
    const ctx = createCanvas().getContext('2d');
    if (ctx === null) throw new StudioError('compositor/webgl-unavailable', 'No 2D canvas for overlays.');
    this.measure = ctx;
    this.fonts = typeof document === 'undefined' ? undefined : document.fonts;
    this.fonts?.addEventListener('loadingdone', this.onFonts);
  }

  /** The visible overlays' sprites, in drawing order (later ones on top). */
  get sprites(): readonly OverlaySprite[] {
    return this.list;
  }

  /** Redraws everything at the next `update` (fonts or language changed in a way not seen here). */
  invalidate(): void {
    this.fontEpoch++;
  }

  private readonly onFonts = (): void => {
    this.fontEpoch++;
  };

  /**
   * Brings the sprites up to date with `scene` on an output of `size`; `now` is wall-clock ms
   * (Date.now(), as coupon end times are). Returns true when any sprite was redrawn, added or removed.
   */
  update(scene: CompositorScene, size: Size, texts: OverlayTexts, now: number): boolean {
    const second = couponSecond(scene.overlays.coupon, now);
    if (
      scene === this.scene &&
      texts === this.texts &&
      size.width === this.width &&
      size.height === this.height &&
      second === this.second &&
      this.fontEpoch === this.drawnEpoch
    )
      return false;
    const refont = this.fontEpoch !== this.drawnEpoch;
    this.scene = scene;
    this.texts = texts;
    this.width = size.width;
    this.height = size.height;
    this.second = second;
    this.drawnEpoch = this.fontEpoch;

    const specs = overlaySpecs(scene, size, texts, now, this.measure);
    const margin = spriteMargin(size);
    let changed = specs.length !== this.list.length;
    const next: MutableSprite[] = [];
    for (const spec of specs) {
      let sprite = this.byId.get(spec.id);
      if (sprite === undefined) {
        sprite = { id: spec.id, canvas: this.createCanvas(), width: 0, height: 0, margin, version: 0, key: '' };
        this.byId.set(spec.id, sprite);
      }
      if (this.list[next.length] !== sprite) changed = true;
      next.push(sprite);
      const key = `${margin}|${spec.key}`;
      if (key === sprite.key && !refont) continue;
      this.redraw(sprite, spec, margin, key);
      changed = true;
    }
    // A sprite gone from the scene keeps its canvas (one per overlay at most): when it comes back,
    // as a price tag does every other segment, renderers find the same canvas and their texture.
    this.list = next;
    return changed;
  }

  private redraw(sprite: MutableSprite, spec: OverlaySpec, margin: number, key: string): void {
    const s = this.pixelScale;
    const cw = Math.ceil((spec.width + 2 * margin) * s);
    const ch = Math.ceil((spec.height + 2 * margin) * s);
    const canvas = sprite.canvas;
    if (canvas.width !== cw || canvas.height !== ch) {
      canvas.width = cw;
      canvas.height = ch;
    }
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, cw, ch);
    ctx.setTransform(s, 0, 0, s, margin * s, margin * s);
    paint(ctx, spec);
    sprite.width = spec.width;
    sprite.height = spec.height;
    sprite.margin = margin;
    sprite.key = key;
    sprite.version++;
  }

  /** Frees every sprite's pixels. */
  dispose(): void {
    this.fonts?.removeEventListener('loadingdone', this.onFonts);
    for (const sprite of this.byId.values()) {
      sprite.canvas.width = 0;
      sprite.canvas.height = 0;
    }
    this.byId.clear();
    this.list = [];
  }
}

/**
 * Where a renderer draws `sprite` for `placed` (output px): the canvas with its margin, scaled with
 * the box when the layout shrank it.
 */
export function spriteDestination(
  sprite: OverlaySprite,
  placed: { x: number; y: number; width: number; height: number },
): Rect {
  const k = sprite.width > 0 ? placed.width / sprite.width : 1;
  const m = sprite.margin * k;
  return { x: placed.x - m, y: placed.y - m, width: placed.width + 2 * m, height: placed.height + 2 * m };
}

/**
 * Draws every visible overlay of `scene` at its usual place inside `safe` (output pixels) into one
 * full-frame canvas, for the preset preview (a sketch without a host to keep clear of).
 */
export function drawOverlays(
  ctx: CanvasRenderingContext2D,
  scene: CompositorScene,
  safe: Rect,
  size: { width: number; height: number },
  texts: OverlayTexts,
  now: number,
  /** Filled with the rectangles drawn on (output px), so only those are composited. */
  regions: Rect[],
): void {
  ctx.clearRect(0, 0, size.width, size.height);
  regions.length = 0;
  const m = spriteMargin(size);
  for (const spec of overlaySpecs(scene, size, texts, now, ctx)) {
    const at = homePlace(spec.id, spec.width, spec.height, safe, size);
    regions.push({ x: at.x - m, y: at.y - m, width: spec.width + 2 * m, height: spec.height + 2 * m });
    ctx.save();
    ctx.translate(at.x, at.y);
    paint(ctx, spec);
    ctx.restore();
  }
}
