import type { RequestInput } from '../../shared/api/contract';
import type { Product } from '../../shared/api/sales';
import type { StudioClient } from '../api/client';
import { showError } from './errors';
import { createSyncedStore, defineActions } from './synced-store';

const allProducts = async (client: StudioClient) => ({
  products: await client.call('products:list', { includeArchived: true }),
});

/** The sync behind the hooks below (tests attach it to a fake client). */
export const catalogueSync = createSyncedStore<{ products: Product[] }>({
  initial: { products: [] },
  events: { 'products:changed': (_product, { client }) => allProducts(client) },
  load: ({ client }) => allProducts(client),
});

/** The sales catalogue, archived products included (filter on `isArchived`). Fed by 'products:changed'. */
export const useCatalogue = catalogueSync.use;
export const useCatalogueSync = (): void => catalogueSync.useSync();

/** Catalogue actions; the list follows from 'products:changed'. They throw: the form keeps its input. */
export function productActions(client: StudioClient) {
  return {
    saveProduct: (input: RequestInput<'products:save'>): Promise<Product> => client.call('products:save', input),
    /** Archives (or brings back) a product; shows a failure instead of throwing. */
    archiveProduct: (id: string, isArchived: boolean) =>
      client.call('products:archive', { id, isArchived }).then(() => undefined, showError),
  };
}

export const useProductActions = defineActions(productActions);
