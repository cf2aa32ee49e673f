import { useEffect, useState } from 'react';

import { StudioError } from '../../../shared/api/result';
import { CameraSource, listCameras, openClip } from '../../compositor/cameras';
import type { CameraStatus } from '../../state/compositor-cameras';
import { useCameras } from '../../state/compositor-cameras';

/** The playing videos the compositor draws. */
export interface CameraVideos {
  main: HTMLVideoElement | undefined;
  guest: HTMLVideoElement | undefined;
}

const status = (patch: Partial<CameraStatus>): CameraStatus => ({
  state: 'off',
  label: '',
  width: 0,
  height: 0,
  code: null,
  ...patch,
});

/**
 * Opens the chosen cameras and keeps them open: a camera that is unplugged mid-show is reported
 * and replaced by another camera (or the demo clip) at once, and taken back when it returns.
 * With no camera at all the demo clip plays, so the studio can still be tried.
 */
export function useCameraSources(options: {
  needGuest: boolean;
  demoUrl: string | undefined;
  /** `quiet`: the camera status line already says it; log it, but do not raise the error panel. */
  report(error: StudioError, options?: { quiet?: boolean }): void;
}): CameraVideos {
  const { needGuest, demoUrl, report } = options;
  const choice = useCameras((s) => s.choice);
  const [videos, setVideos] = useState<CameraVideos>({ main: undefined, guest: undefined });
  // Bumped when cameras come or go, to retry the chosen camera.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const refresh = () => {
      void listCameras().then((devices) => useCameras.setState({ devices }));
      setAttempt((n) => n + 1);
    };
    void listCameras().then((devices) => useCameras.setState({ devices }));
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', refresh);
  }, []);

  useEffect(() => {
    let cancelled = false;
    let main: CameraSource | undefined;
    let guest: CameraSource | undefined;
    let demo: HTMLVideoElement | undefined;
    const request = { width: choice.width, height: choice.height, fps: choice.fps };
    const lost = (role: 'main' | 'guest') => () => {
      report(new StudioError('compositor/camera-lost', 'A camera was disconnected.', { params: { role } }));
      useCameras.setState({ [role]: status({ state: 'lost', code: 'compositor/camera-lost' }) });
      setAttempt((n) => n + 1);
    };

    const openMain = async () => {
      useCameras.setState({ main: status({ state: 'starting' }) });
      try {
        main = await CameraSource.open({ deviceId: choice.main, ...request }, lost('main'));
        if (cancelled) return main.close();
        useCameras.setState({
          main: status({
            state: 'live',
            label: main.label,
            width: main.video.videoWidth,
            height: main.video.videoHeight,
          }),
        });
        // Permission granted now: device labels become readable.
        void listCameras().then((devices) => useCameras.setState({ devices }));
        return main.video;
      } catch (error) {
        const coded = error instanceof StudioError ? error : new StudioError('compositor/camera-failed', String(error));
        // No camera at all is a state, not a fault: the status line says it and the demo plays.
        report(coded, { quiet: coded.code === 'compositor/no-camera' });
        if (demoUrl === undefined || cancelled) {
          useCameras.setState({ main: status({ state: 'failed', code: coded.code }) });
          return undefined;
        }
        try {
          demo = await openClip(demoUrl);
        } catch {
          useCameras.setState({ main: status({ state: 'failed', code: coded.code }) });
          return undefined;
        }
        useCameras.setState({
          main: status({ state: 'demo', code: coded.code, width: demo.videoWidth, height: demo.videoHeight }),
        });
        return demo;
      }
    };
    const openGuest = async () => {
      if (!needGuest) {
        useCameras.setState({ guest: status({}) });
        return undefined;
      }
      useCameras.setState({ guest: status({ state: 'starting' }) });
      try {
        guest = await CameraSource.open({ deviceId: choice.guest, ...request }, lost('guest'));
        if (cancelled) return guest.close();
        useCameras.setState({
          guest: status({
            state: 'live',
            label: guest.label,
            width: guest.video.videoWidth,
            height: guest.video.videoHeight,
          }),
        });
        return guest.video;
      } catch (error) {
        const coded = error instanceof StudioError ? error : new StudioError('compositor/camera-failed', String(error));
        report(coded);
        useCameras.setState({ guest: status({ state: 'failed', code: coded.code }) });
        return undefined;
      }
    };
    void (async () => {
      const m = await openMain();
      const g = await openGuest();
      if (!cancelled) setVideos({ main: m ?? undefined, guest: g ?? undefined });
    })();
    return () => {
      cancelled = true;
      main?.close();
      guest?.close();
      if (demo !== undefined) {
        demo.pause();
        demo.removeAttribute('src');
        demo.load();
      }
    };
  }, [choice.main, choice.guest, choice.width, choice.height, choice.fps, needGuest, demoUrl, report, attempt]);

  return videos;
}
