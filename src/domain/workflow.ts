// The one workflow table of a case (DOMAIN.md "States and moves") and the one function that decides a move.
// Pure: no I/O. Every path that changes a case's state (API, seed, CLI) goes through `decideMove`.
import type { CaseState, MoveName, Role } from '../shared/vocabulary.js';
import { DomainError } from './errors.js';

export interface MoveRule {
  from: readonly (CaseState | null)[];
  to: CaseState;
  roles: readonly Role[];
  /** fields the move needs from its input */
  requires: readonly ('note' | 'departmentId' | 'deadline' | 'photos')[];
}

export const WORKFLOW: Readonly<Record<MoveName, MoveRule>> = {
  report: { from: [null], to: 'reported', roles: ['grid_worker', 'operator', 'citizen'], requires: [] },
  accept: { from: ['reported'], to: 'accepted', roles: ['operator'], requires: [] },
  reject: { from: ['reported'], to: 'rejected', roles: ['operator'], requires: ['note'] },
  dispatch: { from: ['accepted'], to: 'dispatched', roles: ['operator'], requires: ['departmentId', 'deadline'] },
  sign: { from: ['dispatched'], to: 'in_progress', roles: ['department'], requires: [] },
  handle: { from: ['in_progress'], to: 'handled', roles: ['department'], requires: ['note'] },
  verify_pass: { from: ['handled'], to: 'verified', roles: ['grid_worker'], requires: [] },
  verify_fail: { from: ['handled'], to: 'dispatched', roles: ['grid_worker'], requires: ['note'] },
  close: { from: ['verified'], to: 'closed', roles: ['operator'], requires: [] },
};

export const OPEN_STATES: readonly CaseState[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'handled', 'verified'];

export interface MoveRequest {
  move: MoveName;
  role: Role;
  state: CaseState | null;
  note?: string | undefined;
  departmentId?: number | undefined;
  deadline?: Date | undefined;
  photos?: readonly string[] | undefined;
  now: Date;
}

export interface MoveDecision {
  from: CaseState | null;
  to: CaseState;
}

/** Decides whether a move is allowed and where it leads; throws a DomainError a person can act on otherwise. */
export function decideMove(req: MoveRequest): MoveDecision {
  const rule = WORKFLOW[req.move];
  if (!rule.roles.includes(req.role)) {
    throw new DomainError('move_forbidden_for_role', { move: req.move, role: req.role });
  }
  if (!rule.from.includes(req.state)) {
    throw new DomainError('move_not_allowed_in_state', { move: req.move, state: req.state ?? 'none' });
  }
  for (const field of rule.requires) {
    if (field === 'note' && !req.note?.trim()) throw new DomainError('move_needs_note', { move: req.move });
    if (field === 'departmentId' && req.departmentId == null) throw new DomainError('move_needs_department', { move: req.move });
    if (field === 'deadline') {
      if (!req.deadline) throw new DomainError('move_needs_deadline', { move: req.move });
      if (req.deadline.getTime() <= req.now.getTime()) throw new DomainError('deadline_in_past', {});
    }
    if (field === 'photos' && !req.photos?.length) throw new DomainError('move_needs_photos', { move: req.move });
  }
  return { from: req.state, to: rule.to };
}

/** The moves a role may make on a case in a given state (for "exactly the actions this user may take now"). */
export function allowedMoves(role: Role, state: CaseState): MoveName[] {
  return (Object.keys(WORKFLOW) as MoveName[]).filter(
    (m) => m !== 'report' && WORKFLOW[m].roles.includes(role) && WORKFLOW[m].from.includes(state),
  );
}

/** States in which a role has something to do: its inbox ("my tasks"). */
export function taskStates(role: Role): CaseState[] {
  const states = new Set<CaseState>();
  for (const rule of Object.values(WORKFLOW)) {
    if (!rule.roles.includes(role)) continue;
    for (const s of rule.from) if (s) states.add(s);
  }
  return [...states];
}
