import { useTranslation } from 'react-i18next';

import type { Language } from '../../shared/api/app';
import { languageSchema } from '../../shared/api/app';
import { LanSettings } from '../features/lan/lan-settings';
import { ObsConnectionSettings } from '../features/obs/obs-connection-settings';
import { languageNames, OutputFormatSelect, OutputReasonLine } from '../features/onboarding/language-step';
import { GuideSettings } from '../features/onboarding/settings-section';
import { useSettings, useSettingsActions } from '../state/settings';

/** Language, program output size, and (from the OBS work) the OBS connection. */
export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings((s) => s.settings);
  const info = useSettings((s) => s.info);
  const { update } = useSettingsActions();

  return (
    <section className="settings">
      <h1>{t('settings.title')}</h1>
      <div className="card">
        <label className="field">
          <span>{t('settings.language')}</span>
          <select
            data-testid="language"
            value={settings.language}
            onChange={(e) => void update({ language: e.target.value as Language })}
          >
            {languageSchema.options.map((lng) => (
              <option key={lng} value={lng}>
                {languageNames[lng]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('settings.output')}</span>
          <OutputFormatSelect testId="output-format" />
          <small>{t('settings.outputHint')}</small>
          <OutputReasonLine />
        </label>
      </div>
      <GuideSettings />
      <div className="card" data-section="obs">
        <h2>{t('settings.obs')}</h2>
        <ObsConnectionSettings />
      </div>
      <div className="card" data-section="lan">
        <h2>{t('lan:settings.title')}</h2>
        <LanSettings />
      </div>
      {info !== undefined && (
        <div className="card">
          <h2>{t('settings.about')}</h2>
          <dl className="facts">
            <dt>{t('settings.mode')}</dt>
            <dd>{t(`settings.modes.${info.mode}`)}</dd>
            <dt>{t('settings.dataDir')}</dt>
            <dd>
              <code>{info.dataDir}</code>
            </dd>
            {info.programUrl !== undefined && (
              <>
                <dt>{t('settings.programUrl')}</dt>
                <dd>
                  <code>{info.programUrl}</code>
                </dd>
              </>
            )}
            <dt>Version</dt>
            <dd>{info.version}</dd>
          </dl>
        </div>
      )}
    </section>
  );
}
