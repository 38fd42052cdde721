// Assessment at scale (npm run bench -- assessment, 1.5 M cases in a month): the case milestones come from the
// statistics rollup (src/data/repos/assessment.ts); the events the indicators count besides them — fixes on the
// spot and verifications per unit, supervision in the monthly report — are found by move and instant instead of a
// scan of the whole case timeline.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX case_events_move_at_idx ON case_events (move, at) WHERE move IN ('fix_on_spot', 'verify_pass', 'verify_fail', 'supervise')`.execute(db);
  // the rectification notices (with their deadline) and re-inspections of the hazard on-time rate
  await sql`CREATE INDEX hazard_events_move_idx ON hazard_events (move, hazard_id) WHERE move IN ('issue_notice', 'reinspect_pass')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS hazard_events_move_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS case_events_move_at_idx`.execute(db);
}
