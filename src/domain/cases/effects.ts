// What each move of a case does, in one place: the columns it changes, which clock starts or stops, what the
// timeline records, who is told, and what else follows (assignments, co-reports, duplicates closed with their
// master). Pure: everything a move needs to read (the category, the grid, the master case, the working calendar) is
// loaded by the service beforehand and passed in as `MoveContext`; the result is data the service writes in the
// move's transaction (src/services/cases/moves.ts). The rules of who may make a move and when are the lifecycle
// definition (src/domain/cases/workflow.ts); this file is the rest of a move's behaviour.
import { UNSATISFIED_MAX, type MoveName, type Urgency } from '../../shared/vocabulary.js';
import type { WorkCalendar } from '../calendar/calendar.js';
import type { CaseChange, CaseRecord } from './case.js';
import { DomainError } from '../errors.js';
import type { NoticeSpec, Recipients } from '../notice.js';
import type { NoticeCode } from '../../shared/messages.js';
import { addLimitDays, clockFor, clockUntil, shiftClock, type CaseLimits, type CategoryLimits, type WarningThresholds, type WorkClock } from './time-limits.js';

/** States a master case may be in when a duplicate is merged into it: accepted and still open. */
export const MASTER_STATES: readonly string[] = ['accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'];

/** The move's input as a person sent it. */
export interface CaseMoveInput {
  note?: string | undefined;
  departmentId?: number | undefined;
  coDepartmentIds?: number[] | undefined;
  deadline?: string | undefined;
  masterId?: number | undefined;
  rating?: number | undefined;
  categoryId?: number | undefined;
  urgency?: Urgency | undefined;
  gridId?: number | undefined;
}

/** Everything a move reads besides the case: loaded by the service before the effect (see `effectNeeds`). */
export interface MoveContext {
  actor: { id: number; departmentId: number | null };
  now: Date;
  cal: WorkCalendar;
  thresholds: WarningThresholds;
  /** accept with a category or urgency: the category (undefined when it does not exist) */
  category?: { id: number; limits: CategoryLimits; return_hours: number | string } | undefined;
  /** route: the active A-class grid chosen (undefined when there is none by that id) */
  grid?: { id: number; path: string; version: number; name: string } | undefined;
  /** merge: the master case, if the actor may see it */
  master?: { id: number; number: string; state: string } | undefined;
}

/** What must be loaded for a move's effect; the service loads exactly these. */
export interface EffectNeeds {
  categoryId?: number;
  gridId?: number;
  masterId?: number;
}

export function effectNeeds(move: MoveName, row: Pick<CaseRecord, 'category_id'>, input: CaseMoveInput): EffectNeeds {
  if (move === 'accept' && (input.categoryId != null || input.urgency != null)) return { categoryId: input.categoryId ?? row.category_id };
  if (move === 'route' && input.gridId != null) return { gridId: input.gridId };
  if (move === 'merge' && input.masterId != null) return { masterId: input.masterId };
  return {};
}

/** Work that follows the case update inside the same transaction, carried out by the service. */
export type FollowUp =
  | { kind: 'replace_assignments'; departmentId: number; coDepartmentIds: number[] }
  | { kind: 'end_assignments' }
  | { kind: 'record_co_report'; departmentId: number; note: string }
  /** duplicates merged into this case follow it (move `follow_master`, with this note) */
  | { kind: 'close_merged'; note: string };

export interface CaseEffect {
  set: CaseChange;
  /** recorded with the timeline event and the audit record */
  data?: Record<string, unknown>;
  notices: NoticeSpec[];
  followUps: FollowUp[];
}

export type ClockColumns = Pick<CaseRecord, 'clock_kind' | 'clock_started_at' | 'warn_at' | 'due_at' | 'escalate_at' | 'notified_level'>;

