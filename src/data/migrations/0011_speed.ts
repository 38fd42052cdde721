// Lists at a million cases (npm run bench -- case-list): the work queue (GET /api/tasks) in its order, over open
// cases only, so a page is read off the index in order instead of sorting every open case of the scope. The
// expressions must match the order in src/data/repos/cases.ts (URGENCY_ORDER); the inbox filter there adds the
// open-state condition this partial index needs the planner to see.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX cases_queue_idx ON cases (
    escalation_level DESC,
    (CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END),
    (coalesce(due_at, 'infinity')),
    reported_at, id)
    WHERE state IN ('reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS cases_queue_idx`.execute(db);
}
