import fs from 'node:fs';
import path from 'node:path';

import WebSocket from 'ws';

import { footage, makeFakeCamera } from '../fixtures/camera/fake-camera';
import { launchBrowser, openPage } from '../support/browser';
import { obsConfigHome, playFirstRun } from '../support/first-run';
import type { RunningHost } from '../support/host';
import { startHost } from '../support/host';
import { sampleOrangeMedia, sampleProducts, sampleRundown, sampleTemplates } from '../support/sample-show';
import type { BenchModule } from './types';

/** Calls the host's API over its WebSocket, one request at a time. */
async function apiClient(host: RunningHost) {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api?token=${host.token}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  const call = (name: string, payload?: unknown): Promise<{ id: string }> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as {
          type: string;
          id?: number;
          result?: { ok: boolean; value?: never };
        };
        if (msg.type !== 'result' || msg.id !== id) return;
        ws.off('message', onMessage);
        if (msg.result?.ok === true) resolve(msg.result.value ?? { id: '' });
        else reject(new Error(`${name}: ${JSON.stringify(msg.result)}`));
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'call', id, name, payload }));
    });
  };
  return { call, close: () => ws.close() };
}

/**
 * A new user on a fresh data folder, through the first-run guide in real Chromium to the first live
 * NEXT (the guide's action count and time), beside the same set-up done straight over the API
 * with no UI (the floor the guide's own time is measured against).
 */
const bench: BenchModule = async (ctx) => {
  if (!ctx.obs.available) throw new Error(`no OBS: ${ctx.obs.reason ?? '?'}`);
  const env = { XDG_CONFIG_HOME: obsConfigHome(ctx.obs) };
  const camera = makeFakeCamera(ctx.root, { input: footage.person, width: 640, height: 480, seconds: 4, fps: 25 });

  const guideDir = path.join(ctx.tmpDir, 'guide');
  fs.mkdirSync(guideDir);
  const host = await startHost({ dataDir: guideDir, firstRun: true, env });
  const browser = await launchBrowser({ fakeCamera: camera });
  let guided;
  try {
    const { page } = await openPage(browser, host.url, { width: 1366, height: 768 });
    guided = await playFirstRun(page);
    ctx.log(`${guided.actions} actions: ${guided.steps.join(' → ')}`);
  } finally {
    await browser.close();
    await host.stop();
  }

  const apiDir = path.join(ctx.tmpDir, 'api');
  fs.mkdirSync(apiDir);
  const bare = await startHost({ dataDir: apiDir, firstRun: true, env });
  let apiMs: number;
  try {
    const api = await apiClient(bare);
    const t0 = performance.now();
    await api.call('obs:connect-local', { readPassword: true });
    await api.call('show:obs-provision');
    const productIds: string[] = [];
    for (const input of sampleProducts) productIds.push((await api.call('products:save', input)).id);
    await api.call('show:product-media-set', { productId: productIds[0], media: sampleOrangeMedia });
    const presetIds: string[] = [];
    for (const templateId of sampleTemplates) {
      const made = await api.call('show:preset-from-template', { templateId });
      presetIds.push((await api.call('show:preset-save', made)).id);
    }
    const rundown = await api.call('show:rundown-save', sampleRundown(productIds, presetIds));
    await api.call('show:live-start', { rundownId: rundown.id, acknowledgeGuard: false });
    await api.call('show:live-next');
    apiMs = performance.now() - t0;
    api.close();
  } finally {
    await bare.stop();
  }

  return [
    { name: 'first run to first NEXT actions', value: guided.actions, unit: 'actions' },
    { name: 'first run to first NEXT ms', value: guided.ms, unit: 'ms' },
    { name: 'first run to first NEXT ms (API only, no UI)', value: Math.round(apiMs), unit: 'ms' },
  ];
};

export default bench;
