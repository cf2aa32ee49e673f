import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { z } from 'zod';

import { StudioError } from '../../../shared/api/result';
import type { GuardFinding, LibraryChange } from '../../../shared/api/show';
import type { Preset, PresetInput, PresetTemplate } from '../../../shared/show/preset';
import { presetInputSchema, presetSchema, presetTexts } from '../../../shared/show/preset';
import type { ProductMedia, ShowProduct } from '../../../shared/show/product';
import { emptyProductMedia, productMediaSchema, showProductSchema } from '../../../shared/show/product';
import type { Rundown, RundownInput, RundownSummary } from '../../../shared/show/rundown';
import {
  duplicateRundown,
  rundownInputSchema,
  rundownSchema,
  rundownTexts,
  summarize,
} from '../../../shared/show/rundown';
import type { GuardTerm } from '../../../shared/show/text-guard';
import { checkTexts, defaultGuardTerms, guardTermsSchema } from '../../../shared/show/text-guard';
import type { Emit } from '../event-bus';
import { readJsonFile, writeFileAtomic } from '../json-file';
import type { Logger } from '../logger';
import { JsonDocStore } from './doc-store';
import type { SalesProductLike, ShowSalesPort } from './ports';

/** A fresh document id (lower-case, safe as a file name). */
export const newId = (): string => randomUUID();

const productMediaFileSchema = z.record(z.string(), productMediaSchema);

/** Builds the show domain's view of a product from the sales record and the media kept here. */
export function toShowProduct(product: SalesProductLike, media: ProductMedia | undefined): ShowProduct {
  return showProductSchema.parse({
    id: product.id,
    name: product.name,
    unit: product.unit,
    priceFen: product.priceFen,
    origin: product.origin,
    certifications: product.certifications.slice(0, 6),
    story: media?.story ?? '',
    photoAssetId: media?.photoAssetId ?? null,
    modelAssetId: media?.modelAssetId ?? null,
    shopLinks: Object.entries(product.shopLinks)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
      .map(([platform, url]) => ({ platform, url })),
  });
}

export interface LibraryOptions {
  dataDir: string;
  logger: Logger;
  emit: Emit;
  sales: ShowSalesPort;
  templates: PresetTemplate[];
  now?: () => number;
}

/**
 * Presets, rundowns, the guard list and product media, each stored as JSON under
 * `<dataDir>/show/`. Presets and rundowns are one document per file.
 */
export class ShowLibrary {
  readonly presets: JsonDocStore<typeof presetSchema>;
  readonly rundowns: JsonDocStore<typeof rundownSchema>;
  private readonly guardFile: string;
  private readonly mediaFile: string;
  private guardTerms: GuardTerm[];
  private media: Record<string, ProductMedia>;
  private readonly now: () => number;

  constructor(private readonly options: LibraryOptions) {
    const root = path.join(options.dataDir, 'show');
    this.presets = new JsonDocStore(path.join(root, 'presets'), presetSchema, options.logger);
    this.rundowns = new JsonDocStore(path.join(root, 'rundowns'), rundownSchema, options.logger);
    this.guardFile = path.join(root, 'guard-terms.json');
    this.mediaFile = path.join(root, 'product-media.json');
    this.guardTerms = readJsonFile(this.guardFile, guardTermsSchema) ?? [...defaultGuardTerms];
    this.media = readJsonFile(this.mediaFile, productMediaFileSchema) ?? {};
    this.now = options.now ?? Date.now;
  }

  get templates(): readonly PresetTemplate[] {
    return this.options.templates;
  }

  // ---- presets

