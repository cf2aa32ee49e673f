import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { settle } from './fakes.test-support';
import type { FromVision, ToVision, WorkerResult } from './protocol';
import { VisionClient } from './vision-client';

/** Stands in for a vision worker: records the frames it is given; the test answers for it. */
class FakeWorker {
  static all: FakeWorker[] = [];
  readonly received: ToVision[] = [];
  onmessage: ((event: MessageEvent<FromVision>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(message: ToVision): void {
    this.received.push(message);
  }
  reply(data: FromVision): void {
    this.onmessage?.({ data } as MessageEvent<FromVision>);
  }
  frameTimes(): number[] {
    return this.received.flatMap((m) => (m.type === 'frame' ? [m.time] : []));
  }
}

class FakeVideoFrame {
  closed = false;
  clone(): FakeVideoFrame {
    return new FakeVideoFrame();
  }
  close(): void {
    this.closed = true;
  }
}

/** A playing camera video: the test decides when its next frame is presented. */
class FakeVideo {
  videoWidth = 1280;
  videoHeight = 720;
  private callback: ((now: number) => void) | undefined;
  requestVideoFrameCallback(cb: (now: number) => void): number {
    this.callback = cb;
    return 1;
  }
  cancelVideoFrameCallback(): void {
    this.callback = undefined;
  }
  present(now: number): void {
    const cb = this.callback;
    this.callback = undefined;
    cb?.(now);
  }
}

const result = (time: number): WorkerResult => ({
  type: 'result',
  role: 'segment',
  time,
  skipped: false,
  mask: new Uint8Array(4),
  maskWidth: 2,
  maskHeight: 2,
  hand: undefined,
  face: undefined,
  ms: { capture: 1, segment: 30, readback: 1, hands: 0, face: 0 },
});

describe('VisionClient feeding its workers', () => {
  const previous = { Worker: globalThis.Worker, VideoFrame: globalThis.VideoFrame };
  let client: VisionClient | undefined;

  beforeEach(() => {
    FakeWorker.all = [];
    globalThis.Worker = FakeWorker as unknown as typeof Worker;
    globalThis.VideoFrame = FakeVideoFrame as unknown as typeof VideoFrame;
  });
  afterEach(() => {
    client?.close();
    globalThis.Worker = previous.Worker;
    globalThis.VideoFrame = previous.VideoFrame;
  });

  it('gives a busy worker the next frame to wait with, never a third, and the newest as soon as it answers', async () => {
    const urls = { wasmBase: 'w', hands: 'h', segmenter: 's', face: 'f', preferLite: true };
    client = new VisionClient(
      urls,
      () => undefined,
      () => undefined,
      { locks: null, channel: null },
    );
    client.setWants({ segment: true, hands: false, face: false });
    const video = new FakeVideo();
    client.start();
    await settle();
    client.setVideo(video as unknown as HTMLVideoElement);
    const seg = FakeWorker.all[0]!;
    seg.reply({ type: 'ready' });
    seg.reply({ type: 'model', model: 'segmenter', error: null });

    video.present(0);
    video.present(33);
    video.present(66); // the worker holds two: this one is not sent
    expect(seg.frameTimes()).toEqual([0, 33]);
    seg.reply(result(0)); // done with the first: it is at work on 33 already and gets 66 to wait with
    expect(seg.frameTimes()).toEqual([0, 33, 66]);
    seg.reply(result(33));
    seg.reply(result(66));
    expect(seg.frameTimes()).toEqual([0, 33, 66]); // nothing new from the camera: nothing sent twice
    video.present(100);
    expect(seg.frameTimes()).toEqual([0, 33, 66, 100]);
    // The hands worker was never sent a frame: nothing was wanted of it.
    expect(FakeWorker.all[1]!.frameTimes()).toEqual([]);
  });
});
