import { useTranslation } from 'react-i18next';

import { useSettings, useSettingsActions } from '../../state/settings';
import { GlobalShortcutSettings } from './shortcuts';

/** Settings: run the first-run guide again, and the keys (global ones configurable). */
export function GuideSettings() {
  const { t } = useTranslation('onboarding');
  const mode = useSettings((s) => s.info?.mode);
  const { restartOnboarding } = useSettingsActions();
  return (
    <>
      <div className="card" data-section="guide">
        <h2>{t('settingsSection.title')}</h2>
        <p className="muted">{t('settingsSection.hint')}</p>
        <button type="button" data-testid="restart-guide" onClick={() => void restartOnboarding()}>
          {t('settingsSection.restart')}
        </button>
      </div>
      <div className="card" data-section="shortcuts">
        <h2>{t('shortcuts.title')}</h2>
        {mode === 'host' && <p className="banner warn">{t('shortcuts.hostMode')}</p>}
        <GlobalShortcutSettings />
      </div>
    </>
  );
}
