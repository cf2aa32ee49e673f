import type { Size } from './coords';
import type { Rect } from './safe-areas';

/** The overlays of a scene, each drawn as its own sprite. */
export type OverlayId = 'productCard' | 'priceTag' | 'lowerThird' | 'qr' | 'coupon';

/** Every overlay, in the order they are placed: the bottom corners first, then the product's boxes. */
export const overlayIds: readonly OverlayId[] = ['lowerThird', 'qr', 'productCard', 'priceTag', 'coupon'];

/** An overlay to place: its box in output pixels at full size. */
export interface OverlayBox {
  readonly id: OverlayId;
  readonly width: number;
  readonly height: number;
}

/**
 * Where to draw an overlay this frame, in output pixels: x, y are the top-left of the box (without
 * the sprite's shadow margin), width and height may be smaller than asked (shrunk to keep clear of
 * the face), and opacity below 1 fades a box that cannot keep clear.
 */
export interface PlacedOverlay {
  readonly id: OverlayId;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly opacity: number;
}

/** What overlays keep clear of, in output pixels. */
export interface LayoutAvoid {
  /** The host's face, as tracked (null when no face is in view). */
  readonly face: Rect | null;
  /** The product on screen (3D model or photo), null when none is shown. */
  readonly product: Rect | null;
  /** Other boxes no overlay may cover, such as the guest's picture-in-picture. */
  readonly keepOut?: readonly Rect[];
}

/** Tunables; the defaults are what the program uses. */
export interface OverlayLayoutOptions {
  /** How long a box glides to a new place, ms. */
  readonly easeMs: number;
  /** A box moves at most once in this many ms. */
  readonly cooldownMs: number;
  /** How long a face or product that vanished is still kept clear of, ms (detections flicker). */
  readonly holdMs: number;
  /** Full opacity change takes this many ms. */
  readonly fadeMs: number;
  /** Sizes a box may shrink to, largest first. */
  readonly scales: readonly number[];
  /** The face and product are looked at again at most this often, ms. */
  readonly decideMs: number;
  /** A box moves only when its place costs this much more than the best one. */
  readonly moveThreshold: number;
  /** Opacity of a box that still covers the eyes (or the lower third on the product). */
  readonly coveringOpacity: number;
  /** Opacity of a box that covers the face but not the eyes. */
  readonly faceOpacity: number;
}

export const defaultLayoutOptions: OverlayLayoutOptions = {
  easeMs: 300,
  cooldownMs: 1500,
  moveThreshold: 0.04,
  decideMs: 100,
  holdMs: 1000,
  fadeMs: 250,
  scales: [1, 0.85, 0.7, 0.6, 0.5],
  coveringOpacity: 0.15,
  faceOpacity: 0.6,
};

/** A preferred place: the box's top-left at a fraction of the room left in the safe area. */
interface Slot {
  /** 0 = left edge of the safe area, 1 = right edge. */
  readonly fx: number;
  /** 0 = top, 1 = bottom; or, with `top`, the top of the box at this fraction of the safe height. */
  readonly fy: number;
  readonly top?: boolean;
}

const at = (fx: number, fy: number): Slot => ({ fx, fy });
const topAt = (fx: number, fy: number): Slot => ({ fx, fy, top: true });

/**
 * Preferred places per orientation, best first; the first is where each overlay has always been.
 * 9:16: the platform's buttons own the right column and its comments the bottom quarter (outside
 * the safe area already); the guest's picture sits on the right, so the left column comes first.
 */
