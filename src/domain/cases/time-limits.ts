// Time limits (时限) and the warning colours of a case: which clock runs in which state, when it turns
// yellow (预警), red (超期) and when the leader is told. Pure: the working calendar is passed in.
import type { CaseState, Urgency, WarningLevel } from '../../shared/vocabulary.js';

/** A category's limits for one urgency: to sign (working hours), to handle (working days), to verify (working hours). */
export interface TimeLimitSet {
  signHours: number;
  handleDays: number;
  verifyHours: number;
}
export type CategoryLimits = Record<Urgency, TimeLimitSet>;
/** The limits a case copies from its category when reported, plus how long its department may return it. */
export interface CaseLimits extends TimeLimitSet {
  returnHours: number;
}

/** The part of the working calendar (src/domain/calendar/calendar.ts) that limits need. */
export interface WorkingTime {
  addWorkingDays(from: Date, days: number): Date;
  addWorkingHours(from: Date, hours: number): Date;
  workingMsBetween(from: Date, to: Date): number;
  /** length of a full working day (7 h with the default hours) */
  workingMsPerDay(): number;
}

export interface WarningThresholds {
  /** share of the limit used at which a case turns yellow */
  yellowShare: number;
  /** working hours past the deadline after which the leader is notified */
  escalateAfterHours: number;
}

export const DEFAULT_THRESHOLDS: WarningThresholds = { yellowShare: 0.8, escalateAfterHours: 8 };

export type ClockKind = 'sign' | 'handle' | 'verify';

export interface WorkClock {
  kind: ClockKind;
  startedAt: Date;
  warnAt: Date;
  dueAt: Date;
  escalateAt: Date;
}

/**
 * N working days; a fraction of a day counts as that share of a full working day. Counting starts at the first
 * working instant at or after `from`: a case dispatched on a Sunday gets its full working days from Monday's
 * start, not "Monday at Sunday's clock time" (which could leave it no working time at all).
 */
export function addLimitDays(cal: WorkingTime, from: Date, days: number): Date {
  const start = new Date(cal.addWorkingHours(from, 1 / 3_600_000).getTime() - 1);
  const whole = Math.floor(days);
  const after = whole > 0 ? cal.addWorkingDays(start, whole) : start;
  const rest = days - whole;
  return rest > 0 ? cal.addWorkingHours(after, (rest * cal.workingMsPerDay()) / 3_600_000) : after;
}

export function clockUntil(cal: WorkingTime, kind: ClockKind, startedAt: Date, dueAt: Date, t: WarningThresholds): WorkClock {
  const span = cal.workingMsBetween(startedAt, dueAt);
  return {
    kind,
    startedAt,
    warnAt: cal.addWorkingHours(startedAt, (span * t.yellowShare) / 3_600_000),
    dueAt,
    escalateAt: cal.addWorkingHours(dueAt, t.escalateAfterHours),
  };
}

export function clockFor(cal: WorkingTime, kind: Exclude<ClockKind, 'handle'>, startedAt: Date, limits: CaseLimits, t: WarningThresholds): WorkClock {
  const hours = kind === 'sign' ? limits.signHours : limits.verifyHours;
  return clockUntil(cal, kind, startedAt, cal.addWorkingHours(startedAt, hours), t);
}

/**
 * Which clock runs in which state: to sign while dispatched, to handle while in progress, to verify once handled.
 * In every other state no clock runs (a suspended case's clock stands still, so it shows no colour).
 */
export const CLOCK_OF_STATE = { dispatched: 'sign', in_progress: 'handle', handled: 'verify' } as const satisfies Partial<Record<CaseState, ClockKind>>;
/** The states in which a case's clock runs: the one list the queries, the presenters and the map use. */
export const CLOCKED_STATES: readonly CaseState[] = Object.keys(CLOCK_OF_STATE) as CaseState[];

export function clockKindOf(state: CaseState): ClockKind | null {
  return (CLOCK_OF_STATE as Partial<Record<CaseState, ClockKind>>)[state] ?? null;
}

