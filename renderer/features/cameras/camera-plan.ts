import type { CaptureRequest } from '../../compositor/cameras';

/** The two cameras of the rig. */
export type CameraRole = 'main' | 'guest';
export const cameraRoles: readonly CameraRole[] = ['main', 'guest'];

/** What a role holds now: the request it was opened with and how that went. */
export interface HeldCamera {
  request: CaptureRequest;
  /** `live`: a camera delivers frames; `demo`: the demo clip stands in; `lost`/`failed`: nothing. */
  state: 'live' | 'demo' | 'lost' | 'failed';
  /** The device actually delivering frames (another one when the chosen one was missing). */
  deviceId: string | undefined;
}

export interface RigInput {
  /** What each role should show; `null` = the role is off (no guest in a single layout). */
  wants: Readonly<Record<CameraRole, CaptureRequest | null>>;
  held: Readonly<Record<CameraRole, HeldCamera | null>>;
  /** Cameras came or went (devicechange) or one was lost: retry the roles that have no camera. */
  retry: boolean;
  /** Device ids now listed, to take back a chosen camera that has returned. */
  devices: readonly string[];
}

/** `keep`: leave it as it is (its track stays open); `open`: (re)open it; `close`: stop it. */
export type RigAction = 'keep' | 'open' | 'close';

export const sameRequest = (a: CaptureRequest, b: CaptureRequest): boolean =>
  a.deviceId === b.deviceId && a.width === b.width && a.height === b.height && a.fps === b.fps;

/**
 * What to do with each camera. A camera is reopened only when its own request changed (chosen
 * device, size or rate), or, on a retry, when it has no camera (lost, failed, on the demo clip) or
 * runs on a stand-in while the chosen one is listed again. A layout change touches only the guest;
 * a devicechange never touches a healthy camera.
 */
export function planCameras(input: RigInput): Record<CameraRole, RigAction> {
  const decide = (role: CameraRole): RigAction => {
    const want = input.wants[role];
    const held = input.held[role];
    if (want === null) return held === null ? 'keep' : 'close';
    if (held === null || !sameRequest(want, held.request)) return 'open';
    if (!input.retry) return 'keep';
    if (held.state !== 'live') return 'open';
    const standIn = want.deviceId !== null && held.deviceId !== undefined && held.deviceId !== want.deviceId;
    return standIn && input.devices.includes(want.deviceId!) ? 'open' : 'keep';
  };
  return { main: decide('main'), guest: decide('guest') };
}