const slots: Record<'16:9' | '9:16', Record<OverlayId, readonly Slot[]>> = {
  '16:9': {
    productCard: [at(0, 0), at(1, 0), at(0, 0.5), at(1, 0.5), at(0.5, 0), at(0, 1), at(1, 1)],
    coupon: [at(1, 0), at(0, 0), at(0.5, 0), at(1, 0.5), at(0, 0.5), at(0.5, 1)],
    priceTag: [topAt(1, 0.3), topAt(0, 0.3), at(1, 0.65), at(0, 0.65), at(0.5, 0), at(0.5, 1), at(0.75, 1)],
    qr: [at(1, 1), at(0, 1), at(1, 0.5), at(1, 0), at(0, 0)],
    lowerThird: [at(0, 1), at(0.5, 1), at(1, 1), at(0, 0), at(0.5, 0)],
  },
  '9:16': {
    productCard: [at(0, 0), at(0, 0.45), at(0, 0.6), at(1, 0), at(0, 0.8), at(0.5, 0.5)],
    coupon: [topAt(0, 0.27), at(0, 0), at(1, 0), at(0, 0.5), at(1, 0.5), at(0, 0.75)],
    priceTag: [topAt(0, 0.41), at(0, 0.6), at(1, 0.4), at(1, 0.6), at(0, 0.25), at(0, 0.8)],
    qr: [at(1, 1), at(1, 0.8), at(0, 1), at(1, 0.6)],
    lowerThird: [at(0, 1), at(0, 0), at(0.5, 0)],
  },
};

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where a box is going, and why it may stay there. */
interface Target extends Box {
  scale: number;
  /** Which corner stays put when the box's size changes (0–1 each way). */
  ax: number;
  ay: number;
}

/** One box's part in a plan. */
interface Choice {
  target: Target;
  /** A move to a better place (starts the cooldown); a resize keeps its place and is no move. */
  moved: boolean;
  retryAt: number;
}

interface Track {
  id: OverlayId;
  /** The box's full size as last asked. */
  width: number;
  height: number;
  target: Target;
  /** The glide in progress: from `from` at `startAt` to `target`. */
  from: Box;
  startAt: number;
  lastMoveAt: number;
  opacity: number;
  opacityTarget: number;
  lastAt: number;
  /** A better place was found but the cooldown held the box: look again at this time. */
  retryAt: number;
}

/** A face or product box that only changes when it really moved (detections jitter by a few px). */
class SettledBox {
  box: Rect | null = null;
  private seenAt = -Infinity;
  version = 0;

  update(raw: Rect | null, now: number, holdMs: number): void {
    if (raw === null || !(raw.width > 0 && raw.height > 0)) {
      if (this.box !== null && now - this.seenAt > holdMs) {
        this.box = null;
        this.version++;
      }
      return;
    }
    this.seenAt = now;
    const b = this.box;
    if (b !== null) {
      const band = Math.max(8, 0.08 * Math.max(b.width, b.height));
      const still =
        Math.abs(raw.x - b.x) <= band &&
        Math.abs(raw.y - b.y) <= band &&
        Math.abs(raw.x + raw.width - (b.x + b.width)) <= band &&
        Math.abs(raw.y + raw.height - (b.y + b.height)) <= band;
      if (still) return;
    }
    this.box = { x: raw.x, y: raw.y, width: raw.width, height: raw.height };
    this.version++;
  }

  reset(): void {
    this.box = null;
    this.seenAt = -Infinity;
    this.version++;
  }
}

/** Area shared by the box x, y, w, h and `b`. */
function overlapOf(x: number, y: number, w: number, h: number, b: Box): number {
  const ow = Math.min(x + w, b.x + b.w) - Math.max(x, b.x);
  if (ow <= 0) return 0;
  const oh = Math.min(y + h, b.y + b.h) - Math.max(y, b.y);
  return oh <= 0 ? 0 : ow * oh;
}

function overlap(a: Box, bx: number, by: number, bw: number, bh: number): number {
  return overlapOf(a.x, a.y, a.w, a.h, { x: bx, y: by, w: bw, h: bh });
}

/** A rectangle grown by `m` on every side (by `bottom` at the bottom). */
function grow(r: Rect, m: number, bottom = m, top = m): Box {
  return { x: r.x - m, y: r.y - top, w: r.width + 2 * m, h: r.height + top + bottom };
}

const noRects: readonly Rect[] = [];

const smoothstep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** What the cost function checks a candidate against, built once per decision. */
interface Obstacles {
  /** The face with its margin, and the band of the eyes and brows (no margin). */
  face: Box | null;
  faceInner: Box | null;
  eyes: Box | null;
  /** Used for the box's current place: a slimmer margin, so a box at the edge does not flip. */
  faceStay: Box | null;
  product: Box | null;
  productInner: Box | null;
  productStay: Box | null;
  keepOut: Box[];
}