/** Whether a clock runs in the state. */
export function isClocked(state: CaseState): boolean {
  return clockKindOf(state) != null;
}

export function warningLevelAt(now: Date, clock: { warnAt: Date | null; dueAt: Date | null } | null): WarningLevel {
  if (!clock?.dueAt || !clock.warnAt) return 'green';
  if (now >= clock.dueAt) return 'red';
  if (now >= clock.warnAt) return 'yellow';
  return 'green';
}

/** A suspended clock resumes shifted by the working time it was stopped. */
export function shiftClock(cal: WorkingTime, clock: WorkClock, stoppedMs: number): WorkClock {
  const h = stoppedMs / 3_600_000;
  return {
    ...clock,
    warnAt: cal.addWorkingHours(clock.warnAt, h),
    dueAt: cal.addWorkingHours(clock.dueAt, h),
    escalateAt: cal.addWorkingHours(clock.escalateAt, h),
  };
}

/** Threshold levels a sweep notifies, in order: 1 warning, 2 overdue, 3 escalated to the leader. */
export function thresholdLevelAt(now: Date, c: { warnAt: Date; dueAt: Date; escalateAt: Date }): 0 | 1 | 2 | 3 {
  if (now >= c.escalateAt) return 3;
  if (now >= c.dueAt) return 2;
  if (now >= c.warnAt) return 1;
  return 0;
}

/** The calendar a recompute needs: working time both ways and which days changed. */
export interface RelayCalendar {
  addWorkingMs(from: Date, ms: number): Date;
  workingMsBetween(from: Date, to: Date): number;
}

/** A case's running time limits as stored (src/data/repos/cases/limits.ts). */
export interface RunningLimits {
  clockKind: ClockKind | null;
  clockStartedAt: Date | null;
  warnAt: Date | null;
  dueAt: Date | null;
  escalateAt: Date | null;
  deadline: Date | null;
  deadlineFixed: boolean;
  dispatchedAt: Date | null;
  returnOpenUntil: Date | null;
}

/**
 * The same limits laid on a changed calendar (a year's official schedule imported, a day edited): every instant
 * keeps the working time it had from its anchor (the clock's start, or the dispatch), so a case is owed exactly
 * what it was owed, placed on the new working days. A deadline a person chose (dispatch with a date, a granted
 * extension) stays; its warning moves with the calendar. Instants whose span holds no changed day are returned
 * unchanged, so an import that changes nothing for a case moves nothing.
 */
export function relayLimits(before: RelayCalendar, after: RelayCalendar, l: RunningLimits, changed: (from: Date, to: Date) => boolean): RunningLimits {
  const relay = (anchor: Date | null, x: Date | null): Date | null => {
    if (!anchor || !x || x <= anchor || !changed(anchor, x)) return x;
    return after.addWorkingMs(anchor, before.workingMsBetween(anchor, x));
  };
  const anchor = l.clockStartedAt ?? l.dispatchedAt;
  const deadline = l.deadlineFixed ? l.deadline : relay(l.dispatchedAt ?? anchor, l.deadline);
  // The handle clock runs to the deadline itself.
  const dueFollowsDeadline = l.clockKind === 'handle' && l.deadline != null && l.dueAt?.getTime() === l.deadline.getTime();
  const dueAt = dueFollowsDeadline ? deadline : relay(anchor, l.dueAt);
  const escalateAt =
    l.escalateAt && l.dueAt && dueAt && l.escalateAt > l.dueAt
      ? changed(l.dueAt, l.escalateAt) || dueAt.getTime() !== l.dueAt.getTime()
        ? after.addWorkingMs(dueAt, before.workingMsBetween(l.dueAt, l.escalateAt))
        : l.escalateAt
      : l.escalateAt;
  return {
    ...l,
    warnAt: relay(anchor, l.warnAt),
    dueAt,
    escalateAt,
    deadline,
    returnOpenUntil: relay(l.dispatchedAt, l.returnOpenUntil),
  };
}
