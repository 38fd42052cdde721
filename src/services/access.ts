// The one access module: every read and write of a case goes through here. It turns the actor into a Scope
// that the repositories apply in SQL, and refuses acts outside the actor's reach.
import { caseScope, canActOn, type Actor } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import type { Role } from '../shared/vocabulary.js';
import { findCaseInScope, listAssignments, type CaseRow } from '../data/repos/cases/cases.js';
import type { DbOrTx } from '../data/db.js';

export { caseScope };

export interface CaseInReach {
  row: CaseRow;
  coDepartmentIds: number[];
  canAct: boolean;
}

/** Loads a case the actor may read, or fails with not_found (404): out-of-scope cases do not exist for them. */
export async function readableCase(db: DbOrTx, actor: Actor, caseId: number, opts: { forUpdate?: boolean } = {}): Promise<CaseInReach> {
  const row = await findCaseInScope(db, caseId, caseScope(actor), opts.forUpdate ?? false);
  if (!row) throw new DomainError('not_found');
  const coDepartmentIds = (await listAssignments(db, row.id, row.life)).filter((a) => a.role === 'co').map((a) => a.department_id);
  const canAct = canActOn(actor, { areaPath: row.area_path, departmentId: row.department_id, coDepartmentIds, reporterId: row.reporter_id });
  return { row, coDepartmentIds, canAct };
}

/** Loads a case the actor may act on, locked for the move. Readable but not actionable is forbidden (403). */
export async function actionableCase(db: DbOrTx, actor: Actor, caseId: number): Promise<CaseInReach> {
  const found = await readableCase(db, actor, caseId, { forUpdate: true });
  if (!found.canAct) throw new DomainError('forbidden');
  return found;
}

export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!roles.includes(actor.role)) throw new DomainError('forbidden');
}
