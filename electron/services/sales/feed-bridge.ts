import { z } from 'zod';

import type { FeedState } from '../../../shared/api/sales';
import type { RecordedSale } from '../../../shared/api/sales';
import type { Emit } from '../event-bus';
import type { Logger } from '../logger';
import { ObaFeedClient } from './feed-client';
import type { FeedSaleInput } from './repo-types';
import type { SalesStore } from './store';

// The bridge between the live order feed (oba-live-tool's WebSocket) and the sales log: each
// order is ingested once (a repeat only updates its status), feed products that map to none of
// ours are listed for the user to map, and the feed's state is published as an event.

const feedConfigSchema = z.object({ url: z.string(), isEnabled: z.boolean() });

export interface FeedBridge {
  readonly state: FeedState;
  ingest(input: FeedSaleInput): Promise<{ sale: RecordedSale; isDuplicate: boolean; productId: string | null }>;
  /** Saves and applies a feed URL and switch. */
  connect(url: string, isEnabled: boolean): Promise<FeedState>;
  mapProduct(externalId: string, title: string, productId: string | null): Promise<void>;
  /** Reads the saved configuration and connects if it is enabled (after the store opened). */
  open(): Promise<void>;
  close(): Promise<void>;
}

export function createFeedBridge(options: {
  store: SalesStore;
  now: () => number;
  logger: Logger;
  emit: Emit;
  minDelayMs?: number | undefined;
}): FeedBridge {
  const { store, now, emit } = options;
  const state: FeedState = {
    isEnabled: false,
    url: 'ws://127.0.0.1:12354',
    status: 'off',
    lastError: null,
    lastOrderAt: null,
    ordersReceived: 0,
    unmappedProducts: [],
  };
  const refreshUnmapped = async () => {
    const mappings = await store.call('feedMappings');
    state.unmappedProducts = mappings
      .filter((m) => m.productId === null)
      .slice(0, 50)
      .map((m) => ({ externalId: m.externalId, title: m.title }));
  };
  const emitState = () => emit('sales:feed-state', { ...state });

  const ingest = async (input: FeedSaleInput) => {
    const result = await store.call('ingestFeedOrder', input);
    if (!result.isDuplicate) emit('sales:recorded', result.sale);
    else emit('sales:changed', { reason: 'feed', showId: result.sale.showId });
    return result;
  };

  const client = new ObaFeedClient({
    logger: options.logger,
    ...(options.minDelayMs === undefined ? {} : { minDelayMs: options.minDelayMs }),
    onStatus(status, error) {
      state.status = status;
      state.lastError = error;
      emitState();
    },
    async onOrder(order) {
      state.ordersReceived += 1;
      state.lastOrderAt = now();
      const result = await ingest(order);
      if (result.productId === null) await refreshUnmapped();
      emitState();
    },
  });

  return {
    state,
    ingest,
    async connect(url, isEnabled) {
      await store.call('setSetting', 'feed', JSON.stringify({ url, isEnabled }));
      state.url = url;
      state.isEnabled = isEnabled;
      await refreshUnmapped();
      client.configure(url, isEnabled);
      state.status = client.status;
      return { ...state };
    },
    async mapProduct(externalId, title, productId) {
      await store.call('mapFeedProduct', externalId, title, productId);
      await refreshUnmapped();
      emitState();
    },
    async open() {
      const saved = await store.call('getSetting', 'feed');
      let raw: unknown;
      try {
        raw = saved === null ? undefined : JSON.parse(saved);
      } catch {
        raw = undefined; // A damaged setting is ignored: the feed stays off until configured again.
      }
      const config = raw === undefined ? undefined : feedConfigSchema.safeParse(raw);
      if (config?.success === true) {
        state.url = config.data.url;
        state.isEnabled = config.data.isEnabled;
        await refreshUnmapped();
        client.configure(config.data.url, config.data.isEnabled);
      }
    },
    close: () => client.close(),
  };
}
