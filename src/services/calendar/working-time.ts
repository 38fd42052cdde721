// The working calendar and warning thresholds that time limits are computed with.
import type { DbOrTx } from '../../data/db.js';
import type { WorkCalendar } from '../../domain/calendar/calendar.js';
import { DEFAULT_THRESHOLDS, type WarningThresholds } from '../../domain/cases/time-limits.js';
import { loadCalendar } from './calendar.js';

export interface LimitContext {
  cal: WorkCalendar;
  thresholds: WarningThresholds;
}

/** `now` decides how far the provisional years reach (a few years past the current one). */
export async function loadLimitContext(db: DbOrTx, now: Date): Promise<LimitContext> {
  return { cal: await loadCalendar(db, now), thresholds: DEFAULT_THRESHOLDS };
}
