import { StudioError } from '../../../shared/api/result';
import type { SalesPlatform } from '../../../shared/api/sales';
import { salesPlatformSchema } from '../../../shared/api/sales';
import type { SalesService } from '../sales';
import type { ShowSalesPort } from './ports';

const isPlatform = (p: string): p is SalesPlatform => salesPlatformSchema.safeParse(p).success;

/** Adapts the sales service to the narrow port the show domain uses. */
export function adaptSales(service: SalesService): ShowSalesPort {
  return {
    createShow: (input) =>
      service.createShow({
        title: input.title,
        platforms: input.platforms.filter(isPlatform),
        hosts: input.hosts,
        plannedStart: input.plannedStart,
        timeZone: input.timeZone,
      }),
    startSegment: (input) =>
      service.startSegment({
        showId: input.showId,
        productId: input.productId,
        host: input.host,
        guest: input.guest,
        presetId: input.presetId,
        ...(input.startedAt === undefined ? {} : { startedAt: input.startedAt }),
      }),
    endSegment: (segmentId, endedAt) => service.endSegment(segmentId, endedAt),
    listProducts: () => service.listProducts(),
    async getProduct(id) {
      try {
        return await service.getProduct(id);
      } catch (error) {
        if (error instanceof StudioError && error.code === 'sales/not-found') return undefined;
        throw error;
      }
    },
    createProduct: (input) =>
      service.saveProduct({
        name: input.name,
        sku: input.sku,
        unit: input.unit,
        priceFen: input.priceFen,
        origin: input.origin,
        certifications: input.certifications,
        shopLinks: input.shopLinks,
      }),
  };
}
