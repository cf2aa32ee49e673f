// Test and bench helpers for LAN mode: a studio of real domains (sales on SQLite, show, lan)
// behind the real router, a phone's socket, and pairing over HTTP as a phone does it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import WebSocket from 'ws';

import type { ApiRouter } from '../../../electron/services/api-router';
import { createApiRouter } from '../../../electron/services/api-router';
import type { DomainDeps } from '../../../electron/services/domain';
import type { EventBus } from '../../../electron/services/event-bus';
import { createEventBus } from '../../../electron/services/event-bus';
import { createLanDomain } from '../../../electron/services/lan';
import { createNullLogger } from '../../../electron/services/logger';
import { createSalesDomain } from '../../../electron/services/sales';
import { createSecretStore } from '../../../electron/services/secret-store';
import { SettingsStore } from '../../../electron/services/settings-store';
import type { ShowObsPort } from '../../../electron/services/show/ports';
import type { EventName, RequestInput, RequestName, RequestOutput } from '../../../shared/api/contract';
import type { DeviceRole } from '../../../shared/api/lan';
import type { StudioErrorData } from '../../../shared/api/result';
import { StudioError } from '../../../shared/api/result';
import type { HostMessage } from '../../../shared/api/wire';
import type { PanelState } from '../../../shared/lan/panel';
import { completeHandlers } from '../api-handlers';
import { showDomainOnSales } from '../show/test-fakes';

export interface LanStudio {
  dataDir: string;
  bus: EventBus;
  router: ApiRouter;
  call<K extends RequestName>(
    name: K,
    ...input: RequestInput<K> extends void ? [] : [RequestInput<K>]
  ): Promise<RequestOutput<K>>;
  /** When each event was emitted (performance.now()), for benches. */
  stamps: Map<EventName, number[]>;
  close(): Promise<void>;
}

/** A fake built renderer: panel.html naming one script, and a control page the LAN must not serve. */
export function fakeRendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lan-renderer-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'panel.html'),
    '<!doctype html><html><head><script type="module" crossorigin src="./assets/panel-abc123.js"></script></head><body></body></html>',
  );
  fs.writeFileSync(path.join(dir, 'assets', 'panel-abc123.js'), 'console.log("panel")');
  fs.writeFileSync(path.join(dir, 'assets', 'index-def456.js'), 'console.log("control window")');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>studio</title>');
  fs.writeFileSync(path.join(dir, 'program.html'), '<!doctype html><title>program</title>');
  return dir;
}

