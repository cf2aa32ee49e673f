import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LivePlatform } from '../../../shared/api/app';
import { livePlatformSchema } from '../../../shared/api/app';
import { obsProgramWindowTitle } from '../../../shared/api/obs';
import { useObsActions, useObsSync } from '../../state/obs-state';
import { useSettings, useSettingsActions } from '../../state/settings';

/** How the picture reaches each platform: Douyin hands out no RTMP key, so it goes through 直播伴侣. */
export const platformRoutes: Record<LivePlatform, 'companion' | 'obs-rtmp' | 'console-push'> = {
  douyin: 'companion',
  tiktok: 'companion',
  kuaishou: 'obs-rtmp',
  bilibili: 'obs-rtmp',
  custom: 'obs-rtmp',
  taobao: 'console-push',
  weixin: 'console-push',
};

function StreamKeyForm() {
  const { t } = useTranslation('onboarding');
  const obs = useObsSync();
  const { run: runObs } = useObsActions();
  const [server, setServer] = useState('');
  const [key, setKey] = useState('');
  const [isSaved, setSaved] = useState(false);
  const isConnected = obs?.connection.status === 'connected';
  return (
    <form
      className="guide-form"
      onSubmit={(e) => {
        e.preventDefault();
        void runObs('obs:set-stream-destination', { server: server.trim(), ...(key === '' ? {} : { key }) }).then(
          (result) => {
            if (result === undefined) return;
            setKey('');
            setSaved(true);
          },
        );
      }}
    >
      <label className="field">
        <span>{t('platform.server')}</span>
        <input
          value={server}
          placeholder="rtmp://"
          data-testid="guide-rtmp-server"
          onChange={(e) => setServer(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('platform.key')}</span>
        <input type="password" value={key} data-testid="guide-rtmp-key" onChange={(e) => setKey(e.target.value)} />
      </label>
      <button type="submit" disabled={!isConnected || server.trim() === ''} data-testid="guide-rtmp-save">
        {t('platform.saveKey')}
      </button>
      {!isConnected && <small className="muted">{t('platform.needObs')}</small>}
      {isSaved && (
        <small className="ok-text" role="status">
          {t('platform.keySaved')}
        </small>
      )}
    </form>
  );
}

function CompanionSetup() {
  const { t } = useTranslation('onboarding');
  const obs = useObsSync();
  const { run: runObs } = useObsActions();
  const isConnected = obs?.connection.status === 'connected';
  const isOn = obs?.virtualCam.state === 'started';
  return (
    <div className="guide-setup">
      {isOn ? (
        <p className="ok-text" data-testid="guide-virtualcam-on">
          {t('platform.virtualCamOn')}
        </p>
      ) : (
        <button
          type="button"
          data-testid="guide-virtualcam"
          disabled={!isConnected || obs?.virtualCam.available === false}
          onClick={() => void runObs('obs:virtualcam-start')}
        >
          {t('platform.startVirtualCam')}
        </button>
      )}
      {isConnected && obs?.virtualCam.available === false && (
        <small className="muted">{t('platform.noVirtualCam')}</small>
      )}
    </div>
  );
}

/** Step 4: "where do you go live?" — the path that works for that platform, and what the studio sets up. */
export function PlatformStep() {
  const { t } = useTranslation('onboarding');
  const platform = useSettings((s) => s.settings.onboarding.platform);
  const { saveOnboarding } = useSettingsActions();
  const route = platform === null ? null : platformRoutes[platform];
  return (
    <section className="guide-step">
      <h1>{t('platform.title')}</h1>
      <p className="lead">{t('platform.lead')}</p>
      <div className="platform-grid" role="radiogroup" aria-label={t('platform.title')}>
        {livePlatformSchema.options.map((id) => (
          <button
            key={id}
            type="button"
            role="radio"
            aria-checked={platform === id}
            className={platform === id ? 'choice chosen' : 'choice'}
            data-testid={`guide-platform-${id}`}
            onClick={() => void saveOnboarding({ platform: id })}
          >
            {t(`platform.names.${id}`)}
          </button>
        ))}
      </div>
      {platform !== null && route !== null && (
        <div className="guide-panel route" data-testid="guide-route" data-route={route}>
          <h2>
            {t(`platform.routes.${route}.title`, {
              platform: t(`platform.names.${platform}`),
              console: t(`platform.consoles.${platform}`),
            })}
          </h2>
          <ol>
            {(['1', '2', '3'] as const).map((n) => (
              <li key={n}>
                {t(`platform.routes.${route}.how${n}`, {
                  platform: t(`platform.names.${platform}`),
                  console: t(`platform.consoles.${platform}`),
                  window: obsProgramWindowTitle,
                })}
              </li>
            ))}
          </ol>
          <h3>{t('platform.studioSetsUp')}</h3>
          <p>{t(`platform.routes.${route}.setsUp`, { window: obsProgramWindowTitle })}</p>
          {route === 'companion' ? <CompanionSetup /> : <StreamKeyForm />}
        </div>
      )}
    </section>
  );
}
