// The one workflow table of a case (DOMAIN.md "States and moves") and the one function that decides a move.
// Pure: no I/O. Every path that changes a case (API, seed, CLI, sweeper) goes through `decideMove`.
import type { CaseState, MoveName, Rating, Role } from '../shared/vocabulary.js';
import { UNSATISFIED_MAX } from '../shared/vocabulary.js';
import { DomainError, type DomainErrorCode } from './errors.js';

/** What a move needs in its input. */
type Field = 'note' | 'departmentId' | 'deadline' | 'masterId' | 'rating' | 'gridId';

/** How the actor must stand to the case, beyond its role. */
type Relation = 'main_department' | 'co_department' | 'reporter_or_operator';

export interface MoveRule {
  from: readonly (CaseState | null)[];
  /** 'same': the move records something without changing the state */
  to: CaseState | 'same';
  roles: readonly Role[];
  relation?: Relation;
  requires: readonly Field[];
  /** extra conditions on the case's facts; returns the reason it is refused */
  guard?: (f: CaseFacts, now: Date) => DomainErrorCode | null;
  /** made by the system as a consequence of another move, never offered to a user */
  system?: boolean;
}

export const OPEN_STATES: readonly CaseState[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'];
export const FINAL_STATES: readonly CaseState[] = ['rejected', 'merged', 'closed'];

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

function relationHolds(rel: Relation | undefined, role: Role, f: CaseFacts): boolean {
  switch (rel) {
    case undefined:
      return true;
    case 'main_department':
      return f.isMainDepartment;
    case 'co_department':
      return f.isCoDepartment;
    case 'reporter_or_operator':
      return role === 'operator' || f.isReporter;
  }
}

/** Decides whether a move is allowed and where it leads; throws a DomainError a person can act on otherwise. */
export function decideMove(move: MoveName, role: Role, facts: CaseFacts, input: MoveInputFacts, now: Date): MoveDecision {
  const rule = WORKFLOW[move];
  if (!rule.roles.includes(role)) throw new DomainError('move_forbidden_for_role', { move, role });
  if (!rule.from.includes(facts.state)) throw new DomainError('move_not_allowed_in_state', { move, state: facts.state ?? 'none' });
  if (!relationHolds(rule.relation, role, facts)) {
    throw new DomainError(rule.relation === 'co_department' ? 'not_co_department' : 'not_your_work_order', { move });
  }
  const refused = rule.guard?.(facts, now);
  if (refused) throw new DomainError(refused, { move });
  for (const field of rule.requires) {
    if (field === 'note' && !input.note?.trim()) throw new DomainError('move_needs_note', { move });
    if (field === 'departmentId' && input.departmentId == null) throw new DomainError('move_needs_department', { move });
    if (field === 'masterId' && input.masterId == null) throw new DomainError('move_needs_master', { move });
    if (field === 'rating' && (input.rating == null || !Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)) {
      throw new DomainError('move_needs_rating', { move });
    }
    if (field === 'deadline' && !input.deadline) throw new DomainError('move_needs_deadline', { move });
    if (field === 'gridId' && input.gridId == null) throw new DomainError('move_needs_grid', { move });
  }
  if (input.deadline && input.deadline.getTime() <= now.getTime()) throw new DomainError('deadline_in_past');
  const to = rule.to === 'same' ? (facts.state as CaseState) : rule.to;
  return { from: facts.state, to };
}

/** The moves an actor may make now ("exactly the actions this user may take"): every non-system rule that passes. */
export function allowedMoves(role: Role, facts: CaseFacts, now: Date): MoveName[] {
  return (Object.keys(WORKFLOW) as MoveName[]).filter((m) => {
    const rule = WORKFLOW[m];
    if (rule.system || facts.state === null) return false;
    if (!rule.roles.includes(role) || !rule.from.includes(facts.state) || !relationHolds(rule.relation, role, facts)) return false;
    return !rule.guard?.(facts, now);
  });
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
  return OPEN_STATES.includes(state);
}
