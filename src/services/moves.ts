// Moving a case: one function for every move of the workflow table, through the lifecycle runner
// (src/services/lifecycle.ts): state guard → one transaction with the case update (optimistic version), its timeline
// event, its audit record and its notices → live delivery after commit.
import { CASE_LIFECYCLE, WORKFLOW, type CaseFacts } from '../domain/workflow.js';
import { DomainError } from '../domain/errors.js';
import type { Actor } from '../domain/access.js';
import { addLimitDays, clockFor, clockUntil, shiftClock, type WorkClock } from '../domain/time-limits.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { UNSATISFIED_MAX, type CaseState, type MoveName, type Rating, type Urgency } from '../shared/vocabulary.js';
import { inTransaction, type DbOrTx, type Tx } from '../data/db.js';
import type { CaseLimits } from '../data/schema.js';
import {
  findCaseInScope,
  insertCaseEvent,
  listMergedInto,
  recordCoReport,
  replaceAssignments,
  endAssignments,
  updateCaseIfVersion,
  type CaseRow,
  type CaseUpdate,
} from '../data/repos/cases.js';
import { findCategory, findDepartment } from '../data/repos/reference.js';
import { findPhotos } from '../data/repos/photos.js';
import { actionableCase, caseScope } from './access.js';
import { announce, notify, type Notice } from './notify.js';
import { loadLimitContext, type LimitContext } from './working-time.js';
import type { ActorContext } from './context.js';
import { runLifecycleMove, type LifecycleStore } from './lifecycle.js';

const MASTER_STATES: readonly string[] = ['accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'];

export interface MoveRequest {
  version: number;
  note?: string | undefined;
  departmentId?: number | undefined;
  coDepartmentIds?: number[] | undefined;
  deadline?: string | undefined;
  photos: string[];
  masterId?: number | undefined;
  rating?: number | undefined;
  categoryId?: number | undefined;
  urgency?: Urgency | undefined;
  gridId?: number | undefined;
}

export async function requirePhotos(db: DbOrTx, hashes: readonly string[]): Promise<void> {
  if (hashes.length > 9) throw new DomainError('too_many_photos');
  const found = new Set((await findPhotos(db, hashes)).map((p) => p.hash));
  const missing = hashes.find((h) => !found.has(h));
  if (missing) throw new DomainError('unknown_photo', { hash: missing.slice(0, 12) });
}

export function clockColumns(clock: WorkClock | null): Partial<CaseUpdate> {
  return {
    clock_kind: clock?.kind ?? null,
    clock_started_at: clock?.startedAt ?? null,
    warn_at: clock?.warnAt ?? null,
    due_at: clock?.dueAt ?? null,
    escalate_at: clock?.escalateAt ?? null,
    notified_level: 0,
  };
}

/**
 * Whether the case's running limits (its clock and deadline) were counted over provisional calendar days; only
 * written when the move touched them.
 */
function provisionalColumn(cal: WorkCalendar, next: CaseRow, now: Date): Partial<CaseUpdate> {
  const anchor = next.clock_started_at ?? next.dispatched_at ?? now;
  const ends = [next.due_at, next.deadline].filter((d): d is Date => d instanceof Date);
  if (ends.length === 0) return { limits_provisional: false };
  return { limits_provisional: ends.some((end) => cal.touchesProvisional(anchor, end)) };
}

function clockOf(row: CaseRow): WorkClock | null {
  if (!row.clock_kind || !row.clock_started_at || !row.warn_at || !row.due_at || !row.escalate_at) return null;
  return { kind: row.clock_kind, startedAt: row.clock_started_at, warnAt: row.warn_at, dueAt: row.due_at, escalateAt: row.escalate_at };
}

export function factsOf(row: CaseRow, actor: Actor, coDepartmentIds: readonly number[]): CaseFacts {
  return {
    state: row.state,
    isMainDepartment: actor.departmentId != null && actor.departmentId === row.department_id,
    isCoDepartment: actor.departmentId != null && coDepartmentIds.includes(actor.departmentId),
    isReporter: actor.id === row.reporter_id,
    hasDepartment: row.department_id != null,
    pendingExtension: row.pending_extension != null,
    pendingSuspend: row.pending_suspend != null,
    rating: (row.rating as Rating | null) ?? null,
    returnOpenUntil: row.return_open_until,
    routed: row.grid_id != null,
  };
}

