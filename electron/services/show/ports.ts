/**
 * What the show domain needs from the OBS, sales and asset services, and nothing more. The
 * composition root passes the real services (or adapters); tests pass fakes.
 */
import type { z } from 'zod';

import type { Product, productInputSchema } from '../../../shared/api/sales';

/** The OBS service as live mode uses it. */
export interface ShowObsPort {
  switchProgramScene(name: string): Promise<void>;
  /** Creates or updates, idempotently, the scenes presets are bound to. */
  provision(sceneNames: string[]): Promise<unknown>;
  isConnected(): boolean;
  /** Returns the unsubscribe function. */
  onStateChange(listener: (state: { connection: { status: string } }) => void): () => void;
}

/** A product as the sales store keeps it (the contract's `Product`, the fields the show domain reads). */
export type SalesProductLike = Pick<
  Product,
  'id' | 'name' | 'sku' | 'unit' | 'priceFen' | 'origin' | 'certifications' | 'shopLinks'
>;

/** What the sales store needs to create a product from a show package (`products:save`'s input, parsed). */
export type SalesProductInput = Omit<z.output<typeof productInputSchema>, 'id'>;

/** The sales store as live mode and packages use it. */
export interface ShowSalesPort {
  createShow(input: {
    title: string;
    platforms: string[];
    hosts: string[];
    plannedStart: number | null;
    timeZone: string;
  }): Promise<{ id: string }>;
  /** Opens a segment; the store ends the one that was live. */
  startSegment(input: {
    showId: string;
    productId: string | null;
    host: string;
    guest: string | null;
    presetId: string | null;
    startedAt?: number;
  }): Promise<{ id: string }>;
  endSegment(segmentId: string, endedAt?: number): Promise<unknown>;
  listProducts(): Promise<SalesProductLike[]>;
  /** Undefined when there is no such product. */
  getProduct(id: string): Promise<SalesProductLike | undefined>;
  /** Creates a product (show package import). */
  createProduct(input: SalesProductInput): Promise<{ id: string }>;
}

/** A file of the asset library. */
export interface AssetFile {
  assetId: string;
  kind: 'model' | 'image' | 'video';
  fileName: string;
  /** Absolute path, readable. */
  path: string;
}

/** The asset library as packages use it: find a file by id, and add one. */
export interface ShowAssetsPort {
  locate(assetId: string): Promise<AssetFile | undefined>;
  /** Adds `file` (moved, not copied: it is a staged temp file) under `assetId`. */
  adopt(input: { assetId: string; kind: AssetFile['kind']; fileName: string; file: string }): Promise<void>;
  /** Removes an adopted file again (rollback of a failed import). */
  remove(assetId: string): Promise<void>;
}

export interface ShowPorts {
  obs: ShowObsPort;
  sales: ShowSalesPort;
  assets: ShowAssetsPort;
}
