import { describe, expect, it } from 'vitest';

import type { Rect } from '../../shared/compositor/safe-areas';
import { contains, safeArea } from '../../shared/compositor/safe-areas';
import { emptyScene } from '../../shared/compositor/scene';
import type { Fen } from '../../shared/money';
import type { OverlayTexts } from './overlay-draw';
import { countdownText, drawOverlays } from './overlay-draw';

/** A 2D context that records text and measures it as full-width CJK (1 em per character). */
function recordingContext() {
  const texts: { text: string; x: number; y: number; font: string }[] = [];
  const ctx = {
    font: '',
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    textAlign: 'left',
    textBaseline: 'alphabetic',
    shadowColor: '',
    shadowBlur: 0,
    clearRect() {},
    beginPath() {},
    roundRect() {},
    fill() {},
    stroke() {},
    fillRect() {},
    setLineDash() {},
    measureText(text: string) {
      const px = Number(/(\d+)px/.exec(this.font)?.[1] ?? 10);
      return { width: [...text].length * px };
    },
    fillText(text: string, x: number, y: number) {
      texts.push({ text, x, y, font: this.font });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, texts };
}

const texts: OverlayTexts = { origin: '产地：', per: '每', couponEnds: '距结束', couponEnded: '已结束', scan: '扫码' };

function fullScene() {
  const scene = emptyScene('9:16');
  scene.overlays = {
    productCard: {
      visible: true,
      name: '赣南脐橙',
      priceFen: 3990 as Fen,
      unit: '5斤',
      origin: '江西赣州',
      certifications: ['地理标志', '绿色食品', '有机'],
      story: '果园直发，现摘现发',
    },
    priceTag: { visible: true, priceFen: 3990 as Fen, unit: '箱' },
    lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
    qr: { visible: true, url: 'https://shop.example.com/item/123', caption: '' },
    coupon: { visible: true, text: '满99减20', endsAt: 1_000_000 + 125_000 },
  };
  return scene;
}

describe('overlays', () => {
  for (const size of [
    { width: 1080, height: 1920 },
    { width: 1920, height: 1080 },
    { width: 1280, height: 720 },
  ]) {
    it(`keep every box inside the platform safe area at ${size.width}×${size.height}`, () => {
      const orientation = size.height > size.width ? '9:16' : '16:9';
      const safe = safeArea(size, orientation);
      const { ctx, texts: drawn } = recordingContext();
      const regions: Rect[] = [];
      drawOverlays(ctx, fullScene(), safe, size, texts, 1_000_000, regions);
      expect(regions).toHaveLength(5);
      // Regions include a shadow margin; the boxes themselves are inside the safe area.
      const u = Math.min(size.width, size.height) / 1080;
      for (const r of regions) {
        const m = 24 * u;
        const box = { x: r.x + m, y: r.y + m, width: r.width - 2 * m, height: r.height - 2 * m };
        expect(contains(safe, box), JSON.stringify({ box, safe })).toBe(true);
      }
      const all = drawn.map((t) => t.text);
      // Price per unit with formatFen, origin, badges, story, coupon countdown, QR caption.
      expect(all).toEqual(
        expect.arrayContaining([
          '赣南脐橙',
          '¥39.90',
          '/5斤',
          '产地：江西赣州',
          '地理标志',
          '绿色食品',
          '有机',
          '每箱',
          '距结束 02:05',
          '扫码',
        ]),
      );
    });
  }

  it('counts down and says when a coupon has ended', () => {
    expect(countdownText(10_000 + 59_500, 10_000)).toBe('01:00');
    expect(countdownText(3_600_000 + 61_000, 0)).toBe('1:01:01');
    expect(countdownText(5, 10)).toBeUndefined();
  });
});
