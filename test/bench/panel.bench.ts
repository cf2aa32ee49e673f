// The producer's phone: (1) a NEXT pressed on the panel (its WebSocket on a LAN address, the LAN
// listener, the gateway's checks, the router) to OBS's own CurrentProgramSceneChanged, beside a
// local NEXT (the router called in-process, as show.bench.ts measures it), interleaved press by
// press against the real OBS; (2) the program page's frame rate in Chromium with and without five
// phones connected and busy, in alternating windows so both see the same load on a shared machine.
import type { Page } from 'playwright-core';
import WebSocket from 'ws';

import type { LiveState } from '../../shared/show/live';
import { launchBrowser } from '../support/browser';
import { startHost } from '../support/host';
import { pairDevice, PanelSocket, postPair, startLanStudio, startSampleShow } from '../support/lan/test-kit';
import { connectRaw, connectWithCut, createTestService, waitForState } from '../support/obs/test-kit';
import { sampleProducts, sampleRundown, sampleTemplates } from '../support/sample-show';
import type { BenchContext, BenchFigure, BenchModule } from './types';
import { medianAndP95, percentile } from './types';

const presses = 40;
const warmUp = 4;
const round = (ms: number) => Math.round(ms * 100) / 100;
const framePhase = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 34));

async function nextLatency(ctx: BenchContext): Promise<BenchFigure[]> {
  const obsMade = createTestService({ statsIntervalMs: 3_600_000 });
  const studio = await startLanStudio({ obs: obsMade.service });
  const raw = await connectRaw(ctx.obs.url, ctx.obs.password);
  try {
    await connectWithCut(obsMade.service, raw, ctx.obs);
    const a = `Harvest panel bench A ${process.pid}`;
    const b = `Harvest panel bench B ${process.pid}`;
    // A long rundown alternating two scenes: every press, panel or local, is a real scene change.
    await startSampleShow(studio, [a, b, a]);
    const live = (await studio.call('show:live-get'))!;
    const rundown = await studio.call('show:rundown-get', { id: live.rundownId });
    await studio.call('show:live-end');
    const segments = Array.from({ length: 2 * (presses + warmUp) + 1 }, (_, i) => ({
      ...rundown.segments[i % 2]!,
      id: undefined,
    }));
    const long = await studio.call('show:rundown-save', { ...rundown, id: undefined, title: 'panel bench', segments });
    await studio.call('show:live-start', { rundownId: long.id, acknowledgeGuard: true });
    await waitForState(obsMade.service, (s) => s.programScene === a, 10_000, 'first scene');

    const state = await studio.call('lan:configure', { isEnabled: true, address: '127.0.0.2', port: 0 });
    const origin = new URL(state.url!).origin;
    const phone = await PanelSocket.open(origin, await pairDevice(studio, 'producer'));

    const seen = (scene: string) =>
      new Promise<number>((resolve) => {
        const onChange = ({ sceneName }: { sceneName: string }) => {
          if (sceneName !== scene) return;
          raw.off('CurrentProgramSceneChanged', onChange);
          resolve(performance.now());
        };
        raw.on('CurrentProgramSceneChanged', onChange);
      });
    const panel: number[] = [];
    const local: number[] = [];
    const panelReply: number[] = [];
    // Press to the studio side switched (show:scene-changed emitted): the panel's own cost, without
    // OBS's 30 fps frame clock in the way.
    const panelStudio: number[] = [];
    const localStudio: number[] = [];
    ctx.log(`NEXT x${presses} from the panel and x${presses} local, interleaved, Cut transition`);
    let index = 0;
    for (let i = 0; i < 2 * (presses + warmUp); i++) {
      const target = index % 2 === 0 ? b : a;
      const obsSeen = seen(target);
      await framePhase();
      studio.stamps.clear();
      const pressed = performance.now();
      const isPanel = i % 2 === 0;
      if (isPanel) {
        const r = await phone.request('panel:next', { fromIndex: index });
        if (!r.ok) throw new Error(`panel NEXT: ${r.error?.code}`);
        if (i >= 2 * warmUp) panelReply.push(performance.now() - pressed);
      } else {
        const moved = (await studio.call('show:live-next')) as LiveState;
        if (moved.index !== index + 1) throw new Error('local NEXT did not move');
      }
      const at = await obsSeen;
      index++;
      const sceneAt = studio.stamps.get('show:scene-changed')?.[0];
      if (sceneAt === undefined) throw new Error('a NEXT did not emit show:scene-changed');
      if (i >= 2 * warmUp) {
        (isPanel ? panel : local).push(at - pressed);
        (isPanel ? panelStudio : localStudio).push(sceneAt - pressed);
      }
      // Let the follow-ups (OBS in sync, the phones' pushed state) land before the next press.
      await new Promise<void>((resolve) => setTimeout(resolve, 60));
    }
    phone.close();
    await studio.call('show:live-end');
    return [
      ...medianAndP95('panel NEXT to OBS program scene change', panel, round),
      ...medianAndP95('panel local NEXT to OBS program scene change (baseline)', local, round),
      {
        name: 'panel NEXT minus local NEXT to OBS program scene change (median)',
        value: round(percentile(panel, 50) - percentile(local, 50)),
        unit: 'ms',
      },
      ...medianAndP95('panel NEXT to show:scene-changed emitted', panelStudio, round),
      ...medianAndP95('panel local NEXT to show:scene-changed emitted (baseline)', localStudio, round),
      {
        name: 'panel NEXT minus local NEXT to show:scene-changed (median)',
        value: round(percentile(panelStudio, 50) - percentile(localStudio, 50)),
        unit: 'ms',
      },
      ...medianAndP95('panel NEXT reply at the phone', panelReply, round),
      { name: 'panel NEXT presses measured (each side)', value: panel.length, unit: 'count' },
    ];
  } finally {
    await studio.close();
    await obsMade.dispose();
    await raw.disconnect();
  }
}