/**
 * Lays the overlays out inside the safe area, clear of the host's face, the product and one another.
 * Each overlay has preferred places (today's first); it also tries places just beside the face, the
 * product and the other overlays, and smaller sizes. A box moves only when its place has become
 * clearly worse than the best one, at most once per cooldown, and glides there; a box that finds no
 * clear place fades instead of covering the eyes. Pure: the same calls give the same answers.
 */
export class OverlayLayout {
  private readonly options: OverlayLayoutOptions;
  private readonly tracks = new Map<OverlayId, Track>();
  private readonly face = new SettledBox();
  private readonly product = new SettledBox();
  /** Output and safe area the places were made for (a change starts over). */
  private readonly frame = [0, 0, 0, 0, 0, 0];
  /** The keep-out boxes as last seen, flattened, and a version bumped when they change. */
  private readonly keepOutSeen: number[] = [];
  private keepOutVersion = 0;
  private decidedFor = { face: -1, product: -1, keepOut: -1 };
  /** The answer, reused from call to call: the frame loop allocates nothing. */
  private readonly out: { -readonly [K in keyof PlacedOverlay]: PlacedOverlay[K] }[] = [];
  private readonly pool: { -readonly [K in keyof PlacedOverlay]: PlacedOverlay[K] }[] = [];
  private decidedAt = -Infinity;

  constructor(options: Partial<OverlayLayoutOptions> = {}) {
    this.options = { ...defaultLayoutOptions, ...options };
  }

  /** Forgets every place (a new output size does this by itself). */
  reset(): void {
    this.tracks.clear();
    this.face.reset();
    this.product.reset();
    this.decidedFor = { face: -1, product: -1, keepOut: -1 };
    this.decidedAt = -Infinity;
  }

  private sameFrame(size: Size, safe: Rect): boolean {
    const f = this.frame;
    if (
      f[0] === size.width &&
      f[1] === size.height &&
      f[2] === safe.x &&
      f[3] === safe.y &&
      f[4] === safe.width &&
      f[5] === safe.height
    )
      return true;
    f[0] = size.width;
    f[1] = size.height;
    f[2] = safe.x;
    f[3] = safe.y;
    f[4] = safe.width;
    f[5] = safe.height;
    return false;
  }

  private seeKeepOut(keepOut: readonly Rect[]): void {
    const seen = this.keepOutSeen;
    let same = seen.length === keepOut.length * 4;
    for (let i = 0; same && i < keepOut.length; i++) {
      const r = keepOut[i]!;
      same =
        seen[i * 4] === r.x && seen[i * 4 + 1] === r.y && seen[i * 4 + 2] === r.width && seen[i * 4 + 3] === r.height;
    }
    if (same) return;
    seen.length = 0;
    for (const r of keepOut) seen.push(r.x, r.y, r.width, r.height);
    this.keepOutVersion++;
  }

