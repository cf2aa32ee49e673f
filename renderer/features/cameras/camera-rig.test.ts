import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { StudioError } from '../../../shared/api/result';
import type { CaptureRequest } from '../../compositor/cameras';
import type { CameraStatus } from '../../state/compositor-cameras';
import type { CameraVideos } from './camera-rig';
import { CameraRig } from './camera-rig';

/** Just enough of getUserMedia, tracks and <video> for the rig, in node. */
class FakeTrack {
  static next = 1;
  readonly id = `track-${FakeTrack.next++}`;
  readyState: 'live' | 'ended' = 'live';
  private readonly ended: (() => void)[] = [];
  constructor(
    readonly deviceId: string,
    readonly label = `Camera ${deviceId}`,
  ) {}
  addEventListener(_: 'ended', fn: () => void) {
    this.ended.push(fn);
  }
  getSettings() {
    return { deviceId: this.deviceId };
  }
  stop() {
    this.readyState = 'ended';
  }
  unplug() {
    this.readyState = 'ended';
    for (const fn of this.ended) fn();
  }
}

let devices: string[];
let tracks: FakeTrack[];
let gate: Promise<void> | undefined;

function fakeVideo() {
  return {
    muted: false,
    playsInline: false,
    autoplay: false,
    crossOrigin: '',
    loop: false,
    src: '',
    srcObject: null as unknown,
    videoWidth: 640,
    videoHeight: 480,
    play: async () => undefined,
    pause: () => undefined,
    removeAttribute: () => undefined,
    load: () => undefined,
  };
}

const getUserMedia = vi.fn(async (constraints: { video: { deviceId?: { exact: string } } }) => {
  if (gate !== undefined) await gate;
  const wanted = constraints.video.deviceId?.exact;
  const id = wanted ?? devices[0];
  if (id === undefined || !devices.includes(id)) {
    throw Object.assign(new Error('no device'), {
      name: wanted === undefined ? 'NotFoundError' : 'OverconstrainedError',
    });
  }
  const track = new FakeTrack(id);
  tracks.push(track);
  return { getVideoTracks: () => [track], getTracks: () => [track] };
});

const hd = (deviceId: string | null): CaptureRequest => ({ deviceId, width: 1280, height: 720, fps: 30 });

function makeRig(demoUrl: string | undefined = 'demo.webm') {
  const reports: { code: string; quiet: boolean }[] = [];
  const statuses: Record<string, CameraStatus[]> = { main: [], guest: [] };
  const published: CameraVideos[] = [];
  const rig = new CameraRig({
    demoUrl,
    report: (error: StudioError, o) => reports.push({ code: error.code, quiet: o?.quiet === true }),
    onStatus: (role, status) => statuses[role]!.push(status),
    onDevices: () => undefined,
    onVideos: (v) => published.push(v),
  });
  const live = () => tracks.filter((t) => t.readyState === 'live').map((t) => t.deviceId);
  return { rig, reports, statuses, published, live };
}

