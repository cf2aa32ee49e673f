import QRCode from 'qrcode';

import type { Rect } from '../../shared/compositor/safe-areas';
import type { CompositorScene } from '../../shared/compositor/scene';
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

/**
 * Draws every visible overlay of `scene` inside `safe` (output pixels). Called only when something
 * changed (scene, theme, countdown second, font), never per frame.
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
  // One unit that scales with the output: 1080p → 1, 720p → 0.67, 9:16 1080 wide → 1.
  const u = Math.min(size.width, size.height) / 1080;
  // Shadows reach a little outside each box.
  const mark = (x: number, y: number, w: number, h: number) => {
    const m = 24 * u;
    regions.push({ x: x - m, y: y - m, width: w + 2 * m, height: h + 2 * m });
  };
  const o = scene.overlays;
  const p = palettes[scene.theme];
  const portrait = size.height > size.width;
  const font = (weight: number, px: number) => `${weight} ${Math.round(px * u)}px ${overlayFontFamily}`;
  ctx.textBaseline = 'alphabetic';
  ctx.shadowColor = 'rgba(0,0,0,0.25)';

  // Lower third: bottom-left of the safe area.
  if (o.lowerThird.visible && o.lowerThird.name !== '') {
    const hasTitle = o.lowerThird.title.trim() !== '';
    const nameH = 118 * 0.58 * u;
    // Without a title only the name bar is drawn: an empty title strip looks like a glitch.
    const h = hasTitle ? 118 * u : nameH;
    // Portrait: leave the right of the bottom row to the QR code.
    const w = Math.min(safe.width * (portrait ? 0.58 : 0.45), 760 * u);
    const x = safe.x;
    const y = safe.y + safe.height - h;
    mark(x, y, w, h);
    ctx.shadowBlur = 12 * u;
    ctx.fillStyle = p.accent;
    roundRect(ctx, x, y, w, nameH, 10 * u);
    ctx.fill();
    ctx.shadowBlur = 0;
    ctx.fillStyle = p.accentText;
    ctx.font = font(700, 44);
    ctx.fillText(fit(ctx, o.lowerThird.name, w - 40 * u), x + 22 * u, y + nameH * (0.45 / 0.58));
    if (hasTitle) {
      ctx.fillStyle = p.panel;
      roundRect(ctx, x, y + nameH, w * 0.85, h - nameH, 8 * u);
      ctx.fill();
      ctx.fillStyle = p.panelText;
      ctx.font = font(500, 28);
      ctx.fillText(fit(ctx, o.lowerThird.title, w * 0.85 - 40 * u), x + 22 * u, y + h * 0.9);
    }
  }

  // Product card: top-left (16:9) or top (9:16).
  if (o.productCard.visible && o.productCard.name !== '') {
    const c = o.productCard;
    const w = portrait ? safe.width : Math.min(620 * u, safe.width * 0.4);
    const x = safe.x;
    const y = safe.y;
    const h = (c.story === '' ? 250 : 300) * u;
    mark(x, y, w, h);
    ctx.shadowBlur = 16 * u;
    ctx.fillStyle = p.panel;
    roundRect(ctx, x, y, w, h, 18 * u);
    ctx.fill();
    ctx.shadowBlur = 0;
    ctx.fillStyle = p.accent;
    roundRect(ctx, x, y, 14 * u, h, 7 * u);
    ctx.fill();
    const pad = 34 * u;
    ctx.fillStyle = p.panelText;
    ctx.font = font(800, 52);
    ctx.fillText(fit(ctx, c.name, w - pad * 2), x + pad, y + 72 * u);
    ctx.fillStyle = p.price;
    ctx.font = font(800, 56);
    const price = formatFen(c.priceFen);
    ctx.fillText(price, x + pad, y + 142 * u);
    const priceWidth = ctx.measureText(price).width;
    if (c.unit !== '') {
      ctx.fillStyle = p.muted;
      ctx.font = font(500, 30);
      ctx.fillText(`/${c.unit}`, x + pad + priceWidth + 8 * u, y + 142 * u);
    }
    ctx.fillStyle = p.muted;
    ctx.font = font(500, 28);
    let line = y + 190 * u;
    if (c.origin !== '') ctx.fillText(fit(ctx, `${texts.origin}${c.origin}`, w - pad * 2), x + pad, line);
    // Certification badges (地理标志, 绿色食品, 有机…) as pills after the origin line.
    line += 46 * u;
    let bx = x + pad;
    ctx.font = font(700, 24);
    for (const cert of c.certifications) {
      const tw = ctx.measureText(cert).width + 26 * u;
      if (bx + tw > x + w - pad) break;
      ctx.fillStyle = p.badge;
      roundRect(ctx, bx, line - 30 * u, tw, 40 * u, 20 * u);
      ctx.fill();
      ctx.fillStyle = '#ffffff';
      ctx.fillText(cert, bx + 13 * u, line - 1 * u);
      bx += tw + 10 * u;
    }
    if (c.story !== '') {
      ctx.fillStyle = p.panelText;
      ctx.font = font(500, 26);
      ctx.fillText(fit(ctx, c.story, w - pad * 2), x + pad, y + h - 28 * u);
    }
  }

  // Price tag: a bold burst at the right of the safe area, mid height.
  if (o.priceTag.visible) {
    const text = formatFen(o.priceTag.priceFen);
    ctx.font = font(900, 76);
    const tw = ctx.measureText(text).width;
    const w = tw + 70 * u;
    const h = 150 * u;
    // 16:9: right, a third down. 9:16: left, under the coupon (the right holds the guest's picture).
    const x = portrait ? safe.x : safe.x + safe.width - w;
    const y = portrait ? safe.y + 500 * u : safe.y + safe.height * 0.3;
    mark(x, y, w, h);
    ctx.shadowBlur = 18 * u;
    ctx.fillStyle = p.price;
    roundRect(ctx, x, y, w, h, 24 * u);
    ctx.fill();
    ctx.shadowBlur = 0;
    ctx.fillStyle = '#ffffff';
    ctx.fillText(text, x + 35 * u, y + 92 * u);
    if (o.priceTag.unit !== '') {
      ctx.font = font(600, 28);
      ctx.fillText(`${texts.per}${o.priceTag.unit}`, x + 35 * u, y + 132 * u);
    }
  }

  // QR code to the shop: bottom-right of the safe area, on white with a quiet zone.
  const qr = o.qr.visible ? qrModules(o.qr.url) : undefined;
  if (qr !== undefined) {
    const box = (portrait ? 260 : 240) * u;
    // The white card reaches 12 units left/right/up of the code and 56 below it (the caption).
    const x = safe.x + safe.width - box - 12 * u;
    const y = safe.y + safe.height - box - 56 * u;
    mark(x - 12 * u, y - 12 * u, box + 24 * u, box + 68 * u);
    ctx.fillStyle = '#ffffff';
    roundRect(ctx, x - 12 * u, y - 12 * u, box + 24 * u, box + 68 * u, 14 * u);
    ctx.fill();
    const cell = box / (qr.size + 2);
    ctx.fillStyle = '#000000';
    for (let r = 0; r < qr.size; r++) {
      for (let c = 0; c < qr.size; c++) {
        // Whole pixels per module so the code stays sharp and scannable.
        if (qr.get(c, r))
          ctx.fillRect(
            Math.round(x + (c + 1) * cell),
            Math.round(y + (r + 1) * cell),
            Math.ceil(cell),
            Math.ceil(cell),
          );
      }
    }
    ctx.fillStyle = p.panelText;
    ctx.font = font(700, 26);
    const caption = o.qr.caption === '' ? texts.scan : o.qr.caption;
    ctx.textAlign = 'center';
    ctx.fillText(fit(ctx, caption, box), x + box / 2, y + box + 40 * u);
    ctx.textAlign = 'left';
  }

  // Coupon countdown: top-right (16:9) or under the card (9:16).
  if (o.coupon.visible && o.coupon.text !== '') {
    const left = o.coupon.endsAt === null ? undefined : countdownText(o.coupon.endsAt, now);
    const timer =
      o.coupon.endsAt === null ? '' : left === undefined ? texts.couponEnded : `${texts.couponEnds} ${left}`;
    const w = Math.min(520 * u, safe.width);
    const h = (timer === '' ? 90 : 140) * u;
    const x = portrait ? safe.x : safe.x + safe.width - w;
    const y = portrait ? safe.y + 330 * u : safe.y;
    mark(x, y, w, h);
    ctx.shadowBlur = 14 * u;
    ctx.fillStyle = p.accent;
    roundRect(ctx, x, y, w, h, 16 * u);
    ctx.fill();
    ctx.shadowBlur = 0;
    ctx.setLineDash([10 * u, 8 * u]);
    ctx.strokeStyle = p.accentText;
    ctx.lineWidth = 3 * u;
    roundRect(ctx, x + 10 * u, y + 10 * u, w - 20 * u, h - 20 * u, 10 * u);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = p.accentText;
    ctx.font = font(800, 40);
    ctx.fillText(fit(ctx, o.coupon.text, w - 60 * u), x + 30 * u, y + 62 * u);
    if (timer !== '') {
      ctx.font = font(700, 34);
      ctx.fillText(timer, x + 30 * u, y + 112 * u);
    }
  }
}
