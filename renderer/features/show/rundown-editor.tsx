import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { GuardFinding } from '../../../shared/api/show';
import { formatClock } from '../../../shared/show/live';
import type { Rundown } from '../../../shared/show/rundown';
import { moveSegment, plannedOffsetsSec, plannedTotalSec, rundownProblems } from '../../../shared/show/rundown';
import { checkText } from '../../../shared/show/text-guard';
import { Field, OptionalSelect, TextAreaField } from '../../components/form-controls';
import { showError } from '../../state/errors';
import { useNavigation } from '../../state/navigation';
import { useShowLibrary, useShowLibraryActions } from '../../state/show-library';
import { useLiveActions, useLiveStore } from '../../state/show-live';
import { GuardConfirm } from './guard-confirm';
import { GuardFindings, GuardHitList, GuardText } from './guard-highlight';

type Segment = Rundown['segments'][number];
type DraftSegment = Omit<Segment, 'id'> & { id?: string; key: string };
type Draft = Omit<Rundown, 'segments'> & { segments: DraftSegment[] };

let keySeq = 0;
const withKeys = (r: Rundown): Draft => ({ ...r, segments: r.segments.map((s) => ({ ...s, key: s.id })) });
const blankSegment = (host: string): DraftSegment => ({
  key: `new-${++keySeq}`,
  productId: null,
  presetId: null,
  host,
  hostTitle: '',
  guest: '',
  guestTitle: '',
  plannedSec: 300,
  script: '',
  notes: '',
});

