import './show.css';

import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { LiveState } from '../../../shared/show/live';
import { formatClock, liveTiming } from '../../../shared/show/live';
import { Field } from '../../components/form-controls';
import { useNavigation } from '../../state/navigation';
import { useShowLibrary, useShowLibrarySync } from '../../state/show-library';
import { useLiveActions, useLiveStore, useLiveSync } from '../../state/show-live';
import { GuardConfirm } from './guard-confirm';
import { useLiveHotkeys } from './use-live-hotkeys';
import { useNow } from './use-now';

/**
 * Live mode on the Studio page: start a show, NEXT/BACK by button or key (PageDown/Space,
 * PageUp), segment timer with overrun warning, show clock, timeline with notes, teleprompter.
 */
export function LivePanel() {
  useLiveSync();
  useShowLibrarySync();
  useLiveHotkeys();
  const live = useLiveStore((s) => s.live);
  return (
    <section className="live-panel card" data-testid="live-panel" data-live={live === null ? 'off' : 'on'}>
      {live === null ? <StartShow /> : <OnAir live={live} />}
    </section>
  );
}

function StartShow() {
  const { t } = useTranslation('show');
  const rundowns = useShowLibrary((s) => s.rundowns);
  const pending = useLiveStore((s) => s.pendingGuard);
  const isBusy = useLiveStore((s) => s.isBusy);
  const { startShow } = useLiveActions();
  const [chosen, setChosen] = useState('');
  const go = useNavigation((s) => s.go);
  const rundownId = chosen !== '' ? chosen : (rundowns[0]?.id ?? '');

  if (pending !== null) return <GuardConfirm />;
  if (rundowns.length === 0) {
    return (
      <div>
        <h2>{t('live.title')}</h2>
        <p className="muted">{t('live.noShows')}</p>
        <button type="button" onClick={() => go('shows')}>
          {t('live.toShows')}
        </button>
      </div>
    );
  }
  return (
    <div>
      <h2>{t('live.title')}</h2>
      <Field label={t('live.chooseShow')}>
        <select data-testid="live-rundown" value={rundownId} onChange={(e) => setChosen(e.target.value)}>
          {rundowns.map((r) => (
            <option key={r.id} value={r.id}>
              {r.title} · {t('live.segmentCount', { count: r.segmentCount })} · {formatClock(r.plannedSec * 1000)}
            </option>
          ))}
        </select>
      </Field>
      <button
        type="button"
        className="primary big"
        data-testid="live-start"
        disabled={isBusy || rundownId === ''}
        onClick={() => void startShow(rundownId)}
      >
        {t('live.start')}
      </button>
    </div>
  );
}

