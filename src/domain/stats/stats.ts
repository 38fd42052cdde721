// Statistics, the pure parts: Asia/Shanghai calendar days, how a period splits into whole months and loose days
// (the rollup keeps category and source at month grain only), trend buckets, rates, the ranking score, and the
// list filter (GET /api/cases query) that reproduces each number.
//
// Days are ISO dates ('2026-03-01') in Beijing time; periods are inclusive at both ends, like the case list's
// from/to. No I/O.

/** The metrics a period counts, by the instant each case is counted at (see 0006_command_centre.ts). */
export const FLOW_METRICS = ['reported', 'accepted', 'dispatched', 'handled', 'closed'] as const;
export type FlowMetric = (typeof FLOW_METRICS)[number];

/** The rollup's columns: the flow metrics plus the numerators of the rates. */
export const ROLLUP_METRICS = [
  'reported',
  'accepted',
  'accepted_closed',
  'dispatched',
  'handled',
  'handled_on_time',
  'handled_reworked',
  'closed',
  'rated',
  'satisfied',
] as const;
export type RollupMetric = (typeof ROLLUP_METRICS)[number];
export type MetricCounts = Record<RollupMetric, number>;

export function zeroCounts(): MetricCounts {
  return { reported: 0, accepted: 0, accepted_closed: 0, dispatched: 0, handled: 0, handled_on_time: 0, handled_reworked: 0, closed: 0, rated: 0, satisfied: 0 };
}

export function addCounts(into: MetricCounts, more: Partial<Record<RollupMetric, number | string | null>>): MetricCounts {
  for (const m of ROLLUP_METRICS) into[m] += Number(more[m] ?? 0);
  return into;
}

export function isZero(c: MetricCounts): boolean {
  return ROLLUP_METRICS.every((m) => c[m] === 0);
}

// --- days -------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && dayOf(dayNumber(s)) === s;
}

/** The Beijing calendar day of an instant. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Beijing day starts. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

export function addDays(day: string, n: number): string {
  return dayOf(dayNumber(day) + n);
}

/** Days from a to b, inclusive; 1 when a = b, 0 when b < a. */
export function dayCount(a: string, b: string): number {
  return Math.max(0, dayNumber(b) - dayNumber(a) + 1);
}

