import type { CompositorScene } from '../../../shared/compositor/scene';
import type { Fen } from '../../../shared/money';

export interface OrangeOverlayOptions {
  /** When the coupon's countdown ends (epoch ms), or null for none. */
  couponEndsAt: number | null;
  /** The price tag's unit (the card always says 5斤). */
  priceUnit?: string;
  /** The QR code's caption. */
  qrCaption?: string;
  /** A short card: one certification and no story. */
  shortCard?: boolean;
}

/** Every overlay on, for the sample oranges: the card, price tag, lower third, QR code and coupon. */
export function orangeOverlays(options: OrangeOverlayOptions): CompositorScene['overlays'] {
  const { couponEndsAt, priceUnit = '5斤', qrCaption = '', shortCard = false } = options;
  return {
    productCard: {
      visible: true,
      name: '赣南脐橙',
      priceFen: 3990 as Fen,
      unit: '5斤',
      origin: '江西赣州',
      certifications: shortCard ? ['地理标志'] : ['地理标志', '绿色食品', '有机'],
      story: shortCard ? '' : '果园直发，现摘现发',
    },
    priceTag: { visible: true, priceFen: 3990 as Fen, unit: priceUnit },
    lowerThird: { visible: true, name: '李明', title: '赣州市商务局副局长' },
    qr: { visible: true, url: 'https://shop.example.com/item/123', caption: qrCaption },
    coupon: { visible: true, text: '满99减20', endsAt: couponEndsAt },
  };
}
