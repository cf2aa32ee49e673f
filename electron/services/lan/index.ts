import os from 'node:os';
import path from 'node:path';

import QRCode from 'qrcode';

import type { DeviceRole, LanConfig, LanInterface, LanState, PairedDevice, Pairing } from '../../../shared/api/lan';
import { defaultLanConfig, lanConfigSchema } from '../../../shared/api/lan';
import { StudioError } from '../../../shared/api/result';
import type { Domain, DomainDeps } from '../domain';
import type { EventListener } from '../event-bus';
import { readJsonFile, writeFileAtomic } from '../json-file';
import { DeviceStore } from './device-store';
import { LanListener } from './lan-listener';
import { PairingCodes } from './pairing';
import type { PanelCaller, StudioCall } from './panel-gateway';
import { PanelGateway } from './panel-gateway';

export interface LanPorts {
  /** The studio API (the router), for the panel's requests. */
  call: StudioCall;
  /** Every service event, to keep the phones up to date. */
  subscribe(listener: EventListener): () => void;
  /** The built renderer (panel.html). */
  rendererDir: string;
  now?: () => number;
}

type LanRequest =
  'lan:state' | 'lan:configure' | 'lan:pair-start' | 'lan:devices' | 'lan:device-rename' | 'lan:device-revoke';

/** The IPv4 addresses of this PC's network interfaces, loopback left out. */
export function lanInterfaces(): LanInterface[] {
  const found: LanInterface[] = [];
  for (const [name, addresses] of Object.entries(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) found.push({ name, address: a.address });
  }
  return found;
}

// Events after which a phone's picture may have changed; sales ones come in bursts, so coalesced.
const liveEvents = new Set(['show:live-changed']);
const salesEvents = new Set(['sales:recorded', 'sales:changed', 'sales:segment-changed', 'products:changed']);

