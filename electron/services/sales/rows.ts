import { StudioError } from '../../../shared/api/result';
import type { Product, Sale, SaleSource, SalesPlatform, SaleStatus, Segment, Show } from '../../../shared/api/sales';
import { salesPlatformSchema } from '../../../shared/api/sales';
import type { Fen } from '../../../shared/money';

// Rows of the sales tables as SQLite returns them, and their API shapes: shared by the
// repositories (sales-db.ts, catalog.ts, analytics-repo.ts).

export interface SaleRow {
  id: number;
  show_id: string | null;
  segment_id: string | null;
  product_id: string | null;
  product_title: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  platform: string | null;
  source: SaleSource;
  external_order_id: string | null;
  ordered_at: number;
  entered_at: number;
  status: SaleStatus;
  off_air: number;
  attribution: 'live' | 'grace' | 'none';
  note: string;
}

export interface ProductRow {
  id: string;
  name: string;
  sku: string;
  unit: string;
  price_fen: number;
  origin: string;
  certifications: string;
  shop_links: string;
  archived: number;
  created_at: number;
  updated_at: number;
}

export interface ShowRow {
  id: string;
  title: string;
  platforms: string;
  hosts: string;
  planned_start: number | null;
  time_zone: string;
  created_at: number;
}

export interface SegmentRow {
  id: string;
  show_id: string;
  product_id: string | null;
  host: string;
  guest: string | null;
  preset_id: string | null;
  started_at: number;
  ended_at: number | null;
}

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function platformOrNull(value: string | null): SalesPlatform | null {
  const parsed = salesPlatformSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function toSale(row: SaleRow): Sale {
  return {
    id: row.id,
    showId: row.show_id,
    segmentId: row.segment_id,
    productId: row.product_id,
    productTitle: row.product_title,
    quantity: row.quantity,
    unitPriceFen: row.unit_price_fen as Fen,
    amountFen: row.amount_fen as Fen,
    platform: platformOrNull(row.platform),
    source: row.source,
    externalOrderId: row.external_order_id,
    orderedAt: row.ordered_at,
    enteredAt: row.entered_at,
    status: row.status,
    isOffAir: row.off_air === 1,
    attribution: row.attribution,
    note: row.note,
  };
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    sku: row.sku,
    unit: row.unit,
    priceFen: row.price_fen as Fen,
    origin: row.origin,
    certifications: parseJson<string[]>(row.certifications, []),
    shopLinks: parseJson<Partial<Record<SalesPlatform, string>>>(row.shop_links, {}),
    isArchived: row.archived === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toShow(row: ShowRow): Show {
  return {
    id: row.id,
    title: row.title,
    platforms: parseJson<SalesPlatform[]>(row.platforms, []),
    hosts: parseJson<string[]>(row.hosts, []),
    plannedStart: row.planned_start,
    timeZone: row.time_zone,
    createdAt: row.created_at,
  };
}

export function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    showId: row.show_id,
    productId: row.product_id,
    host: row.host,
    guest: row.guest,
    presetId: row.preset_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

export function notFound(what: string, id: string | number): StudioError {
  return new StudioError('sales/not-found', `No ${what} ${id}.`, { params: { what, id: String(id) } });
}
