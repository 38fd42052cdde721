// The one workflow table of a case (DOMAIN.md "States and moves"): the case lifecycle, a definition on the lifecycle
// engine (src/domain/lifecycle/engine.ts). Pure: no I/O. Every path that changes a case (API, seed, CLI, sweeper)
// goes through `decideMove`.
import type { CaseState, MoveName, Rating, Role } from '../../shared/vocabulary.js';
import { CASE_STATES, FINAL_CASE_STATES, OPEN_CASE_STATES, UNSATISFIED_MAX } from '../../shared/vocabulary.js';
import type { DomainErrorCode } from '../errors.js';
import { allowedMoves as allowedLifecycleMoves, decide, defineLifecycle, isOpenState, type LifecycleMove } from '../lifecycle/engine.js';

/** What a move needs in its input. */
type Field = 'note' | 'departmentId' | 'deadline' | 'masterId' | 'rating' | 'gridId';

/** How the actor must stand to the case, beyond its role. */
type Relation = 'main_department' | 'co_department' | 'reporter_or_operator';

export type MoveRule = LifecycleMove<CaseState, CaseFacts, Field, Relation>;

/** The open and final states (named in src/shared/vocabulary.ts, where the web reads them too). */
export const OPEN_STATES: readonly CaseState[] = OPEN_CASE_STATES;
export const FINAL_STATES: readonly CaseState[] = FINAL_CASE_STATES;

export const WORKFLOW: Readonly<Record<MoveName, MoveRule>> = {
  report: { from: [null], to: 'reported', roles: ['grid_worker', 'operator', 'citizen'], requires: [] },
  fix_on_spot: { from: [null], to: 'handled', roles: ['grid_worker'], requires: ['note'] },
  // The operator puts a case from the unrouted queue (or a misrouted one) into a grid.
  route: { from: ['reported', 'accepted'], to: 'same', roles: ['operator'], requires: ['gridId'] },
  accept: { from: ['reported'], to: 'accepted', roles: ['operator'], requires: [], guard: (f) => (f.routed ? null : 'case_unrouted') },
  reject: { from: ['reported'], to: 'rejected', roles: ['operator'], requires: ['note'] },
  merge: { from: ['reported'], to: 'merged', roles: ['operator'], requires: ['masterId'] },
  dispatch: { from: ['accepted'], to: 'dispatched', roles: ['operator'], requires: ['departmentId'] },
  sign: { from: ['dispatched'], to: 'in_progress', roles: ['department'], relation: 'main_department', requires: [] },
  return: {
    from: ['dispatched', 'in_progress'],
    to: 'accepted',
    roles: ['department'],
    relation: 'main_department',
    requires: ['note'],
    guard: (f, now) => (f.returnOpenUntil && now > f.returnOpenUntil ? 'return_too_late' : null),
  },
  request_extension: {
    from: ['in_progress'],
    to: 'same',
    roles: ['department'],
    relation: 'main_department',
    requires: ['note', 'deadline'],
    guard: (f) => (f.pendingExtension ? 'extension_pending' : null),
  },
  grant_extension: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: [], guard: (f) => (f.pendingExtension ? null : 'no_extension_pending') },
  deny_extension: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: ['note'], guard: (f) => (f.pendingExtension ? null : 'no_extension_pending') },
  co_report: { from: ['in_progress'], to: 'same', roles: ['department'], relation: 'co_department', requires: ['note'] },
  request_suspend: {
    from: ['in_progress'],
    to: 'same',
    roles: ['department'],
    relation: 'main_department',
    requires: ['note'],
    guard: (f) => (f.pendingSuspend ? 'suspend_pending' : null),
  },
  suspend: { from: ['in_progress'], to: 'suspended', roles: ['operator'], requires: [], guard: (f) => (f.pendingSuspend ? null : 'no_suspend_pending') },
  deny_suspend: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: ['note'], guard: (f) => (f.pendingSuspend ? null : 'no_suspend_pending') },
  resume: { from: ['suspended'], to: 'in_progress', roles: ['operator'], requires: [] },
  handle: {
    from: ['in_progress'],
    to: 'handled',
    roles: ['department'],
    relation: 'main_department',
    requires: ['note'],
    guard: (f) => (f.pendingSuspend ? 'suspend_pending' : null),
  },
  verify_pass: { from: ['handled'], to: 'verified', roles: ['grid_worker'], requires: [] },
  verify_fail: { from: ['handled'], to: 'dispatched', roles: ['grid_worker'], requires: ['note'], guard: (f) => (f.hasDepartment ? null : 'fix_on_spot_cannot_fail') },
  close: { from: ['verified'], to: 'closed', roles: ['operator'], requires: [] },
  follow_master: { from: ['merged'], to: 'closed', roles: ['operator'], requires: [], system: true },
  evaluate: {
    from: ['closed'],
    to: 'same',
    roles: ['citizen', 'operator'],
    relation: 'reporter_or_operator',
    requires: ['rating'],
    guard: (f) => (f.rating != null ? 'already_evaluated' : null),
  },
  reopen: {
    from: ['closed'],
    to: 'accepted',
    roles: ['operator'],
    requires: ['note'],
    guard: (f) => (f.rating != null && f.rating <= UNSATISFIED_MAX ? null : 'reopen_needs_unsatisfied'),
  },
  supervise: {
    from: ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'],
    to: 'same',
    roles: ['leader'],
    requires: ['note'],
  },
};

