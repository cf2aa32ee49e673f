import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { errorTranslationKey } from '../../../shared/api/result';
import { useSalesDb, useSalesDbActions, useSalesDbSync } from '../../state/sales-db';

/**
 * Shown when the sales log cannot be opened (damaged, locked, disk full, read-only): what
 * happened, and the ways out: restore a daily backup, or keep the log in another folder.
 */
export function SalesDbRecovery() {
  const { t } = useTranslation('sales');
  useSalesDbSync();
  const status = useSalesDb((s) => s.status);
  const isBusy = useSalesDb((s) => s.isBusy);
  const { openBackup, chooseFolder } = useSalesDbActions();
  const [folder, setFolder] = useState('');

  if (status === null || status.state === 'open') return null;
  const { ns, key } = errorTranslationKey(status.errorCode ?? 'sales/db-unavailable');
  return (
    <section className="card banner warn" role="alert" data-testid="sales-db-recovery">
      <h2>{t('db.title')}</h2>
      <p>{t(key, { ns, folder: status.folder })}</p>
      <p className="muted">{t('db.folder', { folder: status.folder })}</p>
      <h3>{t('db.backups')}</h3>
      {status.backups.length === 0 ? (
        <p className="muted">{t('db.noBackups')}</p>
      ) : (
        <ul>
          {status.backups.map((b) => (
            <li key={b.name}>
              {new Date(b.takenAt).toLocaleString()} · {Math.round(b.bytes / 1024)} KB{' '}
              <button type="button" disabled={isBusy} onClick={() => void openBackup(b.name)}>
                {t('db.restore')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('db.otherFolder')}</h3>
      <div className="import-row">
        <input value={folder} onChange={(e) => setFolder(e.target.value)} style={{ minWidth: 320 }} />
        <button
          type="button"
          disabled={isBusy || folder.trim() === ''}
          onClick={() => void chooseFolder(folder.trim())}
        >
          {t('db.choose')}
        </button>
      </div>
    </section>
  );
}
