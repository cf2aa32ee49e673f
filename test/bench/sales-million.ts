// 1,000,000 抖店 orders in GB18030 (74 columns), preview + commit, while a second loop keeps
// calling the API (the live segment, a database read, as quick entry does) and the process's
// resident memory is sampled. Run by sales.bench.ts in a process of its own (see there):
// `tsx sales-million.ts <file> <data folder>` prints the figures as one JSON array.
import { makeSalesKit, seedShow } from '../support/sales/test-kit';
import type { BenchFigure } from './types';

const log = (message: string) => process.stderr.write(`[bench] sales.bench.ts (own process): ${message}\n`);

async function millionOrders(file: string, dir: string): Promise<BenchFigure[]> {
  const kit = await makeSalesKit({ dir });
  await seedShow(kit);
  let peakRss = process.memoryUsage().rss;
  log(`resident memory before the import: ${Math.round(peakRss / 1024 ** 2)} MB`);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  let isRunning = true;
  let worstTrip = 0;
  let trips = 0;
  /** Where the slowest round trip began: the phase, and how far into it. */
  let phase = { name: 'preview', started: performance.now() };
  let worstAt = '';
  const pinger = (async () => {
    while (isRunning) {
      const started = performance.now();
      await kit.call('sales:live-segment');
      const took = performance.now() - started;
      if (took > worstTrip) {
        worstTrip = took;
        worstAt = `${phase.name} +${Math.round(started - phase.started)} ms`;
      }
      trips += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const preview = await kit.call('sales:import-preview', { source: { kind: 'path', path: file } });
  const previewed = performance.now();
  phase = { name: 'commit', started: previewed };
  const result = await kit.call('sales:import-commit', { previewId: preview.previewId });
  const done = performance.now();
  isRunning = false;
  await pinger;
  clearInterval(sampler);
  await kit.close();
  if (result.imported !== 1_000_000) throw new Error(`1,000,000 orders: imported ${result.imported}`);
  log(
    `1,000,000 orders: preview ${Math.round(previewed - started)} ms, commit ${Math.round(done - previewed)} ms, ` +
      `${trips} API round trips, worst ${worstTrip.toFixed(1)} ms (${worstAt})`,
  );
  const what = 'sales import 1,000,000 orders (抖店 CSV GB18030, 74 columns)';
  return [
    { name: `${what} preview + commit`, value: done - started, unit: 'ms' },
    { name: `${what} peak RSS`, value: Math.round(peakRss / 1024 ** 2), unit: 'MB' },
    { name: `${what} worst API round trip during the import`, value: worstTrip, unit: 'ms' },
  ];
}

const [file, dir] = process.argv.slice(2);
if (file === undefined || dir === undefined) throw new Error('usage: sales-million.ts <file> <data folder>');
process.stdout.write(JSON.stringify(await millionOrders(file, dir)));
