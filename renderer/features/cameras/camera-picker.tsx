import { useTranslation } from 'react-i18next';

import { errorTranslationKey } from '../../../shared/api/result';
import { OptionalSelect } from '../../components/form-controls';
import type { CameraStatus } from '../../state/compositor-cameras';
import { useCameras } from '../../state/compositor-cameras';
import { useHud } from '../../state/compositor-hud';

const resolutions = [
  { width: 640, height: 480 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const rates = [15, 25, 30, 60] as const;

function StatusLine({ role, status }: { role: 'main' | 'guest'; status: CameraStatus }) {
  const { t } = useTranslation('compositor');
  // How this PC draws the picture, on the main camera's line: the operator sees "3D off" here.
  const tier = useHud((s) => s.tier);
  let reason = '';
  if (status.code !== null) {
    const { ns, key } = errorTranslationKey(status.code);
    reason = t(key, { ns });
  }
  return (
    <span className="camera-status" data-state={status.state} data-testid={`camera-status-${role}`} role="status">
      {t(`camera.${role}`)}: {t(`camera.state.${status.state}`)}
      {status.state === 'live' && status.width > 0 ? ` (${status.width}×${status.height})` : ''}
      {reason !== '' ? ` — ${reason}` : ''}
      {role === 'main' && tier !== undefined ? (
        <span className="camera-tier" data-tier={tier}>
          {' · '}
          {t(`tier.${tier}`)}
        </span>
      ) : null}
    </span>
  );
}

/** Choose the main and guest cameras, resolution and frame rate; says what each camera is doing. */
export function CameraPicker({ needGuest }: { needGuest: boolean }) {
  const { t } = useTranslation('compositor');
  const devices = useCameras((s) => s.devices);
  const choice = useCameras((s) => s.choice);
  const choose = useCameras((s) => s.choose);
  const main = useCameras((s) => s.main);
  const guest = useCameras((s) => s.guest);
  const resolution = `${choice.width}x${choice.height}`;
  const options = devices.map((d) => ({ value: d.deviceId, label: d.label }));

  return (
    <div className="camera-picker">
      <label>
        {t('camera.main')}
        <OptionalSelect
          value={choice.main}
          noneLabel={t('camera.default')}
          options={options}
          onChange={(main) => choose({ main })}
          data-testid="camera-main"
        />
      </label>
      <label>
        {t('camera.guest')}
        <OptionalSelect
          value={choice.guest}
          noneLabel={t('camera.default')}
          options={options}
          onChange={(guest) => choose({ guest })}
          data-testid="camera-guest"
        />
      </label>
      <label>
        {t('camera.resolution')}
        <select
          value={resolution}
          onChange={(e) => {
            const [w, h] = e.target.value.split('x').map(Number);
            choose({ width: w ?? 1280, height: h ?? 720 });
          }}
        >
          {resolutions.map((r) => (
            <option key={`${r.width}x${r.height}`} value={`${r.width}x${r.height}`}>
              {r.width}×{r.height}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('camera.fps')}
        <select value={choice.fps} onChange={(e) => choose({ fps: Number(e.target.value) })}>
          {rates.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <StatusLine role="main" status={main} />
      {needGuest && <StatusLine role="guest" status={guest} />}
      {devices.length === 0 && (
        <span className="camera-status" data-state="failed">
          {t('camera.noneFound')}
        </span>
      )}
    </div>
  );
}
