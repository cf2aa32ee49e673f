// Child process of the crash test: records sales through the real store (worker thread,
// WAL, synchronous=FULL) as fast as it can, printing each id once the store acknowledged it.
// The parent SIGKILLs this process at random moments.
import { createNullLogger } from '../../../electron/services/logger';
import { SalesStore } from '../../../electron/services/sales/store';
import { seedLiveSegment } from './bench-seed';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: crash-child <db file>');

const store = new SalesStore({ file }, createNullLogger());
const state = await store.open();
if (state.kind !== 'open') throw new Error(`cannot open: ${JSON.stringify(state)}`);

// Later rounds reopen the same file, whose segment is still live.
if ((await store.call('liveSegment')) === null) await seedLiveSegment(store, 'crash');
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  // Several in flight at once, like a busy operator plus the live feed.
  const batch = await Promise.all(
    Array.from({ length: 4 }, (_, k) => store.call('recordSale', { quantity: 1 + ((i + k) % 3), note: '' })),
  );
  // Pipes are synchronous on Linux: once written, the parent has the ids.
  process.stdout.write(batch.map((s) => `${s.id}\n`).join(''));
}
