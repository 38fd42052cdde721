// Assessment schemes (考核办法) and monthly scoring: which rates count with which weight, penalties and bonuses per
// case, the minimum volume below which a unit is listed but not ranked, the tie rule, and the size of the 红榜/黑榜.
// Pure: no I/O.
import { DEFAULT_POINT_RULES, type PointRules } from './points.js';
import { INDICATOR_BY_ID, indicatorValue, type BaseCounts, type IndicatorId, type UnitKind } from './indicators.js';

export type RateIndicator = 'on_time_rate' | 'closure_rate' | 'rework_rate' | 'satisfaction_rate' | 'hazard_on_time_rate';
export const RATE_INDICATORS: readonly RateIndicator[] = ['on_time_rate', 'closure_rate', 'rework_rate', 'satisfaction_rate', 'hazard_on_time_rate'];

export interface SchemeItem {
  indicator: RateIndicator;
  /** points at a rate of 100 % (返工率: at 0 %) */
  weight: number;
}

export interface Scheme {
  year: number;
  items: SchemeItem[];
  /** points taken per case handled late (超期处置), e.g. 1 */
  penaltyPerOverdue: number;
  /** points added per case fixed on the spot (现场处置) */
  bonusPerFixOnSpot: number;
  /** a unit with fewer accepted cases than this in the month is listed, not ranked */
  minVolume: number;
  /** equal scores: 'shared' share a rank; 'volume': more accepted cases ranks first, then shared */
  tie: 'shared' | 'volume';
  /** size of the 红榜 (top) and 黑榜 (bottom) */
  boardSize: number;
  /** grid-worker points (积分); the defaults when left out */
  points?: PointRules;
}

/** The scheme used for a year nobody has defined one for: the dashboard's weights (src/domain/stats/stats.ts) as points. */
export function defaultScheme(year: number): Scheme {
  return {
    year,
    items: [
      { indicator: 'on_time_rate', weight: 35 },
      { indicator: 'closure_rate', weight: 25 },
      { indicator: 'satisfaction_rate', weight: 15 },
      { indicator: 'rework_rate', weight: 15 },
      // a unit without hazards due (every department) has the others scaled to 100 (scoreUnit)
      { indicator: 'hazard_on_time_rate', weight: 10 },
    ],
    penaltyPerOverdue: 1,
    bonusPerFixOnSpot: 0,
    minVolume: 3,
    tie: 'shared',
    boardSize: 3,
    points: DEFAULT_POINT_RULES,
  };
}

/** The problems of a scheme, as keys a person can act on (empty when it is sound). */
export function schemeProblems(s: Scheme): string[] {
  const out: string[] = [];
  if (!s.items.length) out.push('no_items');
  const seen = new Set<string>();
  for (const i of s.items) {
    if (seen.has(i.indicator)) out.push(`repeated:${i.indicator}`);
    seen.add(i.indicator);
    if (!(i.weight > 0)) out.push(`weight:${i.indicator}`);
  }
  return out;
}

export interface ScoredUnit {
  unitId: number;
  name: string;
  code: string;
  counts: BaseCounts;
}

export interface RankingRow {
  unitId: number;
  name: string;
  code: string;
  values: Partial<Record<IndicatorId, number | null>>;
  /** points per scheme item, then penalty and bonus */
  parts: { indicator: string; points: number }[];
  score: number | null;
  rank: number | null;
  /** false: below the minimum volume (listed, not ranked) or nothing to measure */
  ranked: boolean;
  board: 'red' | 'black' | null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Scores one unit: each rate × its weight (返工率: (1 − rate) × weight), over the items that can be measured, scaled
 * so the weights still sum to their total; minus the penalty per case handled late; plus the bonus per fix on the spot.
 * Null when no item can be measured.
 */
export function scoreUnit(s: Scheme, c: BaseCounts): { score: number | null; parts: RankingRow['parts'] } {
  const parts: RankingRow['parts'] = [];
  let got = 0;
  let measured = 0;
  const total = s.items.reduce((a, i) => a + i.weight, 0);
  for (const item of s.items) {
    const r = indicatorValue(item.indicator, c);
    if (r == null) continue;
    const v = INDICATOR_BY_ID[item.indicator].lowerIsBetter ? 1 - r : r;
    got += v * item.weight;
    measured += item.weight;
  }
  if (measured === 0) return { score: null, parts };
  const scale = total / measured;
  for (const item of s.items) {
    const r = indicatorValue(item.indicator, c);
    if (r == null) continue;
    const v = INDICATOR_BY_ID[item.indicator].lowerIsBetter ? 1 - r : r;
    parts.push({ indicator: item.indicator, points: round1(v * item.weight * scale) });
  }
  const overdue = c.handled - c.handled_on_time;
  if (s.penaltyPerOverdue && overdue) parts.push({ indicator: 'overdue', points: -round1(overdue * s.penaltyPerOverdue) });
  if (s.bonusPerFixOnSpot && c.fixed_on_spot) parts.push({ indicator: 'fixed_on_spot', points: round1(c.fixed_on_spot * s.bonusPerFixOnSpot) });
  return { score: round1(got * scale - overdue * s.penaltyPerOverdue + c.fixed_on_spot * s.bonusPerFixOnSpot), parts };
}

/**
 * Ranks the units of one kind: ranked units by score (highest first), ties by the scheme's rule, then by code for a
 * stable order; units below the minimum volume or with no score after them, unranked. 红榜 = the first boardSize
 * ranks, 黑榜 = the last boardSize ranks (a unit on both, when few are ranked, stays on the 红榜).
 */
export function rankUnits(s: Scheme, unit: UnitKind, units: ScoredUnit[], valuesOf: (c: BaseCounts) => RankingRow['values']): RankingRow[] {
  const rows = units.map((u) => {
    const { score, parts } = scoreUnit(s, u.counts);
    const ranked = score != null && u.counts.accepted >= s.minVolume && unit !== 'grid_worker';
    return { row: { unitId: u.unitId, name: u.name, code: u.code, values: valuesOf(u.counts), parts, score, rank: null, ranked, board: null } as RankingRow, volume: u.counts.accepted };
  });
  const ranked = rows.filter((r) => r.row.ranked);
  ranked.sort((a, b) => b.row.score! - a.row.score! || (s.tie === 'volume' ? b.volume - a.volume : 0) || a.row.code.localeCompare(b.row.code));
  let prevKey = '';
  ranked.forEach((r, i) => {
    const key = s.tie === 'volume' ? `${r.row.score}|${r.volume}` : `${r.row.score}`;
    r.row.rank = key === prevKey ? ranked[i - 1]!.row.rank : i + 1;
    prevKey = key;
  });
  const n = s.boardSize;
  if (ranked.length) {
    const lastRank = ranked[ranked.length - 1]!.row.rank!;
    const cut = ranked.length > n ? ranked[n - 1]!.row.rank! : lastRank;
    for (const r of ranked) if (r.row.rank! <= cut) r.row.board = 'red';
    const blackFrom = ranked.length > n ? ranked[ranked.length - n]!.row.rank! : Infinity;
    for (const r of ranked) if (r.row.board == null && r.row.rank! >= blackFrom) r.row.board = 'black';
  }
  const unrankedRows = rows.filter((r) => !r.row.ranked).sort((a, b) => a.row.code.localeCompare(b.row.code));
  return [...ranked, ...unrankedRows].map((r) => r.row);
}
