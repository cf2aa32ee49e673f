import fs from 'node:fs';
import path from 'node:path';

import type { App } from 'electron';

import type { Logger } from './services/logger';

/**
 * Chromium's graphics switches, decided before `ready` (they cannot change later).
 *
 * Chromium has deprecated its automatic fallback to software WebGL: on a PC without a usable GPU,
 * or with a blocklisted driver, it may give no WebGL at all unless `enable-unsafe-swiftshader` is
 * set, and the program would be black. The switch is only "unsafe" for untrusted web content; our
 * windows load only our own origin. Still, where the last start found hardware GL it is left off.
 *
 * What a start found is remembered in `graphics.json` in userData, since the GPU is only known
 * after `ready`. An unknown machine (first start, another Electron) gets the safe choice.
 * `HARVEST_GRAPHICS=hardware|software` overrides it for support.
 */
export type GraphicsMode = 'hardware' | 'software' | 'auto';

export interface GraphicsMemory {
  version: 1;
  /** WebGL ran on a hardware GPU at the last start. */
  hardwareGl: boolean;
  /** Chromium's WebGL feature status then (`enabled`, `unavailable_software`, ...). */
  webgl: string;
  /** The GPU, as far as Chromium told (vendor:device or the GL renderer). */
  gpu: string;
  /** The Electron build that found it: another build has another blocklist, so it is re-checked. */
  electron: string;
  checkedAt: string;
  /** Why hardware GL was given up, when it was (the GPU process crashed, say). */
  note?: string;
}

export interface GraphicsDecision {
  mode: GraphicsMode;
  /** `[switch, value?]`, in the order they are appended. */
  switches: [string, string?][];
  reason: 'env' | 'remembered-hardware' | 'remembered-no-hardware' | 'unknown';
  /** Said in the log once it exists (an unknown override value, an unreadable memory file). */
  warning?: string;
}

export const graphicsFileName = 'graphics.json';

const softwareFallback: [string, string?][] = [['enable-unsafe-swiftshader']];
/** WebGL through SwiftShader even where a (broken) driver is present. */
const forcedSoftware: [string, string?][] = [
  ['use-gl', 'angle'],
  ['use-angle', 'swiftshader'],
  ['enable-unsafe-swiftshader'],
];
/** The GPU even where Chromium blocklists its driver: for support, on a driver known to work. */
const forcedHardware: [string, string?][] = [['ignore-gpu-blocklist']];

/** Parses the memory file's text; `null` for anything that is not one we wrote. */
export function parseGraphicsMemory(text: string | undefined): GraphicsMemory | null {
  if (text === undefined) return null;
  try {
    const raw = JSON.parse(text) as Partial<GraphicsMemory> | null;
    if (raw === null || typeof raw !== 'object' || raw.version !== 1 || typeof raw.hardwareGl !== 'boolean')
      return null;
    return {
      version: 1,
      hardwareGl: raw.hardwareGl,
      webgl: String(raw.webgl ?? ''),
      gpu: String(raw.gpu ?? ''),
      electron: String(raw.electron ?? ''),
      checkedAt: String(raw.checkedAt ?? ''),
      ...(typeof raw.note === 'string' ? { note: raw.note } : {}),
    };
  } catch {
    return null;
  }
}

/** Pure: which switches for this start. */
export function decideGraphics(input: {
  env: string | undefined;
  memory: GraphicsMemory | null;
  electron: string;
}): GraphicsDecision {
  const env = input.env?.trim().toLowerCase() ?? '';
  if (env === 'software') return { mode: 'software', switches: forcedSoftware, reason: 'env' };
  if (env === 'hardware') return { mode: 'hardware', switches: forcedHardware, reason: 'env' };
  const warning =
    env === '' || env === 'auto' ? undefined : `HARVEST_GRAPHICS=${input.env} is not hardware, software or auto`;
  const base = warning === undefined ? {} : { warning };
  const memory = input.memory;
  if (memory === null || memory.electron !== input.electron) {
    // Never seen this machine with this Chromium: allow the software fallback, so it is never black.
    return { mode: 'auto', switches: softwareFallback, reason: 'unknown', ...base };
  }
  if (memory.hardwareGl) return { mode: 'auto', switches: [], reason: 'remembered-hardware', ...base };
  return { mode: 'auto', switches: softwareFallback, reason: 'remembered-no-hardware', ...base };
}

