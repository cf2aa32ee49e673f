// Finding the OBS on this PC: where OBS keeps its config per OS, what obs-websocket wrote there
// (port, whether auth is on, the password), and whether anything answers on that port.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** obs-websocket's own default port. */
export const defaultObsPort = 4455;

/** One obs-websocket settings file, as read from disk. The password never leaves the services. */
export interface ObsWebSocketConfig {
  file: string;
  /** '30+' = plugin_config/obs-websocket/config.json (obs-websocket 5.3+), '28-29' = global.ini. */
  format: '30+' | '28-29';
  isEnabled: boolean | null;
  port: number | null;
  isAuthRequired: boolean | null;
  password: string | null;
}

/**
 * OBS's config folders on this OS, most likely first: %APPDATA%\obs-studio on Windows,
 * ~/Library/Application Support/obs-studio on macOS, $XDG_CONFIG_HOME (or ~/.config)/obs-studio and
 * the Flatpak's on Linux.
 */
export function obsConfigDirs(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string[] {
  // Not a switch: Node's platforms are an open list, and every one but these two is a Unix (XDG).
  if (platform === 'win32') {
    return [path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'obs-studio')];
  }
  if (platform === 'darwin') return [path.posix.join(home, 'Library', 'Application Support', 'obs-studio')];
  const xdg = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : null;
  return [
    ...(xdg === null ? [] : [path.posix.join(xdg, 'obs-studio')]),
    path.posix.join(home, '.config', 'obs-studio'),
    path.posix.join(home, '.var', 'app', 'com.obsproject.Studio', 'config', 'obs-studio'),
  ].filter((dir, i, all) => all.indexOf(dir) === i);
}

/** The keys of one INI section (OBS writes plain `key=value` lines, UTF-8, maybe with a BOM). */
export function iniSection(text: string, section: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current = '';
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header !== null) {
      current = header[1] ?? '';
      continue;
    }
    if (current !== section) continue;
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

const bool = (value: unknown): boolean | null =>
  typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;
const port = (value: unknown): number | null => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
};

function readSmall(file: string): string | null {
  try {
    // A settings file is a few hundred bytes; anything huge is not one.
    if (fs.statSync(file).size > 1024 * 1024) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Reads obs-websocket's settings from one OBS config folder: the 30+ JSON first, then global.ini. */
export function readObsWebSocketConfigs(dir: string): ObsWebSocketConfig[] {
  const found: ObsWebSocketConfig[] = [];
  const jsonFile = path.join(dir, 'plugin_config', 'obs-websocket', 'config.json');
  const jsonText = readSmall(jsonFile);
  if (jsonText !== null) {
    try {
      const json = JSON.parse(jsonText) as Record<string, unknown>;
      found.push({
        file: jsonFile,
        format: '30+',
        isEnabled: bool(json.server_enabled),
        port: port(json.server_port),
        isAuthRequired: bool(json.auth_required),
        password: typeof json.server_password === 'string' ? json.server_password : null,
      });
    } catch {
      // A half-written file: global.ini may still hold the settings.
    }
  }
  const iniFile = path.join(dir, 'global.ini');
  const iniText = readSmall(iniFile);
  if (iniText !== null) {
    const ws = iniSection(iniText, 'OBSWebSocket');
    if (Object.keys(ws).length > 0) {
      found.push({
        file: iniFile,
        format: '28-29',
        isEnabled: bool(ws.ServerEnabled),
        port: port(ws.ServerPort),
        isAuthRequired: bool(ws.AuthRequired),
        password: ws.ServerPassword ?? null,
      });
    }
  }
  return found;
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port within `timeoutMs`. */
export function isPortOpen(portNumber: number, timeoutMs = 800): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: portNumber });
    const done = (open: boolean) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** What the guide shows about the OBS on this PC; no secret in it. */
export interface LocalObsFinding {
  /** Something answers on 127.0.0.1:port. */
  isRunning: boolean;
  host: '127.0.0.1';
  port: number;
  /** The OBS settings file found, if any (shown so the user knows what will be read). */
  configFile: string | null;
  configFormat: '30+' | '28-29' | null;
  /** The config says the WebSocket server is off. */
  isServerDisabled: boolean;
  isAuthRequired: boolean | null;
  /** A password is in the config and can be read with the user's OK. */
  hasPassword: boolean;
}

/** A local OBS: its finding, and the candidate passwords to try (most likely first). */
export interface LocalObs {
  finding: LocalObsFinding;
  passwords: string[];
}

/**
 * Looks for the OBS on this PC: reads obs-websocket's settings in OBS's config folders and checks
 * the port they name (or 4455). An OBS whose port answers wins over one that does not.
 */
export async function findLocalObs(
  dirs: readonly string[] = obsConfigDirs(),
  fallbackPort: number = defaultObsPort,
): Promise<LocalObs> {
  const configs = dirs.flatMap((dir) => readObsWebSocketConfigs(dir));
  const ports = [...new Set([...configs.map((c) => c.port ?? fallbackPort), fallbackPort])];
  let openPort: number | null = null;
  for (const candidate of ports) {
    if (await isPortOpen(candidate)) {
      openPort = candidate;
      break;
    }
  }
  const portNumber = openPort ?? ports[0] ?? fallbackPort;
  const matching = configs.filter((c) => (c.port ?? fallbackPort) === portNumber);
  const best = matching[0] ?? configs[0] ?? null;
  const passwords = [...new Set(matching.map((c) => c.password).filter((p): p is string => p !== null && p !== ''))];
  return {
    finding: {
      isRunning: openPort !== null,
      host: '127.0.0.1',
      port: portNumber,
      configFile: best?.file ?? null,
      configFormat: best?.format ?? null,
      isServerDisabled: matching.length > 0 && matching.every((c) => c.isEnabled === false),
      isAuthRequired: best?.isAuthRequired ?? null,
      hasPassword: passwords.length > 0,
    },
    passwords,
  };
}
