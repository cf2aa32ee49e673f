import type { RecordedSale } from '../../shared/api/sales';
import type { StudioClient } from '../api/client';
import { defineActions } from './synced-store';

/** What a sales export produced: a file the desktop app wrote, or bytes a browser downloads. */
export type ExportOutcome =
  | { kind: 'file'; rows: number; path: string }
  | { kind: 'bytes'; rows: number; fileName: string; base64: string | null; mime: string };

/**
 * The Analytics page's reads and exports. Its figures are query results, not a mirror, so the page
 * keeps them; it follows the log through `onSalesActivity`.
 */
export function salesReports(client: StudioClient) {
  return {
    listShows: () => client.call('sales:show-list', { limit: 200 }),
    listProducts: () => client.call('products:list', {}),
    showAnalytics: (showId: string) => client.call('sales:analytics-show', { showId }),
    productAnalytics: (productId: string) => client.call('sales:analytics-product', { productId }),
    /** Exports a show: to a file in the desktop app, as bytes to download in a browser. */
    async exportShow(showId: string, format: 'csv' | 'xlsx', language: 'zh-CN' | 'en'): Promise<ExportOutcome> {
      const scope = { kind: 'show' as const, showId };
      if (client.transport === 'ipc') {
        const r = await client.call('sales:export', { scope, format, target: 'file', language });
        return { kind: 'file', rows: r.rows, path: r.path ?? r.fileName };
      }
      const r = await client.call('sales:export', { scope, format, target: 'bytes', language });
      return { kind: 'bytes', rows: r.rows, fileName: r.fileName, base64: r.base64, mime: r.mime };
    },
    /** Follows new sales, bulk changes and segment switches; returns the unsubscribe function. */
    onSalesActivity(on: { recorded(sale: RecordedSale): void; changed(): void; segmentChanged(): void }): () => void {
      const offs = [
        client.on('sales:recorded', on.recorded),
        client.on('sales:changed', () => on.changed()),
        client.on('sales:segment-changed', () => on.segmentChanged()),
      ];
      return () => offs.forEach((off) => off());
    },
  };
}

export const useSalesReports = defineActions(salesReports);