  listPresets(): Preset[] {
    return this.presets.list().sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id));
  }

  getPreset(id: string): Preset {
    const preset = this.presets.get(id);
    if (preset === undefined)
      throw new StudioError('show/preset-not-found', 'That preset no longer exists.', { params: { id } });
    return preset;
  }

  savePreset(input: PresetInput): Preset {
    const parsed = presetInputSchema.parse(input);
    const existing = parsed.id === undefined ? undefined : this.presets.get(parsed.id);
    const now = this.now();
    const saved = this.presets.put({
      ...parsed,
      id: parsed.id ?? newId(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    this.announce('presets');
    return saved;
  }

  presetFromTemplate(templateId: string, name: string | undefined, language: 'zh-CN' | 'en'): Preset {
    const template = this.options.templates.find((t) => t.templateId === templateId);
    if (template === undefined) {
      throw new StudioError('show/template-not-found', 'That template is not shipped with this studio.', {
        params: { id: templateId },
      });
    }
    const { templateId: _t, family: _f, name: names, description: _d, ...body } = template;
    return this.savePreset({ ...body, name: name ?? names[language], templateId });
  }

  deletePreset(id: string): void {
    this.getPreset(id);
    const usedBy = this.rundowns.list().find((r) => r.segments.some((s) => s.presetId === id));
    if (usedBy !== undefined) {
      throw new StudioError('show/preset-in-use', 'A show still uses this preset.', {
        params: { title: usedBy.title },
      });
    }
    this.presets.delete(id);
    this.announce('presets');
  }

  // ---- rundowns

  listRundowns(): RundownSummary[] {
    return this.rundowns
      .list()
      .map(summarize)
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  getRundown(id: string): Rundown {
    const rundown = this.rundowns.get(id);
    if (rundown === undefined) {
      throw new StudioError('show/rundown-not-found', 'That show no longer exists.', { params: { id } });
    }
    return rundown;
  }

  saveRundown(input: RundownInput): Rundown {
    const parsed = rundownInputSchema.parse(input);
    const existing = parsed.id === undefined ? undefined : this.rundowns.get(parsed.id);
    const now = this.now();
    const saved = this.rundowns.put({
      ...parsed,
      id: parsed.id ?? newId(),
      segments: parsed.segments.map((s) => ({ ...s, id: s.id ?? newId() })),
      runs: existing?.runs ?? [],
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    this.announce('rundowns');
    return saved;
  }

  /** Writes a rundown as given (runs included); for live mode and imports. */
  putRundown(rundown: Rundown): Rundown {
    const saved = this.rundowns.put(rundown);
    this.announce('rundowns');
    return saved;
  }

  deleteRundown(id: string): void {
    this.getRundown(id);
    this.rundowns.delete(id);
    this.announce('rundowns');
  }

  duplicateRundown(id: string, title: string | undefined, copySuffix: string): Rundown {
    const source = this.getRundown(id);
    const copy = duplicateRundown(source, {
      id: newId(),
      title: (title ?? `${source.title} ${copySuffix}`).slice(0, 80),
      now: this.now(),
      newSegmentId: newId,
    });
    return this.putRundown(copy);
  }

  // ---- guard

  getGuardTerms(): GuardTerm[] {
    return this.guardTerms;
  }

  setGuardTerms(terms: GuardTerm[]): GuardTerm[] {
    const parsed = guardTermsSchema.parse(terms);
    writeFileAtomic(this.guardFile, JSON.stringify(parsed, null, 2));
    this.guardTerms = parsed;
    this.announce('guard');
    return parsed;
  }

  resetGuardTerms(): GuardTerm[] {
    return this.setGuardTerms([...defaultGuardTerms]);
  }

  /** Runs the guard over a rundown's scripts and the texts of the presets and products it uses. */
  async checkRundown(rundown: Rundown): Promise<GuardFinding[]> {
    const terms = this.guardTerms;
    const findings: GuardFinding[] = checkTexts(rundownTexts(rundown), terms).map((f) => ({
      source: 'rundown',
      sourceId: rundown.id,
      sourceName: rundown.title,
      ...f,
    }));
    const presetIds = new Set(rundown.segments.flatMap((s) => (s.presetId === null ? [] : [s.presetId])));
    for (const id of presetIds) {
      const preset = this.presets.get(id);
      if (preset === undefined) continue;
      for (const f of checkTexts(presetTexts(preset), terms)) {
        findings.push({ source: 'preset', sourceId: id, sourceName: preset.name, ...f });
      }
    }
    const productIds = new Set(rundown.segments.flatMap((s) => (s.productId === null ? [] : [s.productId])));
    for (const id of productIds) {
      const product = await this.findProduct(id);
      if (product === undefined) continue;
      const texts = [
        { field: 'name', text: product.name },
        { field: 'origin', text: product.origin },
        { field: 'story', text: product.story },
        ...product.certifications.map((text, i) => ({ field: `certifications.${i}`, text })),
      ];
      for (const f of checkTexts(texts, terms)) {
        findings.push({ source: 'product', sourceId: id, sourceName: product.name, ...f });
      }
    }
    return findings;
  }

  // ---- products (the sales record plus media kept here)

  getMedia(productId: string): ProductMedia {
    return this.media[productId] ?? emptyProductMedia;
  }

  setMedia(productId: string, media: ProductMedia): void {
    this.setMediaOf([[productId, media]]);
  }

  /** Several products' media in one write and one announcement (a package import). */
  setMediaOf(entries: readonly (readonly [string, ProductMedia])[]): void {
    const next = { ...this.media };
    for (const [id, media] of entries) next[id] = productMediaSchema.parse(media);
    this.writeMedia(next);
  }

  /** Removes media entries (rollback of an import). */
  deleteMedia(productIds: readonly string[]): void {
    const next = { ...this.media };
    for (const id of productIds) delete next[id];
    this.writeMedia(next);
  }

  private writeMedia(next: Record<string, ProductMedia>): void {
    writeFileAtomic(this.mediaFile, JSON.stringify(next, null, 2));
    this.media = next;
    this.announce('products');
  }

  /** Tells every window that a list changed (for writes made around the methods above, as a package import does). */
  announce(kind: LibraryChange): void {
    this.options.emit('show:library-changed', { kind });
  }

  async listProducts(): Promise<ShowProduct[]> {
    const products = await this.options.sales.listProducts();
    return products.map((p) => toShowProduct(p, this.media[p.id]));
  }

  async findProduct(id: string): Promise<ShowProduct | undefined> {
    const product = await this.options.sales.getProduct(id);
    return product === undefined ? undefined : toShowProduct(product, this.media[id]);
  }

  async getProduct(id: string): Promise<ShowProduct> {
    const product = await this.findProduct(id);
    if (product === undefined) {
      throw new StudioError('show/product-not-found', 'That product is not in the library.', { params: { id } });
    }
    return product;
  }
}