  /**
   * Where each of `boxes` goes at time `now` (ms, monotonic), in the order given. The answer is
   * reused by the next call: copy what must be kept.
   */
  place(
    boxes: readonly OverlayBox[],
    safe: Rect,
    size: Size,
    avoid: LayoutAvoid,
    now: number,
  ): readonly PlacedOverlay[] {
    const o = this.options;
    if (!this.sameFrame(size, safe)) this.reset();
    this.face.update(avoid.face, now, o.holdMs);
    this.product.update(avoid.product, now, o.holdMs);
    const keepOut = avoid.keepOut ?? noRects;
    this.seeKeepOut(keepOut);

    // Boxes that left the scene are forgotten; a box that comes back starts at its best place.
    for (const id of this.tracks.keys()) {
      let present = false;
      for (const b of boxes) present ||= b.id === id;
      if (!present) this.tracks.delete(id);
    }

    // A moving host re-settles the face box often: look again at most every decideMs (each look
    // tries every place for every box), but at once for new or resized boxes and due retries.
    let changed =
      (this.face.version !== this.decidedFor.face ||
        this.product.version !== this.decidedFor.product ||
        this.keepOutVersion !== this.decidedFor.keepOut) &&
      now - this.decidedAt >= o.decideMs;
    for (const b of boxes) {
      const t = this.tracks.get(b.id);
      if (t === undefined || t.width !== b.width || t.height !== b.height || now >= t.retryAt) changed = true;
    }

    if (changed) {
      this.decidedFor.face = this.face.version;
      this.decidedFor.product = this.product.version;
      this.decidedFor.keepOut = this.keepOutVersion;
      this.decidedAt = now;
      this.decide(boxes, safe, size, keepOut, now);
    }

    const out = this.out;
    out.length = 0;
    for (const b of boxes) {
      const t = this.tracks.get(b.id);
      if (t === undefined) continue;
      const k = o.easeMs > 0 ? smoothstep((now - t.startAt) / o.easeMs) : 1;
      const g = t.target;
      const f = t.from;
      const dt = Math.max(0, now - t.lastAt);
      t.lastAt = Math.max(t.lastAt, now);
      const step = o.fadeMs > 0 ? dt / o.fadeMs : 1;
      t.opacity =
        t.opacity < t.opacityTarget
          ? Math.min(t.opacityTarget, t.opacity + step)
          : Math.max(t.opacityTarget, t.opacity - step);
      // Whole pixels (sprites stay sharp at rest), rounding the edges so a box inside stays inside.
      const x0 = f.x + (g.x - f.x) * k;
      const y0 = f.y + (g.y - f.y) * k;
      const x = Math.round(x0);
      const y = Math.round(y0);
      const p = (this.pool[out.length] ??= { id: b.id, x: 0, y: 0, width: 0, height: 0, opacity: 1 });
      p.id = b.id;
      p.x = x;
      p.y = y;
      p.width = Math.round(x0 + f.w + (g.w - f.w) * k) - x;
      p.height = Math.round(y0 + f.h + (g.h - f.h) * k) - y;
      p.opacity = t.opacity;
      out.push(p);
    }
    return out;
  }

  private obstacles(size: Size, keepOut: readonly Rect[]): Obstacles {
    const u = Math.min(size.width, size.height) / 1080;
    const f = this.face.box;
    const p = this.product.box;
    // Never less than a sprite's shadow reaches (24 units).
    const faceMargin = f === null ? 0 : Math.max(24 * u, 0.12 * f.height);
    const chinMargin = Math.max(24 * u, faceMargin / 3);
    // A face detector's box starts at the brows or mid-forehead: the forehead and hair above it
    // are the host's too.
    const browMargin = f === null ? 0 : Math.max(faceMargin, 0.25 * f.height);
    const productMargin = p === null ? 0 : Math.max(12 * u, 0.08 * Math.max(p.width, p.height));
    return {
      // Below the chin is the host's chest, where a box may come closer.
      face: f === null ? null : grow(f, faceMargin, chinMargin, browMargin),
      faceInner: f === null ? null : grow(f, 0),
      faceStay: f === null ? null : grow(f, faceMargin * 0.5, chinMargin * 0.5, browMargin * 0.5),
      // Brows to the bottom of the eyes: the part a box must never cover.
      eyes: f === null ? null : { x: f.x, y: f.y + f.height * 0.1, w: f.width, h: f.height * 0.5 },
      product: p === null ? null : grow(p, productMargin),
      productInner: p === null ? null : grow(p, 0),
      productStay: p === null ? null : grow(p, productMargin * 0.5),
      keepOut: keepOut.map((r) => grow(r, 8 * u)),
    };
  }

  /**
   * What covering costs at a place: the eyes, the face, the product or another box. Each overlap
   * carries a fixed cost plus its share, so any overlap is worse than any clear place.
   */
  private penalty(
    id: OverlayId,
    x: number,
    y: number,
    w: number,
    h: number,
    obs: Obstacles,
    others: readonly Box[],
    gap: number,
    staying: boolean,
  ): number {
    let cost = 0;
    const area = w * h;
    const e = obs.eyes;
    if (e !== null) {
      const a = overlapOf(x, y, w, h, e);
      if (a > 0) cost += 6 + 20 * (a / (e.w * e.h));
    }
    const face = staying ? obs.faceStay : obs.face;
    if (face !== null) {
      const a = overlapOf(x, y, w, h, face);
      if (a > 0) cost += 3 + 8 * (a / (face.w * face.h));
    }
    const product = staying ? obs.productStay : obs.product;
    if (product !== null) {
      const a = overlapOf(x, y, w, h, product);
      if (a > 0) {
        const share = a / Math.min(product.w * product.h, area);
        cost += id === 'lowerThird' ? 8 + 10 * share : 1.5 + 4 * share;
      }
    }
    for (const k of obs.keepOut) {
      const a = overlapOf(x, y, w, h, k);
      if (a > 0) cost += 10 + 10 * (a / Math.min(k.w * k.h, area));
    }
    for (const b of others) {
      const a = overlapOf(x - gap, y - gap, w + 2 * gap, h + 2 * gap, b);
      if (a > 0) cost += 10 + 10 * (a / Math.min(b.w * b.h, area));
    }
    return cost;
  }

