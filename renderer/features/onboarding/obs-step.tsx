import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LocalObsFinding } from '../../../shared/api/obs';
import { showError } from '../../state/errors';
import { useObsActions, useObsSync } from '../../state/obs-state';
import { ObsConnectionSettings } from '../obs/obs-connection-settings';

type Search = { state: 'looking' } | { state: 'found'; finding: LocalObsFinding } | { state: 'failed' };
type Setup = { state: 'idle' } | { state: 'working' } | { state: 'done'; scenes: string[] } | { state: 'failed' };

/**
 * Step 3: finds the OBS on this PC by itself, asks before reading its WebSocket password from
 * OBS's own settings file, connects, and sets up the scenes the studio needs.
 */
export function ObsStep() {
  const { t } = useTranslation('onboarding');
  const obs = useObsSync();
  const { run: runObs, findLocal, setUpScenes } = useObsActions();
  const [search, setSearch] = useState<Search>({ state: 'looking' });
  const [setup, setSetup] = useState<Setup>({ state: 'idle' });
  const [isManual, setManual] = useState(false);
  const [isConnecting, setConnecting] = useState(false);
  const [round, setRound] = useState(0);
  const [setupRound, setSetupRound] = useState(0);
  const isConnected = obs?.connection.status === 'connected';
  const setupStarted = useRef(false);

  useEffect(() => {
    let isCancelled = false;
    findLocal().then(
      (finding) => !isCancelled && setSearch({ state: 'found', finding }),
      (error: unknown) => {
        if (isCancelled) return;
        showError(error);
        setSearch({ state: 'failed' });
      },
    );
    return () => {
      isCancelled = true;
    };
  }, [round, findLocal]);

  // Once connected (by the guide or by hand), set up the scenes: a fresh studio gets one default scene.
  useEffect(() => {
    if (!isConnected || setupStarted.current) return;
    setupStarted.current = true;
    const run = async () => {
      setSetup({ state: 'working' });
      try {
        const scenes = await setUpScenes();
        setSetup({ state: 'done', scenes });
      } catch (error) {
        showError(error);
        setupStarted.current = false;
        setSetup({ state: 'failed' });
      }
    };
    void run();
  }, [isConnected, setupRound, setUpScenes]);

  const connect = async (readPassword: boolean) => {
    setConnecting(true);
    await runObs('obs:connect-local', { readPassword });
    setConnecting(false);
  };

  const finding = search.state === 'found' ? search.finding : null;

  return (
    <section className="guide-step">
      <h1>{t('obs.title')}</h1>
      <p className="lead">{t('obs.lead')}</p>
      {isConnected ? (
        <div className="guide-panel ok" data-testid="guide-obs-connected">
          <strong>{t('obs.connected', { version: obs.obsVersion ?? '?' })}</strong>
          {setup.state === 'working' && <p>{t('obs.settingUp')}</p>}
          {setup.state === 'done' && (
            <p data-testid="guide-obs-scenes">{t('obs.scenesReady', { scenes: setup.scenes.join('、') })}</p>
          )}
          {setup.state === 'failed' && (
            <button type="button" onClick={() => setSetupRound((n) => n + 1)}>
              {t('obs.retrySetup')}
            </button>
          )}
        </div>
      ) : search.state === 'looking' ? (
        <p className="guide-panel" role="status">
          {t('obs.looking')}
        </p>
      ) : finding === null || !finding.isRunning ? (
        <div className="guide-panel warn" data-testid="guide-obs-missing">
          <strong>{finding?.isServerDisabled === true ? t('obs.serverOff') : t('obs.notRunning')}</strong>
          <ol>
            {(finding?.isServerDisabled === true ? ['serverOff1', 'serverOff2'] : ['install1', 'install2']).map((k) => (
              <li key={k}>{t(`obs.how.${k}`)}</li>
            ))}
          </ol>
          <button type="button" data-testid="guide-obs-search" onClick={() => setRound((n) => n + 1)}>
            {t('obs.searchAgain')}
          </button>
        </div>
      ) : (
        <div className="guide-panel" data-testid="guide-obs-found">
          <strong>{t('obs.found', { port: finding.port })}</strong>
          {finding.hasPassword ? (
            <>
              <p>{t('obs.consent')}</p>
              {finding.configFile !== null && (
                <p className="muted">
                  {t('obs.configFile')} <code>{finding.configFile}</code>
                </p>
              )}
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  data-testid="guide-obs-read-password"
                  disabled={isConnecting}
                  onClick={() => void connect(true)}
                >
                  {t('obs.allowRead')}
                </button>
                <button type="button" data-testid="guide-obs-manual" onClick={() => setManual(true)}>
                  {t('obs.typeMyself')}
                </button>
              </div>
            </>
          ) : (
            <div className="row">
              <button
                type="button"
                className="primary"
                data-testid="guide-obs-connect"
                disabled={isConnecting}
                onClick={() => void connect(false)}
              >
                {t('obs.connect')}
              </button>
              <button type="button" onClick={() => setManual(true)}>
                {t('obs.typeMyself')}
              </button>
            </div>
          )}
        </div>
      )}
      {isManual && !isConnected && (
        <div className="guide-panel">
          <p className="muted">{t('obs.whereIsPassword')}</p>
          <ObsConnectionSettings />
        </div>
      )}
    </section>
  );
}
