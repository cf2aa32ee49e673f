import type { RequestInput } from '../../shared/api/contract';
import type { DbStatus, FeedState } from '../../shared/api/sales';
import type { StudioClient } from '../api/client';
import { showError } from './errors';
import { busyRunner, createSyncedStore, defineActions } from './synced-store';

const dbStore = createSyncedStore<{ status: DbStatus | null; isBusy: boolean }>({
  initial: { status: null, isBusy: false },
  events: { 'sales:db-status': (status) => ({ status }) },
  load: async ({ client }) => ({ status: await client.call('sales:db-status') }),
});

/** Whether the sales log is open, and the ways out when it is not. Fed by 'sales:db-status'. */
export const useSalesDb = dbStore.use;
export const useSalesDbSync = (): void => dbStore.useSync();

const feedStore = createSyncedStore<{ state: FeedState | null }>({
  initial: { state: null },
  events: { 'sales:feed-state': (state) => ({ state }) },
  load: async ({ client }) => ({ state: await client.call('sales:feed-state') }),
});

/** The live order feed (oba-live-tool) as the services see it. Fed by 'sales:feed-state'. */
export const useSalesFeed = feedStore.use;
export const useSalesFeedSync = (): void => feedStore.useSync();

/** Recovery and feed actions; their results come back as 'sales:db-status' and 'sales:feed-state'. */
export function salesDbActions(client: StudioClient) {
  const recover = busyRunner(useSalesDb);
  return {
    /** Restores a daily backup of the sales log. */
    openBackup: (name: string) => recover(() => client.call('sales:open-backup', { name })),
    /** Keeps the sales log in another folder. */
    chooseFolder: (folder: string) => recover(() => client.call('sales:choose-folder', { folder })),
    connectFeed: (isEnabled: boolean, url: string) =>
      client.call('sales:feed-connect', { isEnabled, url }).then(() => undefined, showError),
    mapFeedProduct: (map: RequestInput<'sales:feed-map-product'>) =>
      client.call('sales:feed-map-product', map).then(() => undefined, showError),
  };
}

export const useSalesDbActions = defineActions(salesDbActions);