interface Effect {
  set: Partial<CaseUpdate>;
  data?: Record<string, unknown>;
  notices: Notice[];
  after?: (trx: Tx, updated: CaseRow) => Promise<number[]>;
}

const area = (row: CaseRow, role: 'operator' | 'leader' | 'grid_worker') => ({ kind: 'area_role' as const, role, areaPath: row.area_path });
const dept = (id: number) => ({ kind: 'department' as const, departmentId: id });

async function effectOf(
  trx: Tx,
  ctx: ActorContext,
  lc: LimitContext,
  move: MoveName,
  row: CaseRow,
  input: MoveRequest,
): Promise<Effect> {
  const { actor, now } = ctx;
  const { cal, thresholds } = lc;
  const pending = (deadline?: string) => JSON.stringify({ byUserId: actor.id, at: now.toISOString(), note: input.note ?? '', ...(deadline ? { deadline } : {}) });
  switch (move) {
    case 'accept': {
      // Accepting is where the operator classifies: category and urgency fix the case's time limits.
      if (input.categoryId == null && input.urgency == null) return { set: {}, notices: [] };
      const category = await findCategory(trx, input.categoryId ?? row.category_id);
      if (!category) throw new DomainError('unknown_category');
      const urgency = input.urgency ?? row.urgency;
      const limits: CaseLimits = { ...category.limits[urgency], returnHours: Number(category.return_hours) };
      return { set: { category_id: category.id, urgency, limits: JSON.stringify(limits) }, data: { categoryId: category.id, urgency }, notices: [] };
    }
    case 'reject':
      return { set: {}, notices: [] };
    case 'route': {
      const grid = await trx
        .selectFrom('grids')
        .select(['id', 'path', 'version', 'name'])
        .where('id', '=', input.gridId!)
        .where('grid_class', '=', 'A')
        .where('retired_at', 'is', null)
        .executeTakeFirst();
      if (!grid) throw new DomainError('unknown_grid');
      const routing = { ...row.routing, grid: { reason: 'operator' as const, gridId: grid.id } };
      return {
        set: { grid_id: grid.id, grid_version: grid.version, area_path: grid.path, routing: JSON.stringify(routing) },
        data: { gridId: grid.id, gridName: grid.name, previousGridId: row.grid_id },
        notices: [],
      };
    }
    case 'merge': {
      const master = input.masterId != null ? await findCaseInScope(trx, input.masterId, caseScope(actor)) : undefined;
      // The master must be an accepted, open case: a master still awaiting acceptance could be rejected and
      // strand its duplicates.
      if (!master || master.id === row.id || !MASTER_STATES.includes(master.state)) throw new DomainError('master_invalid');
      return { set: { master_id: master.id }, data: { masterId: master.id, masterNumber: master.number }, notices: [] };
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
        notices: [{ to: [dept(main), ...co.map(dept)], kind: 'new_task', row, title: `新工单 ${row.number}` }],
        after: async (t) => {
          await replaceAssignments(t, row.id, row.life, main, co, now);
          return [];
        },
      };
    }
    case 'sign':
      return { set: clockColumns(clockUntil(cal, 'handle', row.dispatched_at ?? now, row.deadline ?? addLimitDays(cal, now, row.limits.handleDays), thresholds)), notices: [] };
    case 'return':
      return {
        set: { department_id: null, deadline: null, deadline_fixed: false, dispatched_at: null, return_open_until: null, pending_extension: null, pending_suspend: null, ...clockColumns(null) },
        data: { departmentId: row.department_id },
        notices: [{ to: [area(row, 'operator')], kind: 'returned', row, title: `工单 ${row.number} 被退回`, body: input.note ?? '' }],
        after: async (t) => {
          await endAssignments(t, row.id, row.life, now);
          return [];
        },
      };
    case 'request_extension':
      if (input.deadline) cal.checkCovers(new Date(input.deadline));
      if (row.deadline && input.deadline && new Date(input.deadline) <= row.deadline) throw new DomainError('extension_not_later');
      return {
        set: { pending_extension: pending(input.deadline) },
        data: { proposedDeadline: input.deadline, currentDeadline: row.deadline?.toISOString() ?? null },
        notices: [{ to: [area(row, 'operator')], kind: 'extension_requested', row, title: `案件 ${row.number} 申请延期`, body: input.note ?? '' }],
      };
    case 'grant_extension': {
      const requested = row.pending_extension!;
      const deadline = new Date(input.deadline ?? requested.deadline!);
      cal.checkCovers(deadline);
      const clock = clockUntil(cal, 'handle', row.clock_started_at ?? row.dispatched_at ?? now, deadline, thresholds);
      return {
        set: { deadline, deadline_fixed: true, pending_extension: null, ...clockColumns(clock) },
        data: { previousDeadline: row.deadline?.toISOString() ?? null, deadline: deadline.toISOString(), requested: requested.deadline },
        notices: [{ to: [{ kind: 'user', userId: requested.byUserId }], kind: 'extension_answered', row, title: `案件 ${row.number} 延期已批准` }],
      };
    }
    case 'deny_extension':
      return {
        set: { pending_extension: null },
        data: { requested: row.pending_extension?.deadline },
        notices: [{ to: [{ kind: 'user', userId: row.pending_extension!.byUserId }], kind: 'extension_answered', row, title: `案件 ${row.number} 延期未批准`, body: input.note ?? '' }],
      };
    case 'co_report':
      return {
        set: {},
        data: { departmentId: actor.departmentId },
        notices: [],
        after: async (t) => {
          await recordCoReport(t, row.id, row.life, actor.departmentId!, input.note!, now);
          return [];
        },
      };
    case 'request_suspend':
      return {
        set: { pending_suspend: pending() },
        notices: [{ to: [area(row, 'operator')], kind: 'suspend_requested', row, title: `案件 ${row.number} 申请挂起`, body: input.note ?? '' }],
      };
    case 'suspend':
      return {
        set: { suspended_from: row.state, suspended_at: now, pending_suspend: null },
        notices: [{ to: [{ kind: 'user', userId: row.pending_suspend!.byUserId }], kind: 'suspend_answered', row, title: `案件 ${row.number} 已挂起` }],
      };
    case 'deny_suspend':
      return {
        set: { pending_suspend: null },
        notices: [{ to: [{ kind: 'user', userId: row.pending_suspend!.byUserId }], kind: 'suspend_answered', row, title: `案件 ${row.number} 挂起未批准`, body: input.note ?? '' }],
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
        notices: row.department_id ? [{ to: [dept(row.department_id)], kind: 'suspend_answered', row, title: `案件 ${row.number} 恢复办理` }] : [],
      };
    }
    case 'handle':
      return {
        set: { pending_extension: null, ...clockColumns(clockFor(cal, 'verify', now, row.limits, thresholds)) },
        notices: [{ to: [area(row, 'grid_worker')], kind: 'to_verify', row, title: `案件 ${row.number} 待核查` }],
      };
    case 'verify_pass':
      return { set: clockColumns(null), notices: [{ to: [area(row, 'operator')], kind: 'to_close', row, title: `案件 ${row.number} 待结案` }] };
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
        notices: [{ to: [dept(row.department_id!)], kind: 'new_task', row, title: `案件 ${row.number} 核查不通过，需返工`, body: input.note ?? '' }],
      };
    }
    case 'close':
      return {
        set: { closed_at: now, ...clockColumns(null) },
        notices: [],
        after: (t) => closeMerged(t, ctx, row),
      };
    case 'evaluate':
      return {
        set: { rating: input.rating!, rated_at: now },
        data: { rating: input.rating },
        // 不满意: the operators are told at once and the case waits in their tasks (回头看) until reopened
        notices:
          input.rating! <= UNSATISFIED_MAX
            ? [{ to: [area(row, 'operator')], kind: 'unsatisfied', row, title: `案件 ${row.number} 评价不满意（${input.rating}星），需回头看`, body: input.note ?? '' }]
            : [],
      };
    case 'reopen':
      return {
        set: {
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
        },
        data: { previousLife: row.life, life: row.life + 1, previousRating: row.rating },
        notices: [],
      };
    case 'supervise':
      return {
        set: { escalation_level: row.escalation_level + 1 },
        data: { level: row.escalation_level + 1 },
        notices: [
          {
            to: [...(row.department_id ? [dept(row.department_id)] : []), area(row, 'operator')],
            kind: 'supervised',
            row,
            title: `案件 ${row.number} 被督办（${row.escalation_level + 1} 级）`,
            body: input.note ?? '',
          },
        ],
      };
    case 'follow_master':
      return { set: { closed_at: now, ...clockColumns(null) }, notices: [], after: (t) => closeMerged(t, ctx, row) };
    case 'report':
    case 'fix_on_spot':
      throw new DomainError('move_not_allowed_in_state', { move, state: row.state });
  }
}

