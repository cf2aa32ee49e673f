import type { Domain, DomainDeps } from '../domain';

/** The show service: placeholder until its issue lands. */
export type ShowService = Record<string, never>;

export function createShowDomain(_deps: DomainDeps): Domain<ShowService, never> {
  return { service: {}, handlers: {}, close: async () => undefined };
}
