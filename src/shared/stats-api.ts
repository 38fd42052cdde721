// The dashboard's statistics (GET /api/stats/summary): shared by the server (validation + OpenAPI) and the web app.
//
// Every number comes with `filter`: the query parameters of GET /api/cases whose `total` equals the number, so a
// click on a number lists exactly the cases it counts. Counts are of cases, each counted once per metric, at:
//   reported    its report time (上报)
//   accepted    its acceptance (受理/立案)
//   dispatched  its first dispatch (派遣); re-dispatches after a return or rework are not counted again
//   handled     its first handling (处置反馈), or its report when fixed on the spot (现场处置)
//   closed      its close (结案) if it is closed now; duplicates closed with their master are not counted
//   open        now: in an open state, whatever the period
//   overdue     now: a running clock (dispatched, in progress, handled) past its due time (the list's red level)
// Rates (null when there is nothing to measure):
//   onTime        first handlings at or before the deadline in force then / handled (现场处置 counts as on time)
//   closure       of the cases accepted in the period, those closed now / accepted
//   rework        of the cases handled in the period, those sent back for rework (返工) in their current life / handled
//   satisfaction  rated 满意 or 非常满意 (4–5 of 5) / rated, by the time of rating (回访)
// Days are Asia/Shanghai days; `from` and `to` are inclusive.
import { z } from 'zod';

export const StatsGroupBy = z.enum(['category', 'source', 'grid', 'community', 'department']);
export type StatsGroupBy = z.infer<typeof StatsGroupBy>;
export const StatsBucket = z.enum(['day', 'week', 'month']);
export type StatsBucket = z.infer<typeof StatsBucket>;

/** Longest period one summary covers. */
export const STATS_MAX_DAYS = 1830;

export const StatsQuery = z.object({
  /** first day (default: the first day of the current month) */
  from: z.iso.date().optional(),
  /** last day, inclusive (default: today) */
  to: z.iso.date().optional(),
  groupBy: StatsGroupBy.default('category'),
  bucket: StatsBucket.default('day'),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

/** Query parameters of GET /api/cases that list exactly the counted cases. */
export const ListFilter = z.record(z.string(), z.string());
export type ListFilter = z.infer<typeof ListFilter>;

/** A number and the list filter that reproduces it (null only for a group no list filter selects exactly). */
export const Count = z.object({ value: z.number().int(), filter: ListFilter.nullable() });
export type Count = z.infer<typeof Count>;

export const Rate = z.object({
  /** numerator / denominator in [0, 1]; null when the denominator is 0 */
  value: z.number().nullable(),
  numerator: Count,
  denominator: Count,
});
export type Rate = z.infer<typeof Rate>;

export const FlowCounts = z.object({ reported: Count, accepted: Count, dispatched: Count, handled: Count, closed: Count });
export type FlowCounts = z.infer<typeof FlowCounts>;
export const Rates = z.object({ onTime: Rate, closure: Rate, rework: Rate, satisfaction: Rate });
export type Rates = z.infer<typeof Rates>;
export const NowCounts = z.object({ open: Count, overdue: Count });

export const TrendItem = z.object({ start: z.string(), end: z.string(), counts: FlowCounts, rates: Rates });
export const BreakdownItem = z.object({
  /** the group's key: category id, source, grid id, community (division) id, department id; '' for none */
  key: z.string(),
  name: z.string(),
  counts: FlowCounts.extend(NowCounts.shape),
  rates: Rates,
});
export type BreakdownItem = z.infer<typeof BreakdownItem>;
export const RankingItem = z.object({
  /** 1 = best; equal scores share a rank; null: nothing to score */
  rank: z.number().int().nullable(),
  id: z.number(),
  name: z.string(),
  /** weighted score 0–100 (weights in `ranking.weights`) */
  score: z.number().nullable(),
  counts: FlowCounts,
  rates: Rates,
});

export const StatsSummary = z.object({
  period: z.object({ from: z.string(), to: z.string(), days: z.number(), timezone: z.literal('Asia/Shanghai') }),
  asOf: z.string(),
  totals: FlowCounts.extend(NowCounts.shape),
  rates: Rates,
  trend: z.object({ bucket: StatsBucket, items: z.array(TrendItem) }),
  breakdown: z.object({ by: StatsGroupBy, items: z.array(BreakdownItem) }),
  ranking: z.object({
    /** score = 100 × Σ weight × rate / Σ weight over the rates that can be measured; rework counts as (1 − rate) */
    weights: z.object({ onTime: z.number(), closure: z.number(), satisfaction: z.number(), rework: z.number() }),
    grids: z.array(RankingItem),
    departments: z.array(RankingItem),
  }),
});
export type StatsSummary = z.infer<typeof StatsSummary>;
