import './obs.css';

import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { ObsState, ProvisionReport } from '../../../shared/api/obs';
import { isOutputOn, requestStreamToggle, useObsActions, useObsStore, useObsSync } from '../../state/obs-state';

/** The OBS scenes the studio's presets use when the caller does not name them. */
export const defaultObsSceneNames = ['丰收直播间'];

/** Asks before going live or ending the stream; shown for the button and the F10 hotkey. */
export function ObsConfirmDialog() {
  const { t } = useTranslation('obs');
  const confirm = useObsStore((s) => s.confirm);
  const { confirmStream } = useObsActions();
  if (confirm === null) return null;
  const isStart = confirm === 'stream-start';
  const decide = (isYes: boolean) => void confirmStream(isYes);
  return (
    <div
      className="obs-confirm"
      role="dialog"
      aria-modal="true"
      data-testid="obs-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') decide(false);
      }}
    >
      <div className="obs-confirm__box">
        <h2>{t(isStart ? 'controls.confirmStartTitle' : 'controls.confirmStopTitle')}</h2>
        <p>{t(isStart ? 'controls.confirmStartBody' : 'controls.confirmStopBody')}</p>
        <div className="obs-confirm__buttons">
          <button type="button" autoFocus onClick={() => decide(false)}>
            {t('controls.confirmNo')}
          </button>
          <button
            type="button"
            className={isStart ? 'primary' : 'danger'}
            data-testid="obs-confirm-yes"
            onClick={() => decide(true)}
          >
            {t('controls.confirmYes')}
          </button>
        </div>
      </div>
    </div>
  );
}

function SceneList({ state }: { state: ObsState }) {
  const { t } = useTranslation('obs');
  const busy = useObsStore((s) => s.busy['obs:switch-scene'] === true);
  const { run: runObs } = useObsActions();
  if (state.scenes.length === 0) return <p className="obs-hint">{t('controls.noScenes')}</p>;
  const target = state.studioMode ? 'preview' : 'program';
  return (
    <div>
      <p className="obs-hint">{t(state.studioMode ? 'controls.scenesPreview' : 'controls.scenes')}</p>
      <div className="obs-scenes" data-testid="obs-scenes">
        {state.scenes.map((name) => {
          const classes = ['obs-scene'];
          if (name === state.programScene) classes.push('obs-scene--program');
          if (state.studioMode && name === state.previewScene) classes.push('obs-scene--preview');
          return (
            <button
              key={name}
              type="button"
              className={classes.join(' ')}
              aria-pressed={name === (state.studioMode ? state.previewScene : state.programScene)}
              disabled={busy}
              onClick={() => void runObs('obs:switch-scene', { sceneName: name, target })}
            >
              {name}
            </button>
          );
        })}
        {state.studioMode && (
          <button type="button" className="primary" onClick={() => void runObs('obs:transition')}>
            {t('controls.transition')}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * Drives OBS: scenes, go live / end (always confirmed), record, virtual camera, and "Set up OBS
 * for Harvest Studio". `sceneNames` are the scenes provisioning creates.
 */
export function ObsControls({ sceneNames = defaultObsSceneNames }: { sceneNames?: string[] }) {
  const { t } = useTranslation('obs');
  const state = useObsSync();
  const busy = useObsStore((s) => s.busy);
  const { run: runObs, toggleRecord, toggleVirtualCam } = useObsActions();
  const [report, setReport] = useState<ProvisionReport | undefined>(undefined);
  if (state === undefined) return null;
  const isConnected = state.connection.status === 'connected';
  const isLive = isOutputOn(state.stream.state);
  const isRecording = isOutputOn(state.record.state);
  const isVirtualCamOn = isOutputOn(state.virtualCam.state);

  return (
    <section className="obs-controls" data-testid="obs-controls" aria-label={t('controls.title')}>
      {isConnected && <SceneList state={state} />}
      <div className="obs-actions">
        <button
          type="button"
          className={isLive ? 'danger' : 'primary'}
          data-testid="obs-stream-toggle"
          disabled={!isConnected || busy['obs:stream-start'] === true || busy['obs:stream-stop'] === true}
          onClick={() => requestStreamToggle(state)}
        >
          {t(isLive ? 'controls.stopLive' : 'controls.goLive')}
        </button>
        <button
          type="button"
          data-testid="obs-record-toggle"
          disabled={!isConnected || busy['obs:record-start'] === true || busy['obs:record-stop'] === true}
          onClick={() => void toggleRecord(state)}
        >
          {t(isRecording ? 'controls.stopRecord' : 'controls.startRecord')}
        </button>
        <button
          type="button"
          data-testid="obs-virtualcam-toggle"
          disabled={!isConnected || !state.virtualCam.available}
          onClick={() => void toggleVirtualCam(state)}
        >
          {t(isVirtualCamOn ? 'controls.stopVirtualCam' : 'controls.startVirtualCam')}
        </button>
      </div>
      {isConnected && (
        <p className={state.virtualCam.available ? 'obs-hint' : 'obs-hint obs-hint--bad'} data-testid="obs-vcam-hint">
          {t(state.virtualCam.available ? 'controls.virtualCamHint' : 'controls.virtualCamUnavailable')}
        </p>
      )}
      {state.record.lastFile !== null && (
        <p className="obs-hint">{t('controls.lastFile', { file: state.record.lastFile })}</p>
      )}
      <div>
        <button
          type="button"
          data-testid="obs-provision"
          disabled={!isConnected || busy['obs:provision'] === true}
          onClick={() =>
            void runObs('obs:provision', { sceneNames }).then((r) => {
              if (r !== undefined) setReport(r);
            })
          }
        >
          {t('controls.provision')}
        </button>
        <p className="obs-hint">{t('controls.provisionHint')}</p>
        {report !== undefined && (
          <p className="obs-hint" data-testid="obs-provision-report">
            {report.isUnchanged
              ? t('controls.provisionUnchanged')
              : t('controls.provisionDone', {
                  created: report.scenesCreated.length,
                  added: report.capturesAdded.length,
                })}
          </p>
        )}
      </div>
      <p className="obs-hint" data-testid="obs-hotkeys">
        {t('controls.hotkeys')}
      </p>
      <ObsConfirmDialog />
    </section>
  );
}