  private decide(boxes: readonly OverlayBox[], safe: Rect, size: Size, keepOut: readonly Rect[], now: number): void {
    const rank = (a: OverlayBox, b: OverlayBox) => overlayIds.indexOf(a.id) - overlayIds.indexOf(b.id);
    const byArea = [...boxes].sort((a, b) => b.width * b.height - a.width * a.height || rank(a, b));
    const byCorner = [...boxes].sort(rank);
    const cardFirst = [...boxes].sort((a, b) => +(b.id === 'productCard') - +(a.id === 'productCard') || rank(a, b));
    // Greedy placement depends on who goes first: the largest (they have the fewest places that
    // fit), the corner boxes (they have the strongest homes), or the card and then the corners.
    // Keep the cheapest plan.
    let best: { choices: Map<OverlayId, Choice>; total: number } | undefined;
    for (const order of [byArea, byCorner, cardFirst]) {
      const plan = this.plan(order, safe, size, keepOut, now);
      if (best === undefined || plan.total < best.total - 1e-9) best = plan;
    }
    this.commit(best!, boxes, size, keepOut, now);
  }

  /** Where each box would go, in this order, and what the whole layout would cost. */
  private plan(
    order: readonly OverlayBox[],
    safe: Rect,
    size: Size,
    keepOut: readonly Rect[],
    now: number,
  ): { choices: Map<OverlayId, Choice>; total: number } {
    const o = this.options;
    const orientation = size.height > size.width ? '9:16' : '16:9';
    const u = Math.min(size.width, size.height) / 1080;
    const gap = 14 * u;
    const obs = this.obstacles(size, keepOut);
    const diag = Math.hypot(safe.width, safe.height) || 1;
    const choices = new Map<OverlayId, Choice>();
    let total = 0;
    for (const b of order) {
      // Decided in this plan, or (not yet decided) where they stand: a box never moves onto another.
      const others: Box[] = [];
      for (const other of order) {
        if (other.id === b.id) continue;
        const placed = choices.get(other.id)?.target ?? this.tracks.get(other.id)?.target;
        if (placed !== undefined) others.push(placed);
      }
      const track = this.tracks.get(b.id);
      const best = this.best(b, orientation, safe, obs, others, gap, diag);
      if (track === undefined) {
        choices.set(b.id, { target: best.target, moved: false, retryAt: Infinity });
        total += best.cost;
        continue;
      }
      let current = track.target;
      if (track.width !== b.width || track.height !== b.height) current = this.resized(current, b, safe);
      const fit = Math.min(1, safe.width / b.width, safe.height / b.height);
      const home = this.home(b, orientation, safe);
      const atHome = Math.abs(current.x - home.x) < 1 && Math.abs(current.y - home.y) < 1 && current.scale === fit;
      const currentCost =
        (atHome ? 0 : this.preference(b.id, current.x, current.y, current.w, current.h, home, diag, 0.05)) +
        scaleCost(current.scale / fit) +
        this.penalty(b.id, current.x, current.y, current.w, current.h, obs, others, gap, true);
      if (currentCost - best.cost > o.moveThreshold) {
        if (now - track.lastMoveAt >= o.cooldownMs) {
          choices.set(b.id, { target: best.target, moved: true, retryAt: Infinity });
          total += best.cost;
          continue;
        }
        choices.set(b.id, { target: current, moved: false, retryAt: track.lastMoveAt + o.cooldownMs });
      } else {
        choices.set(b.id, { target: current, moved: false, retryAt: Infinity });
      }
      total += currentCost;
    }
    return { choices, total };
  }

