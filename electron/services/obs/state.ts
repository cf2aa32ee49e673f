import type { ObsOutputState, ObsState, ObsStats, ObsWarning } from '../../../shared/api/obs';

/** The mirror before anything is known about OBS. */
export function initialObsState(host: string, port: number, hasPassword: boolean): ObsState {
  return {
    connection: { status: 'disconnected', host, port, hasPassword, lastError: null, attempt: 0 },
    obsVersion: null,
    websocketVersion: null,
    platform: null,
    features: { virtualCam: false, recordDirectory: false, studioMode: false },
    scenes: [],
    programScene: null,
    previewScene: null,
    studioMode: false,
    stream: { state: 'stopped', timecode: null, destination: { server: null, hasKey: false } },
    record: { state: 'stopped', lastFile: null },
    virtualCam: { state: 'stopped', available: false },
    stats: null,
    warnings: [],
  };
}

/** Maps obs-websocket's `OBS_WEBSOCKET_OUTPUT_*` to ours; unknown keeps the active flag's meaning. */
export function outputStateFrom(outputState: string, outputActive: boolean): ObsOutputState {
  switch (outputState) {
    case 'OBS_WEBSOCKET_OUTPUT_STARTING':
      return 'starting';
    case 'OBS_WEBSOCKET_OUTPUT_STARTED':
    case 'OBS_WEBSOCKET_OUTPUT_RECONNECTED':
    case 'OBS_WEBSOCKET_OUTPUT_RESUMED':
      return 'started';
    case 'OBS_WEBSOCKET_OUTPUT_STOPPING':
      return 'stopping';
    case 'OBS_WEBSOCKET_OUTPUT_STOPPED':
      return 'stopped';
    case 'OBS_WEBSOCKET_OUTPUT_RECONNECTING':
      return 'reconnecting';
    case 'OBS_WEBSOCKET_OUTPUT_PAUSED':
      return 'paused';
    default:
      return outputActive ? 'started' : 'stopped';
  }
}

/** What GetStreamStatus / GetRecordStatus say of an output. */
export interface OutputStatus {
  outputActive: boolean;
  outputReconnecting?: boolean;
  outputPaused?: boolean;
}

/** An output's state as a status read on connect says: reconnecting and paused before active. */
export function outputStateOf(status: OutputStatus): ObsOutputState {
  if (status.outputReconnecting === true) return 'reconnecting';
  if (status.outputPaused === true) return 'paused';
  return status.outputActive ? 'started' : 'stopped';
}

/**
 * The mirrored state after a later status poll, when no state event came while it was in flight.
 * OBS sends STOPPED a moment before the output stops calling itself active (5–26 ms on an idle
 * machine, longer on a loaded one), so a read on connect in that moment says "live" and no event
 * follows to correct it. A poll that finds the output neither active nor reconnecting ends such a
 * state. The other way round a poll proves nothing (the same moment makes a stopped output look
 * active), and STARTING and STOPPING always end in an event, so those are left to the events.
 */
export function reconciledOutputState(mirrored: ObsOutputState, status: OutputStatus): ObsOutputState {
  const isRunning = mirrored === 'started' || mirrored === 'paused' || mirrored === 'reconnecting';
  const isIdle = !status.outputActive && status.outputReconnecting !== true;
  return isRunning && isIdle ? 'stopped' : mirrored;
}

/** GetSceneList lists scenes bottom-up (sceneIndex 0 is last on screen); the UI wants OBS's order. */
export function scenesInScreenOrder(scenes: ReadonlyArray<Record<string, unknown>>): string[] {
  return [...scenes]
    .sort((a, b) => Number(b.sceneIndex ?? 0) - Number(a.sceneIndex ?? 0))
    .map((s) => String(s.sceneName ?? ''))
    .filter((name) => name !== '');
}

/** Thresholds for operator warnings. */
export interface WarningThresholds {
  /** Disk free below this (MB) warns. */
  diskLowMb: number;
  /** A counter that grew by at least this many frames in one poll warns... */
  minFrames: number;
  /** ...if it is also at least this share of the frames in that poll. */
  minShare: number;
  /** A warning stays up this long after its cause was last seen, so it does not flicker. */
  holdMs: number;
}

export const defaultWarningThresholds: WarningThresholds = {
  diskLowMb: 2048,
  minFrames: 3,
  minShare: 0.01,
  holdMs: 10_000,
};

type FrameWarning = Exclude<ObsWarning['code'], 'disk-low'>;

/**
 * Turns successive stats into warnings. Counters in GetStats are totals since OBS started, so a
 * warning is about growth between polls, not the total (OBS skips a few frames at start-up).
 */
export class WarningTracker {
  private previous: ObsStats | undefined;
  private readonly lastSeen = new Map<FrameWarning, { at: number; frames: number }>();

  constructor(private readonly thresholds: WarningThresholds = defaultWarningThresholds) {}

  /** Forget counters (after a reconnect OBS may have restarted and reset them). */
  reset(): void {
    this.previous = undefined;
    this.lastSeen.clear();
  }

  update(stats: ObsStats, now: number): ObsWarning[] {
    const prev = this.previous;
    this.previous = stats;
    if (prev !== undefined) {
      const check = (code: FrameWarning, grew: number, of: number) => {
        if (grew >= this.thresholds.minFrames && grew >= of * this.thresholds.minShare) {
          this.lastSeen.set(code, { at: now, frames: grew });
        }
      };
      check('frames-dropped', stats.dropped - prev.dropped, Math.max(1, stats.outputTotal - prev.outputTotal));
      check('render-lag', stats.renderSkipped - prev.renderSkipped, Math.max(1, stats.renderTotal - prev.renderTotal));
      check(
        'encoder-overloaded',
        stats.outputSkipped - prev.outputSkipped,
        Math.max(1, stats.outputTotal - prev.outputTotal),
      );
    }
    const warnings: ObsWarning[] = [];
    for (const [code, seen] of this.lastSeen) {
      if (now - seen.at <= this.thresholds.holdMs) warnings.push({ code, params: { frames: seen.frames } });
      else this.lastSeen.delete(code);
    }
    if (stats.diskFreeMb > 0 && stats.diskFreeMb < this.thresholds.diskLowMb) {
      warnings.push({ code: 'disk-low', params: { freeMb: Math.round(stats.diskFreeMb) } });
    }
    return warnings;
  }
}

/** kbit/s from two byte counters `ms` apart; 0 when the counter went back (new stream session). */
export function bitrateKbps(bytesBefore: number, bytesNow: number, ms: number): number {
  if (ms <= 0 || bytesNow < bytesBefore) return 0;
  return Math.round(((bytesNow - bytesBefore) * 8) / ms);
}
