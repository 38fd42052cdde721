// The dashboard's statistics for the actor's scope and a period (definitions in src/shared/stats-api.ts).
//
// Where the numbers come from: the rollup (kept by triggers, see 0006_command_centre.ts) for the part of the
// scope it is keyed by — an area path prefix, a department, or everything — at day grain for totals and at month
// grain per category and source; plus direct counts over the cases, with the same atoms, for what the scope adds
// beyond that part (own reports, B/C responsibility, co-handled work orders) and for category/source breakdowns of
// a partial month whose left-out days are not empty. Open and overdue are "now" and are counted directly (few rows,
// a partial index).
import type { ActorContext } from '../context.js';
import { caseScope } from '../access.js';
import {
  addCounts,
  addDays,
  dayCount,
  daysBetween,
  gridIdOfPath,
  metricFilter,
  monthStart,
  openFilter,
  overdueFilter,
  RANKING_WEIGHTS,
  rankingScore,
  rankRows,
  rate,
  RATE_PARTS,
  shanghaiDay,
  splitPeriod,
  trendBuckets,
  zeroCounts,
  type ListFilter,
  type MetricCounts,
  type RateName,
} from '../../domain/stats/stats.js';
import { anyCase, busyMonths, directCounts, openCounts, openRolled, rollupDim, rollupTotals, splitScope, statsNames, type GroupedRow, type OpenKey } from '../../data/repos/stats/stats.js';
import { gridBus } from '../grids/lookup.js';
import type { DbOrTx } from '../../data/db.js';
import type { Scope } from '../../domain/access.js';
import { STATS_MAX_DAYS, type BreakdownItem, type FlowCounts, type Rates, type StatsQuery, type StatsSummary } from '../../shared/stats-api.js';
import { DomainError } from '../../domain/errors.js';

/** A group's list filter; null when the list has no filter selecting exactly that group (then no filter is given). */
type Slice = ListFilter | null;

function flowCounts(c: MetricCounts, from: string, to: string, slice: Slice): FlowCounts {
  const one = (m: 'reported' | 'accepted' | 'dispatched' | 'handled' | 'closed') => ({ value: c[m], filter: slice && metricFilter(m, from, to, slice) });
  return { reported: one('reported'), accepted: one('accepted'), dispatched: one('dispatched'), handled: one('handled'), closed: one('closed') };
}

function rates(c: MetricCounts, from: string, to: string, slice: Slice): Rates {
  const one = (name: RateName) => {
    const { numerator, denominator } = RATE_PARTS[name];
    return {
      value: rate(c[numerator], c[denominator]),
      numerator: { value: c[numerator], filter: slice && metricFilter(numerator, from, to, slice) },
      denominator: { value: c[denominator], filter: slice && metricFilter(denominator, from, to, slice) },
    };
  };
  return { onTime: one('onTime'), closure: one('closure'), rework: one('rework'), satisfaction: one('satisfaction') };
}

/** Sums grouped rows of one grouping set by a key derived from the row's key. */
function sumBy(rows: GroupedRow[], set: GroupedRow['set'], keyOf: (k: string) => string = (k) => k): Map<string, MetricCounts> {
  const out = new Map<string, MetricCounts>();
  for (const r of rows) {
    if (r.set !== set) continue;
    const k = keyOf(r.key);
    out.set(k, addCounts(out.get(k) ?? zeroCounts(), r));
  }
  return out;
}

export function resolvePeriod(q: { from?: string | undefined; to?: string | undefined }, now: Date, defaultFrom: (today: string, to: string) => string, maxDays: number, code: 'stats_period_invalid' | 'map_period_invalid') {
  const today = shanghaiDay(now);
  const to = q.to ?? today;
  const from = q.from ?? defaultFrom(today, to);
  if (from > to || dayCount(from, to) > maxDays) throw new DomainError(code, { maxDays });
  return { from, to };
}

/**
 * Names of categories, departments, divisions and grids change rarely and are read by every summary: kept for a
 * few seconds per database and scope, and dropped at once when grids change in this process.
 */
const NAMES_TTL_MS = 15_000;
const namesCache = new WeakMap<object, Map<string, { at: number; names: Promise<Awaited<ReturnType<typeof statsNames>>> }>>();
gridBus.on('changed', () => {
  namesGeneration++;
});
let namesGeneration = 0;

function cachedNames(db: DbOrTx, scope: Scope) {
  let m = namesCache.get(db);
  if (!m) namesCache.set(db, (m = new Map()));
  const key = `${namesGeneration}:${scope.kind === 'area' ? scope.paths.join(',') : scope.kind}`;
  const hit = m.get(key);
  if (hit && Date.now() - hit.at < NAMES_TTL_MS) return hit.names;
  const names = statsNames(db, scope);
  names.catch(() => m.delete(key));
  m.set(key, { at: Date.now(), names });
  return names;
}