/** The studio API of a running host, for setting the show up. */
async function hostApi(origin: string, token: string) {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, (r: { ok: boolean; value?: unknown; error?: { code: string } }) => void>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { type: string; id: number; result: never };
    if (msg.type === 'result') pending.get(msg.id)?.(msg.result);
  });
  return {
    call: <T>(name: string, payload?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const n = ++id;
        pending.set(n, (r) => (r.ok ? resolve(r.value as T) : reject(new Error(`${name}: ${r.error?.code}`))));
        ws.send(JSON.stringify({ type: 'call', id: n, name, payload }));
      }),
    close: () => ws.close(),
  };
}

async function framesIn(page: Page, ms: number): Promise<number> {
  const frames = () =>
    page.evaluate(
      () =>
        (window as unknown as { __harvestCompositor: { info(): { frames: number } } }).__harvestCompositor.info()
          .frames,
    );
  const f0 = await frames();
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((await frames()) - f0) / ((Date.now() - t0) / 1000);
}

async function programFps(ctx: BenchContext): Promise<BenchFigure[]> {
  const host = await startHost({ dataDir: ctx.tmpDir });
  const api = await hostApi(host.origin, host.token);
  const browser = await launchBrowser();
  const phones: PanelSocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    await api.call('settings:update', { outputFormat: '1280x720' });
    await api.call('obs:connect', {
      host: '127.0.0.1',
      port: Number(new URL(ctx.obs.url).port),
      password: ctx.obs.password,
    });
    const productIds: string[] = [];
    for (const p of sampleProducts) productIds.push((await api.call<{ id: string }>('products:save', p)).id);
    const presetIds: string[] = [];
    for (const [i, templateId] of sampleTemplates.entries()) {
      const made = await api.call<Record<string, unknown>>('show:preset-from-template', { templateId });
      const obsScene = `Harvest panel fps ${process.pid} ${i}`;
      presetIds.push((await api.call<{ id: string }>('show:preset-save', { ...made, obsScene })).id);
    }
    const rundown = await api.call<{ id: string }>('show:rundown-save', sampleRundown(productIds, presetIds));
    await api.call('show:live-start', { rundownId: rundown.id, acknowledgeGuard: true });
    const lan = await api.call<{ url: string }>('lan:configure', { isEnabled: true, address: '127.0.0.3', port: 0 });
    const lanOrigin = new URL(lan.url).origin;

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(`${host.programUrl}&adaptive=0`);
    await page.waitForFunction(() => document.body.dataset.sceneReady === '1', undefined, { timeout: 60_000 });
    await framesIn(page, 3000);

    // Five phones: one producer entering a sale a second (each pushes a fresh state to all five),
    // and every phone asking for its state twice a second, far busier than real phones.
    for (let i = 0; i < 5; i++) {
      const offer = await api.call<{ url: string }>('lan:pair-start', { role: i === 0 ? 'producer' : 'prompter' });
      const code = new URLSearchParams(new URL(offer.url).hash.slice(1)).get('pair')!;
      const answer = await postPair(lanOrigin, { code });
      phones.push(await PanelSocket.open(lanOrigin, answer.body.value!.deviceToken));
    }
    let isBusy = false;
    let sales = 0;
    const windowMs = 5000;
    const without: number[] = [];
    const withPhones: number[] = [];
    for (let round = 0; round < 3; round++) {
      without.push(await framesIn(page, windowMs));
      isBusy = true;
      timers.push(
        setInterval(() => {
          if (!isBusy) return;
          for (const p of phones) void p.request('panel:state');
        }, 500),
        setInterval(() => {
          if (!isBusy) return;
          sales++;
          void phones[0]!.request('panel:sale', { entryKey: `bench-${process.pid}-${sales}-xxxxxxxx`, quantity: 1 });
        }, 1000),
      );
      withPhones.push(await framesIn(page, windowMs));
      isBusy = false;
      for (const t of timers.splice(0)) clearInterval(t);
    }
    ctx.log(
      `program fps without phones ${without.map((f) => f.toFixed(1)).join(' ')}; with 5 phones ${withPhones.map((f) => f.toFixed(1)).join(' ')}; ${sales} sales`,
    );
    const median = (s: number[]) => Math.round(percentile(s, 50) * 10) / 10;
    const spread = (s: number[]) => Math.round((Math.max(...s) - Math.min(...s)) * 10) / 10;
    return [
      { name: 'panel program fps without phones', value: median(without), unit: 'fps' },
      { name: 'panel program fps with 5 phones', value: median(withPhones), unit: 'fps' },
      { name: 'panel program fps without phones, spread of 3 windows', value: spread(without), unit: 'fps' },
      { name: 'panel program fps with 5 phones, spread of 3 windows', value: spread(withPhones), unit: 'fps' },
    ];
  } finally {
    for (const t of timers) clearInterval(t);
    for (const p of phones) p.close();
    try {
      await api.call('show:live-end');
    } catch {
      // Not live: nothing to end.
    }
    api.close();
    await browser.close();
    await host.stop();
  }
}

const bench: BenchModule = async (ctx) => {
  if (!ctx.obs.available) throw new Error(`no OBS to measure: ${ctx.obs.reason ?? '?'}`);
  const figures = await nextLatency(ctx);
  // The frame-rate half drives Chromium; PANEL_BENCH_FPS=0 skips it on a crowded machine.
  if (process.env.PANEL_BENCH_FPS !== '0') figures.push(...(await programFps(ctx)));
  return figures;
};

export default bench;
