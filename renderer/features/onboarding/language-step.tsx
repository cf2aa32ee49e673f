import { useTranslation } from 'react-i18next';

import type { Language, OutputFormat } from '../../../shared/api/app';
import { languageSchema, outputFormatSchema } from '../../../shared/api/app';
import { useSettings, useSettingsActions } from '../../state/settings';

/** Each language in its own words. */
export const languageNames: Record<Language, string> = { 'zh-CN': '简体中文', en: 'English' };

/** The program's output size, in the guide and in Settings. The services check the value. */
export function OutputFormatSelect({ testId }: { testId: string }) {
  const { t } = useTranslation();
  const format = useSettings((s) => s.settings.outputFormat);
  const { update } = useSettingsActions();
  return (
    <select
      data-testid={testId}
      value={format}
      onChange={(e) => void update({ outputFormat: e.target.value as OutputFormat })}
    >
      {outputFormatSchema.options.map((option) => (
        <option key={option} value={option}>
          {t(`settings.formats.${option}`)}
        </option>
      ))}
    </select>
  );
}

/** One line on why the studio chose the output size, when the machine chose it. */
export function OutputReasonLine() {
  const { t } = useTranslation('onboarding');
  const reason = useSettings((s) => s.settings.outputReason);
  if (reason === null) return null;
  return (
    <small className="output-reason" data-testid="output-reason">
      {t(`output.reasons.${reason}`)}
    </small>
  );
}

/** Step 1: the language, and the picture size the studio chose for this PC. */
export function LanguageStep() {
  const { t } = useTranslation('onboarding');
  const settings = useSettings((s) => s.settings);
  const { update } = useSettingsActions();
  return (
    <section className="guide-step">
      <h1>{t('language.title')}</h1>
      <p className="lead">{t('language.lead')}</p>
      <div className="choice-row" role="radiogroup" aria-label={t('language.title')}>
        {languageSchema.options.map((lng) => (
          <button
            key={lng}
            type="button"
            role="radio"
            aria-checked={settings.language === lng}
            className={settings.language === lng ? 'choice chosen' : 'choice'}
            data-testid={`guide-language-${lng}`}
            lang={lng}
            onClick={() => void update({ language: lng })}
          >
            {languageNames[lng]}
          </button>
        ))}
      </div>
      <h2>{t('output.title')}</h2>
      <label className="field">
        <span>{t('output.label')}</span>
        <OutputFormatSelect testId="guide-output-format" />
        <OutputReasonLine />
      </label>
    </section>
  );
}
