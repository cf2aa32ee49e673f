import './obs.css';

import { useTranslation } from 'react-i18next';

import type { ObsOutputState, ObsState } from '../../../shared/api/obs';
import { useObsSync } from '../../state/obs-state';

/**
 * The stream's or the recording's badge: lit (`kind` colour) while its output runs, plain when
 * stopped, pending in between. `labels` are i18n keys: for stopped, for the one state in between
 * that has its own words, and for any other.
 */
function OutputBadge({
  kind,
  state,
  labels,
  extra = '',
}: {
  kind: 'live' | 'rec';
  state: ObsOutputState;
  labels: { stopped: string; between: [ObsOutputState, string]; otherwise: string };
  extra?: string;
}) {
  const { t } = useTranslation('obs');
  const className =
    state === 'started'
      ? `obs-badge obs-badge--${kind}`
      : state === 'stopped'
        ? 'obs-badge'
        : 'obs-badge obs-badge--pending';
  const label =
    state === 'stopped' ? labels.stopped : state === labels.between[0] ? labels.between[1] : labels.otherwise;
  return (
    <span className={className} data-testid={`obs-badge-${kind}`} data-state={state}>
      {t(label)}
      {extra}
    </span>
  );
}

function Badges({ state }: { state: ObsState }) {
  const { t } = useTranslation('obs');
  const { stream, record, virtualCam } = state;
  return (
    <span className="obs-badges">
      <OutputBadge
        kind="live"
        state={stream.state}
        labels={{ stopped: 'status.offAir', between: ['starting', 'status.liveStarting'], otherwise: 'status.live' }}
        extra={stream.state === 'started' && stream.timecode !== null ? ` ${stream.timecode.slice(0, 8)}` : ''}
      />
      <OutputBadge
        kind="rec"
        state={record.state}
        labels={{ stopped: 'status.notRecording', between: ['paused', 'status.recPaused'], otherwise: 'status.rec' }}
      />
      {virtualCam.available && (
        <span
          className={virtualCam.state === 'started' ? 'obs-badge obs-badge--vcam' : 'obs-badge'}
          data-testid="obs-badge-vcam"
          data-state={virtualCam.state}
        >
          {t('status.virtualCam')}
        </span>
      )}
    </span>
  );
}

function Stats({ state }: { state: ObsState }) {
  const { t } = useTranslation('obs');
  const { stats, warnings } = state;
  if (stats === null) return null;
  const has = (code: string) => warnings.some((w) => w.code === code);
  const isLive = state.stream.state === 'started';
  return (
    <dl className="obs-stats" data-testid="obs-stats">
      <div className={has('render-lag') || has('encoder-overloaded') ? 'obs-stat--bad' : undefined}>
        <dt>{t('status.fps')}</dt>
        <dd>{stats.fps.toFixed(0)}</dd>
      </div>
      <div>
        <dt>{t('status.cpu')}</dt>
        <dd>{stats.cpu.toFixed(0)}%</dd>
      </div>
      <div className={has('frames-dropped') ? 'obs-stat--bad' : undefined}>
        <dt>{t('status.dropped')}</dt>
        <dd>{stats.dropped + stats.outputSkipped}</dd>
      </div>
      <div className={has('disk-low') ? 'obs-stat--bad' : undefined}>
        <dt>{t('status.disk')}</dt>
        <dd>{t('status.gb', { value: (stats.diskFreeMb / 1024).toFixed(1) })}</dd>
      </div>
      {isLive && (
        <div>
          <dt>{t('status.bitrate')}</dt>
          <dd>{t('status.kbps', { value: stats.bitrateKbps })}</dd>
        </div>
      )}
    </dl>
  );
}

/**
 * The OBS status at a glance: connection, program scene, LIVE/REC/virtual-camera badges, fps,
 * CPU, dropped frames, disk; turns amber with a sentence when frames drop or the disk runs low.
 */
export function ObsStatusBar() {
  const { t } = useTranslation('obs');
  const state = useObsSync();
  if (state === undefined) return null;
  const { connection } = state;
  const isConnected = connection.status === 'connected';
  const tone =
    connection.status === 'disconnected' || connection.status === 'reconnecting'
      ? ' obs-status--bad'
      : state.warnings.length > 0
        ? ' obs-status--warn'
        : '';
  return (
    <div
      className={`obs-status${tone}`}
      role="status"
      aria-live="polite"
      data-testid="obs-status-bar"
      data-status={connection.status}
    >
      <span className="obs-status__conn">
        <span className={`obs-dot obs-dot--${connection.status}`} aria-hidden="true" />
        <span data-testid="obs-connection-text">
          {t(`status.${connection.status}`, { attempt: Math.max(1, connection.attempt) })}
        </span>
      </span>
      {connection.lastError !== null && !isConnected && (
        <span className="obs-status__error" data-testid="obs-last-error">
          {t(`errors.${connection.lastError.slice('obs/'.length)}`)}
        </span>
      )}
      {isConnected && (
        <>
          <span className="obs-status__scene" data-testid="obs-program-scene">
            {t('status.program')}:<strong>{state.programScene ?? t('status.none')}</strong>
          </span>
          {state.studioMode && (
            <span className="obs-status__scene">
              {t('status.preview')}:<strong>{state.previewScene ?? t('status.none')}</strong>
            </span>
          )}
          <Badges state={state} />
          <Stats state={state} />
        </>
      )}
      {isConnected && state.warnings.length > 0 && (
        <ul className="obs-warnings" data-testid="obs-warnings">
          {state.warnings.map((w) => (
            <li key={w.code} data-code={w.code}>
              {t(`warnings.${w.code}`, { frames: 0, freeMb: 0, ...(w.params ?? {}) })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