/** Closing a master closes the duplicates merged into it (并单: the duplicate follows its master). */
async function closeMerged(trx: Tx, ctx: ActorContext, master: CaseRow): Promise<number[]> {
  const told: number[] = [];
  for (const dup of await listMergedInto(trx, master.id)) {
    told.push(...(await applyMove(trx, ctx, dup, [], 'follow_master', { version: dup.version, photos: [], note: `随主案件 ${master.number} 结案` })));
  }
  return told;
}

/** How cases are stored, for the lifecycle runner: the versioned update, the timeline event, the audit line. */
const CASE_STORE: LifecycleStore<CaseState, MoveName, CaseRow, Partial<CaseUpdate>> = {
  update: (trx, row, change, state, at) => updateCaseIfVersion(trx, row.id, row.version, { ...change, state, updated_at: at }),
  recordEvent: (trx, ctx, r) =>
    insertCaseEvent(trx, {
      caseId: r.before.id,
      move: r.move,
      fromState: r.decision.from,
      toState: r.decision.to,
      actorId: ctx.actor.id,
      actorRole: ctx.actor.role,
      note: r.note,
      departmentId: r.after.department_id !== r.before.department_id ? r.after.department_id : r.move === 'co_report' ? ctx.actor.departmentId : null,
      deadline: r.after.deadline && r.after.deadline.getTime() !== r.before.deadline?.getTime() ? r.after.deadline : null,
      photos: [...r.photos],
      at: ctx.now,
      life: r.before.life,
      data: r.data,
    }),
  auditTarget: 'case',
  auditSummary: (row, d) => `案件 ${row.number}: ${d.from} → ${d.to}`,
};

