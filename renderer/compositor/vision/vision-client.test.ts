import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeChannels, FakeLocks, settle } from './fakes.test-support';
import type { FromVision, ToVision, VisionResult, WorkerResult } from './protocol';
import type { VisionClientOptions } from './vision-client';
import { VisionClient } from './vision-client';

/** Stands in for the vision workers: records what it is told; the test answers for it. */
class FakeWorker {
  static all: FakeWorker[] = [];
  readonly received: ToVision[] = [];
  onmessage: ((event: MessageEvent<FromVision>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor(readonly url: URL) {
    FakeWorker.all.push(this);
  }
  postMessage(message: ToVision): void {
    this.received.push(message);
  }
  get role(): string | undefined {
    const init = this.received.find((m) => m.type === 'init');
    return init?.type === 'init' ? init.role : undefined;
  }
  reply(data: FromVision): void {
    this.onmessage?.({ data } as MessageEvent<FromVision>);
  }
}

const urls = { wasmBase: 'w', hands: 'h', segmenter: 's', face: 'f', preferLite: true };
const times = { capture: 1, segment: 9, readback: 1, hands: 0, face: 0 };
const segmentResult = (time: number, skipped = false): WorkerResult => ({
  type: 'result',
  role: 'segment',
  time,
  skipped,
  mask: skipped ? undefined : new Uint8Array([1, 2, 3, 4]),
  maskWidth: skipped ? 0 : 2,
  maskHeight: skipped ? 0 : 2,
  hand: undefined,
  face: undefined,
  ms: times,
});

describe('VisionClient across windows', () => {
  const previousWorker = globalThis.Worker;
  const clients: VisionClient[] = [];
  let locks: FakeLocks;
  let channels: FakeChannels;

  beforeEach(() => {
    FakeWorker.all = [];
    globalThis.Worker = FakeWorker as unknown as typeof Worker;
    locks = new FakeLocks();
    channels = new FakeChannels();
  });
  afterEach(() => {
    for (const c of clients) c.close();
    globalThis.Worker = previousWorker;
  });

  function open(name: string, role: 'program' | 'preview', options: VisionClientOptions = {}) {
    const results: VisionResult[] = [];
    const client = new VisionClient(
      urls,
      (r) => results.push(r),
      () => undefined,
      {
        role,
        locks: locks.as(name),
        channel: channels.channel(),
        ...options,
      },
    );
    clients.push(client);
    return { client, results };
  }

  it('only the leader starts workers; a follower applies its results, skipped frames included', async () => {
    const program = open('program', 'program');
    const preview = open('preview', 'preview');
    preview.client.setWants({ segment: true, hands: false, face: false });
    program.client.start();
    preview.client.start();
    await settle();
    expect(program.client.isLeader).toBe(true);
    expect(preview.client.isLeader).toBe(false);
    expect(FakeWorker.all.map((w) => w.role)).toEqual(['segment', 'hands']);

    // The preview wants segmentation though the program's own scene does not (yet): the leader loads it.
    await settle();
    const prepared = FakeWorker.all[0]!.received.filter((m) => m.type === 'prepare');
    expect(prepared.at(-1)).toEqual({ type: 'prepare', wants: { segment: true, hands: false, face: false } });

    const seg = FakeWorker.all[0]!;
    seg.reply({ type: 'ready' });
    seg.reply({ type: 'model', model: 'segmenter', error: null });
    seg.reply(segmentResult(100));
    seg.reply(segmentResult(133, true));
    await settle();
    expect(program.results.map((r) => r.mask?.length)).toEqual([4, 4]);
    expect(preview.results).toHaveLength(2);
    // Same clock origin in this test: the time comes through unchanged.
    expect(preview.results.map((r) => r.time)).toEqual([100, 133]);
    expect([...preview.results[1]!.mask!]).toEqual([1, 2, 3, 4]); // the skipped frame repeats the mask
    expect(preview.results[1]!.hand).toBeUndefined();
    expect(preview.client.isReady).toBe(true);
    expect(preview.client.failed).toEqual({ segmenter: null });
    expect(preview.client.stats.maskRate.samples).toBe(1);
    expect(preview.client.stats.skipped.samples).toBe(1);
    expect(preview.client.stats.segment.average).toBe(9);
  });

  it('when the program closes, the preview starts its own workers; a reopened program takes them back', async () => {
    const program = open('program', 'program');
    const preview = open('preview', 'preview');
    program.client.start();
    preview.client.start();
    await settle();
    const programWorkers = [...FakeWorker.all];
    program.client.close();
    await settle();
    expect(programWorkers.every((w) => w.received.at(-1)?.type === 'close')).toBe(true);
    expect(preview.client.isLeader).toBe(true);
    expect(FakeWorker.all).toHaveLength(4);

    const again = open('program-2', 'program');
    again.client.start();
    await settle();
    expect(again.client.isLeader).toBe(true);
    expect(preview.client.isLeader).toBe(false);
    expect(FakeWorker.all.slice(2, 4).every((w) => w.received.at(-1)?.type === 'close')).toBe(true);
    expect(FakeWorker.all).toHaveLength(6);
    // A late result from the preview's stopped worker is ignored.
    FakeWorker.all[2]!.reply(segmentResult(5));
    expect(preview.results).toHaveLength(0);
  });

  it('without Web Locks or a channel, a window runs its own engine', async () => {
    const alone = open('alone', 'preview', { locks: null, channel: null });
    alone.client.start();
    await settle();
    expect(alone.client.isLeader).toBe(true);
    expect(FakeWorker.all).toHaveLength(2);
  });
});
