import '../features/sales/sales.css';
import '../features/analytics/analytics.css';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Product, ProductAnalytics, Show, ShowAnalytics } from '../../shared/api/sales';
import { formatFen } from '../../shared/money';
import {
  clockLabel,
  hostGuestOption,
  perMinuteOption,
  productShowsOption,
  segmentBarsOption,
  segmentLabel,
  topProductsOption,
} from '../features/analytics/charts';
import { EChart } from '../features/analytics/echart';
import { SalesDbRecovery } from '../features/sales/db-recovery';
import { ImportDialog } from '../features/sales/import-dialog';
import { showError } from '../state/errors';
import { useAnalyticsSelection } from '../state/sales-analytics';
import { useSalesReports } from '../state/sales-reports';

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

function download(fileName: string, base64: string, mime: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Sales analytics: per show (GMV, orders, units, per segment, orders per minute with segment
 * bands, GMV per minute on air, host vs guest, top products) and one product across shows;
 * import platform orders and export CSV (UTF-8 BOM) or Excel.
 */
export function AnalyticsPage() {
  const { t, i18n } = useTranslation('sales');
  const { showId, productId, setShow, setProduct } = useAnalyticsSelection();
  const [shows, setShows] = useState<Show[] | null>(null);
  const [products, setProducts] = useState<Product[]>([]);
  const [analytics, setAnalytics] = useState<ShowAnalytics | null>(null);
  const [productStats, setProductStats] = useState<ProductAnalytics | null>(null);
  const [isImporting, setImporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reports = useSalesReports();

  const currentShowId = showId ?? shows?.[0]?.id ?? null;

  // Loaders set state only when their answer arrives (never synchronously inside an effect).
  const loadLists = useCallback(
    () =>
      Promise.all([reports.listShows(), reports.listProducts()]).then(([s, p]) => {
        setShows(s);
        setProducts(p);
      }),
    [reports],
  );
  const loadShow = useCallback(
    () => (currentShowId === null ? Promise.resolve() : reports.showAnalytics(currentShowId).then(setAnalytics)),
    [currentShowId, reports],
  );
  const loadProduct = useCallback(
    () => (productId === null ? Promise.resolve() : reports.productAnalytics(productId).then(setProductStats)),
    [productId, reports],
  );

  useEffect(() => {
    loadLists().catch(showError);
  }, [loadLists]);
  useEffect(() => {
    loadShow().catch(showError);
  }, [loadShow]);
  useEffect(() => {
    loadProduct().catch(showError);
  }, [loadProduct]);

  // New sales during a live show: each event carries its show's and segment's new totals, which
  // update the counters at once; the charts (per minute, top products) catch up at most every
  // 15 s rather than refetching the show's analytics per sale. Bulk changes refresh within a second.
  useEffect(() => {
    const schedule = (delayMs: number) => {
      if (reloadTimer.current !== undefined) return;
      reloadTimer.current = setTimeout(() => {
        reloadTimer.current = undefined;
        Promise.all([loadShow(), loadProduct()]).catch(showError);
      }, delayMs);
    };
    const off = reports.onSalesActivity({
      recorded: (sale) => {
        const totals = sale.totals;
        if (totals === null) return;
        setAnalytics((current) =>
          current === null || current.show.id !== totals.showId
            ? current
            : {
                ...current,
                totals: totals.show,
                segments: current.segments.map((s) =>
                  totals.segment !== null && s.segment.id === totals.segmentId
                    ? {
                        ...s,
                        totals: totals.segment,
                        gmvPerMinuteFen: (s.durationMs > 0
                          ? Math.round(totals.segment.gmvFen / (s.durationMs / 60_000))
                          : 0) as typeof s.gmvPerMinuteFen,
                      }
                    : s,
                ),
              },
        );
        schedule(15_000);
      },
      changed: () => schedule(1000),
      segmentChanged: () => {
        schedule(1000);
        loadLists().catch(showError);
      },
    });
    return () => {
      off();
      clearTimeout(reloadTimer.current);
      reloadTimer.current = undefined;
    };
  }, [loadShow, loadProduct, loadLists, reports]);

  const exportShow = async (format: 'csv' | 'xlsx') => {
    if (currentShowId === null) return;
    const language = i18n.language === 'en' ? 'en' : 'zh-CN';
    try {
      const r = await reports.exportShow(currentShowId, format, language);
      if (r.kind === 'file') {
        setExported(t('analytics.exported', { rows: r.rows, path: r.path }));
      } else {
        if (r.base64 !== null) download(r.fileName, r.base64, r.mime);
        setExported(t('analytics.downloaded', { rows: r.rows, file: r.fileName }));
      }
    } catch (error) {
      showError(error);
    }
  };

  // The chart builders take a plain translate function.
  const tr = useCallback((key: string, values?: Record<string, unknown>) => t(key, values ?? {}) as string, [t]);
  // Data of another selection stays hidden until the new one arrives.
  const shown = analytics !== null && analytics.show.id === currentShowId ? analytics : null;
  const shownProduct = productStats !== null && productStats.product.id === productId ? productStats : null;
  const options = useMemo(() => {
    if (shown === null) return null;
    return {
      bars: segmentBarsOption(shown, tr),
      perMinute: perMinuteOption(shown, tr),
      people: hostGuestOption(shown, tr),
      top: topProductsOption(shown, tr),
    };
  }, [shown, tr]);
  const productOption = useMemo(
    () => (shownProduct === null ? null : productShowsOption(shownProduct, tr)),
    [shownProduct, tr],
  );

  return (
    <section className="analytics" data-testid="analytics-page">
      <h1>{t('analytics.title')}</h1>
      <SalesDbRecovery />
      <div className="analytics-toolbar">
        <label>
          <span>{t('analytics.show')}</span>
          <select
            value={currentShowId ?? ''}
            data-testid="analytics-show"
            onChange={(e) => setShow(e.target.value === '' ? null : e.target.value)}
          >
            {(shows ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} · {new Date(s.plannedStart ?? s.createdAt).toLocaleDateString()}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => Promise.all([loadLists(), loadShow(), loadProduct()]).catch(showError)}>
          {t('analytics.refresh')}
        </button>
        <button type="button" data-testid="analytics-import" onClick={() => setImporting(true)}>
          {t('import.open')}
        </button>
        <button
          type="button"
          data-testid="export-csv"
          disabled={currentShowId === null}
          onClick={() => void exportShow('csv')}
        >
          {t('analytics.exportCsv')}
        </button>
        <button
          type="button"
          data-testid="export-xlsx"
          disabled={currentShowId === null}
          onClick={() => void exportShow('xlsx')}
        >
          {t('analytics.exportXlsx')}
        </button>
      </div>
      {exported !== null && (
        <p className="banner" data-testid="export-done">
          {exported}
        </p>
      )}
      {shows !== null && shows.length === 0 && <p className="muted">{t('analytics.noShows')}</p>}
      {shown !== null && options !== null && (
        <>
          <div className="analytics-kpis" data-testid="analytics-totals">
            <Kpi label={t('analytics.gmv')} value={formatFen(shown.totals.gmvFen)} testId="kpi-gmv" />
            <Kpi label={t('analytics.orders')} value={String(shown.totals.orders)} testId="kpi-orders" />
            <Kpi label={t('analytics.units')} value={String(shown.totals.units)} testId="kpi-units" />
            <Kpi
              label={t('analytics.perMinute')}
              value={formatFen(shown.onAirGmvPerMinuteFen)}
              testId="kpi-per-minute"
            />
            <Kpi
              label={t('analytics.refunds')}
              value={`${shown.totals.refundedOrders} · ${formatFen(shown.totals.refundedFen)}`}
              testId="kpi-refunds"
            />
          </div>
          <div className="card">
            <h2>{t('analytics.segments')}</h2>
            <table className="sales-table" data-testid="segment-table">
              <thead>
                <tr>
                  <th>{t('analytics.start')}</th>
                  <th>{t('analytics.product')}</th>
                  <th>{t('analytics.host')}</th>
                  <th>{t('analytics.guest')}</th>
                  <th className="num">{t('analytics.duration')}</th>
                  <th className="num">{t('analytics.orders')}</th>
                  <th className="num">{t('analytics.units')}</th>
                  <th className="num">{t('analytics.gmv')}</th>
                  <th className="num">{t('analytics.perMinute')}</th>
                  <th className="num">{t('analytics.offAir')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.segments.map((s) => (
                  <tr key={s.segment.id} data-segment-id={s.segment.id}>
                    <td>
                      {clockLabel(s.segment.startedAt, shown.show.timeZone)}
                      {s.segment.endedAt === null && <span className="tag">{t('analytics.live')}</span>}
                    </td>
                    <td>{s.productName ?? '—'}</td>
                    <td>{s.segment.host}</td>
                    <td>{s.segment.guest ?? ''}</td>
                    <td className="num">{t('analytics.minutes', { n: minutes(s.durationMs) })}</td>
                    <td className="num">{s.totals.orders}</td>
                    <td className="num">{s.totals.units}</td>
                    <td className="num">{formatFen(s.totals.gmvFen)}</td>
                    <td className="num">{formatFen(s.gmvPerMinuteFen)}</td>
                    <td className="num">{s.totals.offAirOrders}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.unattributed.orders > 0 && (
              <p className="muted">
                {t('analytics.unattributed', {
                  orders: shown.unattributed.orders,
                  gmv: formatFen(shown.unattributed.gmvFen),
                })}
              </p>
            )}
            <EChart option={options.bars} testId="chart-segments" />
          </div>
          <div className="card">
            <h2>{t('analytics.ordersPerMinute')}</h2>
            <EChart option={options.perMinute} height={320} testId="chart-per-minute" />
          </div>
          <div className="analytics-pair">
            <div className="card">
              <h2>{t('analytics.hostVsGuest')}</h2>
              <EChart option={options.people} height={240} testId="chart-people" />
            </div>
            <div className="card">
              <h2>{t('analytics.topProducts')}</h2>
              <EChart option={options.top} height={240} testId="chart-top" />
            </div>
          </div>
          <p className="muted">{shown.segments.map((s) => segmentLabel(s, shown.show.timeZone)).join(' · ')}</p>
        </>
      )}
      <div className="card">
        <h2>{t('analytics.byProduct')}</h2>
        <select
          value={productId ?? ''}
          data-testid="analytics-product"
          onChange={(e) => setProduct(e.target.value === '' ? null : e.target.value)}
        >
          <option value="">{t('analytics.pickProduct')}</option>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {shownProduct !== null && productOption !== null && (
          <>
            <p>
              {t('analytics.gmv')} {formatFen(shownProduct.totals.gmvFen)} · {t('analytics.orders')}{' '}
              {shownProduct.totals.orders} · {t('analytics.units')} {shownProduct.totals.units}
            </p>
            <table className="sales-table" data-testid="product-table">
              <thead>
                <tr>
                  <th>{t('analytics.shows')}</th>
                  <th className="num">{t('analytics.onAir')}</th>
                  <th className="num">{t('analytics.orders')}</th>
                  <th className="num">{t('analytics.gmv')}</th>
                  <th className="num">{t('analytics.perMinute')}</th>
                </tr>
              </thead>
              <tbody>
                {shownProduct.shows.map((s) => (
                  <tr key={s.show.id}>
                    <td>{s.show.title}</td>
                    <td className="num">{t('analytics.minutes', { n: minutes(s.onAirMs) })}</td>
                    <td className="num">{s.totals.orders}</td>
                    <td className="num">{formatFen(s.totals.gmvFen)}</td>
                    <td className="num">{formatFen(s.gmvPerMinuteFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <EChart option={productOption} height={260} testId="chart-product" />
          </>
        )}
      </div>
      {isImporting && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={() => Promise.all([loadLists(), loadShow(), loadProduct()]).catch(showError)}
        />
      )}
    </section>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi card">
      <span className="muted">{label}</span>
      <strong data-testid={testId}>{value}</strong>
    </div>
  );
}
