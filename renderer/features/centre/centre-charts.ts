import type { CentreAnalytics, CentreFigures } from '../../../shared/api/centre';
import { formatFen } from '../../../shared/money';
import type { ChartOption } from '../analytics/echart';

// Chart options for the Centre page. Values stay integer fen; only labels become yuan.

type T = (key: string) => string;

const palette = ['#2e9d5b', '#e8772e', '#3b7dd8', '#d9a21b', '#8a5cc2', '#d2412f', '#1f9bab'];
const fenLabel = (value: number) => formatFen(Math.round(value));
const yuanAxis = (value: number) =>
  Math.abs(value) >= 1_000_000 ? `${Math.round(value / 1_000_000)}万` : fenLabel(value);

export function dayOption(a: CentreAnalytics, t: T): ChartOption {
  return {
    color: palette,
    tooltip: { trigger: 'axis', valueFormatter: (v) => fenLabel(Number(v)) },
    legend: { data: [t('centre.gmv'), t('centre.refunded')], top: 0, right: 10 },
    grid: { left: 80, right: 24, bottom: 40, top: 40 },
    xAxis: { type: 'category', data: a.byDay.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value', axisLabel: { formatter: yuanAxis } },
    series: [
      {
        type: 'line',
        name: t('centre.gmv'),
        data: a.byDay.map((d) => d.gmvFen),
        areaStyle: { opacity: 0.15 },
      },
      { type: 'line', name: t('centre.refunded'), data: a.byDay.map((d) => d.refundedFen) },
    ],
  };
}

/** Horizontal bars, biggest on top: studios, towns, cooperatives, products. */
export function barsOption<R extends CentreFigures>(
  rows: readonly R[],
  label: (r: R) => string,
  t: T,
  top = 12,
): ChartOption {
  const shown = rows.slice(0, top).reverse();
  return {
    color: palette,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fenLabel(Number(v)) },
    grid: { left: 120, right: 40, bottom: 30, top: 10 },
    xAxis: { type: 'value', axisLabel: { formatter: yuanAxis } },
    yAxis: { type: 'category', data: shown.map(label), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ type: 'bar', name: t('centre.gmv'), data: shown.map((r) => r.gmvFen), barMaxWidth: 22 }],
  };
}
