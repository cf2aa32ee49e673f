// One key moves the whole studio: from a NEXT press (the 'show:live-next' request, parsed by the
// real router) to (a) OBS's own CurrentProgramSceneChanged seen by a separate client, (b) the
// 'show:scene-changed' event every window's compositor renders from, (c) the sales segment open
// (committed, 'sales:segment-changed'). Real OBS with the Cut transition, real SQLite sales store.
import fs from 'node:fs';
import path from 'node:path';

import { createApiRouter } from '../../electron/services/api-router';
import type { DomainDeps } from '../../electron/services/domain';
import { createEventBus } from '../../electron/services/event-bus';
import { createNullLogger } from '../../electron/services/logger';
import { createSalesDomain } from '../../electron/services/sales';
import { createSecretStore } from '../../electron/services/secret-store';
import { SettingsStore } from '../../electron/services/settings-store';
import type { EventName } from '../../shared/api/contract';
import { completeHandlers } from '../support/api-handlers';
import { connectRaw, connectWithCut, createTestService, waitForState } from '../support/obs/test-kit';
import { showDomainOnSales } from '../support/show/test-fakes';
import type { BenchContext, BenchFigure, BenchModule } from './types';
import { medianAndP95, percentile } from './types';

const presses = 40;
const warmUp = 4;
const round = (ms: number) => Math.round(ms * 100) / 100;
const framePhase = () => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 34));