/** The clock columns of a case for a running clock, or for none. */
export function clockColumns(clock: WorkClock | null): ClockColumns {
  return {
    clock_kind: clock?.kind ?? null,
    clock_started_at: clock?.startedAt ?? null,
    warn_at: clock?.warnAt ?? null,
    due_at: clock?.dueAt ?? null,
    escalate_at: clock?.escalateAt ?? null,
    notified_level: 0,
  };
}

/** The case's running clock, if one runs. */
export function clockOf(row: Pick<CaseRecord, 'clock_kind' | 'clock_started_at' | 'warn_at' | 'due_at' | 'escalate_at'>): WorkClock | null {
  if (!row.clock_kind || !row.clock_started_at || !row.warn_at || !row.due_at || !row.escalate_at) return null;
  return { kind: row.clock_kind, startedAt: row.clock_started_at, warnAt: row.warn_at, dueAt: row.due_at, escalateAt: row.escalate_at };
}

/**
 * Whether the case's running limits (its clock and deadline) were counted over provisional calendar days; written by
 * every move (false when no limit runs).
 */
export function provisionalColumn(cal: WorkCalendar, next: Pick<CaseRecord, 'clock_started_at' | 'dispatched_at' | 'due_at' | 'deadline'>, now: Date): CaseChange {
  const anchor = next.clock_started_at ?? next.dispatched_at ?? now;
  const ends = [next.due_at, next.deadline].filter((d): d is Date => d instanceof Date);
  if (ends.length === 0) return { limits_provisional: false };
  return { limits_provisional: ends.some((end) => cal.touchesProvisional(anchor, end)) };
}

const area = (row: CaseRecord, role: 'operator' | 'leader' | 'grid_worker'): Recipients => ({ kind: 'area_role', role, areaPath: row.area_path });
const dept = (id: number): Recipients => ({ kind: 'department', departmentId: id });
const user = (id: number): Recipients => ({ kind: 'user', userId: id });
const none = (set: CaseChange = {}): CaseEffect => ({ set, notices: [], followUps: [] });

/** What the move does to the case (the move was already decided allowed; its required input is present). */
export function caseMoveEffect(move: MoveName, row: CaseRecord, input: CaseMoveInput, ctx: MoveContext): CaseEffect {
  const effect = effectOf(move, row, input, ctx);
  return { ...effect, set: { ...effect.set, ...provisionalColumn(ctx.cal, { ...row, ...effect.set }, ctx.now) } };
}

