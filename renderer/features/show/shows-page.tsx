import './show.css';

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatClock } from '../../../shared/show/live';
import { studio } from '../../api/client';
import { showError } from '../../state/errors';
import { useShowLibrary, useShowLibrarySync } from '../../state/show-library';
import { useLiveSync } from '../../state/show-live';
import { PresetsPanel } from '../presets/presets-panel';
import { GuardEditor } from './guard-editor';
import { importPackageFile } from './packages';
import { RundownEditor } from './rundown-editor';

type Tab = 'rundowns' | 'presets' | 'guard';

/** The Shows page: rundowns (run of show), scene presets, and the text guard's word list. */
export function ShowsPage() {
  useShowLibrarySync();
  useLiveSync();
  const { t } = useTranslation('show');
  const [tab, setTab] = useState<Tab>('rundowns');
  return (
    <section className="shows-page" data-testid="shows-page">
      <div className="tabs" role="tablist">
        {(['rundowns', 'presets', 'guard'] as const).map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'tab active' : 'tab'}
            data-tab={id}
            onClick={() => setTab(id)}
          >
            {t(`tabs.${id}`)}
          </button>
        ))}
      </div>
      {tab === 'rundowns' && <Rundowns />}
      {tab === 'presets' && <PresetsPanel />}
      {tab === 'guard' && <GuardEditor />}
    </section>
  );
}

function Rundowns() {
  const { t } = useTranslation('show');
  const rundowns = useShowLibrary((s) => s.rundowns);
  const notice = useShowLibrary((s) => s.notice);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const selected = rundowns.find((r) => r.id === selectedId) ?? rundowns[0];

  const create = async () => {
    try {
      const r = await studio.call('show:rundown-save', {
        title: t('rundown.newTitle', { date: new Date().toLocaleDateString() }),
        segments: [],
      });
      setSelectedId(r.id);
    } catch (error) {
      showError(error);
    }
  };

  return (
    <div className="rundowns">
      <aside className="list-pane">
        <div className="row">
          <button type="button" className="primary" data-testid="rundown-new" onClick={() => void create()}>
            {t('rundown.new')}
          </button>
          <button type="button" data-testid="package-import" onClick={() => fileInput.current?.click()}>
            {t('packages.import')}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".zip,application/zip"
            hidden
            data-testid="package-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file !== undefined) void importPackageFile(file).then((id) => id !== null && setSelectedId(id));
            }}
          />
        </div>
        {notice !== null && (
          <p className="notice" data-testid="package-notice">
            {t(`packages.${notice.kind}`, { text: notice.text })}
          </p>
        )}
        {rundowns.length === 0 ? (
          <p className="muted">{t('rundown.empty')}</p>
        ) : (
          <ul className="pick-list">
            {rundowns.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className={r.id === selected?.id ? 'active' : ''}
                  onClick={() => setSelectedId(r.id)}
                >
                  <strong>{r.title}</strong>
                  <small>
                    {t('live.segmentCount', { count: r.segmentCount })} · {formatClock(r.plannedSec * 1000)}
                    {r.lastRunAt !== null &&
                      ` · ${t('rundown.lastRun', { date: new Date(r.lastRunAt).toLocaleDateString() })}`}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <div className="main-pane">
        {selected !== undefined && (
          <RundownEditor key={selected.id} rundownId={selected.id} onDeleted={() => setSelectedId(null)} />
        )}
      </div>
    </div>
  );
}