export async function statsSummary(ctx: ActorContext, q: StatsQuery): Promise<StatsSummary> {
  const { db, now } = ctx;
  const { from, to } = resolvePeriod(q, now, (today) => monthStart(today), STATS_MAX_DAYS, 'stats_period_invalid');
  const scope = caseScope(ctx.actor);
  // Inside a transaction (a caller's use case) nothing is shared with other requests.
  const names = await (db.isTransaction ? statsNames(db, scope) : cachedNames(db, scope));
  const split = await splitScope(db, scope, names.grids);
  const period = splitPeriod(from, to);
  const dim = q.groupBy === 'category' || q.groupBy === 'source' ? q.groupBy : undefined;

  // The trend: day rows, or month rows for whole months when the trend is monthly. Grids and departments: month rows
  // for the period's whole months, day rows for its other days.
  const trendRows =
    q.bucket === 'month' ? { days: period.partialMonths.flatMap((p) => p.days), months: period.fullMonths } : { days: daysBetween(from, to), months: [] as string[] };
  const keyedRows = { whole: period.fullMonths, partDays: period.partialMonths.flatMap((p) => p.days) };

  const dimRows = async (): Promise<GroupedRow[]> => {
    if (!dim || !split.rollup) return [];
    const busy = await busyMonths(db, split.rollup, period.partialMonths.flatMap((p) => p.complement));
    const exact = [...period.fullMonths, ...period.partialMonths.filter((p) => !busy.has(p.month)).map((p) => p.month)];
    const loose = period.partialMonths.filter((p) => busy.has(p.month));
    const parts = await Promise.all([
      rollupDim(db, split.rollup, dim === 'category' ? 'c' : 's', exact),
      ...loose.map((p) => directCounts(db, split.partWhere!, p.days[0]!, p.days[p.days.length - 1]!, q.bucket, { dim, candidates: true, sets: ['dim'] })),
    ]);
    return parts.flat();
  };
  // What the scope adds beyond the rollup's part is mostly nothing (a leader's own reports outside the street):
  // counted only when there is some.
  const extraRows = async () => {
    if (!split.extras || !(await anyCase(db, split.extras))) return [[], []] as const;
    return Promise.all([directCounts(db, split.extras, from, to, q.bucket, { dim }), openCounts(db, split.extras, openKey, now)]);
  };
  const openKey: OpenKey = dim ?? (q.groupBy === 'department' ? 'department' : 'area');
  const [rolled, dims, openPart, [extras, openExtra]] = await Promise.all([
    split.rollup ? rollupTotals(db, split.rollup, trendRows, keyedRows, q.bucket) : Promise.resolve([]),
    dimRows(),
    split.rollup && split.partWhere ? openRolled(db, split.rollup, split.partWhere, openKey, now) : Promise.resolve([]),
    extraRows(),
  ]);
  const rows = [...rolled, ...extras, ...dims];
  const open = [...openPart, ...openExtra];

  // --- totals and trend
  const byBucket = sumBy(rows, 'trend');
  const total = zeroCounts();
  for (const c of byBucket.values()) addCounts(total, c);
  const openTotal = open.filter((o) => o.total).reduce((a, o) => ({ open: a.open + o.open, overdue: a.overdue + o.overdue }), { open: 0, overdue: 0 });
  const trend = trendBuckets(from, to, q.bucket).map((b) => {
    const c = byBucket.get(b.key) ?? zeroCounts();
    return { start: b.from, end: b.to, counts: flowCounts(c, b.from, b.to, {}), rates: rates(c, b.from, b.to, {}) };
  });

  // --- names and keys
  const categoryById = new Map(names.categories.map((c) => [c.id, c]));
  // Categories are a two-level tree: the breakdown is by top class (大类), which the list's categoryId matches
  // exactly (a case's category, or its parent).
  const topOf = (categoryId: string) => {
    const c = categoryById.get(Number(categoryId));
    return String(c?.parent_id ?? c?.id ?? categoryId);
  };
  const communities = names.divisions.filter((d) => d.level === 'community').sort((a, b) => b.path.length - a.path.length);
  const communityOf = (areaPath: string) => String(communities.find((d) => areaPath.startsWith(d.path))?.id ?? '');
  const gridKey = (areaPath: string) => String(gridIdOfPath(areaPath) ?? '');
  const gridsInScope = names.grids.filter((g) => g.grid_class === 'A' && g.retired_at == null);
  const wholeSet = scope.kind === 'all' || scope.kind === 'area';

  // --- breakdown
  let groups: Map<string, MetricCounts>;
  let openBy: Map<string, { open: number; overdue: number }>;
  const openSum = (keyOf: (k: string) => string) => {
    const m = new Map<string, { open: number; overdue: number }>();
    for (const o of open) {
      if (o.total) continue;
      const k = keyOf(o.key);
      const prev = m.get(k) ?? { open: 0, overdue: 0 };
      m.set(k, { open: prev.open + o.open, overdue: prev.overdue + o.overdue });
    }
    return m;
  };
  let known: { key: string; name: string }[] = [];
  let sliceOf: (key: string) => Slice | null;
  switch (q.groupBy) {
    case 'category':
      groups = sumBy(rows, 'dim', topOf);
      openBy = openSum(topOf);
      known = names.categories.filter((c) => c.parent_id == null).map((c) => ({ key: String(c.id), name: c.name }));
      sliceOf = (k) => ({ categoryId: k });
      break;
    case 'source':
      groups = sumBy(rows, 'dim');
      openBy = openSum((k) => k);
      sliceOf = (k) => ({ source: k });
      break;
    case 'grid':
      groups = sumBy(rows, 'area', gridKey);
      openBy = openSum(gridKey);
      if (wholeSet) known = gridsInScope.map((g) => ({ key: String(g.id), name: g.name }));
      sliceOf = (k): Slice => (k ? { gridId: k } : { unrouted: 'true' });
      break;
    case 'community':
      groups = sumBy(rows, 'area', communityOf);
      openBy = openSum(communityOf);
      if (wholeSet) {
        const inScope = new Set(gridsInScope.map((g) => communityOf(g.path)));
        known = communities.filter((d) => inScope.has(String(d.id))).map((d) => ({ key: String(d.id), name: d.name }));
      }
      // an area outside every community has no list filter that selects exactly it
      sliceOf = (k) => (k ? { divisionId: k } : null);
      break;
    case 'department':
      groups = sumBy(rows, 'department');
      openBy = openSum((k) => k);
      if (wholeSet) known = names.departments.map((d) => ({ key: String(d.id), name: d.name }));
      sliceOf = (k): Slice => (k === '0' ? { noDepartment: 'true' } : { departmentId: k });
      break;
  }
  const nameOf = (key: string): string => {
    switch (q.groupBy) {
      case 'category':
        return categoryById.get(Number(key))?.name ?? key;
      case 'source':
        return key;
      case 'grid':
        return key ? (names.grids.find((g) => String(g.id) === key)?.name ?? key) : '未划入网格';
      case 'community':
        return key ? (names.divisions.find((d) => String(d.id) === key)?.name ?? key) : '其他';
      case 'department':
        return key === '0' ? '未派遣' : (names.departments.find((d) => String(d.id) === key)?.name ?? key);
    }
  };
  const keys = new Map<string, string>(known.map((k) => [k.key, k.name]));
  for (const k of [...groups.keys(), ...openBy.keys()]) if (!keys.has(k)) keys.set(k, nameOf(k));
  const items: BreakdownItem[] = [...keys].map(([key, name]) => {
    const c = groups.get(key) ?? zeroCounts();
    const o = openBy.get(key) ?? { open: 0, overdue: 0 };
    const slice = sliceOf(key);
    return {
      key,
      name,
      counts: {
        ...flowCounts(c, from, to, slice),
        open: { value: o.open, filter: slice && openFilter(slice) },
        overdue: { value: o.overdue, filter: slice && overdueFilter(slice) },
      },
      rates: rates(c, from, to, slice),
    };
  });
  items.sort((a, b) => b.counts.reported.value - a.counts.reported.value || a.name.localeCompare(b.name));

  // --- ranking (红黑榜)
  const byGrid = sumBy(rows, 'area', gridKey);
  const gridRows = new Map<string, string>(wholeSet ? gridsInScope.map((g) => [String(g.id), g.name]) : []);
  for (const k of byGrid.keys()) if (k && !gridRows.has(k)) gridRows.set(k, names.grids.find((g) => String(g.id) === k)?.name ?? k);
  const byDept = sumBy(rows, 'department');
  const deptRows = new Map<string, string>(wholeSet ? names.departments.map((d) => [String(d.id), d.name]) : []);
  for (const k of byDept.keys()) if (k !== '0' && !deptRows.has(k)) deptRows.set(k, names.departments.find((d) => String(d.id) === k)?.name ?? k);
  const ranked = (entries: Map<string, string>, counts: Map<string, MetricCounts>, slice: (k: string) => ListFilter) =>
    rankRows(
      [...entries].map(([key, name]) => {
        const c = counts.get(key) ?? zeroCounts();
        return { id: Number(key), name, score: rankingScore(c), counts: flowCounts(c, from, to, slice(key)), rates: rates(c, from, to, slice(key)) };
      }),
    );

  return {
    period: { from, to, days: dayCount(from, to), timezone: 'Asia/Shanghai' },
    asOf: now.toISOString(),
    totals: {
      ...flowCounts(total, from, to, {}),
      open: { value: openTotal.open, filter: openFilter() },
      overdue: { value: openTotal.overdue, filter: overdueFilter() },
    },
    rates: rates(total, from, to, {}),
    trend: { bucket: q.bucket, items: trend },
    breakdown: { by: q.groupBy, items },
    ranking: {
      weights: { ...RANKING_WEIGHTS },
      grids: ranked(gridRows, byGrid, (k) => ({ gridId: k })),
      departments: ranked(deptRows, byDept, (k) => ({ departmentId: k })),
    },
  };
}

/** Day before `day` (exported for the map's default period). */
export const dayBefore = (day: string, n = 1) => addDays(day, -n);