  private commit(
    plan: { choices: Map<OverlayId, Choice> },
    boxes: readonly OverlayBox[],
    size: Size,
    keepOut: readonly Rect[],
    now: number,
  ): void {
    const obs = this.obstacles(size, keepOut);
    for (const b of boxes) {
      const choice = plan.choices.get(b.id)!;
      let track = this.tracks.get(b.id);
      const opacity = this.opacityFor(b.id, choice.target, obs);
      if (track === undefined) {
        // A new box starts where and as it should be seen: no glide in, no fade-in over the eyes.
        track = {
          id: b.id,
          width: b.width,
          height: b.height,
          target: choice.target,
          from: { ...choice.target },
          startAt: -Infinity,
          lastMoveAt: -Infinity,
          opacity,
          opacityTarget: opacity,
          lastAt: now,
          retryAt: Infinity,
        };
        this.tracks.set(b.id, track);
        continue;
      }
      track.width = b.width;
      track.height = b.height;
      if (choice.target !== track.target) this.moveTo(track, choice.target, now);
      if (choice.moved) track.lastMoveAt = now;
      track.retryAt = choice.retryAt;
      track.opacityTarget = opacity;
    }
  }

  /** Starts a glide from where the box is drawn now. */
  private moveTo(track: Track, target: Target, now: number): void {
    const o = this.options;
    const k = o.easeMs > 0 ? smoothstep((now - track.startAt) / o.easeMs) : 1;
    const f = track.from;
    const g = track.target;
    track.from = {
      x: f.x + (g.x - f.x) * k,
      y: f.y + (g.y - f.y) * k,
      w: f.w + (g.w - f.w) * k,
      h: f.h + (g.h - f.h) * k,
    };
    track.target = target;
    track.startAt = now;
  }

  /** The same place for a box whose size changed: its anchored corner stays put. */
  private resized(t: Target, b: OverlayBox, safe: Rect): Target {
    const scale = Math.min(t.scale, safe.width / b.width, safe.height / b.height);
    const w = b.width * scale;
    const h = b.height * scale;
    const x = clamp(t.x + t.ax * (t.w - w), safe.x, safe.x + safe.width - w);
    const y = clamp(t.y + t.ay * (t.h - h), safe.y, safe.y + safe.height - h);
    return { x, y, w, h, scale, ax: t.ax, ay: t.ay };
  }

  private home(b: OverlayBox, orientation: '16:9' | '9:16', safe: Rect): Box {
    const s = slots[orientation][b.id][0]!;
    const scale = Math.min(1, safe.width / b.width, safe.height / b.height);
    return slotBox(s, safe, b.width * scale, b.height * scale);
  }

  /** Distance from the preferred place, in cost units (a safe-area diagonal costs 0.3; 0.8 for the boxes that belong in a corner). */
  private preference(
    id: OverlayId,
    x: number,
    y: number,
    w: number,
    h: number,
    home: Box,
    diag: number,
    base: number,
  ): number {
    const dx = x + w / 2 - (home.x + home.w / 2);
    const dy = y + h / 2 - (home.y + home.h / 2);
    const d = Math.sqrt(dx * dx + dy * dy);
    // A name strip belongs at the bottom (or, failing that, the top), not across the middle.
    const weight = id === 'lowerThird' || id === 'qr' ? 0.8 : 0.3;
    return d < 1 ? 0 : base + (weight * d) / diag;
  }