function OnAir({ live }: { live: LiveState }) {
  const { t } = useTranslation('show');
  const isBusy = useLiveStore((s) => s.isBusy);
  const { nextSegment, previousSegment, endShow } = useLiveActions();
  const [isPrompterOn, setPrompterOn] = useState(true);
  const [isConfirmingEnd, setConfirmingEnd] = useState(false);
  const go = useNavigation((s) => s.go);
  const segment = live.segments[live.index]!;
  const upcoming = live.segments[live.index + 1];
  const isLast = live.index === live.segments.length - 1;

  return (
    <div className="on-air">
      <header className="on-air-head">
        <span className="on-air-dot" aria-hidden="true" />
        <strong>{live.title}</strong>
        <ShowClock live={live} />
      </header>

      <div className="segment-now" data-testid="live-segment" data-index={live.index}>
        <div className="segment-count">
          {t('live.segmentOf', { index: live.index + 1, total: live.segments.length })}
        </div>
        <div className="segment-product">{segment.productName !== '' ? segment.productName : t('live.noProduct')}</div>
        <div className="muted">
          {segment.presetName}
          {segment.host !== '' && ` · ${t('live.host')} ${segment.host}`}
          {segment.guest !== '' && ` · ${t('live.guest')} ${segment.guest}`}
        </div>
        <SegmentTimer live={live} />
        <ObsSync live={live} />
      </div>

      <div className="live-buttons">
        <button
          type="button"
          className="big"
          data-testid="live-back"
          disabled={live.index === 0}
          onClick={() => void previousSegment()}
          title="PageUp"
        >
          ◀ {t('live.back')}
        </button>
        <button
          type="button"
          className="primary big next"
          data-testid="live-next"
          disabled={isLast}
          aria-busy={isBusy}
          onClick={() => void nextSegment()}
          title="PageDown / Space"
        >
          {t('live.next')} ▶
        </button>
      </div>
      <p className="muted hotkeys">{t('live.hotkeys')}</p>
      {upcoming !== undefined && (
        <p className="up-next">
          {t('live.upNext')}:{' '}
          <strong>{upcoming.productName !== '' ? upcoming.productName : upcoming.presetName}</strong> ·{' '}
          {formatClock(upcoming.plannedSec * 1000)}
        </p>
      )}

      <div className="row">
        <button type="button" aria-pressed={isPrompterOn} onClick={() => setPrompterOn((v) => !v)}>
          {isPrompterOn ? t('live.prompterHide') : t('live.prompterShow')}
        </button>
        {isConfirmingEnd ? (
          <>
            <button
              type="button"
              className="danger"
              data-testid="live-end-confirm"
              onClick={() =>
                void endShow().then((ended) => {
                  if (ended !== null) go('analytics');
                })
              }
            >
              {t('live.endConfirm')}
            </button>
            <button type="button" onClick={() => setConfirmingEnd(false)}>
              {t('live.cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className={isLast ? 'danger' : ''}
            data-testid="live-end"
            onClick={() => setConfirmingEnd(true)}
          >
            {t('live.end')}
          </button>
        )}
      </div>

      {isPrompterOn && <Teleprompter key={`${live.runId}-${live.index}`} script={segment.script} />}
      <Timeline live={live} />
    </div>
  );
}

function ShowClock({ live }: { live: LiveState }) {
  const { t } = useTranslation('show');
  const timing = liveTiming(live, useNow());
  const behind = Math.round(timing.showBehindMs / 1000) * 1000;
  return (
    <span className="show-clock" data-testid="show-clock">
      {formatClock(timing.showElapsedMs)} / {formatClock(timing.showPlannedMs)}
      {Math.abs(behind) >= 30_000 && (
        <span className={behind > 0 ? 'behind' : 'ahead'}>
          {' '}
          {behind > 0
            ? t('live.behind', { time: formatClock(behind) })
            : t('live.ahead', { time: formatClock(-behind) })}
        </span>
      )}
    </span>
  );
}

function SegmentTimer({ live }: { live: LiveState }) {
  const { t } = useTranslation('show');
  const reportedOverrun = useLiveStore((s) => s.overrunIndex === live.index);
  const timing = liveTiming(live, useNow());
  const isOverrun = timing.isOverrun || reportedOverrun;
  const isClose = !isOverrun && timing.segmentRemainingMs <= 30_000;
  return (
    <div
      className={`segment-timer${isOverrun ? ' overrun' : isClose ? ' close' : ''}`}
      data-testid="segment-timer"
      data-overrun={isOverrun ? '1' : '0'}
      role="timer"
    >
      <span className="elapsed">{formatClock(timing.segmentElapsedMs)}</span>
      <span className="remaining">
        {isOverrun
          ? t('live.overrun', { time: formatClock(-timing.segmentRemainingMs) })
          : t('live.remaining', { time: formatClock(timing.segmentRemainingMs) })}
      </span>
    </div>
  );
}

function ObsSync({ live }: { live: LiveState }) {
  const { t } = useTranslation('show');
  if (live.obs.inSync) {
    return (
      <div className="obs-sync ok" data-testid="obs-sync" data-in-sync="1">
        {t('live.obsInSync', { scene: live.obs.scene ?? '' })}
      </div>
    );
  }
  const since = live.obs.behindSince === null ? '' : new Date(live.obs.behindSince).toLocaleTimeString();
  return (
    <div className="obs-sync warn" data-testid="obs-sync" data-in-sync="0">
      {live.obs.behindSince === null ? t('live.obsSwitching') : t('live.obsBehind', { since })}
    </div>
  );
}

/** The segment's script, large and scrollable; full screen puts it on its own (second) screen. */
function Teleprompter({ script }: { script: string }) {
  const { t } = useTranslation('show');
  const [size, setSize] = useState(32);
  const box = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    box.current?.scrollTo({ top: 0 });
  }, [script]);
  return (
    <div className="teleprompter-wrap">
      <div className="row">
        <span className="muted">{t('live.prompter')}</span>
        <button type="button" onClick={() => setSize((s) => Math.max(16, s - 4))} aria-label={t('live.smaller')}>
          A−
        </button>
        <button type="button" onClick={() => setSize((s) => Math.min(96, s + 4))} aria-label={t('live.larger')}>
          A+
        </button>
        <button type="button" onClick={() => void box.current?.requestFullscreen().catch(() => undefined)}>
          {t('live.fullscreen')}
        </button>
      </div>
      <div ref={box} className="teleprompter" data-testid="teleprompter" style={{ fontSize: size }} tabIndex={0}>
        {script === '' ? <span className="muted">{t('live.noScript')}</span> : script}
      </div>
    </div>
  );
}

function Timeline({ live }: { live: LiveState }) {
  const { t } = useTranslation('show');
  const { gotoSegment } = useLiveActions();
  return (
    <ol className="timeline" data-testid="timeline">
      {live.segments.map((s, i) => {
        const state = i < live.index ? 'done' : i === live.index ? 'now' : 'next';
        return (
          <li key={s.segmentId} className={`timeline-item ${state}`}>
            <div className="timeline-row">
              <span className="timeline-index">{i + 1}</span>
              <span className="timeline-title">{s.productName !== '' ? s.productName : s.presetName}</span>
              <span className="muted">{formatClock(s.plannedSec * 1000)}</span>
              {i !== live.index && (
                <button type="button" className="small" onClick={() => void gotoSegment(i)}>
                  {t('live.goto')}
                </button>
              )}
            </div>
            {s.notes !== '' && <div className="timeline-notes">{s.notes}</div>}
          </li>
        );
      })}
    </ol>
  );
}