const bench: BenchModule = async (ctx: BenchContext): Promise<BenchFigure[]> => {
  if (!ctx.obs.available) throw new Error(`no OBS to measure: ${ctx.obs.reason ?? '?'}`);
  const logger = createNullLogger();
  const bus = createEventBus();
  // When each event left its service, stamped as it is emitted.
  const stamps = new Map<EventName, number[]>();
  bus.subscribe((name) => stamps.set(name, [...(stamps.get(name) ?? []), performance.now()]));
  const dataDir = path.join(ctx.tmpDir, 'studio');
  fs.mkdirSync(dataDir);
  const deps = (name: string): DomainDeps => ({
    dataDir,
    appRoot: ctx.root,
    logger: logger.child(name),
    emit: bus.emit,
    secrets: createSecretStore(dataDir),
    settings: new SettingsStore(dataDir, bus.emit),
    mode: 'host',
  });
  // Stats polling off, as in the OBS bench: its batches would only add noise.
  const obsMade = createTestService({ statsIntervalMs: 3_600_000 });
  const sales = createSalesDomain(deps('sales'));
  await sales.start?.();
  const show = showDomainOnSales(deps('show'), { obs: obsMade.service, sales: sales.service });
  const router = createApiRouter(completeHandlers({ ...sales.handlers, ...show.handlers }), logger);
  const call = async (name: string, payload?: unknown) => {
    const result = await router.call(name, payload, { transport: 'ws' });
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  const raw = await connectRaw(ctx.obs.url, ctx.obs.password);
  try {
    await connectWithCut(obsMade.service, raw, ctx.obs);
    const scenes = [`Harvest show bench A ${process.pid}`, `Harvest show bench B ${process.pid}`];
    const products: { id: string }[] = [];
    for (const [i, name] of ['赣南脐橙', '土蜂蜜'].entries()) {
      products.push((await call('products:save', { name, unit: '箱', priceFen: 3990 + i })) as { id: string });
    }
    const presets: { id: string }[] = [];
    for (const [i, templateId] of ['orchard-16x9', 'official-guest-16x9'].entries()) {
      const made = (await call('show:preset-from-template', { templateId })) as Record<string, unknown>;
      presets.push((await call('show:preset-save', { ...made, obsScene: scenes[i] })) as { id: string });
    }
    const rundown = (await call('show:rundown-save', {
      title: 'bench',
      segments: Array.from({ length: presses + warmUp + 1 }, (_, i) => ({
        productId: products[i % 2]!.id,
        presetId: presets[i % 2]!.id,
        host: '小王',
        guest: i % 2 === 1 ? '李明' : '',
        plannedSec: 600,
        script: '',
        notes: '',
      })),
    })) as { id: string };
    // Start provisions the two scenes in OBS and puts the first on program.
    await call('show:live-start', { rundownId: rundown.id, acknowledgeGuard: false });
    await waitForState(obsMade.service, (s) => s.programScene === scenes[0], 10_000, 'first scene');

    // OBS alone, interleaved with the presses so both see the same load: a second raw client asks
    // for the same two scenes (and back, unmeasured, so live mode's view of OBS stays true), and
    // the first observes, as it observes NEXT. (The asking client itself gets the event only after
    // its reply, ~20 ms later: obs-websocket answers a scene switch once the UI thread has run it.)
    const sender = await connectRaw(ctx.obs.url, ctx.obs.password);
    const rawSwitch = (sceneName: string) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const onChange = ({ sceneName: name }: { sceneName: string }) => {
          if (name !== sceneName) return;
          raw.off('CurrentProgramSceneChanged', onChange);
          resolve(performance.now() - started);
        };
        raw.on('CurrentProgramSceneChanged', onChange);
        sender.call('SetCurrentProgramScene', { sceneName }).catch(reject);
      });
    const obsAlone: number[] = [];
    const toObs: number[] = [];
    const toScene: number[] = [];
    const toSales: number[] = [];
    const toReply: number[] = [];
    ctx.log(`NEXT x${presses} (after ${warmUp} warm-up presses), Cut transition`);
    for (let i = 0; i < presses + warmUp; i++) {
      const target = scenes[(i + 1) % 2]!;
      const obsSeen = new Promise<number>((resolve) => {
        const onChange = ({ sceneName }: { sceneName: string }) => {
          if (sceneName !== target) return;
          raw.off('CurrentProgramSceneChanged', onChange);
          resolve(performance.now());
        };
        raw.on('CurrentProgramSceneChanged', onChange);
      });
      // OBS switches on its frame clock (30 fps here); a random pause puts each press at a random
      // phase of it, so back-to-back measurements do not lock onto one phase.
      await framePhase();
      stamps.clear();
      const pressed = performance.now();
      await call('show:live-next');
      const replied = performance.now();
      const obsAt = await obsSeen;
      const sceneAt = stamps.get('show:scene-changed')?.[0];
      const salesAt = stamps.get('sales:segment-changed')?.[0];
      if (sceneAt === undefined || salesAt === undefined) throw new Error('a NEXT did not emit its events');
      if (i >= warmUp) {
        toObs.push(obsAt - pressed);
        toScene.push(sceneAt - pressed);
        toSales.push(salesAt - pressed);
        toReply.push(replied - pressed);
      }
      // Let the follow-up 'show:live-changed' (OBS in sync) land before the next press.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await framePhase();
      const alone = await rawSwitch(scenes[i % 2]!);
      await rawSwitch(target);
      if (i >= warmUp) obsAlone.push(alone);
    }
    await call('show:live-end');
    await sender.disconnect();
    const figures = (name: string, sample: number[]) => medianAndP95(`show NEXT to ${name}`, sample, round);
    return [
      ...figures('OBS CurrentProgramSceneChanged (Cut)', toObs),
      ...figures('show:scene-changed emitted (compositor preset)', toScene),
      ...figures('sales segment open (committed)', toSales),
      ...medianAndP95(
        'obs alone: SetCurrentProgramScene (Cut) to CurrentProgramSceneChanged at another client',
        obsAlone,
        round,
      ),
      {
        name: 'show NEXT to OBS event minus OBS alone (median)',
        value: round(percentile(toObs, 50) - percentile(obsAlone, 50)),
        unit: 'ms',
      },
      ...figures('reply (studio side switched)', toReply),
      { name: 'show NEXT presses measured', value: toObs.length, unit: 'count' },
    ];
  } finally {
    await show.close();
    await sales.close();
    await obsMade.dispose();
    await raw.disconnect();
  }
};

export default bench;
