import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatFen } from '../../../shared/money';
import { showError } from '../../state/errors';
import { useNavigation } from '../../state/navigation';
import { sampleItems, useSampleShow } from '../../state/sample-show';
import { useSettings, useSettingsActions } from '../../state/settings';
import { useLiveActions } from '../../state/show-live';

/** Step 5: a sample show from the shipped samples, put on air so NEXT can be pressed at once. */
export function SampleStep({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation('onboarding');
  const language = useSettings((s) => s.settings.language);
  const go = useNavigation((s) => s.go);
  const { saveOnboarding } = useSettingsActions();
  const { startShow } = useLiveActions();
  const { ensureSampleShow } = useSampleShow();
  const [isWorking, setWorking] = useState(false);

  const start = async () => {
    setWorking(true);
    try {
      const rundownId = await ensureSampleShow(useSettings.getState().settings);
      await saveOnboarding({ sampleRundownId: rundownId });
      // The studio page shows the live panel; the show starts there, with NEXT under the operator's hand.
      go('studio');
      if (await startShow(rundownId)) onDone();
    } catch (error) {
      showError(error);
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="guide-step">
      <h1>{t('sample.title')}</h1>
      <p className="lead">{t('sample.lead')}</p>
      <ol className="sample-list" data-testid="guide-sample-list">
        {sampleItems(language).map((item, i) => (
          <li key={item.modelAssetId}>
            <span className="guide-dot">{i + 1}</span>
            <div>
              <strong>{item.product.name}</strong>
              <span className="muted">
                {' '}
                · {item.product.origin} · {formatFen(item.product.priceFen)}
              </span>
              <p className="muted">{t(`sample.segments.${item.template}`)}</p>
            </div>
          </li>
        ))}
      </ol>
      <p className="muted">{t('sample.noStreamHint')}</p>
      <button
        type="button"
        className="primary big"
        data-testid="guide-sample-start"
        disabled={isWorking}
        onClick={() => void start()}
      >
        {isWorking ? t('sample.working') : t('sample.start')}
      </button>
    </section>
  );
}