describe('CameraRig', () => {
  beforeEach(() => {
    devices = ['cam-a', 'cam-b'];
    tracks = [];
    gate = undefined;
    getUserMedia.mockClear();
    vi.stubGlobal('navigator', {
      mediaDevices: {
        getUserMedia,
        enumerateDevices: async () => devices.map((deviceId) => ({ kind: 'videoinput', deviceId, label: deviceId })),
      },
    });
    vi.stubGlobal('document', { createElement: () => fakeVideo() });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('opens the guest alone for picture-in-picture, keeps the main track through it and devicechanges', async () => {
    const { rig, live, published } = makeRig();
    rig.setWants({ main: hd('cam-a'), guest: null });
    await rig.idle();
    const main = published.at(-1)!.main;
    expect(live()).toEqual(['cam-a']);
    rig.setWants({ main: hd('cam-a'), guest: hd('cam-b') });
    await rig.idle();
    rig.devicesChanged();
    rig.devicesChanged();
    await rig.idle();
    rig.setWants({ main: hd('cam-a'), guest: null });
    await rig.idle();
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    expect(tracks.map((t) => [t.deviceId, t.readyState])).toEqual([
      ['cam-a', 'live'],
      ['cam-b', 'ended'],
    ]);
    expect(published.at(-1)).toEqual({ main, guest: undefined });
    rig.dispose();
    expect(live()).toEqual([]);
  });

  it('plays the demo with no camera, says so once, and takes a camera when one is plugged in', async () => {
    devices = [];
    const { rig, reports, statuses, published } = makeRig();
    rig.setWants({ main: hd(null), guest: null });
    await rig.idle();
    expect(statuses.main!.at(-1)).toMatchObject({ state: 'demo', code: 'compositor/no-camera' });
    const demo = published.at(-1)!.main;
    expect(demo).toBeDefined();
    // Headsets come and go: the demo keeps playing, and nothing new is reported.
    rig.devicesChanged();
    await rig.idle();
    expect(published.at(-1)!.main).toBe(demo);
    expect(reports).toEqual([{ code: 'compositor/no-camera', quiet: true }]);
    devices = ['usb-cam'];
    rig.devicesChanged();
    await rig.idle();
    expect(statuses.main!.at(-1)).toMatchObject({ state: 'live', label: 'Camera usb-cam' });
    expect(published.at(-1)!.main).not.toBe(demo);
  });

  it('replaces a lost camera at once and takes the chosen one back when it returns', async () => {
    const { rig, reports, statuses, live } = makeRig();
    rig.setWants({ main: hd('cam-a'), guest: null });
    await rig.idle();
    devices = ['cam-b'];
    tracks[0]!.unplug();
    await rig.idle();
    expect(reports.map((r) => r.code)).toEqual(['compositor/camera-lost']);
    // The remembered camera is gone: any camera stands in.
    expect(live()).toEqual(['cam-b']);
    expect(statuses.main!.map((s) => s.state)).toEqual(['starting', 'live', 'lost', 'live']);
    await rig.refreshDevices();
    rig.devicesChanged();
    await rig.idle();
    expect(live()).toEqual(['cam-b']);
    devices = ['cam-b', 'cam-a'];
    await rig.refreshDevices();
    rig.devicesChanged();
    await rig.idle();
    expect(live()).toEqual(['cam-a']);
  });

  it('reopens only the camera whose own choice changed, and does not keep a guest no longer wanted', async () => {
    devices = ['cam-a', 'cam-b', 'cam-c'];
    const { rig, live, statuses } = makeRig();
    rig.setWants({ main: hd('cam-a'), guest: hd('cam-b') });
    await rig.idle();
    rig.setWants({ main: hd('cam-a'), guest: hd('cam-c') });
    await rig.idle();
    expect(live()).toEqual(['cam-a', 'cam-c']);
    expect(getUserMedia).toHaveBeenCalledTimes(3);
    // The layout goes back to single while the guest is still opening.
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    rig.setWants({ main: hd('cam-a'), guest: hd('cam-b') });
    rig.setWants({ main: hd('cam-a'), guest: null });
    release();
    await rig.idle();
    expect(live()).toEqual(['cam-a']);
    expect(statuses.guest!.at(-1)).toMatchObject({ state: 'off' });
  });

  it('marks a failing guest failed without touching the main camera, and reports each fault once', async () => {
    const { rig, reports, statuses, live } = makeRig();
    rig.setWants({ main: hd('cam-a'), guest: null });
    await rig.idle();
    const busy = Object.assign(new Error('busy'), { name: 'NotReadableError' });
    getUserMedia.mockRejectedValueOnce(busy).mockRejectedValueOnce(busy);
    rig.setWants({ main: hd('cam-a'), guest: hd('cam-b') });
    await rig.idle();
    rig.devicesChanged();
    await rig.idle();
    expect(statuses.guest!.at(-1)).toMatchObject({ state: 'failed', code: 'compositor/camera-busy' });
    expect(reports.filter((r) => r.code === 'compositor/camera-busy')).toHaveLength(1);
    // The guest is retried on the devicechange after that and comes up.
    rig.devicesChanged();
    await rig.idle();
    expect(statuses.guest!.at(-1)).toMatchObject({ state: 'live' });
    expect(live()).toContain('cam-b');
  });
});
