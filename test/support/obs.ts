import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where the test OBS is, as start-obs.sh exports it. */
export interface ObsInfo {
  url: string;
  password: string;
  port: number;
  stateDir: string;
  recordDir: string;
  /** False when the OBS harness is missing on this machine (then OBS tests fail under CI). */
  available: boolean;
  reason?: string;
}

const harnessDir = path.resolve(import.meta.dirname, '../../../shared/obs');

function parseExports(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) vars[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return vars;
}

/** Uses the OBS named by OBS_WS_URL/OBS_WS_PASSWORD, or starts one with ../shared/obs/start-obs.sh. */
export async function ensureObs(): Promise<{ info: ObsInfo; stop: () => Promise<void> }> {
  const url = process.env.OBS_WS_URL;
  if (url !== undefined && url !== '') {
    const port = Number(new URL(url).port || 4455);
    return {
      info: {
        url,
        password: process.env.OBS_WS_PASSWORD ?? '',
        port,
        stateDir: process.env.OBS_STATE_DIR ?? '',
        recordDir: process.env.OBS_RECORD_DIR ?? '',
        available: true,
      },
      stop: async () => undefined,
    };
  }
  const start = path.join(harnessDir, 'start-obs.sh');
  const stopScript = path.join(harnessDir, 'stop-obs.sh');
  if (!fs.existsSync(start)) {
    return {
      info: { url: '', password: '', port: 0, stateDir: '', recordDir: '', available: false, reason: `no ${start}` },
      stop: async () => undefined,
    };
  }
  const port = 4455 + Math.floor(Math.random() * 400);
  const password = `test-${process.pid}`;
  let out: string;
  try {
    out = execFileSync('bash', [start], {
      env: { ...process.env, OBS_WS_PORT: String(port), OBS_WS_PASSWORD: password },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      info: { url: '', password: '', port: 0, stateDir: '', recordDir: '', available: false, reason },
      stop: async () => undefined,
    };
  }
  const vars = parseExports(out);
  const stateDir = vars.OBS_STATE_DIR ?? '';
  return {
    info: {
      url: vars.OBS_WS_URL ?? `ws://127.0.0.1:${port}`,
      password,
      port,
      stateDir,
      recordDir: vars.OBS_RECORD_DIR ?? '',
      available: true,
    },
    stop: async () => {
      execFileSync('bash', [stopScript, stateDir], {
        stdio: 'ignore',
        env: { ...process.env, OBS_WS_PORT: String(port) },
      });
    },
  };
}
