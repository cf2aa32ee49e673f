import { useTranslation } from 'react-i18next';

import { errorTranslationKey } from '../../shared/api/result';
import { useErrors } from '../state/errors';

/** The one place errors are shown: a translated sentence, with the detail folded away for support. */
export function ErrorPanel() {
  const { t } = useTranslation();
  const errors = useErrors((s) => s.errors);
  const dismiss = useErrors((s) => s.dismiss);
  if (errors.length === 0) return null;
  return (
    <div className="error-panel" role="alert" aria-live="assertive">
      {errors.map((error) => {
        const { ns, key } = errorTranslationKey(error.code);
        const sentence = t(key, { ns, defaultValue: error.message, ...(error.params ?? {}) });
        return (
          <div key={error.id} className="error-item" data-code={error.code}>
            <strong>{t('errorPanel.title')}</strong>
            <p>{sentence}</p>
            {error.detail !== undefined && (
              <details>
                <summary>{t('errorPanel.details')}</summary>
                <code>
                  {error.code}: {error.detail}
                </code>
              </details>
            )}
            <button type="button" onClick={() => dismiss(error.id)}>
              {t('errorPanel.dismiss')}
            </button>
          </div>
        );
      })}
    </div>
  );
}
