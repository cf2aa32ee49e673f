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

// The leader's frame loop, alone (no locks, no channel): each camera frame goes to every idle
// worker that has its model, never queued; a busy worker gets the newest frame when it answers;
// face-only work is rate-limited; errors and model failures reach the caller; close stops it all.

/** A decoded camera frame the client wraps; counts clones and closes like the real one would. */
class FakeVideoFrame {
  static made = 0;
  constructor(
    readonly source: unknown,
    readonly init: { timestamp: number },
  ) {
    FakeVideoFrame.made++;
  }
  clone(): FakeVideoFrame {
    return new FakeVideoFrame(this.source, this.init);
  }
  close(): void {}
}

/** A <video> whose frames the test delivers. */
class FakeVideo {
  videoWidth = 640;
  private callbacks = new Map<number, (now: number) => void>();
  private next = 1;
  requestVideoFrameCallback(cb: (now: number) => void): number {
    const id = this.next++;
    this.callbacks.set(id, cb);
    return id;
  }
  cancelVideoFrameCallback(id: number): void {
    this.callbacks.delete(id);
  }
  get waiting(): number {
    return this.callbacks.size;
  }
  frame(now: number): void {
    const callbacks = [...this.callbacks.values()];
    this.callbacks.clear();
    for (const cb of callbacks) cb(now);
  }
}

const feedMs = { capture: 1, segment: 9, readback: 1, hands: 5, face: 0 };
const feedResult = (role: 'segment' | 'hands', time: number): WorkerResult => ({
  type: 'result',
  role,
  time,
  skipped: false,
  mask: role === 'segment' ? new Uint8Array(4) : undefined,
  maskWidth: role === 'segment' ? 2 : 0,
  maskHeight: role === 'segment' ? 2 : 0,
  hand: undefined,
  face: undefined,
  ms: feedMs,
});

