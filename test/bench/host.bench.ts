import WebSocket from 'ws';

import { startHost } from '../support/host';
import type { BenchModule } from './types';
import { medianAndP95 } from './types';

/** The studio host itself: start-up time and the API round trip over its WebSocket. */
const bench: BenchModule = async (ctx) => {
  const t0 = performance.now();
  const host = await startHost({ dataDir: ctx.tmpDir });
  const startMs = performance.now() - t0;
  try {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api?token=${host.token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const sample: number[] = [];
    for (let i = 1; i <= 520; i++) {
      const t = performance.now();
      await new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send(JSON.stringify({ type: 'call', id: i, name: 'settings:get' }));
      });
      if (i > 20) sample.push(performance.now() - t);
    }
    ws.close();
    return [
      { name: 'host start to URL printed', value: startMs, unit: 'ms' },
      ...medianAndP95('host api round trip (settings:get)', sample),
    ];
  } finally {
    await host.stop();
  }
};

export default bench;