export function daysBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(a), end = dayNumber(b); n <= end; n++) out.push(dayOf(n));
  return out;
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function monthEnd(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** ISO weeks start on Monday (周一), as date_trunc('week') does. */
export function weekStart(day: string): string {
  const n = dayNumber(day);
  const weekday = (new Date(n * DAY_MS).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return dayOf(n - weekday);
}

export type TrendBucket = 'day' | 'week' | 'month';

export function bucketStart(day: string, bucket: TrendBucket): string {
  return bucket === 'day' ? day : bucket === 'week' ? weekStart(day) : monthStart(day);
}

function bucketLast(start: string, bucket: TrendBucket): string {
  return bucket === 'day' ? start : bucket === 'week' ? addDays(start, 6) : monthEnd(start);
}

/** The trend's buckets over a period, each clipped to the period so its list filter covers exactly its days. */
export function trendBuckets(from: string, to: string, bucket: TrendBucket): { key: string; from: string; to: string }[] {
  const out: { key: string; from: string; to: string }[] = [];
  let start = bucketStart(from, bucket);
  while (start <= to) {
    const last = bucketLast(start, bucket);
    out.push({ key: start, from: start < from ? from : start, to: last > to ? to : last });
    start = addDays(last, 1);
  }
  return out;
}

export interface PeriodSplit {
  /** first days of the months wholly inside the period */
  fullMonths: string[];
  /** months the period covers only in part: the days it covers, and the days of that month it leaves out */
  partialMonths: { month: string; days: string[]; complement: string[] }[];
}

/**
 * Splits a period into whole months and the loose days at either end. Month rows answer for whole months; a
 * partial month's month row is exact too when nothing in the scope happened on the days the period leaves out
 * (the usual "this month so far": the rest of the month has not happened yet).
 */
export function splitPeriod(from: string, to: string): PeriodSplit {
  const split: PeriodSplit = { fullMonths: [], partialMonths: [] };
  for (let m = monthStart(from); m <= to; m = addDays(monthEnd(m), 1)) {
    const first = m;
    const last = monthEnd(m);
    const a = from > first ? from : first;
    const b = to < last ? to : last;
    if (a === first && b === last) split.fullMonths.push(m);
    else
      split.partialMonths.push({
        month: m,
        days: daysBetween(a, b),
        complement: [...(a > first ? daysBetween(first, addDays(a, -1)) : []), ...(b < last ? daysBetween(addDays(b, 1), last) : [])],
      });
  }
  return split;
}

// --- rates and ranking ------------------------------------------------------------------------------------------

export type RateName = 'onTime' | 'closure' | 'rework' | 'satisfaction';

/** Numerator and denominator of each rate, as rollup columns. */
export const RATE_PARTS: Record<RateName, { numerator: RollupMetric; denominator: RollupMetric }> = {
  onTime: { numerator: 'handled_on_time', denominator: 'handled' },
  closure: { numerator: 'accepted_closed', denominator: 'accepted' },
  rework: { numerator: 'handled_reworked', denominator: 'handled' },
  satisfaction: { numerator: 'satisfied', denominator: 'rated' },
};

export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/**
 * Ranking weights (红黑榜 score, 0–100): on-time handling 40 %, closure 25 %, satisfaction 20 %, no rework 15 %.
 * A rate with nothing to measure (no handled, accepted or rated case) is left out and the others' weights are
 * scaled up to 100 %; with no rate at all, or nothing handled or rated yet, there is no score and the unit ranks last.
 */
export const RANKING_WEIGHTS: Record<RateName, number> = { onTime: 0.4, closure: 0.25, satisfaction: 0.2, rework: 0.15 };

export function rankingScore(c: MetricCounts): number | null {
  // Nothing handled and nothing rated: the unit's cases are all still being worked on, and the closure rate alone
  // would put it at the bottom for cases inside their time limits. It is not ranked until something is finished
  // (cases past their limits show in 超期 meanwhile).
  if (c.handled === 0 && c.rated === 0) return null;
  let total = 0;
  let weight = 0;
  for (const name of Object.keys(RANKING_WEIGHTS) as RateName[]) {
    const { numerator, denominator } = RATE_PARTS[name];
    const r = rate(c[numerator], c[denominator]);
    if (r == null) continue;
    const w = RANKING_WEIGHTS[name];
    total += w * (name === 'rework' ? 1 - r : r);
    weight += w;
  }
  return weight > 0 ? Math.round((1000 * total) / weight) / 10 : null;
}

/** Ranks by score (highest first; no score last), ties by name so the order is stable; equal scores share a rank. */
export function rankRows<T extends { score: number | null; name: string }>(rows: T[]): (T & { rank: number | null })[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.score == null || b.score == null) return a.score == null ? (b.score == null ? a.name.localeCompare(b.name) : 1) : -1;
    return b.score - a.score || a.name.localeCompare(b.name);
  });
  let rank = 0;
  let prev: number | null = null;
  return sorted.map((r, i) => {
    if (r.score == null) return { ...r, rank: null };
    if (r.score !== prev) rank = i + 1;
    prev = r.score;
    return { ...r, rank };
  });
}

// --- list filters -----------------------------------------------------------------------------------------------

/** Query parameters of GET /api/cases, as strings: the UI appends them to the list URL as they are. */
export type ListFilter = Record<string, string>;

/** The instant a metric counts a case at; the list's `event` parameter selects it for from/to. */
const EVENT_OF: Record<RollupMetric, string> = {
  reported: 'reported',
  accepted: 'accepted',
  accepted_closed: 'accepted',
  dispatched: 'dispatched',
  handled: 'handled',
  handled_on_time: 'handled',
  handled_reworked: 'handled',
  closed: 'closed',
  rated: 'rated',
  satisfied: 'rated',
};
const EXTRA_OF: Partial<Record<RollupMetric, ListFilter>> = {
  accepted_closed: { state: 'closed' },
  handled_on_time: { onTime: 'true' },
  handled_reworked: { reworked: 'true' },
  satisfied: { satisfied: 'true' },
};

/** Copies `from`'s properties onto `to` (a summary builds a thousand filters: spreads of objects of varied shapes are slow). */
function assign(to: ListFilter, from: ListFilter | undefined): ListFilter {
  if (from) for (const k in from) to[k] = from[k]!;
  return to;
}

/** The list filter whose total equals a metric over a period, within a slice (category, grid …). */
export function metricFilter(metric: RollupMetric, from: string, to: string, slice?: ListFilter): ListFilter {
  const f: ListFilter = {};
  const event = EVENT_OF[metric];
  if (event !== 'reported') f.event = event;
  f.from = from;
  f.to = to;
  assign(f, EXTRA_OF[metric]);
  return assign(f, slice);
}

/** Open now (no period: the backlog as it stands). */
export function openFilter(slice?: ListFilter): ListFilter {
  return assign({ open: 'true' }, slice);
}

/** Overdue now: the list's red warning level (a running clock past its due time). */
export function overdueFilter(slice?: ListFilter): ListFilter {
  return assign({ warningLevel: 'red' }, slice);
}

// --- scope paths ------------------------------------------------------------------------------------------------

// Area paths have one home (src/domain/area-path.ts); re-exported here for the statistics' callers.
export { gridIdOfPath, prefixEnd } from '../area-path.js';
