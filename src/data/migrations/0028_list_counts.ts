// Lists at a million cases (issue 12), the counts: a list counts its rows up to 10,000 (“10,000+”) beside each page,
// part by part of the scope (src/data/repos/cases/cases.ts countCases), each part a key range of an index that holds
// the columns the filter asks about, so the count reads the index alone instead of fetching up to 10,001 rows:
// - state × area: a list filtered by state (the state filter of the case list) in an area scope, e.g. 处置中 under
//   a street or one grid, is one key range;
// - the operator's inbox (GET /api/tasks): its rows are what this partial index holds, by area. Its predicate is
//   the inbox condition as the repository writes it for the operator (domain/cases/workflow.ts inboxOf: new,
//   accepted, verified and suspended cases, work in progress with a pending extension or suspension request, and
//   closed cases rated 不满意, UNSATISFIED_MAX = 2), which is how the planner sees that the index holds every row the
//   count can want; if the inbox changes, change this predicate with it.
// The other inboxes and the open-case filter count on cases_open_area_idx (0006_command_centre.ts), which includes
// state and due_at; a list without filter on cases_area_idx.
import { sql, type Kysely } from 'kysely';

export const OPERATOR_INBOX = `state IN ('reported', 'accepted', 'verified', 'suspended')
    OR (state = 'in_progress' AND (pending_extension IS NOT NULL OR pending_suspend IS NOT NULL))
    OR (state = 'closed' AND rating <= 2)`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`CREATE INDEX cases_state_area_idx ON cases (state, area_path text_pattern_ops)`).execute(db);
  await sql.raw(`CREATE INDEX cases_operator_inbox_idx ON cases (area_path text_pattern_ops) WHERE ${OPERATOR_INBOX}`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP INDEX cases_operator_inbox_idx`).execute(db);
  await sql.raw(`DROP INDEX cases_state_area_idx`).execute(db);
}