  private best(
    b: OverlayBox,
    orientation: '16:9' | '9:16',
    safe: Rect,
    obs: Obstacles,
    others: readonly Box[],
    gap: number,
    diag: number,
  ): { target: Target; cost: number } {
    const fit = Math.min(1, safe.width / b.width, safe.height / b.height);
    const list = slots[orientation][b.id];
    const home = this.home(b, orientation, safe);
    const right = safe.x + safe.width;
    const bottom = safe.y + safe.height;
    let bestCost = Infinity;
    const best: Target = { x: 0, y: 0, w: 0, h: 0, scale: 1, ax: 0, ay: 0 };
    // Cheapest first: the preference and the shrink are known before any overlap is measured,
    // so most places are dismissed without measuring.
    const consider = (
      x0: number,
      y0: number,
      w: number,
      h: number,
      scale: number,
      slot: number,
      ax: number,
      ay: number,
    ) => {
      const x = clamp(x0, safe.x, right - w);
      const y = clamp(y0, safe.y, bottom - h);
      const pref =
        slot === 0 && scale === fit ? 0 : this.preference(b.id, x, y, w, h, home, diag, slot < 0 ? 0.05 : 0.02 * slot);
      const base = pref + scaleCost(scale / fit);
      if (base >= bestCost - 1e-9) return;
      const cost = base + this.penalty(b.id, x, y, w, h, obs, others, gap, false);
      if (cost >= bestCost - 1e-9) return;
      bestCost = cost;
      best.x = x;
      best.y = y;
      best.w = w;
      best.h = h;
      best.scale = scale;
      best.ax = ax;
      best.ay = ay;
    };
    const xs: number[] = [];
    const ys: number[] = [];
    for (const s0 of this.options.scales) {
      // Nothing smaller can beat what was found: shrinking alone costs more.
      if (scaleCost(s0) >= bestCost) break;
      const scale = s0 * fit;
      const w = b.width * scale;
      const h = b.height * scale;
      list.forEach((s, i) => {
        const r = slotBox(s, safe, w, h);
        consider(r.x, r.y, w, h, scale, i, s.fx, s.top === true ? 0 : s.fy);
      });
      // Places right beside what is in the way: the gaps between face, product and boxes.
      xs.length = 0;
      ys.length = 0;
      xs.push(safe.x, safe.x + (safe.width - w) / 2, right - w);
      ys.push(safe.y, safe.y + (safe.height - h) / 2, bottom - h);
      const add = (r: Box | null, pad: number) => {
        if (r === null) return;
        xs.push(r.x - pad - w - 1, r.x + r.w + pad + 1);
        ys.push(r.y - pad - h - 1, r.y + r.h + pad + 1);
      };
      add(obs.face, 0);
      add(obs.product, 0);
      for (const r of obs.keepOut) add(r, 0);
      for (const r of others) add(r, gap);
      const ax = list[0]!.fx;
      const ay = list[0]!.top === true ? 0 : list[0]!.fy;
      for (const x of xs) {
        if (x < safe.x - 0.5 || x > right - w + 0.5) continue;
        for (const y of ys) {
          if (y < safe.y - 0.5 || y > bottom - h + 0.5) continue;
          consider(x, y, w, h, scale, -1, ax, ay);
        }
      }
    }
    return { target: { ...best }, cost: bestCost };
  }

  private opacityFor(id: OverlayId, t: Box, obs: Obstacles): number {
    const o = this.options;
    const e = obs.eyes;
    if (e !== null && overlap(t, e.x, e.y, e.w, e.h) > 0) return o.coveringOpacity;
    const p = obs.productInner;
    if (id === 'lowerThird' && p !== null && overlap(t, p.x, p.y, p.w, p.h) > 0) return o.coveringOpacity;
    const f = obs.faceInner;
    if (f !== null && overlap(t, f.x, f.y, f.w, f.h) > 0) return o.faceOpacity;
    return 1;
  }
}

/** What shrinking costs: to 85 % as much as a move across a third of the picture. */
function scaleCost(scale: number): number {
  return 0.8 * (1 - scale);
}

function clamp(v: number, lo: number, hi: number): number {
  return hi < lo ? lo : v < lo ? lo : v > hi ? hi : v;
}

function slotBox(s: Slot, safe: Rect, w: number, h: number): Box {
  const x = safe.x + s.fx * (safe.width - w);
  const y = s.top === true ? safe.y + s.fy * safe.height : safe.y + s.fy * (safe.height - h);
  return { x: clamp(x, safe.x, safe.x + safe.width - w), y: clamp(y, safe.y, safe.y + safe.height - h), w, h };
}

/** Where an overlay of this size sits with nothing in the way (its first preferred place). */
export function homePlace(
  id: OverlayId,
  width: number,
  height: number,
  safe: Rect,
  size: Size,
): { x: number; y: number } {
  const s = slots[size.height > size.width ? '9:16' : '16:9'][id][0]!;
  const b = slotBox(s, safe, width, height);
  return { x: b.x, y: b.y };
}
