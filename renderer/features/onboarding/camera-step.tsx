import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { errorTranslationKey } from '../../../shared/api/result';
import { cameraError } from '../../compositor/cameras';

type CameraCheck =
  | { state: 'opening' }
  | { state: 'live'; label: string; width: number; height: number }
  | { state: 'failed'; code: string };

interface Device {
  deviceId: string;
  label: string;
}

/** Step 2: the camera's live picture, so the user sees it works before going on air. */
export function CameraStep() {
  const { t } = useTranslation('onboarding');
  const { t: tc } = useTranslation('compositor');
  const video = useRef<HTMLVideoElement | null>(null);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [devices, setDevices] = useState<Device[]>([]);
  const [check, setCheck] = useState<CameraCheck>({ state: 'opening' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let isCancelled = false;
    const open = async () => {
      setCheck({ state: 'opening' });
      try {
        if (navigator.mediaDevices?.getUserMedia === undefined)
          throw new DOMException('no media devices', 'NotFoundError');
        stream = await navigator.mediaDevices.getUserMedia({
          video: deviceId === null ? { width: 1280, height: 720 } : { deviceId: { exact: deviceId } },
          audio: false,
        });
        if (isCancelled) return;
        const element = video.current;
        if (element === null) return;
        element.srcObject = stream;
        await element.play();
        const track = stream.getVideoTracks()[0];
        const list = await navigator.mediaDevices.enumerateDevices();
        if (isCancelled) return;
        setDevices(
          list
            .filter((d) => d.kind === 'videoinput')
            .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${t('camera.camera')} ${i + 1}` })),
        );
        setCheck({
          state: 'live',
          label: track?.label ?? '',
          width: element.videoWidth,
          height: element.videoHeight,
        });
      } catch (error) {
        if (!isCancelled) setCheck({ state: 'failed', code: cameraError(error).code });
      }
    };
    void open();
    return () => {
      isCancelled = true;
      // The compositor opens the camera for itself later; this check's stream must not hold it.
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [deviceId, attempt, t]);

  let status: string;
  if (check.state === 'opening') status = t('camera.opening');
  else if (check.state === 'live') status = t('camera.live', { width: check.width, height: check.height });
  else {
    const { ns, key } = errorTranslationKey(check.code);
    status = tc(key, { ns });
  }

  return (
    <section className="guide-step">
      <h1>{t('camera.title')}</h1>
      <p className="lead">{t('camera.lead')}</p>
      <div className="camera-check">
        <video ref={video} className="camera-live" muted playsInline data-testid="guide-camera-video" />
        <div className="camera-side">
          <p
            className={`camera-state ${check.state}`}
            role="status"
            data-testid="guide-camera-state"
            data-state={check.state}
          >
            {status}
          </p>
          {devices.length > 1 && (
            <label className="field">
              <span>{t('camera.choose')}</span>
              <select
                value={
                  deviceId ?? devices.find((d) => check.state === 'live' && d.label === check.label)?.deviceId ?? ''
                }
                onChange={(e) => setDeviceId(e.target.value)}
              >
                {devices.map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {check.state === 'failed' && (
            <button type="button" data-testid="guide-camera-retry" onClick={() => setAttempt((n) => n + 1)}>
              {t('camera.retry')}
            </button>
          )}
          <small className="muted">{t('camera.noCameraHint')}</small>
        </div>
      </div>
    </section>
  );
}
