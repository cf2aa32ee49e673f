import { useTranslation } from 'react-i18next';

import { cancelPendingGuard, useLiveActions, useLiveStore } from '../../state/show-live';
import { GuardFindings } from './guard-highlight';

/**
 * When the text guard stopped a show from starting: what it found, and the operator's choice to
 * fix the scripts or go live anyway. Shown on the live panel and in the rundown editor.
 */
export function GuardConfirm({ rundownId, onStarted }: { rundownId?: string; onStarted?: () => void }) {
  const { t } = useTranslation('show');
  const pending = useLiveStore((s) => s.pendingGuard);
  const isBusy = useLiveStore((s) => s.isBusy);
  const { startShow } = useLiveActions();
  if (pending === null || (rundownId !== undefined && pending.rundownId !== rundownId)) return null;
  return (
    <div className="live-guard banner warn" data-testid="guard-confirm">
      <h2>{t('live.guardTitle')}</h2>
      <p>{t('live.guardBody')}</p>
      <GuardFindings findings={pending.findings} />
      <div className="row">
        <button type="button" onClick={cancelPendingGuard}>
          {t('live.guardFix')}
        </button>
        <button
          type="button"
          className="danger"
          data-testid="live-start-anyway"
          disabled={isBusy}
          onClick={() =>
            void startShow(pending.rundownId, true).then((isStarted) => {
              if (isStarted) onStarted?.();
            })
          }
        >
          {t('live.guardGoLive')}
        </button>
      </div>
    </div>
  );
}
