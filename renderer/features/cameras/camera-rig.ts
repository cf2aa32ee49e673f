import { StudioError } from '../../../shared/api/result';
import type { CameraDevice, CaptureRequest } from '../../compositor/cameras';
import { CameraSource, listCameras, openClip } from '../../compositor/cameras';
import type { CameraStatus } from '../../state/compositor-cameras';
import type { CameraRole, HeldCamera } from './camera-plan';
import { cameraRoles, planCameras } from './camera-plan';

/** The playing videos the compositor draws. */
export interface CameraVideos {
  main: HTMLVideoElement | undefined;
  guest: HTMLVideoElement | undefined;
}

interface Slot extends HeldCamera {
  source: CameraSource | undefined;
  demo: HTMLVideoElement | undefined;
  code: string | null;
}

export interface CameraRigOptions {
  demoUrl: string | undefined;
  report(error: StudioError, options?: { quiet?: boolean }): void;
  onStatus(role: CameraRole, status: CameraStatus): void;
  onDevices(devices: CameraDevice[]): void;
  onVideos(videos: CameraVideos): void;
}

const status = (patch: Partial<CameraStatus>): CameraStatus => ({
  state: 'off',
  label: '',
  width: 0,
  height: 0,
  code: null,
  ...patch,
});

const coded = (error: unknown): StudioError =>
  error instanceof StudioError ? error : new StudioError('compositor/camera-failed', String(error));

function stopClip(video: HTMLVideoElement | undefined): void {
  if (video === undefined) return;
  video.pause();
  video.removeAttribute('src');
  video.load();
}

/**
 * The cameras of one window, kept open across layout changes and devicechanges: each change is
 * reconciled against what is open (`planCameras`), one at a time, so only the camera whose own
 * request changed, or that has no camera, is touched. A NEXT into a picture-in-picture segment
 * opens the guest and leaves the main camera's track running.
 */
export class CameraRig {
  private wants: Record<CameraRole, CaptureRequest | null> = { main: null, guest: null };
  private readonly slots: Record<CameraRole, Slot | null> = { main: null, guest: null };
  private devices: readonly string[] = [];
  private running: Promise<void> | undefined;
  private queued = false;
  private retryQueued = false;
  private disposed = false;
  private videos: CameraVideos = { main: undefined, guest: undefined };

  constructor(private readonly options: CameraRigOptions) {}

  /** What each role should show now; `null` turns the role off. */
  setWants(wants: Record<CameraRole, CaptureRequest | null>): void {
    this.wants = wants;
    this.schedule(false);
  }

  /** A devicechange: list the cameras again and retry the roles without one. */
  devicesChanged(): void {
    void this.refreshDevices();
    this.schedule(true);
  }

