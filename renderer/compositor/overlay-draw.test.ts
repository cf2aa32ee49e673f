import { describe, expect, it } from 'vitest';

import { homePlace } from '../../shared/compositor/overlay-layout';
import type { Rect } from '../../shared/compositor/safe-areas';
import { contains, safeArea } from '../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../shared/compositor/scene';
import { emptyScene } from '../../shared/compositor/scene';
import { orangeOverlays } from '../../test/support/compositor/overlays';
import type { OverlayTexts } from './overlay-draw';
import { countdownText, drawOverlays, OverlaySprites, spriteDestination } from './overlay-draw';

interface Drawn {
  text: string;
  x: number;
  y: number;
  font: string;
}

/**
 * A 2D context that records text (in output px, through translate/setTransform) and measures it
 * as full-width CJK (1 em per character).
 */
function recordingContext(texts: Drawn[] = []) {
  let m = { a: 1, d: 1, e: 0, f: 0 };
  const stack: (typeof m)[] = [];
  const ctx = {
    font: '',
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    textAlign: 'left',
    textBaseline: 'alphabetic',
    shadowColor: '',
    shadowBlur: 0,
    fillRects: 0,
    clearRect() {},
    beginPath() {},
    roundRect() {},
    fill() {},
    stroke() {},
    fillRect() {
      this.fillRects++;
    },
    setLineDash() {},
    save() {
      stack.push({ ...m });
    },
    restore() {
      m = stack.pop() ?? m;
    },
    translate(x: number, y: number) {
      m = { ...m, e: m.e + m.a * x, f: m.f + m.d * y };
    },
    setTransform(a: number, _b: number, _c: number, d: number, e: number, f: number) {
      m = { a, d, e, f };
    },
    getTransform() {
      return { ...m, b: 0, c: 0 };
    },
    measureText(text: string) {
      const px = Number(/(\d+)px/.exec(this.font)?.[1] ?? 10);
      return { width: [...text].length * px };
    },
    fillText(text: string, x: number, y: number) {
      texts.push({ text, x: m.e + m.a * x, y: m.f + m.d * y, font: this.font });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D & { fillRects: number }, texts };
}

/** Canvases for OverlaySprites in Node: each records what is drawn into it. */
function fakeCanvases() {
  const made: { canvas: HTMLCanvasElement; texts: Drawn[] }[] = [];
  const create = () => {
    const texts: Drawn[] = [];
    const { ctx } = recordingContext(texts);
    const canvas = { width: 300, height: 150, getContext: () => ctx } as unknown as HTMLCanvasElement;
    made.push({ canvas, texts });
    return canvas;
  };
  const textsOf = (canvas: HTMLCanvasElement) => made.find((c) => c.canvas === canvas)!.texts;
  return { create, textsOf, made };
}

const texts: OverlayTexts = { origin: '产地：', per: '每', couponEnds: '距结束', couponEnded: '已结束', scan: '扫码' };

function fullScene(orientation: '16:9' | '9:16' = '9:16') {
  const scene = emptyScene(orientation);
  scene.overlays = orangeOverlays({ couponEndsAt: 1_000_000 + 125_000 });
  return scene;
}

const count = (all: string[], s: string) => all.filter((t) => t === s).length;

describe('overlays', () => {
  for (const size of [
    { width: 1080, height: 1920 },
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    it(`fit inside the platform safe area at their usual places at ${size.width}×${size.height}`, () => {
      const orientation = size.height > size.width ? '9:16' : '16:9';
      const safe = safeArea(size, orientation);
      const canvases = fakeCanvases();
      const sprites = new OverlaySprites(1, canvases.create);
      sprites.update(fullScene(), size, texts, 1_000_000);
      expect(sprites.sprites).toHaveLength(5);
      const all: string[] = [];
      for (const s of sprites.sprites) {
        const at = homePlace(s.id, s.width, s.height, safe, size);
        const box = { x: at.x, y: at.y, width: s.width, height: s.height };
        expect(contains(safe, box), JSON.stringify({ id: s.id, box, safe })).toBe(true);
        all.push(...canvases.textsOf(s.canvas).map((t) => t.text));
      }
      // Price per unit with formatFen, origin, badges, story, coupon countdown, QR caption.
      expect(all).toEqual(
        expect.arrayContaining([
          '赣南脐橙',
          '¥39.90',
          '产地：江西赣州',
          '地理标志',
          '绿色食品',
          '有机',
          '每5斤',
          '距结束 02:05',
          '扫码',
        ]),
      );
    });
  }

  it('shows the price once: on the tag when the tag is on, on the card otherwise', () => {
    const size = { width: 1080, height: 1920 };
    const shown = (scene: CompositorScene) => {
      const canvases = fakeCanvases();
      const sprites = new OverlaySprites(1, canvases.create);
      sprites.update(scene, size, texts, 1_000_000);
      return sprites.sprites.flatMap((s) => canvases.textsOf(s.canvas).map((t) => t.text));
    };
    const withTag = shown(fullScene());
    expect(count(withTag, '¥39.90')).toBe(1);
    expect(withTag).toContain('每5斤');
    expect(withTag).not.toContain('/5斤');

    const scene = fullScene();
    scene.overlays.priceTag.visible = false;
    const onCard = shown(scene);
    expect(count(onCard, '¥39.90')).toBe(1);
    expect(onCard).toContain('/5斤');
  });

  it('draws the preset preview: every overlay at its usual place in one canvas', () => {
    const size = { width: 1080, height: 1920 };
    const safe = safeArea(size, '9:16');
    const { ctx, texts: drawn } = recordingContext();
    const regions: Rect[] = [];
    drawOverlays(ctx, fullScene(), safe, size, texts, 1_000_000, regions);
    expect(regions).toHaveLength(5);
    for (const r of regions) {
      const box = { x: r.x + 24, y: r.y + 24, width: r.width - 48, height: r.height - 48 };
      expect(contains(safe, box), JSON.stringify({ box, safe })).toBe(true);
    }
    // Every text lands inside its region.
    for (const t of drawn) {
      expect(
        regions.some((r) => t.x >= r.x && t.x <= r.x + r.width && t.y >= r.y && t.y <= r.y + r.height),
        t.text,
      ).toBe(true);
    }
    expect(
      count(
        drawn.map((t) => t.text),
        '¥39.90',
      ),
    ).toBe(1);
  });

  it('counts down and says when a coupon has ended', () => {
    expect(countdownText(10_000 + 59_500, 10_000)).toBe('01:00');
    expect(countdownText(3_600_000 + 61_000, 0)).toBe('1:01:01');
    expect(countdownText(5, 10)).toBeUndefined();
  });
});

describe('overlay sprites', () => {
  const size = { width: 1080, height: 1920 };

  function sprites(pixelScale = 1) {
    const canvases = fakeCanvases();
    const s = new OverlaySprites(pixelScale, canvases.create);
    return { s, canvases };
  }

  const versions = (s: OverlaySprites) => Object.fromEntries(s.sprites.map((x) => [x.id, x.version]));

  it('draws each visible overlay once into its own canvas, box plus margin at the pixel scale', () => {
    const { s, canvases } = sprites(1.5);
    expect(s.update(fullScene(), size, texts, 1_000_000)).toBe(true);
    expect(s.sprites.map((x) => x.id)).toEqual(['lowerThird', 'productCard', 'priceTag', 'qr', 'coupon']);
    for (const sprite of s.sprites) {
      expect(sprite.version).toBe(1);
      expect(sprite.margin).toBe(24);
      expect(sprite.canvas.width).toBe(Math.ceil((sprite.width + 48) * 1.5));
      expect(sprite.canvas.height).toBe(Math.ceil((sprite.height + 48) * 1.5));
      // Text is drawn inside the box, offset by the margin, at the pixel scale.
      for (const t of canvases.textsOf(sprite.canvas)) {
        expect(t.x).toBeGreaterThanOrEqual(24 * 1.5);
        expect(t.x).toBeLessThanOrEqual((24 + sprite.width) * 1.5);
        expect(t.y).toBeGreaterThanOrEqual(24 * 1.5);
        expect(t.y).toBeLessThanOrEqual((24 + sprite.height) * 1.5);
      }
    }
    const card = s.sprites.find((x) => x.id === 'productCard')!;
    const cardTexts = canvases.textsOf(card.canvas).map((t) => t.text);
    expect(cardTexts).toContain('赣南脐橙');
    expect(cardTexts).not.toContain('¥39.90');
  });

  it('redraws nothing when nothing changed, only the coupon when its second ticks', () => {
    const { s } = sprites();
    const scene = fullScene();
    s.update(scene, size, texts, 1_000_000);
    const before = versions(s);
    expect(s.update(scene, size, texts, 1_000_100)).toBe(false);
    expect(s.update(scene, size, texts, 1_000_900)).toBe(false);
    expect(versions(s)).toEqual(before);
    // 02:05 → 02:04
    expect(s.update(scene, size, texts, 1_001_100)).toBe(true);
    expect(versions(s)).toEqual({ ...before, coupon: before.coupon! + 1 });
  });

  it('redraws only the sprites whose content changed in a new scene', () => {
    const { s, canvases } = sprites();
    s.update(fullScene(), size, texts, 1_000_000);
    const before = versions(s);
    const next = fullScene();
    next.overlays.lowerThird = { visible: true, name: '王芳', title: '' };
    expect(s.update(next, size, texts, 1_000_000)).toBe(true);
    expect(versions(s)).toEqual({ ...before, lowerThird: before.lowerThird! + 1 });
    // Without a title the lower third is only the name bar.
    const third = s.sprites.find((x) => x.id === 'lowerThird')!;
    expect(third.height).toBe(Math.round(118 * 0.58));
    expect(canvases.textsOf(third.canvas).map((t) => t.text)).toContain('王芳');

    // Turning the tag off puts the price on the card: the card redraws, the tag goes.
    const noTag: CompositorScene = structuredClone(next);
    noTag.overlays.priceTag.visible = false;
    expect(s.update(noTag, size, texts, 1_000_000)).toBe(true);
    expect(s.sprites.map((x) => x.id)).toEqual(['lowerThird', 'productCard', 'qr', 'coupon']);
    const card = s.sprites.find((x) => x.id === 'productCard')!;
    expect(card.version).toBe(before.productCard! + 1);
    expect(canvases.textsOf(card.canvas).map((t) => t.text)).toContain('¥39.90');

    // The tag comes back in its old canvas, not redrawn (renderers keep its texture).
    const tagBefore = {
      canvas: canvases.made.find((c) => c.texts.some((t) => t.text === '¥39.90' && t.font.includes('900')))!.canvas,
    };
    expect(s.update(next, size, texts, 1_000_000)).toBe(true);
    const tag = s.sprites.find((x) => x.id === 'priceTag')!;
    expect(tag.canvas).toBe(tagBefore.canvas);
    expect(tag.version).toBe(before.priceTag);
  });

  it('redraws everything when fonts change or the texts change', () => {
    const { s } = sprites();
    const scene = fullScene();
    s.update(scene, size, texts, 1_000_000);
    s.invalidate();
    expect(s.update(scene, size, texts, 1_000_000)).toBe(true);
    expect(Object.values(versions(s))).toEqual([2, 2, 2, 2, 2]);
    const en = { ...texts, scan: 'Scan', per: 'per ' };
    expect(s.update(scene, size, en, 1_000_000)).toBe(true);
    const v = versions(s);
    // Only the sprites that show those strings.
    expect(v.qr).toBe(3);
    expect(v.priceTag).toBe(3);
    expect(v.productCard).toBe(2);
  });

  it('draws the QR modules on whole device pixels', () => {
    let rects: number[][] = [];
    const ctxRects = () => {
      const { ctx } = recordingContext();
      (ctx as unknown as { fillRect: (...a: number[]) => void }).fillRect = (...a: number[]) => rects.push(a);
      return ctx;
    };
    const s = new OverlaySprites(1.25, () => {
      const ctx = ctxRects();
      return { width: 0, height: 0, getContext: () => ctx } as unknown as HTMLCanvasElement;
    });
    rects = [];
    s.update(fullScene('16:9'), { width: 1280, height: 720 }, texts, 1_000_000);
    expect(rects.length).toBeGreaterThan(100);
    for (const r of rects) for (const v of r) expect(Number.isInteger(v)).toBe(true);
    // No gaps or overlaps between modules: widths are 1 or 2 apart at most across the code.
    const widths = new Set(rects.map((r) => r[2]));
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
  });

  it('scales the destination with a shrunk box', () => {
    const sprite = { width: 200, height: 100, margin: 20 } as Parameters<typeof spriteDestination>[0];
    expect(spriteDestination(sprite, { x: 50, y: 60, width: 200, height: 100 })).toEqual({
      x: 30,
      y: 40,
      width: 240,
      height: 140,
    });
    expect(spriteDestination(sprite, { x: 50, y: 60, width: 100, height: 50 })).toEqual({
      x: 40,
      y: 50,
      width: 120,
      height: 70,
    });
  });
});
