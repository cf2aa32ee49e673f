import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CaptureRequest } from '../../compositor/cameras';
import type { HeldCamera, RigInput } from './camera-plan';
import { planCameras } from './camera-plan';

const hd = (deviceId: string | null): CaptureRequest => ({ deviceId, width: 1280, height: 720, fps: 30 });
const live = (request: CaptureRequest, deviceId = request.deviceId ?? 'cam-a'): HeldCamera => ({
  request,
  state: 'live',
  deviceId,
});
const input = (patch: Partial<RigInput>): RigInput => ({
  wants: { main: hd('cam-a'), guest: null },
  held: { main: live(hd('cam-a')), guest: null },
  retry: false,
  devices: ['cam-a', 'cam-b'],
  ...patch,
});

describe('planCameras', () => {
  it('opens the guest alone when the layout goes picture-in-picture, and closes it alone after', () => {
    const intoPip = input({ wants: { main: hd('cam-a'), guest: hd('cam-b') } });
    expect(planCameras(intoPip)).toEqual({ main: 'keep', guest: 'open' });
    const back = input({ held: { main: live(hd('cam-a')), guest: live(hd('cam-b')) } });
    expect(planCameras(back)).toEqual({ main: 'keep', guest: 'close' });
  });

  it('leaves healthy cameras alone on a devicechange (a headset plugged in)', () => {
    const both = {
      wants: { main: hd('cam-a'), guest: hd('cam-b') },
      held: { main: live(hd('cam-a')), guest: live(hd('cam-b')) },
    };
    expect(planCameras(input({ ...both, retry: true, devices: ['cam-a', 'cam-b', 'headset'] }))).toEqual({
      main: 'keep',
      guest: 'keep',
    });
  });

  it('retries only the roles without a camera on a devicechange', () => {
    for (const state of ['lost', 'failed', 'demo'] as const) {
      const held = { main: { ...live(hd('cam-a')), state }, guest: live(hd('cam-b')) };
      const wants = { main: hd('cam-a'), guest: hd('cam-b') };
      expect(planCameras(input({ wants, held, retry: true })), state).toEqual({ main: 'open', guest: 'keep' });
      // Without a devicechange a failed camera is not hammered.
      expect(planCameras(input({ wants, held, retry: false })), state).toEqual({ main: 'keep', guest: 'keep' });
    }
  });

  it('reopens only the camera whose own request changed', () => {
    const both = { main: live(hd('cam-a')), guest: live(hd('cam-b')) };
    expect(planCameras(input({ wants: { main: hd('cam-a'), guest: hd('cam-c') }, held: both }))).toEqual({
      main: 'keep',
      guest: 'open',
    });
    expect(planCameras(input({ wants: { main: hd('cam-c'), guest: hd('cam-b') }, held: both }))).toEqual({
      main: 'open',
      guest: 'keep',
    });
    const fullHd = (id: string): CaptureRequest => ({ deviceId: id, width: 1920, height: 1080, fps: 30 });
    expect(planCameras(input({ wants: { main: fullHd('cam-a'), guest: fullHd('cam-b') }, held: both }))).toEqual({
      main: 'open',
      guest: 'open',
    });
  });

  it('takes a chosen camera back from its stand-in once it is listed again', () => {
    // The chosen cam-a was missing at start: cam-b stands in.
    const held = { main: live(hd('cam-a'), 'cam-b'), guest: null };
    expect(planCameras(input({ held, retry: true, devices: ['cam-b'] })).main).toBe('keep');
    expect(planCameras(input({ held, retry: true, devices: ['cam-b', 'cam-a'] })).main).toBe('open');
    // "Any camera" has no stand-in.
    const any = { main: live(hd(null), 'cam-b'), guest: null };
    expect(planCameras(input({ wants: { main: hd(null), guest: null }, held: any, retry: true })).main).toBe('keep');
  });

  it('never reopens a live camera whose request is unchanged unless its chosen device came back', () => {
    const request = fc.record({
      deviceId: fc.constantFrom(null, 'cam-a', 'cam-b'),
      width: fc.constantFrom(640, 1280),
      height: fc.constantFrom(480, 720),
      fps: fc.constantFrom(15, 30),
    });
    fc.assert(
      fc.property(request, fc.option(request), fc.boolean(), (main, guest, retry) => {
        const plan = planCameras({
          wants: { main, guest },
          held: { main: live(main), guest: guest === null ? null : live(guest) },
          retry,
          devices: ['cam-a', 'cam-b'],
        });
        expect(plan).toEqual({ main: 'keep', guest: 'keep' });
      }),
    );
  });
});
