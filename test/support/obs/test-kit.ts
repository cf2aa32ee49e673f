// Helpers for the OBS service's tests and bench (never imported by app code): a service on a
// temp data folder, a raw obs-websocket-js client, and an extra headless OBS of our own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import OBSWebSocket from 'obs-websocket-js';

import type { Logger } from '../../../electron/services/logger';
import { createNullLogger } from '../../../electron/services/logger';
import { ObsConnectionStore } from '../../../electron/services/obs/connection-store';
import type { ObsServiceOptions } from '../../../electron/services/obs/obs-service';
import { ObsService } from '../../../electron/services/obs/obs-service';
import { createSecretStore } from '../../../electron/services/secret-store';
import type { ObsState } from '../../../shared/api/obs';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
/** ../shared/obs next to the repository: start-obs.sh and stop-obs.sh. */
export const obsHarnessDir = path.resolve(repoRoot, '../shared/obs');

/** A service on a fresh temp data folder. */
export function createTestService(options: Partial<ObsServiceOptions> = {}, logger: Logger = createNullLogger()) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'obs-service-'));
  const store = new ObsConnectionStore(dataDir, createSecretStore(dataDir));
  const service = new ObsService(store, logger, options);
  return {
    service,
    store,
    dataDir,
    async dispose() {
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A plain obs-websocket-js client, to check what OBS itself reports. */
export async function connectRaw(url: string, password: string): Promise<OBSWebSocket> {
  const client = new OBSWebSocket();
  await client.connect(url, password);
  return client;
}

/**
 * Connects `service` to the OBS at `obs` and sets a Cut transition there (through `raw`), so a
 * measured scene change is the switch alone, not a fade.
 */
export async function connectWithCut(
  service: ObsService,
  raw: OBSWebSocket,
  obs: { url: string; password: string },
): Promise<void> {
  await service.connect({ host: '127.0.0.1', port: Number(new URL(obs.url).port), password: obs.password });
  await raw.call('SetCurrentSceneTransition', { transitionName: 'Cut' });
}

/** Resolves with the first state (current or future) that `predicate` accepts. */
export function waitForState(
  service: ObsService,
  predicate: (state: ObsState) => boolean,
  timeoutMs: number,
  what = 'state',
): Promise<ObsState> {
  const now = service.getState();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      const s = service.getState();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; connection ${JSON.stringify(s.connection)}, stream ${JSON.stringify(s.stream)}, record ${JSON.stringify(s.record)}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = service.onStateChange((state) => {
      if (!predicate(state)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(state);
    });
  });
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** An extra headless OBS started with ../shared/obs/start-obs.sh. */
export interface OwnObs {
  url: string;
  port: number;
  password: string;
  pid: number;
  stateDir: string;
  recordDir: string;
}

function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) vars[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return vars;
}

/** Starts an OBS of our own on `port`; with `restartDir`, again on a stopped instance's state. */
export function startOwnObs(port: number, password: string, restartDir?: string): OwnObs {
  const out = execFileSync('bash', [path.join(obsHarnessDir, 'start-obs.sh')], {
    env: {
      ...process.env,
      OBS_WS_PORT: String(port),
      OBS_WS_PASSWORD: password,
      ...(restartDir === undefined ? {} : { OBS_RESTART_DIR: restartDir }),
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const vars = parseExports(out);
  return {
    url: vars.OBS_WS_URL ?? `ws://127.0.0.1:${port}`,
    port,
    password,
    pid: Number(vars.OBS_PID),
    stateDir: vars.OBS_STATE_DIR ?? '',
    recordDir: vars.OBS_RECORD_DIR ?? '',
  };
}

/** Stops our own OBS (and its Xvfb); `keepState` keeps its config for a restart. */
export function stopOwnObs(obs: OwnObs, keepState: boolean): void {
  execFileSync('bash', [path.join(obsHarnessDir, 'stop-obs.sh'), obs.stateDir], {
    env: { ...process.env, OBS_WS_PORT: String(obs.port), ...(keepState ? { OBS_KEEP_STATE: '1' } : {}) },
    stdio: 'ignore',
  });
}