async function applyMove(trx: Tx, ctx: ActorContext, row: CaseRow, coDepartmentIds: readonly number[], move: MoveName, input: MoveRequest): Promise<number[]> {
  const { actor, now } = ctx;
  let notices: Notice[] = [];
  let after: Effect['after'];
  const { updated } = await runLifecycleMove(trx, ctx, {
    def: CASE_LIFECYCLE,
    store: CASE_STORE,
    row,
    facts: factsOf(row, actor, coDepartmentIds),
    move,
    input: { note: input.note, departmentId: input.departmentId, deadline: input.deadline ? new Date(input.deadline) : undefined, masterId: input.masterId, rating: input.rating, gridId: input.gridId },
    version: input.version,
    note: input.note,
    photos: input.photos,
    effect: async () => {
      const lc = await loadLimitContext(trx, now);
      const effect = await effectOf(trx, ctx, lc, move, row, input);
      notices = effect.notices;
      after = effect.after;
      return { set: { ...effect.set, ...provisionalColumn(lc.cal, { ...row, ...effect.set } as CaseRow, now) }, data: effect.data };
    },
  });
  const told = await notify(trx, notices.map((n) => ({ ...n, exceptUserId: actor.id })), now);
  if (after) told.push(...(await after(trx, updated)));
  return told;
}

export async function moveCase(ctx: ActorContext, caseId: number, move: MoveName, input: MoveRequest): Promise<void> {
  const { db } = ctx;
  // System moves (follow_master) are made by the platform as a consequence of another move, never by a person.
  if (WORKFLOW[move].system) throw new DomainError('move_forbidden_for_role', { move, role: ctx.actor.role });
  await requirePhotos(db, input.photos);
  for (const d of [input.departmentId, ...(input.coDepartmentIds ?? [])]) {
    if (d != null && !(await findDepartment(db, d))) throw new DomainError('unknown_department');
  }
  if (input.coDepartmentIds?.includes(input.departmentId ?? -1)) throw new DomainError('co_department_invalid');
  const told = await inTransaction(db, async (trx) => {
    const { row, coDepartmentIds } = await actionableCase(trx, ctx.actor, caseId);
    return applyMove(trx, ctx, row, coDepartmentIds, move, input);
  });
  announce(told);
}
