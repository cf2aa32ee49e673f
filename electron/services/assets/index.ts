import type { Domain, DomainDeps } from '../domain';

/** The assets service: placeholder until its issue lands. */
export type AssetsService = Record<string, never>;

export function createAssetsDomain(_deps: DomainDeps): Domain<AssetsService, never> {
  return { service: {}, handlers: {}, close: async () => undefined };
}