/** Google's vendor id: SwiftShader reports itself as a Google device. */
const swiftShaderVendor = 0x1ae0;

interface GpuDevice {
  active?: boolean;
  vendorId?: number;
  deviceId?: number;
}
interface BasicGpuInfo {
  gpuDevice?: GpuDevice[];
  auxAttributes?: { glRenderer?: string };
}

/** Pure: what this start found, from Chromium's feature status and basic GPU info. */
export function describeGraphics(
  status: Record<string, string>,
  info: unknown,
  electron: string,
  now: Date,
): GraphicsMemory {
  const basic = (info ?? {}) as BasicGpuInfo;
  const devices = Array.isArray(basic.gpuDevice) ? basic.gpuDevice : [];
  const active = devices.find((d) => d.active === true) ?? devices[0];
  const renderer = typeof basic.auxAttributes?.glRenderer === 'string' ? basic.auxAttributes.glRenderer : '';
  const webgl = String(status.webgl ?? '');
  const software =
    /swiftshader|llvmpipe|software/i.test(renderer) ||
    active === undefined ||
    active.vendorId === swiftShaderVendor ||
    active.vendorId === 0;
  const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(4, '0');
  return {
    version: 1,
    // `enabled`, `enabled_on`, `enabled_readback`, ...: WebGL on; `*_software`: SwiftShader only.
    hardwareGl: webgl.startsWith('enabled') && !software,
    webgl,
    gpu: renderer !== '' ? renderer : active === undefined ? 'none' : `${hex(active.vendorId)}:${hex(active.deviceId)}`,
    electron,
    checkedAt: now.toISOString(),
  };
}

type GraphicsApp = Pick<App, 'commandLine' | 'getGPUFeatureStatus' | 'getGPUInfo' | 'getPath' | 'on'>;

function writeMemory(file: string, memory: GraphicsMemory): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(memory, null, 2)}\n`);
  fs.renameSync(temp, file);
}

/**
 * Call before `ready`: reads what the last start found, appends the switches, and returns the
 * decision and `afterReady(logger)`, which records what this start found for the next one.
 */
export function setupGraphics(
  app: GraphicsApp,
  env: NodeJS.ProcessEnv = process.env,
  electron: string = process.versions.electron ?? '',
): { decision: GraphicsDecision; afterReady(logger: Logger): Promise<void> } {
  let file: string | undefined;
  let memory: GraphicsMemory | null = null;
  let readWarning: string | undefined;
  try {
    file = path.join(app.getPath('userData'), graphicsFileName);
    memory = parseGraphicsMemory(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  } catch (error) {
    readWarning = `graphics memory unreadable: ${String(error)}`;
  }
  const decision = decideGraphics({ env: env.HARVEST_GRAPHICS, memory, electron });
  for (const [name, value] of decision.switches) {
    if (value === undefined) app.commandLine.appendSwitch(name);
    else app.commandLine.appendSwitch(name, value);
  }

  const afterReady = async (logger: Logger) => {
    const log = logger.child('graphics');
    for (const warning of [decision.warning, readWarning]) if (warning !== undefined) log.warn(warning);
    // A crashing GPU process (a bad driver) means software next time.
    app.on('child-process-gone', (_event, details) => {
      if (details.type !== 'GPU' || details.reason === 'clean-exit' || file === undefined) return;
      log.warn('GPU process gone; the next start allows software WebGL', { reason: details.reason });
      if (decision.reason !== 'env') {
        try {
          writeMemory(file, {
            ...(memory ?? describeGraphics({}, {}, electron, new Date())),
            hardwareGl: false,
            electron,
            checkedAt: new Date().toISOString(),
            note: `gpu-process-${details.reason}`,
          });
        } catch {
          // Best effort: the next start decides as if unknown.
        }
      }
    });
    try {
      const info = await app.getGPUInfo('basic');
      const found = describeGraphics(
        app.getGPUFeatureStatus() as unknown as Record<string, string>,
        info,
        electron,
        new Date(),
      );
      log.info('graphics', { decision: decision.reason, switches: decision.switches.map((s) => s[0]), ...found });
      // A forced mode says nothing about the machine; only automatic starts are remembered.
      if (decision.reason !== 'env' && file !== undefined) {
        writeMemory(file, found);
        memory = found;
      }
    } catch (error) {
      log.warn('could not read the GPU status', { error: String(error) });
    }
  };
  return { decision, afterReady };
}
