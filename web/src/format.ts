// Date formatting and deadline status shared by lists and the case page.
import dayjs from 'dayjs';
import type { CaseState } from '../../src/shared/vocabulary';

export function fmtTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

/** states in which the handling deadline runs */
const RUNNING: readonly CaseState[] = ['dispatched', 'in_progress'];

/** 'overdue' past the deadline, 'warning' in its last 24 hours, for cases still being handled. */
export function deadlineStatus(state: CaseState, deadline: string | null, now = dayjs()): 'overdue' | 'warning' | null {
  if (!deadline || !RUNNING.includes(state)) return null;
  const d = dayjs(deadline);
  if (d.isBefore(now)) return 'overdue';
  if (d.diff(now, 'hour') < 24) return 'warning';
  return null;
}
