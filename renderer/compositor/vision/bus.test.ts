import { describe, expect, it } from 'vitest';

import type { BusHandlers } from './bus';
import { fromEpoch, ResultCache, toEpoch, VisionBus, wantsExpiryMs } from './bus';
import { FakeChannels, settle } from './fakes.test-support';
import type { ModelKey, VisionWants, WorkerResult } from './protocol';

const times = { capture: 1, segment: 2, readback: 0.5, hands: 0, face: 0 };

function segmentResult(time: number, mask: Uint8Array | null | undefined, skipped = false): WorkerResult {
  return {
    type: 'result',
    role: 'segment',
    time,
    skipped,
    mask,
    maskWidth: 4,
    maskHeight: 2,
    hand: undefined,
    face: undefined,
    ms: times,
  };
}

function handResult(time: number, hand: Float32Array | null | undefined, skipped = false): WorkerResult {
  return {
    type: 'result',
    role: 'hands',
    time,
    skipped,
    mask: undefined,
    maskWidth: 0,
    maskHeight: 0,
    hand,
    face: undefined,
    ms: times,
  };
}

/** A window: its bus, its clock, and what its handlers saw. */
function windowOf(channels: FakeChannels, id: string, timeOrigin: number) {
  const clock = { timeOrigin, t: 0, now: () => clock.t };
  const seen = {
    results: [] as { result: WorkerResult; time: number }[],
    status: [] as { ready: boolean; failed: Record<string, string | null> }[],
    models: [] as { model: ModelKey; error: string | null }[],
    followers: 0,
  };
  const handlers: BusHandlers = {
    onResult: (result, time) => seen.results.push({ result, time }),
    onStatus: (ready, failed) => seen.status.push({ ready, failed }),
    onModel: (model, error) => seen.models.push({ model, error }),
    onFollowerWants: (isNew) => (seen.followers += isNew ? 1 : 0),
  };
  const bus = new VisionBus(channels.channel(), id, handlers, clock);
  return { bus, clock, seen };
}

const wants = (w: Partial<VisionWants>): VisionWants => ({ hands: false, segment: false, face: false, ...w });

describe('time across windows', () => {
  it('converts through epoch ms and back', () => {
    expect(toEpoch(50, 1_700_000_000_000)).toBe(1_700_000_000_050);
    expect(fromEpoch(toEpoch(50, 1000), 1200)).toBe(-150);
    expect(fromEpoch(toEpoch(123.25, 1000.5), 1000.5)).toBe(123.25);
  });
});

