// Who may see and act on what: pure rules over a user's scope. The service-level access module
// (src/services/access.ts) applies them; the case repository turns a Scope into SQL.
import type { Role } from '../shared/vocabulary.js';

export interface Actor {
  id: number;
  role: Role;
  /**
   * division/grid subtree paths, e.g. ['/1/2/g7/']: one subtree for an operator, leader or community, one or
   * more grids for a grid worker; empty for everyone else
   */
  scopePaths: readonly string[];
  departmentId: number | null;
}

/** What part of the case table a user may read. Enforced in the query, never by hiding buttons. */
export type Scope =
  | { kind: 'all' }
  /** the subtrees under `paths` (never empty, none inside another), plus the actor's own reports */
  | { kind: 'area'; paths: readonly string[]; reporterId: number }
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
    case 'grid_worker': {
      const paths = normaliseScopePaths(actor.scopePaths);
      return paths.length ? { kind: 'area', paths, reporterId: actor.id } : { kind: 'none' };
    }
  }
}

/**
 * A set of subtree paths without repeats and without a path inside another (a grid and its own sub-grid is the
 * grid), sorted: the form scopes are stored and compared in.
 */
export function normaliseScopePaths(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths.filter((p) => p.length > 0))].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept.sort();
}

/** Is an area path inside one of these subtrees? */
export function inAreas(paths: readonly string[], areaPath: string): boolean {
  return paths.some((p) => areaPath.startsWith(p));
}

/** Roles whose scope is a set of subtrees; only a grid worker may hold more than one (several grids). */
export const AREA_ROLES: readonly Role[] = ['operator', 'leader', 'grid_worker'];
export function mayHoldSeveralAreas(role: Role): boolean {
  return role === 'grid_worker';
}

/** The longest path every one of these paths lies under ('/' when they share nothing but the root). */
export function commonAreaPath(paths: readonly string[]): string | null {
  if (!paths.length) return null;
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const out: string[] = [];
  for (let i = 0; ; i++) {
    const seg = split[0]![i];
    if (seg === undefined || split.some((s) => s[i] !== seg)) break;
    out.push(seg);
  }
  return `/${out.map((s) => `${s}/`).join('')}`;
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
      return inAreas(actor.scopePaths, target.areaPath);
  }
}

/** May this actor report at a position routed to this area? */
export function canReportIn(actor: Actor): boolean {
  return actor.role === 'grid_worker' || actor.role === 'operator' || actor.role === 'citizen';
}
