// Who may see and act on what: pure rules over a user's scope. The service-level access module
// (src/services/access.ts) applies them; the case repository turns a Scope into SQL.
import type { Role } from '../shared/vocabulary.js';

export interface Actor {
  id: number;
  role: Role;
  /** division/grid subtree path, e.g. '/1/2/g7/' */
  scopePath: string | null;
  departmentId: number | null;
}

/** What part of the case table a user may read. Enforced in the query, never by hiding buttons. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'area'; path: string; reporterId: number }
  | { kind: 'department'; departmentId: number }
  | { kind: 'reporter'; reporterId: number }
  | { kind: 'none' };

export function caseScope(actor: Actor): Scope {
  switch (actor.role) {
    case 'admin':
      return { kind: 'all' };
    case 'department':
      return actor.departmentId != null ? { kind: 'department', departmentId: actor.departmentId } : { kind: 'none' };
    case 'citizen':
      return { kind: 'reporter', reporterId: actor.id };
    case 'operator':
    case 'leader':
    case 'grid_worker':
      return actor.scopePath ? { kind: 'area', path: actor.scopePath, reporterId: actor.id } : { kind: 'none' };
  }
}

export interface CaseTarget {
  areaPath: string;
  departmentId: number | null;
  /** departments co-handling the current life of the case (协办) */
  coDepartmentIds: readonly number[];
  reporterId: number;
}

/**
 * May this actor make moves on this case? Reading is wider than acting: a grid worker reads the cases it
 * reported anywhere, but acts (verifies) only inside its own grids.
 */
export function canActOn(actor: Actor, target: CaseTarget): boolean {
  switch (actor.role) {
    case 'admin':
      return false;
    case 'department':
      return actor.departmentId != null && (actor.departmentId === target.departmentId || target.coDepartmentIds.includes(actor.departmentId));
    case 'citizen':
      return target.reporterId === actor.id;
    case 'operator':
    case 'leader':
    case 'grid_worker':
      return actor.scopePath != null && target.areaPath.startsWith(actor.scopePath);
  }
}

/** May this actor report at a position routed to this area? */
export function canReportIn(actor: Actor): boolean {
  return actor.role === 'grid_worker' || actor.role === 'operator' || actor.role === 'citizen';
}
