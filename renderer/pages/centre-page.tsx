import '../features/analytics/analytics.css';
import '../features/centre/centre.css';

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { CentreLink, CentreStudio } from '../../shared/api/centre';
import { formatFen } from '../../shared/money';
import { EChart } from '../features/analytics/echart';
import { barsOption, dayOption } from '../features/centre/centre-charts';
import type { RangePreset } from '../state/centre';
import { useCentre, useCentreActions, useCentreSync } from '../state/centre';

const inviteMinutes = 10;

function download(fileName: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(
    new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function useTime() {
  const { i18n } = useTranslation();
  return (ms: number) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

/** This studio's membership: the join form, or where it stands with its centre. */
function LinkCard({ link }: { link: CentreLink }) {
  const { joinCentre, leaveCentre, syncNow } = useCentreActions();
  const { t } = useTranslation('centre');
  const time = useTime();
  const isBusy = useCentre((s) => s.isBusy);
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [note, setNote] = useState<string | null>(null);

  if (link.state === 'none') {
    return (
      <section className="card centre-link" data-testid="centre-link">
        <h2>{t('link.title')}</h2>
        <p className="muted">{t('link.hint')}</p>
        {note !== null && <p className="banner">{note}</p>}
        <form
          className="centre-join"
          onSubmit={(e) => {
            e.preventDefault();
            void joinCentre(address, code);
          }}
        >
          <label className="field">
            <span>{t('link.address')}</span>
            <input
              data-testid="centre-address"
              value={address}
              placeholder={t('link.addressPlaceholder')}
              onChange={(e) => setAddress(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('link.code')}</span>
            <input
              data-testid="centre-code"
              value={code}
              placeholder={t('link.codePlaceholder')}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setCode(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" disabled={isBusy || address === '' || code === ''}>
            {t('link.join')}
          </button>
        </form>
      </section>
    );
  }
  return (
    <section className="card centre-link" data-testid="centre-link" data-state={link.state}>
      <h2>{t('link.joined', { name: link.studioName ?? '' })}</h2>
      <p className="muted">{t('link.at', { address: link.address ?? '' })}</p>
      {link.state === 'revoked' ? (
        <p className="banner warn">{t('link.revoked')}</p>
      ) : (
        <p data-testid="centre-push-state">
          {link.lastPushAt === null ? t('link.never') : t('link.lastPush', { time: time(link.lastPushAt) })}
          {' · '}
          {link.pending === 0 && link.errorCode === null
            ? t('link.allSent')
            : t('link.pending', { count: link.pending })}
          {link.errorCode !== null && (
            <span className="centre-error">
              {' · '}
              {t(`errors.${link.errorCode.slice('centre/'.length)}`)}
              {link.nextRetryAt !== null && ` (${t('link.retryAt', { time: time(link.nextRetryAt) })})`}
            </span>
          )}
        </p>
      )}
      <div className="centre-actions">
        {link.state === 'joined' && (
          <button type="button" disabled={isBusy} onClick={() => void syncNow()}>
            {t('link.syncNow')}
          </button>
        )}
        <button
          type="button"
          className="danger"
          disabled={isBusy}
          onClick={() => {
            if (!window.confirm(t('link.leaveConfirm'))) return;
            void leaveCentre().then((r) => setNote(r?.isCentreTold === false ? t('link.leftOffline') : null));
          }}
        >
          {t('link.leave')}
        </button>
      </div>
    </section>
  );
}

function clockText(studio: CentreStudio, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (studio.clockSkewMs === null) return '—';
  const minutes = Math.round(Math.abs(studio.clockSkewMs) / 60_000);
  if (minutes < 5) return t('studios.clockOk');
  return t('studios.clockOff', { minutes, direction: t(studio.clockSkewMs > 0 ? 'studios.ahead' : 'studios.behind') });
}

/** The centre's studios: invite (a pairing code), new code, remove. */
function StudiosCard({ joinAddress }: { joinAddress: string }) {
  const { closeInvitation, inviteStudio, revokeStudio } = useCentreActions();
  const { t } = useTranslation('centre');
  const time = useTime();
  const studios = useCentre((s) => s.studios);
  const invitation = useCentre((s) => s.invitation);
  const isBusy = useCentre((s) => s.isBusy);
  const [profile, setProfile] = useState({ name: '', cooperative: '', town: '' });

  return (
    <section className="card" data-testid="centre-studios">
      <h2>{t('studios.title')}</h2>
      <form
        className="centre-invite"
        onSubmit={(e) => {
          e.preventDefault();
          void inviteStudio(profile).then(() => setProfile({ name: '', cooperative: '', town: '' }));
        }}
      >
        {(['name', 'cooperative', 'town'] as const).map((field) => (
          <label className="field" key={field}>
            <span>{t(`studios.${field}`)}</span>
            <input
              data-testid={`invite-${field}`}
              value={profile[field]}
              maxLength={60}
              onChange={(e) => setProfile({ ...profile, [field]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" className="primary" disabled={isBusy || profile.name.trim() === ''}>
          {t('studios.create')}
        </button>
      </form>
      {invitation !== undefined && (
        <div className="centre-code" data-testid="centre-invitation">
          <div className="muted">{t('studios.codeTitle', { minutes: inviteMinutes })}</div>
          <strong data-testid="centre-invitation-code">{invitation.code}</strong>
          <div>
            {t('studios.address')}: <code>{invitation.joinAddress}</code>
          </div>
          <small className="muted">{t('studios.codeHint')}</small>
          <button type="button" onClick={closeInvitation}>
            {t('studios.close')}
          </button>
        </div>
      )}
      {studios.length === 0 ? (
        <p className="muted">{t('studios.empty')}</p>
      ) : (
        <table className="centre-table">
          <thead>
            <tr>
              <th>{t('studios.name')}</th>
              <th>{t('studios.cooperative')}</th>
              <th>{t('studios.town')}</th>
              <th>{t('studios.state')}</th>
              <th>{t('studios.lastPush')}</th>
              <th className="num">{t('studios.sales')}</th>
              <th>{t('studios.clock')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {studios.map((s) => {
              const clock = clockText(s, (k, o) => t(k, o ?? {}));
              return (
                <tr key={s.id} data-testid="centre-studio-row" data-state={s.state}>
                  <td>{s.name}</td>
                  <td>{s.cooperative}</td>
                  <td>{s.town}</td>
                  <td>{t(`studios.states.${s.state}`)}</td>
                  <td>{s.lastPushAt === null ? '—' : time(s.lastPushAt)}</td>
                  <td className="num">{s.sales.toLocaleString()}</td>
                  <td className={clock === t('studios.clockOk') || clock === '—' ? '' : 'centre-warn'}>{clock}</td>
                  <td className="centre-row-actions">
                    {s.state !== 'joined' && (
                      <button
                        type="button"
                        disabled={isBusy}
                        onClick={() =>
                          void inviteStudio({ studioId: s.id, name: s.name, cooperative: s.cooperative, town: s.town })
                        }
                      >
                        {t('studios.newCode')}
                      </button>
                    )}
                    {(s.state === 'joined' || s.state === 'invited') && (
                      <button
                        type="button"
                        className="danger"
                        disabled={isBusy}
                        onClick={() => {
                          if (window.confirm(t('studios.revokeConfirm', { name: s.name }))) void revokeStudio(s.id);
                        }}
                      >
                        {t('studios.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted">
        {t('studios.address')}: <code data-testid="centre-join-address">{joinAddress}</code>
      </p>
    </section>
  );
}

const presets: RangePreset[] = ['last7', 'last30', 'last90', 'thisYear'];

/** Cross-studio analytics: KPIs, per day, per studio, town, cooperative, product; the county report. */
function CentreDashboard() {
  const { choosePreset, exportReport, refreshCentre, setFilter } = useCentreActions();
  const { t } = useTranslation('centre');
  const analytics = useCentre((s) => s.analytics);
  const studios = useCentre((s) => s.studios);
  const filter = useCentre((s) => s.filter);
  const preset = useCentre((s) => s.preset);
  const isBusy = useCentre((s) => s.isBusy);
  const [exported, setExported] = useState<string | null>(null);
  const tt = (key: string) => t(key);
  const none = t('centre.none');
  const towns = useMemo(() => [...new Set(studios.map((s) => s.town).filter((x) => x !== ''))].sort(), [studios]);
  const coops = useMemo(
    () => [...new Set(studios.map((s) => s.cooperative).filter((x) => x !== ''))].sort(),
    [studios],
  );
  const options = useMemo(() => {
    if (analytics === undefined) return undefined;
    return {
      day: dayOption(analytics, tt),
      studio: barsOption(analytics.byStudio, (r) => r.name, tt),
      town: barsOption(analytics.byTown, (r) => (r.town === '' ? none : r.town), tt),
      coop: barsOption(analytics.byCooperative, (r) => (r.cooperative === '' ? none : r.cooperative), tt),
      product: barsOption(analytics.byProduct, (r) => r.product, tt, 15),
    };
    // tt and none follow the language, which re-renders this component.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [analytics, t]);
  const joined = studios.filter((s) => s.state === 'joined').length;

  return (
    <>
      <div className="analytics-toolbar centre-toolbar">
        <div className="centre-presets" role="group" aria-label={t('centre.range')}>
          {presets.map((p) => (
            <button
              key={p}
              type="button"
              className={p === preset ? 'active' : ''}
              aria-pressed={p === preset}
              onClick={() => choosePreset(p)}
            >
              {t(`centre.${p}`)}
            </button>
          ))}
        </div>
        <label>
          {t('centre.from')}
          <input
            type="date"
            value={filter.from}
            max={filter.to}
            onChange={(e) => e.target.value !== '' && setFilter({ from: e.target.value }, 'custom')}
          />
        </label>
        <label>
          {t('centre.to')}
          <input
            type="date"
            value={filter.to}
            min={filter.from}
            onChange={(e) => e.target.value !== '' && setFilter({ to: e.target.value }, 'custom')}
          />
        </label>
        <label>
          {t('centre.town')}
          <select
            value={filter.town ?? ''}
            onChange={(e) => setFilter({ town: e.target.value === '' ? undefined : e.target.value })}
          >
            <option value="">{t('centre.all')}</option>
            {towns.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('centre.cooperative')}
          <select
            value={filter.cooperative ?? ''}
            onChange={(e) => setFilter({ cooperative: e.target.value === '' ? undefined : e.target.value })}
          >
            <option value="">{t('centre.all')}</option>
            {coops.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={isBusy} onClick={() => void refreshCentre()}>
          {t('centre.refresh')}
        </button>
        <button
          type="button"
          className="primary"
          data-testid="centre-export"
          disabled={isBusy}
          onClick={() =>
            void exportReport().then((r) => {
              if (r === undefined) return;
              download(r.fileName, r.base64);
              setExported(r.fileName);
            })
          }
        >
          {t('centre.export')}
        </button>
      </div>
      {exported !== null && (
        <p className="muted" data-testid="centre-exported">
          {t('centre.exported', { file: exported })}
        </p>
      )}
      {analytics !== undefined && options !== undefined && (
        <>
          <div className="analytics-kpis" data-testid="centre-kpis">
            <div className="card kpi">
              <span className="muted">{t('centre.gmv')}</span>
              <strong data-testid="centre-gmv">{formatFen(analytics.totals.gmvFen)}</strong>
            </div>
            <div className="card kpi">
              <span className="muted">{t('centre.orders')}</span>
              <strong>{analytics.totals.orders.toLocaleString()}</strong>
            </div>
            <div className="card kpi">
              <span className="muted">{t('centre.units')}</span>
              <strong>{analytics.totals.units.toLocaleString()}</strong>
            </div>
            <div className="card kpi">
              <span className="muted">{t('centre.refunded')}</span>
              <strong>{formatFen(analytics.totals.refundedFen)}</strong>
            </div>
            <div className="card kpi">
              <span className="muted">{t('centre.studiosActive')}</span>
              <strong>{joined}</strong>
            </div>
          </div>
          {analytics.totals.orders === 0 && analytics.totals.refundedOrders === 0 ? (
            <p className="card muted">{t('centre.noData')}</p>
          ) : (
            <>
              <section className="card">
                <h3>{t('centre.byDay')}</h3>
                <EChart option={options.day} height={260} testId="centre-chart-day" />
              </section>
              <div className="analytics-pair">
                <section className="card">
                  <h3>{t('centre.byStudio')}</h3>
                  <EChart option={options.studio} height={260} testId="centre-chart-studio" />
                </section>
                <section className="card">
                  <h3>{t('centre.byProduct')}</h3>
                  <EChart option={options.product} height={260} testId="centre-chart-product" />
                </section>
                <section className="card">
                  <h3>{t('centre.byTown')}</h3>
                  <EChart option={options.town} height={220} testId="centre-chart-town" />
                </section>
                <section className="card">
                  <h3>{t('centre.byCooperative')}</h3>
                  <EChart option={options.coop} height={220} testId="centre-chart-coop" />
                </section>
              </div>
            </>
          )}
          <p className="muted centre-footer">{t('centre.queryMs', { ms: analytics.queryMs.toFixed(0) })}</p>
        </>
      )}
    </>
  );
}

/** The Centre page: this studio's link to a county centre and, on a centre's PC, the county's figures. */
export function CentrePage() {
  useCentreSync();
  const { t } = useTranslation('centre');
  const status = useCentre((s) => s.status);
  if (status === undefined) return null;
  const { mode } = status;
  return (
    <div className="centre-page" data-testid="centre-page" data-centre={mode.isCentre ? 'yes' : 'no'}>
      <h1>{t('title')}</h1>
      {mode.isCentre ? (
        mode.errorCode !== null ? (
          <p className="banner warn">
            {t('centre.dbError')}: {t(`errors.${mode.errorCode.slice('centre/'.length)}`)}
          </p>
        ) : (
          <>
            <CentreDashboard />
            <StudiosCard joinAddress={mode.joinAddress ?? ''} />
          </>
        )
      ) : (
        <p className="card muted">{t('centre.notCentre')}</p>
      )}
      <LinkCard link={status.link} />
    </div>
  );
}