/** LAN mode: the listener, pairing, the paired devices. */
export class LanService {
  private config: LanConfig;
  private listener: LanListener | undefined;
  private errorCode: string | null = null;
  private readonly devices: DeviceStore;
  private readonly codes: PairingCodes;
  private readonly gateway: PanelGateway;
  private readonly now: () => number;
  private readonly configFile: string;
  private unsubscribe: (() => void) | undefined;
  private pushTimer: NodeJS.Timeout | undefined;
  private configuring: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: DomainDeps,
    private readonly ports: LanPorts,
  ) {
    this.now = ports.now ?? Date.now;
    this.configFile = path.join(deps.dataDir, 'lan.json');
    this.config = readJsonFile(this.configFile, lanConfigSchema) ?? defaultLanConfig;
    this.devices = new DeviceStore(deps.dataDir);
    this.codes = new PairingCodes(this.now);
    this.gateway = new PanelGateway(ports.call, this.now);
  }

  async start(): Promise<void> {
    this.unsubscribe = this.ports.subscribe((name) => {
      if (this.listener === undefined) return;
      if (liveEvents.has(name)) this.pushState(0);
      else if (salesEvents.has(name)) this.pushState(150);
    });
    if (!this.config.isEnabled) return;
    try {
      await this.listen();
    } catch (error) {
      // Off the LAN today (no Wi-Fi, another address): the studio runs, Settings says why.
      this.deps.logger.warn('LAN listener did not start', { error: String(error) });
    }
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    clearTimeout(this.pushTimer);
    await this.listener?.stop();
    this.listener = undefined;
    try {
      this.devices.save();
    } catch (error) {
      this.deps.logger.warn('could not save device list', { error: String(error) });
    }
  }

  state(): LanState {
    const interfaces = lanInterfaces();
    const address = this.config.address;
    if (address !== null && !interfaces.some((i) => i.address === address)) interfaces.push({ name: '', address });
    return {
      config: this.config,
      isListening: this.listener !== undefined,
      url: this.listener === undefined ? null : `${this.listener.origin()}/panel`,
      interfaces,
      errorCode: this.errorCode,
    };
  }

  /** Changes LAN mode; switching on binds the address first and keeps the old setting if that fails. */
  configure(patch: Partial<LanConfig>): Promise<LanState> {
    // One change at a time: two quick toggles must not bind twice or leave a listener behind.
    const run = this.configuring.then(() => this.applyConfig(patch));
    this.configuring = run.catch(() => undefined);
    return run;
  }

  private async applyConfig(patch: Partial<LanConfig>): Promise<LanState> {
    const next: LanConfig = { ...this.config, ...patch };
    if (next.isEnabled && next.address === null) next.address = lanInterfaces()[0]?.address ?? null;
    if (next.isEnabled && next.address === null) {
      throw new StudioError('lan/address-unavailable', 'This PC is on no network: connect it to the studio Wi-Fi.', {
        params: { address: '' },
      });
    }
    const previous = this.config;
    this.config = next;
    try {
      if (next.isEnabled) await this.listen();
      else await this.stopListening();
    } catch (error) {
      this.config = previous;
      if (previous.isEnabled) await this.listen().catch(() => undefined);
      this.emitState();
      throw error;
    }
    writeFileAtomic(this.configFile, JSON.stringify(this.config, null, 2));
    this.emitState();
    return this.state();
  }

  async pairStart(role: DeviceRole, name: string | undefined): Promise<Pairing> {
    if (this.listener === undefined) {
      throw new StudioError('lan/not-listening', 'Switch LAN mode on before pairing a phone.');
    }
    const n = this.devices.list().filter((d) => d.role === role).length + 1;
    const isZh = this.deps.settings.get().language === 'zh-CN';
    const label = role === 'producer' ? (isZh ? '场控手机' : 'Producer phone') : isZh ? '提词手机' : 'Prompter phone';
    const deviceName = name ?? `${label} ${n}`;
    const { code, expiresAt } = this.codes.issue(role, deviceName);
    // The code rides in the fragment: browsers never send it to a server, log or Referer.
    const url = `${this.listener.origin()}/panel#pair=${code}`;
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { url, qrSvg, role, name: deviceName, expiresAt };
  }

  listDevices(): PairedDevice[] {
    return this.devices.list().map((d) => ({
      id: d.id,
      name: d.name,
      role: d.role,
      pairedAt: d.pairedAt,
      lastSeenAt: d.lastSeenAt,
      isConnected: this.listener?.isConnected(d.id) ?? false,
    }));
  }

  rename(id: string, name: string): PairedDevice {
    this.devices.rename(id, name);
    this.emitDevices();
    this.pushState(0);
    return this.listDevices().find((d) => d.id === id)!;
  }

  revoke(id: string): void {
    this.devices.remove(id);
    // Cut off now, not at its next request: the socket closes and the phone asks to pair again.
    this.listener?.disconnect(id);
    this.deps.logger.info('device revoked', { id });
    this.emitDevices();
  }

  private async listen(): Promise<void> {
    await this.stopListening();
    const { address, port } = this.config;
    if (address === null) throw new StudioError('lan/address-unavailable', 'No LAN address chosen.');
    const listener = new LanListener({
      address,
      port,
      rendererDir: this.ports.rendererDir,
      logger: this.deps.logger.child('listener'),
      now: this.now,
      authenticate: (token) => this.authenticate(token),
      pair: (code) => this.pair(code),
      handle: (caller, name, payload) => {
        // A device revoked while its request was in flight gets no answer from the studio.
        if (this.devices.get(caller.deviceId) === undefined) {
          return Promise.reject(new StudioError('lan/unauthorized', 'This phone is no longer paired.'));
        }
        return this.gateway.handle(this.freshCaller(caller), name, payload);
      },
      onPresence: (deviceId) => {
        this.devices.touch(deviceId, this.now());
        this.emitDevices();
      },
    });
    try {
      await listener.start();
    } catch (error) {
      this.errorCode = error instanceof StudioError ? error.code : 'app/internal';
      throw error;
    }
    this.errorCode = null;
    this.listener = listener;
    this.deps.logger.info('LAN listener started', { origin: listener.origin() });
  }

  private async stopListening(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.errorCode = null;
    await listener?.stop();
    if (listener !== undefined) this.emitDevices();
  }

  private authenticate(token: string): PanelCaller | undefined {
    if (token === '') return undefined;
    const device = this.devices.byToken(token);
    if (device === undefined) return undefined;
    return { deviceId: device.id, name: device.name, role: device.role };
  }

  /** The caller with its current name (it may have been renamed since its socket opened). */
  private freshCaller(caller: PanelCaller): PanelCaller {
    const device = this.devices.get(caller.deviceId);
    return device === undefined ? caller : { ...caller, name: device.name };
  }

  private pair(code: string): { deviceToken: string; role: DeviceRole; name: string } {
    const offer = this.codes.redeem(code);
    if (offer === undefined) {
      throw new StudioError('lan/pair-code-invalid', 'This pairing code is wrong, used or expired: show a new one.');
    }
    const { device, token } = this.devices.add(offer.role, offer.name, this.now());
    this.deps.logger.info('device paired', { id: device.id, role: device.role });
    this.emitDevices();
    return { deviceToken: token, role: device.role, name: device.name };
  }

  private pushState(delayMs: number): void {
    const listener = this.listener;
    if (listener === undefined) return;
    const push = () => {
      this.pushTimer = undefined;
      void listener.push('panel:state', (caller) => this.gateway.state(this.freshCaller(caller)));
    };
    if (delayMs === 0) {
      clearTimeout(this.pushTimer);
      push();
    } else if (this.pushTimer === undefined) {
      this.pushTimer = setTimeout(push, delayMs);
    }
  }

  private emitState(): void {
    this.deps.emit('lan:state-changed', this.state());
  }

  private emitDevices(): void {
    this.deps.emit('lan:devices-changed', this.listDevices());
  }
}

/** The LAN domain: its service, the studio's `lan:*` handlers and its lifecycle. */
export function createLanDomain(deps: DomainDeps, ports: LanPorts): Domain<LanService, LanRequest> {
  const service = new LanService(deps, ports);
  return {
    service,
    handlers: {
      'lan:state': () => service.state(),
      'lan:configure': (patch) => service.configure(patch),
      'lan:pair-start': (input) => service.pairStart(input.role, input.name),
      'lan:devices': () => service.listDevices(),
      'lan:device-rename': (input) => service.rename(input.id, input.name),
      'lan:device-revoke': (input) => service.revoke(input.id),
    },
    start: () => service.start(),
    close: () => service.close(),
  };
}
