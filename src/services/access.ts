// The one access module: every read and write of a case goes through here. It turns the actor into a Scope
// that the repositories apply in SQL, and refuses acts outside the actor's reach.
import { caseScope, canActOn, type Actor } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import type { Role } from '../shared/vocabulary.js';
import { findCaseInScope, type CaseRow } from '../data/repos/cases.js';
import type { DbOrTx } from '../data/db.js';

export { caseScope };

/** Loads a case the actor may read, or fails with not_found (404): out-of-scope cases do not exist for them. */
export async function readableCase(db: DbOrTx, actor: Actor, caseId: number): Promise<CaseRow> {
  const row = await findCaseInScope(db, caseId, caseScope(actor));
  if (!row) throw new DomainError('not_found');
  return row;
}

/** Loads a case the actor may act on. Readable but not actionable is forbidden (403). */
export async function actionableCase(db: DbOrTx, actor: Actor, caseId: number): Promise<CaseRow> {
  const row = await readableCase(db, actor, caseId);
  if (!canActOn(actor, { areaPath: row.area_path, departmentId: row.department_id, reporterId: row.reporter_id })) {
    throw new DomainError('forbidden');
  }
  return row;
}

export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!roles.includes(actor.role)) throw new DomainError('forbidden');
}

export function canAct(actor: Actor, row: CaseRow): boolean {
  return canActOn(actor, { areaPath: row.area_path, departmentId: row.department_id, reporterId: row.reporter_id });
}