describe('VisionBus', () => {
  it('followers get the leader results on their own clock, and its status and models', async () => {
    const channels = new FakeChannels();
    const program = windowOf(channels, 'program', 10_000);
    const preview = windowOf(channels, 'preview', 12_500); // opened 2.5 s later
    program.bus.setLeader(true);
    preview.bus.setLeader(false);
    const mask = new Uint8Array([0, 255, 128, 1, 2, 3, 4, 5]);
    program.bus.publishResult(segmentResult(3000, mask));
    program.bus.publishStatus(true, { segmenter: null });
    program.bus.publishModel('hands', 'bad file');
    await settle();
    expect(preview.seen.results).toHaveLength(1);
    // The camera frame at 3000 ms after the program's origin is 500 ms after the preview's.
    expect(preview.seen.results[0]!.time).toBe(500);
    expect([...preview.seen.results[0]!.result.mask!]).toEqual([...mask]);
    expect(preview.seen.status).toEqual([{ ready: true, failed: { segmenter: null } }]);
    expect(preview.seen.models).toEqual([{ model: 'hands', error: 'bad file' }]);
    // The leader ignores what the others publish (during a steal two engines may run briefly).
    preview.bus.publishResult(segmentResult(1, mask));
    await settle();
    expect(program.seen.results).toHaveLength(0);
  });

  it('the leader infers the union of what the windows want, forgets a follower that said bye or went silent', async () => {
    const channels = new FakeChannels();
    const leader = windowOf(channels, 'L', 0);
    const follower = windowOf(channels, 'F', 0);
    leader.bus.setWants(wants({ hands: true }));
    follower.bus.setWants(wants({ segment: true }));
    leader.bus.setLeader(true);
    follower.bus.setLeader(false);
    await settle();
    expect(leader.bus.wants()).toEqual(wants({ hands: true, segment: true }));
    expect(leader.seen.followers).toBe(1);

    follower.bus.setWants(wants({ face: true }));
    await settle();
    expect(leader.bus.wants()).toEqual(wants({ hands: true, face: true }));
    expect(leader.seen.followers).toBe(1); // known already: no new status needed

    // Silent past the expiry (a crashed window): forgotten. Repeating (tick) keeps it.
    leader.clock.t = wantsExpiryMs - 1;
    follower.bus.tick();
    await settle();
    leader.clock.t = wantsExpiryMs * 1.5;
    expect(leader.bus.wants().face).toBe(true);
    leader.clock.t = wantsExpiryMs * 2.5;
    expect(leader.bus.wants()).toEqual(wants({ hands: true }));

    follower.bus.tick();
    await settle();
    expect(leader.bus.wants().face).toBe(true);
    follower.bus.close();
    await settle();
    expect(leader.bus.wants()).toEqual(wants({ hands: true }));
  });

  it('a new leader hears the wants of windows that were already following', async () => {
    const channels = new FakeChannels();
    const a = windowOf(channels, 'A', 0);
    const b = windowOf(channels, 'B', 0);
    a.bus.setLeader(false);
    b.bus.setWants(wants({ segment: true }));
    b.bus.setLeader(false);
    await settle();
    a.bus.setLeader(true); // e.g. the previous leader window closed
    await settle();
    expect(a.bus.wants().segment).toBe(true);
    expect(a.seen.followers).toBe(1);
  });

  it('survives a closed channel and ignores junk', async () => {
    const channels = new FakeChannels();
    const a = windowOf(channels, 'A', 0);
    const raw = channels.channel();
    raw.postMessage(null);
    raw.postMessage({ type: 'result', from: 'A' }); // its own id
    await settle();
    a.bus.close();
    expect(() => a.bus.publishStatus(true, {})).not.toThrow();
  });
});

describe('ResultCache', () => {
  it('a skipped frame repeats the last mask, or the last hand, at the new time', () => {
    const cache = new ResultCache();
    const mask = new Uint8Array(8).fill(200);
    const hand = new Float32Array(63).fill(0.5);
    expect(cache.resolve(segmentResult(10, mask), 10).mask).toBe(mask);
    const h = cache.resolve(handResult(12, hand), 12);
    expect(h.hand).toBe(hand);
    expect(h.mask).toBeUndefined(); // the hands worker says nothing about the mask

    const again = cache.resolve(segmentResult(40, undefined, true), 40);
    expect(again.mask).toBe(mask);
    expect([again.maskWidth, again.maskHeight, again.time]).toEqual([4, 2, 40]);
    expect(again.hand).toBeUndefined();
    const still = cache.resolve(handResult(45, undefined, true), 45);
    expect(still.hand).toBe(hand);
    expect(still.mask).toBeUndefined();
  });

  it('repeats "no hand" too, and nothing before the first result or after a reset', () => {
    const cache = new ResultCache();
    expect(cache.resolve(handResult(1, undefined, true), 1).hand).toBeUndefined();
    cache.resolve(handResult(2, null), 2);
    expect(cache.resolve(handResult(3, undefined, true), 3).hand).toBeNull();
    cache.resolve(segmentResult(4, new Uint8Array(8)), 4);
    cache.reset();
    expect(cache.resolve(segmentResult(5, undefined, true), 5).mask).toBeUndefined();
  });
});
