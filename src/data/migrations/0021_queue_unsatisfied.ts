// Lists at a million cases (issue 12), second step: the operator's work queue (GET /api/tasks) holds open cases
// and closed ones rated 不满意 (回头看), so the queue index of 0011_speed, open cases only, could not serve it
// and every page sorted every case in the operator's scope (p95 1.7 s at a million cases in
// `npm run bench -- case-list`). The index now covers what any inbox can hold; a query over open cases only
// still implies its predicate, so the other inboxes keep using it.
import { sql, type Kysely } from 'kysely';

const QUEUE_EXPRS = `escalation_level DESC,
    (coalesce(due_at, 'infinity')),
    (CASE state WHEN 'reported' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END),
    (CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END),
    reported_at, id`;
const OPEN = `state IN ('reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified')`;
// UNSATISFIED_MAX (src/shared/vocabulary.ts) is 2; the inbox filter in src/data/repos/cases/cases.ts writes the same
// condition, which is how the planner sees that the index holds every row the query can want
const UNSATISFIED = `(state = 'closed' AND rating <= 2)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX cases_queue_idx`).execute(db);
  await sql.raw(`CREATE INDEX cases_queue_idx ON cases (${QUEUE_EXPRS}) WHERE ${OPEN} OR ${UNSATISFIED}`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX cases_queue_idx`).execute(db);
  await sql.raw(`CREATE INDEX cases_queue_idx ON cases (${QUEUE_EXPRS}) WHERE ${OPEN}`).execute(db);
}