describe('VisionClient feeding the workers', () => {
  const globals = globalThis as unknown as { Worker: unknown; VideoFrame: unknown };
  const previous = { Worker: globals.Worker, VideoFrame: globals.VideoFrame };
  const frames = (w: FakeWorker) => w.received.flatMap((m) => (m.type === 'frame' ? [m.time] : []));
  let client: VisionClient;
  let errors: string[];
  let models: [string, string | null][];
  let results: number;

  beforeEach(() => {
    FakeWorker.all = [];
    FakeVideoFrame.made = 0;
    globals.Worker = FakeWorker;
    globals.VideoFrame = FakeVideoFrame;
    errors = [];
    models = [];
    results = 0;
  });
  afterEach(() => {
    client.close();
    globals.Worker = previous.Worker;
    globals.VideoFrame = previous.VideoFrame;
  });

  async function leader(options: { minIntervalMs?: number; withOnModel?: boolean } = {}) {
    client = new VisionClient(
      urls,
      () => results++,
      (message) => errors.push(message),
      {
        locks: null,
        channel: null,
        ...(options.minIntervalMs === undefined ? {} : { minIntervalMs: options.minIntervalMs }),
        ...(options.withOnModel === false ? {} : { onModel: (m, e) => models.push([m, e]) }),
      },
    );
    client.start();
    await settle();
    const [segment, hands] = FakeWorker.all;
    return { segment: segment!, hands: hands! };
  }

  it('gives each frame to the workers with a loaded model, one more to a busy one, and the newest when it answers', async () => {
    const { segment, hands } = await leader();
    expect([segment.role, hands.role]).toEqual(['segment', 'hands']);
    const video = new FakeVideo();
    client.setWants({ segment: true, hands: true, face: false });
    client.setVideo(video as unknown as HTMLVideoElement);
    expect(segment.received.at(-1)).toEqual({ type: 'prepare', wants: { segment: true, hands: true, face: false } });

    // Nothing is ready: frames are dropped, not queued.
    video.frame(10);
    expect(frames(segment)).toEqual([]);
    segment.reply({ type: 'ready' });
    segment.reply({ type: 'model', model: 'segmenter', error: null });
    hands.reply({ type: 'ready' });
    video.frame(20);
    // The hands model is not loaded yet: only segmentation gets the frame.
    expect(frames(segment)).toEqual([20]);
    expect(frames(hands)).toEqual([]);
    hands.reply({ type: 'model', model: 'hands', error: null });
    video.frame(30);
    // Segmentation, busy with 20, gets 30 to start the moment it finishes; hands takes 30 too.
    expect(frames(segment)).toEqual([20, 30]);
    expect(frames(hands)).toEqual([30]);
    video.frame(40);
    video.frame(50);
    // Segmentation holds two: no third. The hand model takes at most one frame per 66 ms.
    expect(frames(segment)).toEqual([20, 30]);
    expect(frames(hands)).toEqual([30]);
    // Segmentation answers 20: it gets the newest frame (50) at once, not 40.
    segment.reply(feedResult('segment', 20));
    expect(frames(segment)).toEqual([20, 30, 50]);
    expect(results).toBe(1);
    // Hands answers, but 50 comes too soon after 30 for it.
    hands.reply(feedResult('hands', 30));
    expect(frames(hands)).toEqual([30]);
    // Both idle on the next frame: one frame, cloned once for the second worker.
    segment.reply(feedResult('segment', 30));
    segment.reply(feedResult('segment', 50));
    const before = FakeVideoFrame.made;
    video.frame(100);
    expect(frames(segment).at(-1)).toBe(100);
    expect(frames(hands).at(-1)).toBe(100);
    expect(FakeVideoFrame.made - before).toBe(2);
    expect(client.isReady).toBe(true);
    expect(client.stats.handRate.samples).toBe(0); // no hand was in those results
    expect(client.stats.maskRate.samples).toBe(3);
  });

  it('feeds a face-only worker a few times a second, and honours the minimum interval', async () => {
    const { segment } = await leader({ minIntervalMs: 100 });
    const video = new FakeVideo();
    client.setWants({ segment: false, hands: false, face: true });
    client.setVideo(video as unknown as HTMLVideoElement);
    segment.reply({ type: 'ready' });
    segment.reply({ type: 'model', model: 'face', error: null });
    for (const now of [1000, 1100, 1150, 1210, 1300]) {
      video.frame(now);
      const last = frames(segment).at(-1);
      if (last === now) segment.reply(feedResult('segment', now));
    }
    // At most every 200 ms for faces alone, though the minimum interval is 100.
    expect(frames(segment)).toEqual([1000, 1210]);
  });

  it('reports model failures to onModel, and without it as errors; worker errors free the worker', async () => {
    const { segment } = await leader();
    segment.reply({ type: 'model', model: 'segmenter', error: 'bad model' });
    expect(models).toEqual([['segmenter', 'bad model']]);
    expect(client.failed).toEqual({ segmenter: 'bad model' });
    client.close();

    FakeWorker.all = [];
    const again = await leader({ withOnModel: false });
    again.hands.reply({ type: 'model', model: 'hands', error: 'no wasm' });
    expect(errors).toEqual(['hands: no wasm']);
    again.segment.onerror?.({ message: '' } as ErrorEvent);
    expect(errors.at(-1)).toBe('vision worker (segment) failed');

    const video = new FakeVideo();
    client.setWants({ segment: true, hands: false, face: false });
    client.setVideo(video as unknown as HTMLVideoElement);
    again.segment.reply({ type: 'ready' });
    again.segment.reply({ type: 'model', model: 'segmenter', error: null });
    video.frame(5);
    again.segment.reply({ type: 'error', message: 'inference failed' });
    expect(errors.at(-1)).toBe('inference failed');
    video.frame(6);
    expect(frames(again.segment)).toEqual([5, 6]);
  });

  it('close stops the workers and the frame callbacks; late answers are ignored', async () => {
    const { segment, hands } = await leader();
    const video = new FakeVideo();
    client.setVideo(video as unknown as HTMLVideoElement);
    expect(video.waiting).toBe(1);
    client.close();
    expect(video.waiting).toBe(0);
    expect(segment.received.at(-1)).toEqual({ type: 'close' });
    expect(hands.received.at(-1)).toEqual({ type: 'close' });
    segment.reply(feedResult('segment', 1));
    expect(results).toBe(0);
  });
});
