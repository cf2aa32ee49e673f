import { describe, expect, it } from 'vitest';

import type { ObsOutputState, ObsStats } from '../../../shared/api/obs';
import {
  bitrateKbps,
  outputStateFrom,
  outputStateOf,
  reconciledOutputState,
  scenesInScreenOrder,
  WarningTracker,
} from './state';

const stats = (patch: Partial<ObsStats>): ObsStats => ({
  fps: 30,
  cpu: 10,
  memoryMb: 200,
  renderSkipped: 0,
  renderTotal: 0,
  outputSkipped: 0,
  outputTotal: 0,
  dropped: 0,
  diskFreeMb: 50_000,
  bitrateKbps: 0,
  ...patch,
});

describe('WarningTracker', () => {
  const thresholds = { diskLowMb: 1000, minFrames: 3, minShare: 0.01, holdMs: 10_000 };

  it('ignores frames skipped before it started watching (OBS start-up)', () => {
    const tracker = new WarningTracker(thresholds);
    expect(tracker.update(stats({ renderSkipped: 500, renderTotal: 1000 }), 0)).toEqual([]);
    expect(tracker.update(stats({ renderSkipped: 500, renderTotal: 1060 }), 2000)).toEqual([]);
  });

  it('warns when a counter grows within a poll, and holds the warning without flicker', () => {
    const tracker = new WarningTracker(thresholds);
    tracker.update(stats({ dropped: 0, outputTotal: 0 }), 0);
    const warned = tracker.update(stats({ dropped: 12, outputTotal: 60 }), 2000);
    expect(warned).toEqual([{ code: 'frames-dropped', params: { frames: 12 } }]);
    expect(tracker.update(stats({ dropped: 12, outputTotal: 120 }), 4000).map((w) => w.code)).toEqual([
      'frames-dropped',
    ]);
    expect(tracker.update(stats({ dropped: 12, outputTotal: 700 }), 12_001)).toEqual([]);
  });

  it('does not warn for a share of frames below the threshold', () => {
    const tracker = new WarningTracker(thresholds);
    tracker.update(stats({ outputSkipped: 0, outputTotal: 0 }), 0);
    expect(tracker.update(stats({ outputSkipped: 3, outputTotal: 1000 }), 2000)).toEqual([]);
    expect(tracker.update(stats({ outputSkipped: 20, outputTotal: 1060 }), 4000).map((w) => w.code)).toEqual([
      'encoder-overloaded',
    ]);
  });

  it('warns about low disk at once', () => {
    const tracker = new WarningTracker(thresholds);
    expect(tracker.update(stats({ diskFreeMb: 512.4 }), 0)).toEqual([{ code: 'disk-low', params: { freeMb: 512 } }]);
  });
});

describe('mirror helpers', () => {
  it('maps obs-websocket output states', () => {
    expect(outputStateFrom('OBS_WEBSOCKET_OUTPUT_STARTING', false)).toBe('starting');
    expect(outputStateFrom('OBS_WEBSOCKET_OUTPUT_RECONNECTED', true)).toBe('started');
    expect(outputStateFrom('OBS_WEBSOCKET_OUTPUT_PAUSED', true)).toBe('paused');
    expect(outputStateFrom('OBS_WEBSOCKET_OUTPUT_STOPPED', false)).toBe('stopped');
    expect(outputStateFrom('SOMETHING_NEW', true)).toBe('started');
  });

  it('lists scenes in the order OBS shows them (top first)', () => {
    const scenes = [
      { sceneIndex: 0, sceneName: 'bottom' },
      { sceneIndex: 2, sceneName: 'top' },
      { sceneIndex: 1, sceneName: 'middle' },
    ];
    expect(scenesInScreenOrder(scenes)).toEqual(['top', 'middle', 'bottom']);
  });

  it('computes kbit/s from byte counters and ignores a counter reset', () => {
    expect(bitrateKbps(0, 625_000, 2000)).toBe(2500);
    expect(bitrateKbps(625_000, 100, 2000)).toBe(0);
  });
});

describe('output states from status reads', () => {
  const idle = { outputActive: false, outputReconnecting: false };
  const active = { outputActive: true, outputReconnecting: false };
  const reconnecting = { outputActive: false, outputReconnecting: true };

  it('reads reconnecting and paused before active', () => {
    expect(outputStateOf(reconnecting)).toBe('reconnecting');
    expect(outputStateOf({ outputActive: true, outputPaused: true })).toBe('paused');
    expect(outputStateOf(active)).toBe('started');
    expect(outputStateOf({ outputActive: false })).toBe('stopped');
  });

  it('a poll ends a running state OBS no longer has, and changes nothing else', () => {
    const all: ObsOutputState[] = ['stopped', 'starting', 'started', 'reconnecting', 'stopping', 'paused'];
    const afterIdle = all.map((mirrored) => reconciledOutputState(mirrored, idle));
    expect(afterIdle).toEqual(['stopped', 'starting', 'stopped', 'stopped', 'stopping', 'stopped']);
    // An output that looks active or reconnecting proves nothing: it may be the moment after STOPPED.
    for (const status of [active, reconnecting, { outputActive: true, outputPaused: true }]) {
      expect(all.map((mirrored) => reconciledOutputState(mirrored, status))).toEqual(all);
    }
  });
});
