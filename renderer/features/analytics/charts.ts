import type { ProductAnalytics, ShowAnalytics } from '../../../shared/api/sales';
import { formatFen } from '../../../shared/money';
import type { ChartOption } from './echart';

// Chart options built from the analytics data. Series values stay integer fen; only labels
// are turned into yuan text, through formatFen (string arithmetic).

type T = (key: string, options?: Record<string, unknown>) => string;

const palette = ['#e8772e', '#2e9d5b', '#3b7dd8', '#d9a21b', '#8a5cc2', '#d2412f', '#1f9bab'];

const fenLabel = (value: number) => formatFen(Math.round(value));

/** Wall-clock "20:05" in the show's zone. */
export function clockLabel(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    ms,
  );
}

/** A short name for a segment: its product (or host) and start time. */
export function segmentLabel(s: ShowAnalytics['segments'][number], timeZone: string): string {
  return `${s.productName ?? s.segment.host} ${clockLabel(s.segment.startedAt, timeZone)}`;
}

export function segmentBarsOption(a: ShowAnalytics, t: T): ChartOption {
  const labels = a.segments.map((s) => segmentLabel(s, a.show.timeZone));
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { data: [t('analytics.gmv'), t('analytics.orders')] },
    grid: { left: 70, right: 50, bottom: 60, top: 40 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 6 ? 30 : 0 } },
    yAxis: [
      { type: 'value', name: t('analytics.gmv'), axisLabel: { formatter: fenLabel } },
      { type: 'value', name: t('analytics.orders'), minInterval: 1 },
    ],
    series: [
      {
        type: 'bar',
        name: t('analytics.gmv'),
        data: a.segments.map((s) => s.totals.gmvFen),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
      { type: 'bar', name: t('analytics.orders'), yAxisIndex: 1, data: a.segments.map((s) => s.totals.orders) },
    ],
  };
}

export function perMinuteOption(a: ShowAnalytics, t: T): ChartOption {
  const tz = a.show.timeZone;
  const bands = a.segments.map((s, i) => [
    {
      name: s.productName ?? s.segment.host,
      xAxis: clockLabel(Math.floor(s.segment.startedAt / 60_000) * 60_000, tz),
      itemStyle: { color: i % 2 === 0 ? 'rgba(232,119,46,0.10)' : 'rgba(46,157,91,0.10)' },
    },
    { xAxis: clockLabel(Math.floor((s.segment.endedAt ?? Date.now()) / 60_000) * 60_000, tz) },
  ]);
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { data: [t('analytics.ordersPerMinute'), t('analytics.gmvPerMinute')] },
    grid: { left: 60, right: 70, bottom: 70, top: 40 },
    dataZoom: [{ type: 'slider', bottom: 10 }],
    xAxis: { type: 'category', data: a.perMinute.map((p) => clockLabel(p.minute, tz)), boundaryGap: false },
    yAxis: [
      { type: 'value', name: t('analytics.ordersPerMinute'), minInterval: 1 },
      { type: 'value', name: t('analytics.gmvPerMinute'), axisLabel: { formatter: fenLabel } },
    ],
    series: [
      {
        type: 'line',
        name: t('analytics.ordersPerMinute'),
        step: 'middle',
        showSymbol: false,
        data: a.perMinute.map((p) => p.orders),
        markArea: { silent: true, label: { position: 'insideTop', color: '#7a736a' }, data: bands as never },
      },
      {
        type: 'line',
        name: t('analytics.gmvPerMinute'),
        yAxisIndex: 1,
        showSymbol: false,
        smooth: true,
        data: a.perMinute.map((p) => p.gmvFen),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
    ],
  };
}

export function hostGuestOption(a: ShowAnalytics, t: T): ChartOption {
  const names = a.hostVsGuest.map((h) =>
    h.kind === 'guest' ? t('analytics.withGuest', { name: h.name }) : `${t('analytics.hostOnly')} · ${h.name}`,
  );
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    grid: { left: 70, right: 20, bottom: 40, top: 40 },
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', name: t('analytics.perMinute'), axisLabel: { formatter: fenLabel } },
    series: [
      {
        type: 'bar',
        name: t('analytics.perMinute'),
        data: a.hostVsGuest.map((h) => (h.durationMs > 0 ? Math.round((h.totals.gmvFen * 60_000) / h.durationMs) : 0)),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
    ],
  };
}

export function topProductsOption(a: ShowAnalytics, t: T): ChartOption {
  const rows = [...a.topProducts].reverse();
  return {
    color: [palette[1] ?? '#2e9d5b'],
    tooltip: { trigger: 'axis' },
    grid: { left: 120, right: 30, bottom: 30, top: 10 },
    xAxis: { type: 'value', axisLabel: { formatter: fenLabel } },
    yAxis: { type: 'category', data: rows.map((p) => (p.name === '' ? t('analytics.unmatched') : p.name)) },
    series: [
      {
        type: 'bar',
        name: t('analytics.gmv'),
        data: rows.map((p) => p.totals.gmvFen),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
    ],
  };
}

export function productShowsOption(p: ProductAnalytics, t: T): ChartOption {
  const shows = [...p.shows].reverse();
  return {
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { data: [t('analytics.gmv'), t('analytics.perMinute')] },
    grid: { left: 70, right: 70, bottom: 50, top: 40 },
    xAxis: { type: 'category', data: shows.map((s) => s.show.title) },
    yAxis: [
      { type: 'value', name: t('analytics.gmv'), axisLabel: { formatter: fenLabel } },
      { type: 'value', name: t('analytics.perMinute'), axisLabel: { formatter: fenLabel } },
    ],
    series: [
      {
        type: 'bar',
        name: t('analytics.gmv'),
        data: shows.map((s) => s.totals.gmvFen),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
      {
        type: 'line',
        name: t('analytics.perMinute'),
        yAxisIndex: 1,
        data: shows.map((s) => s.gmvPerMinuteFen),
        tooltip: { valueFormatter: (v) => fenLabel(Number(v)) },
      },
    ],
  };
}
