import type { Domain, DomainDeps } from '../domain';

/** The obs service: placeholder until its issue lands. */
export type ObsService = Record<string, never>;

export function createObsDomain(_deps: DomainDeps): Domain<ObsService, never> {
  return { service: {}, handlers: {}, close: async () => undefined };
}
