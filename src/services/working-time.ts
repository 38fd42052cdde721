// The working calendar and warning thresholds that time limits are computed with.
import type { DbOrTx } from '../data/db.js';
import { DEFAULT_THRESHOLDS, type WarningThresholds, type WorkingTime } from '../domain/time-limits.js';
import { loadCalendar } from './calendar.js';

export interface LimitContext {
  cal: WorkingTime;
  thresholds: WarningThresholds;
}

export async function loadLimitContext(db: DbOrTx): Promise<LimitContext> {
  return { cal: await loadCalendar(db), thresholds: DEFAULT_THRESHOLDS };
}