/** The run of show: ordered segments (drag to reorder), scripts checked by the text guard, go live. */
export function RundownEditor({ rundownId, onDeleted }: { rundownId: string; onDeleted: () => void }) {
  const { t } = useTranslation('show');
  const [saved, setSaved] = useState<Rundown | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [findings, setFindings] = useState<GuardFinding[] | null>(null);
  const products = useShowLibrary((s) => s.products);
  const presets = useShowLibrary((s) => s.presets);
  const terms = useShowLibrary((s) => s.guardTerms);
  const live = useLiveStore((s) => s.live);
  const pendingGuard = useLiveStore((s) => s.pendingGuard);
  const isBusy = useLiveStore((s) => s.isBusy);
  const go = useNavigation((s) => s.go);
  const library = useShowLibraryActions();
  const { startShow } = useLiveActions();

  useEffect(() => {
    let isCurrent = true;
    library.getRundown(rundownId).then((r) => {
      if (!isCurrent) return;
      setSaved(r);
      setDraft(withKeys(r));
      setFindings(null);
    }, showError);
    return () => {
      isCurrent = false;
    };
  }, [rundownId, library]);

  if (draft === null || saved === null) return <p className="muted">{t('rundown.loading')}</p>;

  const isDirty = JSON.stringify(withKeys(saved)) !== JSON.stringify(draft);
  const offsets = plannedOffsetsSec(draft.segments);
  const problems = rundownProblems(draft);
  const isOnAir = live?.rundownId === draft.id;
  const productOptions = products.map((p) => ({ value: p.id, label: p.name }));
  const presetOptions = presets.map((p) => ({ value: p.id, label: p.name }));
  const setSegment = (i: number, patch: Partial<DraftSegment>) =>
    setDraft((d) =>
      d === null ? d : { ...d, segments: d.segments.map((s, j) => (j === i ? { ...s, ...patch } : s)) },
    );
  const move = (from: number, to: number) =>
    setDraft((d) => (d === null ? d : { ...d, segments: moveSegment(d.segments, from, to) }));

  const save = async (): Promise<Rundown | null> => {
    try {
      const next = await library.saveRundown({
        ...draft,
        segments: draft.segments.map(({ key: _key, ...s }) => s),
      });
      setSaved(next);
      setDraft(withKeys(next));
      return next;
    } catch (error) {
      showError(error);
      return null;
    }
  };

  const goLive = async () => {
    const current = isDirty ? await save() : saved;
    if (current === null) return;
    if (await startShow(current.id)) go('studio');
  };

  return (
    <div className="rundown-editor" data-testid="rundown-editor">
      <div className="rundown-head">
        <input
          className="title-input"
          data-testid="rundown-title"
          value={draft.title}
          maxLength={80}
          aria-label={t('rundown.title')}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        />
        <span className="muted">
          {t('live.segmentCount', { count: draft.segments.length })} ·{' '}
          {formatClock(plannedTotalSec(draft.segments) * 1000)}
        </span>
      </div>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="rundown-save"
          disabled={!isDirty}
          onClick={() => void save()}
        >
          {t('rundown.save')}
        </button>
        <button
          type="button"
          data-testid="rundown-check"
          onClick={() =>
            void (isDirty ? save() : Promise.resolve(saved)).then((r) =>
              r === null
                ? undefined
                : library.checkGuard(r.id).then((found) => found !== undefined && setFindings(found)),
            )
          }
        >
          {t('rundown.check')}
        </button>
        <button
          type="button"
          className="go-live"
          data-testid="rundown-go-live"
          disabled={live !== null || problems.length > 0 || draft.segments.length === 0 || isBusy}
          onClick={() => void goLive()}
        >
          {isOnAir ? t('rundown.onAir') : t('rundown.goLive')}
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => void library.duplicateRundown(draft.id)}>
          {t('rundown.duplicate')}
        </button>
        <button
          type="button"
          data-testid="package-export"
          disabled={isDirty}
          onClick={() => void library.exportPackage(draft.id, draft.title)}
        >
          {t('packages.export')}
        </button>
        <button
          type="button"
          disabled={isOnAir}
          onClick={() => void library.deleteRundown(draft.id).then((isDeleted) => isDeleted && onDeleted())}
        >
          {t('rundown.delete')}
        </button>
      </div>

      {problems.length > 0 && (
        <p className="banner warn">{t('errors.segment-without-preset', { index: problems[0]!.index + 1 })}</p>
      )}
      <GuardConfirm rundownId={draft.id} onStarted={() => go('studio')} />
      {findings !== null && pendingGuard?.rundownId !== draft.id && (
        <div className="card guard-report" data-testid="guard-report">
          <h3>{t('rundown.checkResult')}</h3>
          <GuardFindings findings={findings} />
        </div>
      )}

      <ol className="segments" data-testid="segments">
        {draft.segments.map((s, i) => {
          const hits = checkText(s.script, terms);
          return (
            <li
              key={s.key}
              className={`segment-card${dragFrom === i ? ' dragging' : ''}`}
              data-testid="segment"
              onDragOver={(e) => {
                if (dragFrom !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragFrom !== null) move(dragFrom, i);
                setDragFrom(null);
              }}
            >
              <div className="segment-head">
                <span
                  className="drag-handle"
                  draggable
                  title={t('rundown.drag')}
                  onDragStart={(e) => {
                    e.dataTransfer.setData('text/plain', String(i));
                    e.dataTransfer.effectAllowed = 'move';
                    setDragFrom(i);
                  }}
                  onDragEnd={() => setDragFrom(null)}
                >
                  ⠿
                </span>
                <strong>{i + 1}</strong>
                <span className="muted">{formatClock(offsets[i]! * 1000)}</span>
                <span className="spacer" />
                <button
                  type="button"
                  className="small"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                  aria-label={t('rundown.up')}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="small"
                  disabled={i === draft.segments.length - 1}
                  onClick={() => move(i, i + 1)}
                  aria-label={t('rundown.down')}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() =>
                    setDraft({
                      ...draft,
                      segments: [
                        ...draft.segments.slice(0, i + 1),
                        { ...s, id: undefined, key: `new-${++keySeq}` },
                        ...draft.segments.slice(i + 1),
                      ],
                    })
                  }
                >
                  {t('rundown.copySegment')}
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() => setDraft({ ...draft, segments: draft.segments.filter((_, j) => j !== i) })}
                >
                  {t('rundown.removeSegment')}
                </button>
              </div>
              <div className="segment-grid">
                <Field label={t('rundown.product')}>
                  <OptionalSelect
                    data-testid="segment-product"
                    value={s.productId}
                    noneLabel={t('rundown.noProduct')}
                    options={productOptions}
                    onChange={(productId) => setSegment(i, { productId })}
                  />
                </Field>
                <Field label={t('rundown.preset')}>
                  <OptionalSelect
                    data-testid="segment-preset"
                    value={s.presetId}
                    noneLabel={t('rundown.choosePreset')}
                    options={presetOptions}
                    onChange={(presetId) => setSegment(i, { presetId })}
                  />
                </Field>
                <Field label={t('rundown.minutes')}>
                  <input
                    type="number"
                    min={0.5}
                    max={240}
                    step={0.5}
                    value={s.plannedSec / 60}
                    onChange={(e) =>
                      setSegment(i, {
                        plannedSec: Math.max(10, Math.min(14_400, Math.round(Number(e.target.value) * 60))),
                      })
                    }
                  />
                </Field>
                <Field label={t('rundown.host')}>
                  <input value={s.host} maxLength={40} onChange={(e) => setSegment(i, { host: e.target.value })} />
                </Field>
                <Field label={t('rundown.guest')}>
                  <input value={s.guest} maxLength={40} onChange={(e) => setSegment(i, { guest: e.target.value })} />
                </Field>
                <Field label={t('rundown.guestTitle')}>
                  <input
                    value={s.guestTitle}
                    maxLength={60}
                    onChange={(e) => setSegment(i, { guestTitle: e.target.value })}
                  />
                </Field>
              </div>
              <TextAreaField
                label={t('rundown.script')}
                data-testid="segment-script"
                maxLength={8000}
                value={s.script}
                onChange={(script) => setSegment(i, { script })}
              />
              {hits.length > 0 && (
                <div className="guard-inline" data-testid="script-guard">
                  <GuardText text={s.script} hits={hits} />
                  <GuardHitList hits={hits} />
                </div>
              )}
              <Field label={t('rundown.notes')} isWide>
                <input value={s.notes} maxLength={2000} onChange={(e) => setSegment(i, { notes: e.target.value })} />
              </Field>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        data-testid="segment-add"
        onClick={() =>
          setDraft({ ...draft, segments: [...draft.segments, blankSegment(draft.segments.at(-1)?.host ?? '')] })
        }
      >
        + {t('rundown.addSegment')}
      </button>
    </div>
  );
}
