import { StudioError } from '../../../shared/api/result';
import type { SalesService } from '../sales';
import type { ShowSalesPort } from './ports';

/**
 * Adapts the sales service to the port the show domain uses. Until the sales store lands it is a
 * placeholder, and every call says the sales log is not available.
 */
export function adaptSales(_service: SalesService): ShowSalesPort {
  const unavailable = (): Promise<never> =>
    Promise.reject(new StudioError('show/sales-failed', 'The sales log is not available.'));
  return {
    createShow: unavailable,
    startSegment: unavailable,
    endSegment: unavailable,
    listProducts: async () => [],
    getProduct: async () => undefined,
    createProduct: unavailable,
  };
}
