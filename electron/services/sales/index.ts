import type { Domain, DomainDeps } from '../domain';

/** The sales service: placeholder until its issue lands. */
export type SalesService = Record<string, never>;

export function createSalesDomain(_deps: DomainDeps): Domain<SalesService, never> {
  return { service: {}, handlers: {}, close: async () => undefined };
}
