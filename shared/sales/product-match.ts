/** The parts of a product that identify it in platform data. */
export interface MatchableProduct {
  readonly id: string;
  readonly name: string;
  readonly sku: string;
  readonly shopLinks: Partial<Record<string, string>>;
}

/** What an order says about its product. */
export interface ProductHint {
  readonly externalProductId: string;
  readonly sku: string;
  readonly title: string;
}

/**
 * Matches platform order lines to our products: by merchant code (our SKU), then by the
 * platform's product id appearing in one of our shop links, then by our product name appearing
 * in the platform's title (longest name wins, so 脐橙礼盒 beats 脐橙).
 */
export function createProductMatcher(products: readonly MatchableProduct[]): (hint: ProductHint) => string | null {
  const bySku = new Map<string, string>();
  const byLinkId = new Map<string, string>();
  for (const p of products) {
    const sku = p.sku.trim().toLowerCase();
    if (sku !== '' && !bySku.has(sku)) bySku.set(sku, p.id);
    for (const link of Object.values(p.shopLinks)) {
      if (link === undefined) continue;
      for (const m of link.matchAll(/\d{6,}/gu)) if (!byLinkId.has(m[0])) byLinkId.set(m[0], p.id);
    }
  }
  const byName = products
    .filter((p) => p.name.trim() !== '')
    .map((p) => ({ id: p.id, name: p.name.trim().toLowerCase() }))
    .sort((a, b) => b.name.length - a.name.length);
  const cache = new Map<string, string | null>();

  return (hint) => {
    const key = `${hint.sku}\u0000${hint.externalProductId}\u0000${hint.title}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    const sku = hint.sku.trim().toLowerCase();
    if (sku !== '') found = bySku.get(sku) ?? null;
    if (found === null && hint.externalProductId.trim() !== '')
      found = byLinkId.get(hint.externalProductId.trim()) ?? null;
    if (found === null && hint.title !== '') {
      const title = hint.title.toLowerCase();
      found = byName.find((p) => title.includes(p.name))?.id ?? null;
    }
    if (cache.size < 50_000) cache.set(key, found);
    return found;
  };
}
