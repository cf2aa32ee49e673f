import { useEffect, useRef, useState } from 'react';

import type { StudioError } from '../../../shared/api/result';
import { useCameras } from '../../state/compositor-cameras';
import type { CameraVideos } from './camera-rig';
import { CameraRig } from './camera-rig';

export type { CameraVideos } from './camera-rig';

/**
 * Opens the chosen cameras and keeps them open: a camera that is unplugged mid-show is reported
 * and replaced by another camera (or the demo clip) at once, and taken back when it returns.
 * With no camera at all the demo clip plays, so the studio can still be tried.
 *
 * The cameras live in one `CameraRig` for the window's lifetime: the layout (`needGuest`) and the
 * choice only tell it what is wanted, and a devicechange only retries cameras that have none. The
 * main camera's track survives a NEXT into picture-in-picture and a headset being plugged in.
 */
export function useCameraSources(options: {
  needGuest: boolean;
  demoUrl: string | undefined;
  /** `quiet`: the camera status line already says it; log it, but do not raise the error panel. */
  report(error: StudioError, options?: { quiet?: boolean }): void;
}): CameraVideos {
  const { needGuest, demoUrl } = options;
  const choice = useCameras((s) => s.choice);
  const [videos, setVideos] = useState<CameraVideos>({ main: undefined, guest: undefined });
  const [rig, setRig] = useState<CameraRig>();
  // The latest reporter, without reopening anything when it changes.
  const report = useRef(options.report);
  useEffect(() => {
    report.current = options.report;
  }, [options.report]);

  useEffect(() => {
    const instance = new CameraRig({
      demoUrl,
      report: (error, o) => report.current(error, o),
      onStatus: (role, status) => useCameras.setState({ [role]: status }),
      onDevices: (devices) => useCameras.setState({ devices }),
      onVideos: setVideos,
    });
    void instance.refreshDevices();
    const onDeviceChange = () => instance.devicesChanged();
    navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange);
    setRig(instance);
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
      instance.dispose();
      setRig(undefined);
      setVideos({ main: undefined, guest: undefined });
    };
  }, [demoUrl]);

  useEffect(() => {
    if (rig === undefined) return;
    const request = { width: choice.width, height: choice.height, fps: choice.fps };
    rig.setWants({
      main: { deviceId: choice.main, ...request },
      guest: needGuest ? { deviceId: choice.guest, ...request } : null,
    });
  }, [rig, choice.main, choice.guest, choice.width, choice.height, choice.fps, needGuest]);

  return videos;
}
