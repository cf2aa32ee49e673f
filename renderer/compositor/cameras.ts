import { StudioError } from '../../shared/api/result';

/** A camera as the picker shows it. */
export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** What to ask the camera for. */
export interface CaptureRequest {
  deviceId: string | null;
  width: number;
  height: number;
  fps: number;
}

/** Lists video inputs. Labels are empty until the page has camera permission once. */
export async function listCameras(): Promise<CameraDevice[]> {
  if (navigator.mediaDevices?.enumerateDevices === undefined) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/** Maps getUserMedia failures onto our coded errors (translated in the compositor namespace). */
export function cameraError(error: unknown): StudioError {
  const name = (error as DOMException | undefined)?.name ?? '';
  const detail = String((error as Error | undefined)?.message ?? error);
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return new StudioError('compositor/no-camera', 'No camera was found.', { detail });
    case 'NotAllowedError':
    case 'SecurityError':
      return new StudioError('compositor/camera-denied', 'The studio may not use the camera.', { detail });
    case 'NotReadableError':
    case 'AbortError':
      return new StudioError('compositor/camera-busy', 'The camera is in use by another program.', { detail });
    default:
      return new StudioError('compositor/camera-failed', 'The camera could not be started.', { detail });
  }
}

/**
 * One open camera: a stream, a muted playing <video> for three.js and MediaPipe, and a watch on
 * the track so an unplugged camera is noticed at once. `close()` stops the track.
 */
export class CameraSource {
  readonly video: HTMLVideoElement;
  private stream: MediaStream | undefined;
  private closed = false;

  private constructor(video: HTMLVideoElement) {
    this.video = video;
  }

  /** Opens the camera; rejects with a coded StudioError. `onLost` fires if it goes away later. */
  static async open(request: CaptureRequest, onLost: () => void): Promise<CameraSource> {
    if (navigator.mediaDevices?.getUserMedia === undefined) {
      throw new StudioError('compositor/no-camera', 'No camera API in this window.');
    }
    const video: MediaTrackConstraints = {
      width: { ideal: request.width },
      height: { ideal: request.height },
      frameRate: { ideal: request.fps },
    };
    if (request.deviceId !== null) video.deviceId = { exact: request.deviceId };
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
    } catch (error) {
      // A remembered camera that is gone: fall back to any camera rather than none.
      if (request.deviceId !== null && (error as DOMException)?.name === 'OverconstrainedError') {
        return CameraSource.open({ ...request, deviceId: null }, onLost);
      }
      throw cameraError(error);
    }
    const source = new CameraSource(makeVideo());
    source.stream = stream;
    source.video.srcObject = stream;
    for (const track of stream.getVideoTracks()) {
      track.addEventListener('ended', () => {
        if (!source.closed) onLost();
      });
    }
    await source.video.play();
    return source;
  }

  /** The device actually delivering frames. */
  get deviceId(): string | undefined {
    return this.stream?.getVideoTracks()[0]?.getSettings().deviceId;
  }

  get label(): string {
    return this.stream?.getVideoTracks()[0]?.label ?? '';
  }

  close(): void {
    this.closed = true;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.video.srcObject = null;
  }
}

/** A looping clip (the demo when there is no camera, or a background video). */
export async function openClip(url: string): Promise<HTMLVideoElement> {
  const video = makeVideo();
  video.loop = true;
  video.src = url;
  await video.play();
  return video;
}

function makeVideo(): HTMLVideoElement {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.autoplay = true;
  video.crossOrigin = 'anonymous';
  return video;
}