function effectOf(move: MoveName, row: CaseRecord, input: CaseMoveInput, ctx: MoveContext): CaseEffect {
  const { actor, now, cal, thresholds } = ctx;
  const note = input.note ?? '';
  const pending = (deadline?: string) => ({ byUserId: actor.id, at: now.toISOString(), note, ...(deadline ? { deadline } : {}) });
  const notice = (to: Recipients[], kind: NoticeSpec['kind'], code: NoticeCode, body?: string, params: Record<string, string | number> = {}): NoticeSpec => ({
    to,
    kind,
    row: { id: row.id, number: row.number },
    title: { code, params: { number: row.number, ...params } },
    ...(body !== undefined ? { body } : {}),
  });
  switch (move) {
    case 'accept': {
      // Accepting is where the operator classifies: category and urgency fix the case's time limits.
      if (input.categoryId == null && input.urgency == null) return none();
      const category = ctx.category;
      if (!category) throw new DomainError('unknown_category');
      const urgency = input.urgency ?? row.urgency;
      const limits: CaseLimits = { ...category.limits[urgency], returnHours: Number(category.return_hours) };
      return { ...none({ category_id: category.id, urgency, limits }), data: { categoryId: category.id, urgency } };
    }
    case 'reject':
      return none();
    case 'route': {
      const grid = ctx.grid;
      if (!grid) throw new DomainError('unknown_grid');
      const routing = { ...row.routing, grid: { reason: 'operator' as const, gridId: grid.id } };
      return {
        ...none({ grid_id: grid.id, grid_version: grid.version, area_path: grid.path, routing }),
        data: { gridId: grid.id, gridName: grid.name, previousGridId: row.grid_id },
      };
    }
    case 'merge': {
      const master = ctx.master;
      // The master must be an accepted, open case: a master still awaiting acceptance could be rejected and
      // strand its duplicates.
      if (!master || master.id === row.id || !MASTER_STATES.includes(master.state)) throw new DomainError('master_invalid');
      return { ...none({ master_id: master.id }), data: { masterId: master.id, masterNumber: master.number } };
    }
    case 'dispatch': {
      const main = input.departmentId!;
      const co = [...new Set(input.coDepartmentIds ?? [])];
      const typed = input.deadline ? new Date(input.deadline) : null;
      // A typed deadline is checked on the same calendar every later move counts with (sign, warnings), so a date
      // the calendar cannot compute in is refused now instead of stranding the department at sign.
      if (typed) cal.checkCovers(typed);
      const deadline = typed ?? addLimitDays(cal, now, row.limits.handleDays);
      return {
        set: {
          department_id: main,
          deadline,
          deadline_fixed: typed != null,
          dispatched_at: now,
          return_open_until: cal.addWorkingHours(now, row.limits.returnHours),
          pending_extension: null,
          pending_suspend: null,
          ...clockColumns(clockFor(cal, 'sign', now, row.limits, thresholds)),
        },
        data: { departmentId: main, coDepartmentIds: co, deadline: deadline.toISOString() },
        notices: [notice([dept(main), ...co.map(dept)], 'new_task', 'notice_new_task')],
        followUps: [{ kind: 'replace_assignments', departmentId: main, coDepartmentIds: co }],
      };
    }
    case 'sign':
      return none(clockColumns(clockUntil(cal, 'handle', row.dispatched_at ?? now, row.deadline ?? addLimitDays(cal, now, row.limits.handleDays), thresholds)));
    case 'return':
      return {
        set: { department_id: null, deadline: null, deadline_fixed: false, dispatched_at: null, return_open_until: null, pending_extension: null, pending_suspend: null, ...clockColumns(null) },
        data: { departmentId: row.department_id },
        notices: [notice([area(row, 'operator')], 'returned', 'notice_returned', note)],
        followUps: [{ kind: 'end_assignments' }],
      };
    case 'request_extension':
      if (input.deadline) cal.checkCovers(new Date(input.deadline));
      if (row.deadline && input.deadline && new Date(input.deadline) <= row.deadline) throw new DomainError('extension_not_later');
      return {
        set: { pending_extension: pending(input.deadline) },
        data: { proposedDeadline: input.deadline, currentDeadline: row.deadline?.toISOString() ?? null },
        notices: [notice([area(row, 'operator')], 'extension_requested', 'notice_extension_requested', note)],
        followUps: [],
      };
    case 'grant_extension': {
      const requested = row.pending_extension!;
      const deadline = new Date(input.deadline ?? requested.deadline!);
      cal.checkCovers(deadline);
      const clock = clockUntil(cal, 'handle', row.clock_started_at ?? row.dispatched_at ?? now, deadline, thresholds);
      return {
        set: { deadline, deadline_fixed: true, pending_extension: null, ...clockColumns(clock) },
        data: { previousDeadline: row.deadline?.toISOString() ?? null, deadline: deadline.toISOString(), requested: requested.deadline },
        notices: [notice([user(requested.byUserId)], 'extension_answered', 'notice_extension_granted')],
        followUps: [],
      };
    }
    case 'deny_extension':
      return {
        set: { pending_extension: null },
        data: { requested: row.pending_extension?.deadline },
        notices: [notice([user(row.pending_extension!.byUserId)], 'extension_answered', 'notice_extension_denied', note)],
        followUps: [],
      };
    case 'co_report':
      return { ...none(), data: { departmentId: actor.departmentId }, followUps: [{ kind: 'record_co_report', departmentId: actor.departmentId!, note: input.note! }] };
    case 'request_suspend':
      return {
        ...none({ pending_suspend: pending() }),
        notices: [notice([area(row, 'operator')], 'suspend_requested', 'notice_suspend_requested', note)],
      };
    case 'suspend':
      return {
        ...none({ suspended_from: row.state, suspended_at: now, pending_suspend: null }),
        notices: [notice([user(row.pending_suspend!.byUserId)], 'suspend_answered', 'notice_suspended')],
      };
    case 'deny_suspend':
      return {
        ...none({ pending_suspend: null }),
        notices: [notice([user(row.pending_suspend!.byUserId)], 'suspend_answered', 'notice_suspend_denied', note)],
      };
    case 'resume': {
      // The clock stopped while suspended: every instant moves on by the working time it stood still.
      const stopped = row.suspended_at ? cal.workingMsBetween(row.suspended_at, now) : 0;
      const clock = clockOf(row);
      const shifted = clock ? shiftClock(cal, clock, stopped) : null;
      return {
        set: {
          suspended_from: null,
          suspended_at: null,
          ...(row.deadline ? { deadline: cal.addWorkingHours(row.deadline, stopped / 3_600_000) } : {}),
          ...(shifted ? clockColumns(shifted) : {}),
          notified_level: row.notified_level,
        },
        data: { stoppedWorkingMs: stopped },
        notices: row.department_id ? [notice([dept(row.department_id)], 'suspend_answered', 'notice_resumed')] : [],
        followUps: [],
      };
    }
    case 'handle':
      return {
        ...none({ pending_extension: null, ...clockColumns(clockFor(cal, 'verify', now, row.limits, thresholds)) }),
        notices: [notice([area(row, 'grid_worker')], 'to_verify', 'notice_to_verify')],
      };
    case 'verify_pass':
      return { ...none(clockColumns(null)), notices: [notice([area(row, 'operator')], 'to_close', 'notice_to_close')] };
    case 'verify_fail': {
      // Rework (返工): back to the same department with a fresh limit; a rework cannot be returned.
      const deadline = addLimitDays(cal, now, row.limits.handleDays);
      return {
        set: {
          rework_count: row.rework_count + 1,
          deadline,
          deadline_fixed: false,
          dispatched_at: now,
          return_open_until: now,
          ...clockColumns(clockFor(cal, 'sign', now, row.limits, thresholds)),
        },
        data: { rework: row.rework_count + 1, deadline: deadline.toISOString() },
        notices: [notice([dept(row.department_id!)], 'new_task', 'notice_verify_failed', note)],
        followUps: [],
      };
    }
    case 'close':
    case 'follow_master':
      return { ...none({ closed_at: now, ...clockColumns(null) }), followUps: [{ kind: 'close_merged', note: `随主案件 ${row.number} 结案` }] };
    case 'evaluate':
      return {
        ...none({ rating: input.rating!, rated_at: now }),
        data: { rating: input.rating },
        // 不满意: the operators are told at once and the case waits in their tasks (回头看) until reopened
        notices: input.rating! <= UNSATISFIED_MAX ? [notice([area(row, 'operator')], 'unsatisfied', 'notice_unsatisfied', note, { rating: input.rating! })] : [],
      };
    case 'reopen':
      return {
        ...none({
          life: row.life + 1,
          rating: null,
          rated_at: null,
          closed_at: null,
          department_id: null,
          deadline: null,
          dispatched_at: null,
          return_open_until: null,
          rework_count: 0,
          escalation_level: 0,
          ...clockColumns(null),
        }),
        data: { previousLife: row.life, life: row.life + 1, previousRating: row.rating },
      };
    case 'supervise':
      return {
        ...none({ escalation_level: row.escalation_level + 1 }),
        data: { level: row.escalation_level + 1 },
        notices: [
          notice([...(row.department_id ? [dept(row.department_id)] : []), area(row, 'operator')], 'supervised', 'notice_supervised', note, { level: row.escalation_level + 1 }),
        ],
      };
    case 'report':
    case 'fix_on_spot':
      throw new DomainError('move_not_allowed_in_state', { move, state: row.state });
  }
}