/** Sales, show and lan domains on a temp data folder, wired as the composition root wires them. */
export async function startLanStudio(options: {
  obs: ShowObsPort;
  rendererDir?: string;
  now?: () => number;
  dataDir?: string;
}): Promise<LanStudio> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'harvest-lan-'));
  const logger = createNullLogger();
  const bus = createEventBus();
  const stamps = new Map<EventName, number[]>();
  bus.subscribe((name) => stamps.set(name, [...(stamps.get(name) ?? []), performance.now()]));
  const settings = new SettingsStore(dataDir, bus.emit);
  const deps = (name: string): DomainDeps => ({
    dataDir,
    appRoot: path.resolve(import.meta.dirname, '../../..'),
    logger: logger.child(name),
    emit: bus.emit,
    secrets: createSecretStore(dataDir),
    settings,
    mode: 'host',
  });
  const sales = createSalesDomain(deps('sales'));
  const show = showDomainOnSales(deps('show'), { obs: options.obs, sales: sales.service });
  const lan = createLanDomain(deps('lan'), {
    call: (name, payload) => router.call(name, payload, { transport: 'ws' }),
    subscribe: (listener) => bus.subscribe(listener),
    rendererDir: options.rendererDir ?? fakeRendererDir(),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const router = createApiRouter(completeHandlers({ ...sales.handlers, ...show.handlers, ...lan.handlers }), logger);
  for (const d of [sales, show, lan]) await d.start?.();
  const r = router;
  return {
    dataDir,
    bus,
    router: r,
    stamps,
    async call(name, ...input) {
      const result = await r.call(name, input[0], { transport: 'ws' });
      if (!result.ok) throw StudioError.fromData(result.error);
      return result.value as never;
    },
    async close() {
      for (const d of [lan, show, sales]) await d.close();
    },
  };
}

/** A small live show: three products and segments (the third with a guest and a script). */
export async function startSampleShow(studio: LanStudio, scenes = ['LAN A', 'LAN B', 'LAN C']): Promise<void> {
  const names = ['赣南脐橙', '土蜂蜜', '高山绿茶'];
  const templates = ['orchard-16x9', 'kitchen-16x9', 'official-guest-16x9'] as const;
  const segments = [];
  for (const [i, name] of names.entries()) {
    const product = await studio.call('products:save', { name, unit: '箱', priceFen: 3990 + i * 1000 });
    const made = await studio.call('show:preset-from-template', { templateId: templates[i]! });
    const preset = await studio.call('show:preset-save', { ...made, obsScene: scenes[i]! });
    segments.push({
      productId: product.id,
      presetId: preset.id,
      host: '小王',
      hostTitle: '',
      guest: i === 2 ? '李明' : '',
      guestTitle: i === 2 ? '副县长' : '',
      plannedSec: 300,
      script: i === 2 ? '各位网友好，我是李明。今天给大家推荐我们县的高山绿茶，明前采摘，香气清高。' : '',
      notes: i === 0 ? '先讲产地' : '',
    });
  }
  const rundown = await studio.call('show:rundown-save', {
    title: '秋收专场',
    platforms: ['douyin'],
    plannedStart: null,
    timeZone: 'Asia/Shanghai',
    copiedFrom: null,
    segments,
  });
  await studio.call('show:live-start', { rundownId: rundown.id, acknowledgeGuard: true });
}

/** POSTs a pairing code as the panel page does; resolves with status and the JSON body. */
export function postPair(
  origin: string,
  body: unknown,
  headers: Record<string, string> = { Origin: origin },
): Promise<{
  status: number;
  body: { ok: boolean; value?: { deviceToken: string; role: DeviceRole }; error?: StudioErrorData };
}> {
  return new Promise((resolve, reject) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(`${origin}/panel/pair`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers },
    });
    req.on('response', (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as never });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { ok: false } });
        }
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** Pairs a device through the studio and the phone's HTTP call; returns its token. */
export async function pairDevice(studio: LanStudio, role: DeviceRole, name?: string): Promise<string> {
  const offer = await studio.call('lan:pair-start', name === undefined ? { role } : { role, name });
  const url = new URL(offer.url);
  const code = new URLSearchParams(url.hash.slice(1)).get('pair') ?? '';
  const answer = await postPair(url.origin, { code });
  if (answer.body.value === undefined) throw new Error(`pairing failed: ${JSON.stringify(answer.body)}`);
  return answer.body.value.deviceToken;
}

/** A phone's socket to the LAN listener. */
export class PanelSocket {
  readonly events: { name: string; payload: unknown }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;
  private readonly pending = new Map<number, (r: { ok: boolean; value?: unknown; error?: StudioErrorData }) => void>();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as HostMessage;
      if (msg.type === 'result') this.pending.get(msg.id)?.(msg.result as never);
      else this.events.push({ name: msg.name, payload: msg.payload });
      for (const w of [...this.waiters]) w();
    });
  }

  /** Opens a socket; resolves once open (a refused token shows as `closed`). */
  static open(
    origin: string,
    token: string,
    headers: Record<string, string> = { Origin: origin },
  ): Promise<PanelSocket> {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/panel/ws?device=${encodeURIComponent(token)}`, {
      headers,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new PanelSocket(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  /** Sends a call; resolves with its result (ok or a coded error), never throws on a refusal. */
  request(name: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: StudioErrorData }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (r) => {
        this.pending.delete(id);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ type: 'call', id, name, payload }));
    });
  }

  async state(): Promise<PanelState> {
    const r = await this.request('panel:state');
    if (!r.ok) throw StudioError.fromData(r.error!);
    return r.value as PanelState;
  }

  /** Resolves with the first event (already received or to come) that passes `test`. */
  nextEvent(name: string, test: (payload: unknown) => boolean = () => true, from = 0): Promise<unknown> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.events.slice(from).find((e) => e.name === name && test(e.payload));
        if (found === undefined) return false;
        resolve(found.payload);
        return true;
      };
      if (check()) return;
      const waiter = () => {
        if (check()) this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.ws.close();
  }
}
