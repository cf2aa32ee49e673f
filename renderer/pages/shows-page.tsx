import '../features/show/show.css';

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatClock } from '../../shared/show/live';
import { PickList } from '../components/pick-list';
import { PresetsPanel } from '../features/presets/presets-panel';
import { GuardEditor } from '../features/show/guard-editor';
import { RundownEditor } from '../features/show/rundown-editor';
import { showError } from '../state/errors';
import { useShowLibrary, useShowLibraryActions, useShowLibrarySync } from '../state/show-library';
import { useLiveSync } from '../state/show-live';

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
  const library = useShowLibraryActions();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const selected = rundowns.find((r) => r.id === selectedId) ?? rundowns[0];

  const create = async () => {
    try {
      const r = await library.saveRundown({
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
              if (file !== undefined)
                void library.importPackageFile(file).then((id) => id !== null && setSelectedId(id));
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
          <PickList
            items={rundowns}
            pickedId={selected?.id}
            onPick={(r) => setSelectedId(r.id)}
            title={(r) => r.title}
            detail={(r) => (
              <>
                {t('live.segmentCount', { count: r.segmentCount })} · {formatClock(r.plannedSec * 1000)}
                {r.lastRunAt !== null &&
                  ` · ${t('rundown.lastRun', { date: new Date(r.lastRunAt).toLocaleDateString() })}`}
              </>
            )}
          />
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
