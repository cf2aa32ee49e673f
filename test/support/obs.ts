import fs from 'node:fs';
import path from 'node:path';

import type { OwnObs } from './obs/test-kit';
import { obsHarnessDir, startOwnObs, stopOwnObs } from './obs/test-kit';

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
  const start = path.join(obsHarnessDir, 'start-obs.sh');
  if (!fs.existsSync(start)) {
    return {
      info: { url: '', password: '', port: 0, stateDir: '', recordDir: '', available: false, reason: `no ${start}` },
      stop: async () => undefined,
    };
  }
  const port = 4455 + Math.floor(Math.random() * 400);
  const password = `test-${process.pid}`;
  let obs: OwnObs;
  try {
    obs = startOwnObs(port, password);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      info: { url: '', password: '', port: 0, stateDir: '', recordDir: '', available: false, reason },
      stop: async () => undefined,
    };
  }
  return {
    info: { url: obs.url, password, port, stateDir: obs.stateDir, recordDir: obs.recordDir, available: true },
    stop: async () => stopOwnObs(obs, false),
  };
}
