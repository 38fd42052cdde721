// Pieces of the dashboard shared with the big screen: the period in the URL, the query, chart options.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { useSearchParams } from 'react-router-dom';
import type { TFunction } from 'i18next';
import type { StatsBucket, StatsGroupBy, StatsSummary } from '../../../../src/shared/stats-api';
import { commandApi, type Period } from './commandApi';
import { presetPeriod } from './PeriodPicker';
import { mapKeys } from '../../queryKeys';

export const FLOW = ['reported', 'accepted', 'dispatched', 'handled', 'closed'] as const;
export const NOW = ['open', 'overdue'] as const;
export const RATES = ['onTime', 'closure', 'rework', 'satisfaction'] as const;
export const GROUPS: StatsGroupBy[] = ['category', 'source', 'grid', 'community', 'department'];
export const BUCKETS: StatsBucket[] = ['day', 'week', 'month'];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface StatsParams extends Period {
  groupBy: StatsGroupBy;
  bucket: StatsBucket;
}

/** The dashboard's query, kept in the URL (from, to, groupBy, bucket) so a view can be bookmarked. */
export function useStatsParams(defaults: Partial<StatsParams> = {}): [StatsParams, (next: Partial<StatsParams>) => void] {
  const [params, setParams] = useSearchParams();
  const fallback = presetPeriod('thisMonth');
  const from = params.get('from');
  const to = params.get('to');
  const groupBy = params.get('groupBy') as StatsGroupBy | null;
  const bucket = params.get('bucket') as StatsBucket | null;
  const value: StatsParams = {
    from: from && DAY.test(from) ? from : (defaults.from ?? fallback.from),
    to: to && DAY.test(to) ? to : (defaults.to ?? fallback.to),
    groupBy: groupBy && GROUPS.includes(groupBy) ? groupBy : (defaults.groupBy ?? 'category'),
    bucket: bucket && BUCKETS.includes(bucket) ? bucket : (defaults.bucket ?? 'day'),
  };
  const set = (next: Partial<StatsParams>) => {
    const merged = { ...value, ...next };
    setParams(new URLSearchParams({ from: merged.from, to: merged.to, groupBy: merged.groupBy, bucket: merged.bucket }), { replace: true });
  };
  return [value, set];
}

export function useStats(q: StatsParams, refetchInterval?: number) {
  return useQuery({
    queryKey: mapKeys.stats(q),
    queryFn: () => commandApi.stats(q),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

/** A breakdown group's display name: sources are named by the UI's vocabulary, others by the server. */
export function groupName(item: { key: string; name: string }, by: StatsGroupBy, t: TFunction): string {
  if (by === 'source' && item.key) return t(`source.${item.key}`, { defaultValue: item.name });
  return item.name || t('common.none');
}

/** Short bucket label: 11-03 for a day, 11-03~11-09 for a week, 2026-11 for a month. */
export function bucketLabel(start: string, end: string, bucket: StatsBucket): string {
  if (bucket === 'month') return start.slice(0, 7);
  if (bucket === 'week') return `${start.slice(5)}~${end.slice(5)}`;
  return start.slice(5);
}

const PALETTE = ['#1677ff', '#13c2c2', '#722ed1', '#fa8c16', '#52c41a', '#eb2f96', '#faad14', '#2f54eb'];

/**
 * Distinct colours for a breakdown with many slices (12+ categories): 20 hand-picked, told apart on light and
 * dark backgrounds; beyond that, hues spread by the golden angle so no colour repeats.
 */
const MANY = [
  '#1677ff', '#fa8c16', '#52c41a', '#eb2f96', '#13c2c2', '#722ed1', '#fadb14', '#f5222d', '#2f54eb', '#a0d911',
  '#fa541c', '#08979c', '#9254de', '#d4b106', '#ff85c0', '#5cdbd3', '#ad6800', '#597ef7', '#389e0d', '#c41d7f',
];
export function paletteFor(n: number): string[] {
  if (n <= MANY.length) return MANY.slice(0, Math.max(n, 1));
  return [...MANY, ...Array.from({ length: n - MANY.length }, (_, i) => `hsl(${Math.round((i * 137.508) % 360)}, 70%, 55%)`)];
}

export function trendOption(s: StatsSummary, t: TFunction, dark = false): EChartsOption {
  const text = dark ? '#c9d6ea' : '#4e5969';
  const series = (['reported', 'accepted', 'handled', 'closed'] as const).map((m, i) => ({
    name: t(`metric.${m}`),
    type: 'line' as const,
    smooth: 0.2,
    symbolSize: 5,
    data: s.trend.items.map((it) => it.counts[m].value),
    color: PALETTE[i],
    ...(m === 'reported' ? { areaStyle: { opacity: 0.12 } } : {}),
  }));
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: text } },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: {
      type: 'category',
      data: s.trend.items.map((it) => bucketLabel(it.start, it.end, s.trend.bucket)),
      axisLabel: { color: text },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: text }, splitLine: { lineStyle: { color: dark ? '#1f3b63' : '#eef0f3' } } },
    series,
  };
}

/** The trend series in trendOption's order (for click-through). */
export const TREND_SERIES = ['reported', 'accepted', 'handled', 'closed'] as const;

export function breakdownOption(s: StatsSummary, t: TFunction, dark = false, limit = 15): EChartsOption {
  const text = dark ? '#c9d6ea' : '#4e5969';
  const items = s.breakdown.items.slice(0, limit);
  return {
    color: ['#1677ff', '#52c41a', '#fa8c16', '#f5222d'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, textStyle: { color: text } },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: text }, splitLine: { lineStyle: { color: dark ? '#1f3b63' : '#eef0f3' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((i) => groupName(i, s.breakdown.by, t)),
      axisLabel: { color: text, width: 110, overflow: 'truncate' },
    },
    series: (['reported', 'closed', 'open', 'overdue'] as const).map((m) => ({
      name: t(`metric.${m}`),
      type: 'bar' as const,
      barMaxWidth: 14,
      data: items.map((i) => i.counts[m].value),
    })),
  };
}
export const BREAKDOWN_SERIES = ['reported', 'closed', 'open', 'overdue'] as const;

export function pieOption(s: StatsSummary, t: TFunction, dark = false): EChartsOption {
  const text = dark ? '#c9d6ea' : '#4e5969';
  const slices = s.breakdown.items.filter((i) => i.counts.reported.value > 0).length;
  return {
    color: paletteFor(slices),
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    // a long legend scrolls inside its panel instead of running past it
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 8, bottom: 8, textStyle: { color: text }, pageTextStyle: { color: text } },
    series: [
      {
        type: 'pie',
        radius: ['38%', '62%'],
        center: ['34%', '50%'],
        label: { show: false },
        data: s.breakdown.items.filter((i) => i.counts.reported.value > 0).map((i) => ({ name: groupName(i, s.breakdown.by, t), value: i.counts.reported.value })),
      },
    ],
  };
}
