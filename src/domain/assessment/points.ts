// Grid-worker points (积分): points per report, verification, day on patrol and fix on the spot, from the grid-worker
// base counts of src/domain/assessment/indicators.ts; a monthly leaderboard ranks them. Pure: no I/O.
import type { BaseCounts } from './indicators.js';

export interface PointRules {
  perReport: number;
  perVerification: number;
  perPatrolDay: number;
  perFixOnSpot: number;
}

export const DEFAULT_POINT_RULES: PointRules = { perReport: 1, perVerification: 1, perPatrolDay: 2, perFixOnSpot: 2 };

export function pointsOf(r: PointRules, c: BaseCounts): number {
  return Math.round((c.reported * r.perReport + c.verifications * r.perVerification + c.patrol_days * r.perPatrolDay + c.fixed_on_spot * r.perFixOnSpot) * 10) / 10;
}

/** Highest points first; equal points share a rank; then by name for a stable order. */
export function leaderboard<T extends { points: number; name: string }>(rows: T[]): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => b.points - a.points || a.name.localeCompare(b.name, 'zh-CN'));
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || r.points !== sorted[i - 1]!.points) rank = i + 1;
    return { ...r, rank };
  });
}