  /** Settles when nothing is queued (tests, disposal). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  dispose(): void {
    this.disposed = true;
    for (const role of cameraRoles) this.release(role);
  }

  async refreshDevices(): Promise<void> {
    try {
      const list = await listCameras();
      this.devices = list.map((d) => d.deviceId);
      if (!this.disposed) this.options.onDevices(list);
    } catch {
      // Listing is best effort; the cameras already open keep running.
    }
  }

  private schedule(retry: boolean): void {
    this.retryQueued ||= retry;
    if (this.running !== undefined) {
      this.queued = true;
      return;
    }
    this.running = (async () => {
      do {
        this.queued = false;
        const again = this.retryQueued;
        this.retryQueued = false;
        try {
          await this.reconcile(again);
        } catch (error) {
          // A bug here must not wedge the rig: say it, and let the next change try again.
          this.options.report(coded(error));
        }
      } while (this.queued && !this.disposed);
      this.running = undefined;
    })();
  }

  private async reconcile(retry: boolean): Promise<void> {
    if (this.disposed) return;
    const plan = planCameras({ wants: this.wants, held: this.slots, retry, devices: this.devices });
    for (const role of cameraRoles) {
      if (this.disposed) return;
      const want = this.wants[role];
      if (plan[role] === 'close' || (plan[role] === 'open' && this.slots[role]?.state === 'live')) {
        // A live camera with a new request is stopped first: some drivers open a device only once.
        this.release(role);
        if (want === null) this.options.onStatus(role, status({}));
      }
      if (plan[role] === 'open' && want !== null) await this.open(role, want);
    }
    this.publish();
  }

  private release(role: CameraRole): void {
    const slot = this.slots[role];
    if (slot === null) return;
    slot.source?.close();
    stopClip(slot.demo);
    this.slots[role] = null;
  }

  private async open(role: CameraRole, request: CaptureRequest): Promise<void> {
    const previous = this.slots[role];
    // While a stand-in (the demo clip) plays, the status line keeps saying so until a camera comes.
    if (previous === null) this.options.onStatus(role, status({ state: 'starting' }));
    const opened: { source?: CameraSource } = {};
    try {
      opened.source = await CameraSource.open(request, () => {
        if (opened.source !== undefined) this.lost(role, opened.source);
      });
    } catch (error) {
      if (this.disposed) return;
      await this.failed(role, request, coded(error), previous);
      return;
    }
    const source = opened.source;
    // Turned off while opening (the layout went back to single): not needed any more. A request
    // that changed meanwhile is handled by the reconcile queued behind this one.
    if (this.disposed || this.wants[role] === null) {
      source.close();
      if (!this.disposed && this.slots[role] === null) this.options.onStatus(role, status({}));
      return;
    }
    this.release(role);
    this.slots[role] = { request, state: 'live', deviceId: source.deviceId, source, demo: undefined, code: null };
    const { video } = source;
    this.options.onStatus(
      role,
      status({ state: 'live', label: source.label, width: video.videoWidth, height: video.videoHeight }),
    );
    // Permission granted now: device labels become readable.
    void this.refreshDevices();
  }

  private async failed(
    role: CameraRole,
    request: CaptureRequest,
    error: StudioError,
    previous: Slot | null,
  ): Promise<void> {
    // A retry that fails the same way again is not news: report each fault once.
    if (previous?.code !== error.code) {
      // No camera at all is a state, not a fault: the status line says it and the demo plays.
      this.options.report(error, { quiet: error.code === 'compositor/no-camera' });
    }
    if (role === 'main' && this.options.demoUrl !== undefined) {
      if (previous?.demo !== undefined) {
        previous.request = request;
        previous.code = error.code;
        return;
      }
      try {
        const demo = await openClip(this.options.demoUrl);
        if (this.disposed) return stopClip(demo);
        this.release(role);
        this.slots[role] = { request, state: 'demo', deviceId: undefined, source: undefined, demo, code: error.code };
        this.options.onStatus(
          role,
          status({ state: 'demo', code: error.code, width: demo.videoWidth, height: demo.videoHeight }),
        );
        return;
      } catch {
        // No demo either: the role has failed.
      }
    }
    this.release(role);
    this.slots[role] = {
      request,
      state: 'failed',
      deviceId: undefined,
      source: undefined,
      demo: undefined,
      code: error.code,
    };
    this.options.onStatus(role, status({ state: 'failed', code: error.code }));
  }

  private lost(role: CameraRole, source: CameraSource): void {
    const slot = this.slots[role];
    if (this.disposed || slot?.source !== source) return;
    this.options.report(new StudioError('compositor/camera-lost', 'A camera was disconnected.', { params: { role } }));
    source.close();
    slot.source = undefined;
    slot.state = 'lost';
    slot.code = 'compositor/camera-lost';
    this.options.onStatus(role, status({ state: 'lost', code: 'compositor/camera-lost' }));
    this.publish();
    // Another camera (or the demo clip) takes over at once; the chosen one is taken back when it returns.
    this.schedule(true);
  }

  private publish(): void {
    if (this.disposed) return;
    const videoOf = (slot: Slot | null) => slot?.source?.video ?? slot?.demo;
    const next = { main: videoOf(this.slots.main), guest: videoOf(this.slots.guest) };
    if (next.main === this.videos.main && next.guest === this.videos.guest) return;
    this.videos = next;
    this.options.onVideos(next);
  }
}
