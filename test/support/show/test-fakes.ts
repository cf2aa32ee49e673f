// Test doubles for the show domain's ports (tests and the bench only; lint keeps app code from importing test/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { DomainDeps } from '../../../electron/services/domain';
import { createNullLogger } from '../../../electron/services/logger';
import type { SalesService } from '../../../electron/services/sales';
import type { SettingsStore } from '../../../electron/services/settings-store';
import { buildShowDomain } from '../../../electron/services/show';
import type {
  SalesProductInput,
  SalesProductLike,
  ShowAssetsPort,
  ShowObsPort,
  ShowSalesPort,
} from '../../../electron/services/show/ports';
import { adaptSales } from '../../../electron/services/show/sales-adapter';
import { defaultSettings } from '../../../shared/api/app';
import type { EventName, EventPayload, ParsedInput } from '../../../shared/api/contract';
import { StudioError } from '../../../shared/api/result';
import { fen } from '../../../shared/money';
import { createFolderAssets } from './folder-assets';

type Status = 'connected' | 'disconnected';

/** An OBS that switches after `latencyMs`, can be taken down and brought back. */
export class FakeObs implements ShowObsPort {
  status: Status = 'connected';
  latencyMs = 0;
  program: string | null = null;
  switches: string[] = [];
  provisioned: string[][] = [];
  failScenes = new Set<string>();
  private listeners = new Set<(state: { connection: { status: string } }) => void>();

  isConnected(): boolean {
    return this.status === 'connected';
  }
  onStateChange(listener: (state: { connection: { status: string } }) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async provision(sceneNames: string[]): Promise<unknown> {
    this.provisioned.push(sceneNames);
    return { created: sceneNames };
  }
  async switchProgramScene(name: string): Promise<void> {
    if (this.status !== 'connected') throw new StudioError('obs/not-connected', 'down');
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (this.status !== 'connected') throw new StudioError('obs/not-connected', 'dropped');
    if (this.failScenes.has(name)) throw new StudioError('obs/not-found', 'no such scene');
    this.program = name;
    this.switches.push(name);
  }
  setStatus(status: Status): void {
    this.status = status;
    for (const l of this.listeners) l({ connection: { status } });
  }
}

/** A sales store in memory with the behaviour live mode relies on (startSegment ends the last). */
export class FakeSales implements ShowSalesPort {
  products: SalesProductLike[] = [];
  shows: { id: string; title: string }[] = [];
  segments: {
    id: string;
    showId: string;
    productId: string | null;
    presetId: string | null;
    host: string;
    guest: string | null;
    startedAt: number;
    endedAt: number | null;
  }[] = [];
  failNext = false;
  private n = 0;

  addProduct(p: Partial<Omit<SalesProductLike, 'priceFen'>> & { name: string; priceFen?: number }): SalesProductLike {
    const product: SalesProductLike = {
      id: String(++this.n),
      sku: '',
      unit: '箱',
      origin: '江西赣州',
      certifications: [],
      shopLinks: {},
      ...p,
      priceFen: fen(p.priceFen ?? 3990),
    };
    this.products.push(product);
    return product;
  }
  async createShow(input: { title: string }): Promise<{ id: string }> {
    const show = { id: `show-${++this.n}`, title: input.title };
    this.shows.push(show);
    return show;
  }
  async startSegment(input: Parameters<ShowSalesPort['startSegment']>[0]): Promise<{ id: string }> {
    if (this.failNext) {
      this.failNext = false;
      throw new StudioError('sales/db-unavailable', 'disk full');
    }
    const at = input.startedAt ?? Date.now();
    for (const s of this.segments) if (s.endedAt === null) s.endedAt = at;
    const seg = { id: `seg-${++this.n}`, ...input, startedAt: at, endedAt: null };
    this.segments.push(seg);
    return seg;
  }
  async endSegment(segmentId: string, endedAt?: number): Promise<unknown> {
    const seg = this.segments.find((s) => s.id === segmentId);
    if (seg !== undefined) seg.endedAt = endedAt ?? Date.now();
    return seg;
  }
  async listProducts(): Promise<SalesProductLike[]> {
    return this.products;
  }
  async getProduct(id: string): Promise<SalesProductLike | undefined> {
    return this.products.find((p) => p.id === id);
  }
  async createProduct(input: SalesProductInput): Promise<{ id: string }> {
    return this.addProduct(input);
  }
  live(): (typeof this.segments)[number] | undefined {
    return this.segments.find((s) => s.endedAt === null);
  }
}

/** A settings store stand-in with the defaults. */
export function fakeSettings(): SettingsStore {
  return { get: () => ({ ...defaultSettings }), update: () => ({ ...defaultSettings }) } as unknown as SettingsStore;
}

/** Records every emitted event. */
export function recordEvents(): {
  emit: DomainDeps['emit'];
  events: { name: EventName; payload: unknown; at: number }[];
  of<K extends EventName>(name: K): EventPayload<K>[];
} {
  const events: { name: EventName; payload: unknown; at: number }[] = [];
  return {
    emit: (name, payload) => {
      events.push({ name, payload, at: performance.now() });
    },
    events,
    of: <K extends EventName>(name: K) =>
      events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<K>),
  };
}

type RundownSave = ParsedInput<'show:rundown-save'>;
type SegmentSave = RundownSave['segments'][number];

/** A segment for `show:rundown-save`: no product or preset, one minute, empty texts, except `patch`. */
export function segmentInput(patch: Partial<SegmentSave> = {}): SegmentSave {
  return {
    productId: null,
    presetId: null,
    host: '',
    hostTitle: '',
    guest: '',
    guestTitle: '',
    plannedSec: 60,
    script: '',
    notes: '',
    ...patch,
  };
}

/** A rundown for `show:rundown-save`: no platforms, planned start or origin, China time, except `patch`. */
export function rundownInput(title: string, segments: SegmentSave[], patch: Partial<RundownSave> = {}): RundownSave {
  return { title, platforms: [], plannedStart: null, timeZone: 'Asia/Shanghai', copiedFrom: null, segments, ...patch };
}

/** Domain deps on a fresh temp data dir; appRoot is the repository (for assets/presets). */
export function testDeps(
  emit: DomainDeps['emit'],
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'show-')),
): DomainDeps {
  return {
    dataDir,
    appRoot: path.resolve(import.meta.dirname, '../../..'),
    logger: createNullLogger(),
    emit,
    secrets: { get: () => undefined, set: () => undefined, kind: 'file-0600' },
    settings: fakeSettings(),
    mode: 'host',
  };
}

/** The show domain on fakes (or any ports); assets default to a folder library in the data dir. */
export function fakeShowDomain(
  deps: DomainDeps,
  ports: { obs: ShowObsPort; sales: ShowSalesPort; assets?: ShowAssetsPort; now?: () => number },
) {
  return buildShowDomain(deps, {
    ...ports,
    assets: ports.assets ?? createFolderAssets(path.join(deps.dataDir, 'show', 'assets')),
  });
}

/** The show domain on the real sales service (as the composition root wires it), assets in a folder. */
export function showDomainOnSales(deps: DomainDeps, ports: { obs: ShowObsPort; sales: SalesService }) {
  return fakeShowDomain(deps, { obs: ports.obs, sales: adaptSales(ports.sales) });
}
