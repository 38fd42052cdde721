// The running time limits of open cases, for recomputing them when the working calendar changes.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db.js';
import type { CaseState } from '../../../shared/vocabulary.js';
import type { RunningLimits } from '../../../domain/cases/time-limits.js';

export interface CaseLimitsRow extends RunningLimits {
  id: number;
  number: string;
  state: CaseState;
  version: number;
  departmentId: number | null;
  notifiedLevel: number;
  limitsProvisional: boolean;
}

/**
 * Open cases (`openStates`) with a running limit that reaches `from` or later: their clock, deadline or
 * return window. Locked FOR UPDATE: the caller rewrites them in the same transaction.
 */
export async function lockOpenCasesWithLimitsFrom(db: DbOrTx, openStates: readonly CaseState[], from: Date): Promise<CaseLimitsRow[]> {
  const rows = await db
    .selectFrom('cases')
    .select([
      'id',
      'number',
      'state',
      'version',
      'department_id as departmentId',
      'notified_level as notifiedLevel',
      'limits_provisional as limitsProvisional',
      'clock_kind as clockKind',
      'clock_started_at as clockStartedAt',
      'warn_at as warnAt',
      'due_at as dueAt',
      'escalate_at as escalateAt',
      'deadline',
      'deadline_fixed as deadlineFixed',
      'dispatched_at as dispatchedAt',
      'return_open_until as returnOpenUntil',
    ])
    .where('state', 'in', [...openStates])
    .where((eb) =>
      eb.or([eb('due_at', '>=', from), eb('escalate_at', '>=', from), eb('deadline', '>=', from), eb('return_open_until', '>=', from)]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows as CaseLimitsRow[];
}

/** Writes recomputed limits; the version moves on, so a client holding the old limits reloads before a move. */
export async function updateCaseLimits(
  db: DbOrTx,
  id: number,
  l: RunningLimits & { limitsProvisional: boolean; notifiedLevel: number },
  at: Date,
): Promise<void> {
  await db
    .updateTable('cases')
    .set({
      warn_at: l.warnAt,
      due_at: l.dueAt,
      escalate_at: l.escalateAt,
      deadline: l.deadline,
      return_open_until: l.returnOpenUntil,
      limits_provisional: l.limitsProvisional,
      notified_level: l.notifiedLevel,
      version: sql`version + 1`,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}