/** What the rules need to know about the case and the actor's standing to it. */
export interface CaseFacts {
  state: CaseState | null;
  isMainDepartment: boolean;
  isCoDepartment: boolean;
  isReporter: boolean;
  /** the case has a main department (fix-on-spot cases do not) */
  hasDepartment: boolean;
  pendingExtension: boolean;
  pendingSuspend: boolean;
  /** rating of the current life, if evaluated */
  rating: Rating | null;
  /** a department may return a work order until then */
  returnOpenUntil: Date | null;
  /** the case lies in a grid (not in the unrouted queue) */
  routed: boolean;
}

export const NO_FACTS: CaseFacts = {
  state: null,
  isMainDepartment: false,
  isCoDepartment: false,
  isReporter: false,
  hasDepartment: false,
  pendingExtension: false,
  pendingSuspend: false,
  rating: null,
  returnOpenUntil: null,
  routed: true,
};

export interface MoveInputFacts {
  note?: string | undefined;
  departmentId?: number | undefined;
  deadline?: Date | undefined;
  masterId?: number | undefined;
  rating?: number | undefined;
  gridId?: number | undefined;
}

export interface MoveDecision {
  from: CaseState | null;
  to: CaseState;
}

function relationHolds(rel: Relation, role: Role, f: CaseFacts): boolean {
  switch (rel) {
    case 'main_department':
      return f.isMainDepartment;
    case 'co_department':
      return f.isCoDepartment;
    case 'reporter_or_operator':
      return role === 'operator' || f.isReporter;
  }
}

function missing(field: Field, input: MoveInputFacts): DomainErrorCode | null {
  switch (field) {
    case 'note':
      return input.note?.trim() ? null : 'move_needs_note';
    case 'departmentId':
      return input.departmentId == null ? 'move_needs_department' : null;
    case 'masterId':
      return input.masterId == null ? 'move_needs_master' : null;
    case 'rating':
      return input.rating == null || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5 ? 'move_needs_rating' : null;
    case 'deadline':
      return input.deadline ? null : 'move_needs_deadline';
    case 'gridId':
      return input.gridId == null ? 'move_needs_grid' : null;
  }
}

/** The case lifecycle: the workflow table on the engine. */
export const CASE_LIFECYCLE = defineLifecycle<CaseState, MoveName, CaseFacts, Field, Relation, MoveInputFacts>({
  kind: 'case',
  states: CASE_STATES,
  open: OPEN_STATES,
  final: FINAL_STATES,
  moves: WORKFLOW,
  relationHolds,
  relationRefusal: (rel) => (rel === 'co_department' ? 'not_co_department' : 'not_your_work_order'),
  missing,
  inputRefusal: (input, now) => (input.deadline && input.deadline.getTime() <= now.getTime() ? 'deadline_in_past' : null),
});

/** Decides whether a move is allowed and where it leads; throws a DomainError a person can act on otherwise. */
export function decideMove(move: MoveName, role: Role, facts: CaseFacts, input: MoveInputFacts, now: Date): MoveDecision {
  return decide(CASE_LIFECYCLE, move, role, facts, input, now);
}

/** The moves an actor may make now ("exactly the actions this user may take"): every non-system rule that passes. */
export function allowedMoves(role: Role, facts: CaseFacts, now: Date): MoveName[] {
  return allowedLifecycleMoves(CASE_LIFECYCLE, role, facts, now);
}

/**
 * A role's inbox ("my tasks"): the cases waiting for a move of its own. Derived from the table where it can be;
 * requests (extension, suspension) and overdue cases are facts, not states, so they are named here.
 */
export interface InboxRule {
  states: CaseState[];
  /** in-progress cases with a pending extension or suspension request */
  pendingRequests: boolean;
  /** only cases past their due time (the leader watches these to supervise) */
  overdueOnly: boolean;
  /** closed cases the actor reported and has not rated */
  unratedOwn: boolean;
  /** closed cases rated 不满意 and not reopened yet (回头看) */
  unsatisfied: boolean;
}

export function inboxOf(role: Role): InboxRule {
  const rule: InboxRule = { states: [], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false };
  switch (role) {
    case 'operator':
      return { ...rule, states: ['reported', 'accepted', 'verified', 'suspended'], pendingRequests: true, unsatisfied: true };
    case 'department':
      return { ...rule, states: ['dispatched', 'in_progress'] };
    case 'grid_worker':
      return { ...rule, states: ['handled'] };
    case 'leader':
      return { ...rule, states: ['dispatched', 'in_progress', 'handled'], overdueOnly: true };
    case 'citizen':
      return { ...rule, states: ['closed'], unratedOwn: true };
    case 'admin':
      return rule;
  }
}

export function isOpen(state: CaseState): boolean {
  return isOpenState(CASE_LIFECYCLE, state);
}
