// The colours of a rectification deadline (yellow warning, red overdue) and who hears of them. The warning instant is
// set when the notice is issued (or the deadline extended) on the office's working-day calendar, the same thresholds
// as a case's handling clock (src/domain/cases/time-limits.ts). Pure.
import type { HazardGrade, HazardState } from './lifecycle.js';

export type HazardWarning = 'none' | 'yellow' | 'red';
export const HAZARD_WARNING_LEVEL: Record<HazardWarning, number> = { none: 0, yellow: 1, red: 2 };
export const HAZARD_WARNING_LABELS: Record<HazardWarning, string> = { none: '', yellow: '黄色预警', red: '红色预警（已超期）' };

/** States whose deadline is still running: the enterprise is rectifying, or failed the re-inspection and is overdue. */
const CLOCKED: readonly HazardState[] = ['rectifying', 'failed'];

export function hazardWarningAt(now: Date, h: { state: HazardState; deadline: Date | null; warn_at: Date | null }): HazardWarning {
  if (!CLOCKED.includes(h.state) || !h.deadline) return 'none';
  if (now >= h.deadline) return 'red';
  return h.warn_at && now >= h.warn_at ? 'yellow' : 'none';
}

/** Who hears of a deadline level: yellow the issuer and the area's grid workers; red also the area's operators (重大: the leaders). */
export function hazardDeadlineAudience(level: 1 | 2, grade: HazardGrade): { issuer: boolean; roles: ('grid_worker' | 'operator' | 'leader')[] } {
  if (level === 1) return { issuer: true, roles: ['grid_worker'] };
  return { issuer: true, roles: grade === 'major' ? ['grid_worker', 'operator', 'leader'] : ['grid_worker', 'operator'] };
}
