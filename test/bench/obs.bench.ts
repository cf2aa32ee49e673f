// What the studio adds on top of OBS: request round trip (GetVersion) and scene switch with the Cut
// transition until CurrentProgramSceneChanged, each through the ObsService and through a raw
// obs-websocket-js client on the same OBS, interleaved so both see the same load.
import type OBSWebSocket from 'obs-websocket-js';

import { connectRaw, connectWithCut, createTestService, waitForState } from '../support/obs/test-kit';
import type { BenchContext, BenchFigure, BenchModule } from './types';
import { medianAndP95, percentile } from './types';

const roundTrips = 300;
const warmUp = 30;
const switches = 40;

const median = (sample: readonly number[]) => percentile(sample, 50);
const round = (ms: number) => Math.round(ms * 1000) / 1000;

function rawSceneSwitch(raw: OBSWebSocket, sceneName: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const onChange = ({ sceneName: name }: { sceneName: string }) => {
      if (name !== sceneName) return;
      raw.off('CurrentProgramSceneChanged', onChange);
      resolve(performance.now() - started);
    };
    raw.on('CurrentProgramSceneChanged', onChange);
    raw.call('SetCurrentProgramScene', { sceneName }).catch(reject);
  });
}

const bench: BenchModule = async (ctx: BenchContext): Promise<BenchFigure[]> => {
  if (!ctx.obs.available) throw new Error(`no OBS to measure: ${ctx.obs.reason ?? '?'}`);
  const raw = await connectRaw(ctx.obs.url, ctx.obs.password);
  // Stats polling off: its GetStats batches would land in the middle of the service's samples only.
  const made = createTestService({ statsIntervalMs: 3_600_000 });
  const service = made.service;
  try {
    await connectWithCut(service, raw, ctx.obs);
    const scenes = ['Harvest bench A', 'Harvest bench B'];
    for (const sceneName of scenes) {
      await raw.call('CreateScene', { sceneName }).catch(() => undefined); // 601: already there
    }
    await waitForState(service, (s) => scenes.every((n) => s.scenes.includes(n)), 5000, 'bench scenes');

    ctx.log(`GetVersion round trip x${roundTrips} (service and raw, interleaved)`);
    const viaService: number[] = [];
    const viaRaw: number[] = [];
    for (let i = 0; i < warmUp + roundTrips; i++) {
      let t = performance.now();
      await service.call('GetVersion');
      const s = performance.now() - t;
      t = performance.now();
      await raw.call('GetVersion');
      const r = performance.now() - t;
      if (i >= warmUp) {
        viaService.push(s);
        viaRaw.push(r);
      }
    }

    ctx.log(`scene switch with Cut until CurrentProgramSceneChanged x${switches} (service and raw, interleaved)`);
    const switchService: number[] = [];
    const switchRaw: number[] = [];
    for (let i = 0; i < switches + 2; i++) {
      const target = scenes[i % 2] as string;
      const started = performance.now();
      // What a key press does in the main process: the call, then the mirror reports the change.
      const seen = waitForState(service, (s) => s.programScene === target, 5000, 'program scene');
      await service.switchProgramScene(target);
      await seen;
      const s = performance.now() - started;
      const other = scenes[(i + 1) % 2] as string;
      const r = await rawSceneSwitch(raw, other);
      // Put the service's target back for the next round without measuring.
      await rawSceneSwitch(raw, target);
      if (i >= 2) {
        switchService.push(s);
        switchRaw.push(r);
      }
    }

    const figures: BenchFigure[] = [
      ...medianAndP95('obs GetVersion round trip via studio service', viaService, round),
      ...medianAndP95('obs GetVersion round trip raw obs-websocket-js', viaRaw, round),
      {
        name: 'obs request studio overhead (median service - raw)',
        value: round(median(viaService) - median(viaRaw)),
        unit: 'ms',
      },
      ...medianAndP95('obs scene switch (Cut) to CurrentProgramSceneChanged via studio service', switchService, round),
      ...medianAndP95('obs scene switch (Cut) to CurrentProgramSceneChanged raw', switchRaw, round),
      {
        name: 'obs scene switch studio overhead (median service - raw)',
        value: round(median(switchService) - median(switchRaw)),
        unit: 'ms',
      },
    ];
    return figures;
  } finally {
    await made.dispose();
    await raw.disconnect();
  }
};

export default bench;
