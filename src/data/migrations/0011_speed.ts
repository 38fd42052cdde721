// Speed where people wait (issue 12).
//
// Intake (npm run bench -- intake): the statistics trigger added each case to its rollup rows with an upsert, so
// concurrent reports in one grid queued on the same rows until each commit (one grid took ~300 reports/s). Each
// rollup key now has up to SHARDS rows, one per writer (backend pid modulo SHARDS): concurrent writers add to
// different rows, every read sums them (they all aggregate already), stats_rebuild folds them back into one.
//
// Lists at a million cases (npm run bench -- case-list): the work queue (GET /api/tasks) in its order, over open
// cases only, so a page is read off the index in order instead of sorting every open case of the scope. The
// expressions must match the order in src/data/repos/cases/cases.ts (URGENCY_ORDER); the inbox filter there adds the
// open-state condition this partial index needs the planner to see.
import { sql, type Kysely } from 'kysely';
import { ROLLUP_METRICS } from './0006_command_centre.js';

const SHARDS = 8;
const KEY = 'grain, dim, bucket, area_path, department_id, dim_value';
const cols = ROLLUP_METRICS.join(', ');

/** The trigger function's text with `edits` applied, each exactly once (the function is 0006's, as migrated). */
async function editTrigger(db: Kysely<unknown>, edits: [string, string][]): Promise<void> {
  let def = (await sql<{ d: string }>`SELECT pg_get_functiondef('stats_case_changed'::regproc) AS d`.execute(db)).rows[0]!.d;
  for (const [from, to] of edits) {
    if (def.split(from).length !== 2) throw new Error(`0011_speed: stats_case_changed does not contain "${from}" exactly once`);
    def = def.replace(from, to);
  }
  await sql.raw(def).execute(db);
}

const TRIGGER_EDITS: [string, string][] = [
  [`INSERT INTO stats_rollup AS r (${KEY}, `, `INSERT INTO stats_rollup AS r (${KEY}, shard, `],
  ['SELECT k.grain, k.dim, k.bucket, x.area_path, x.department_id, k.dim_value, ', `SELECT k.grain, k.dim, k.bucket, x.area_path, x.department_id, k.dim_value, (pg_backend_pid() % ${SHARDS})::smallint, `],
  ['GROUP BY 1, 2, 3, 4, 5, 6\n', 'GROUP BY 1, 2, 3, 4, 5, 6, 7\n'],
  [`ON CONFLICT (${KEY}) DO UPDATE`, `ON CONFLICT (${KEY}, shard) DO UPDATE`],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE stats_rollup ADD COLUMN shard smallint NOT NULL DEFAULT 0`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_pkey`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_pkey PRIMARY KEY (${KEY}, shard) INCLUDE (${cols})`).execute(db);
  await editTrigger(db, TRIGGER_EDITS);

  await sql`CREATE INDEX cases_queue_idx ON cases (
    escalation_level DESC,
    (coalesce(due_at, 'infinity')),
    (CASE state WHEN 'reported' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END),
    (CASE urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END),
    reported_at, id)
    WHERE state IN ('reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified')`.execute(db);
  // the audit log filtered by action, newest first, paged by id (src/data/repos/audit.ts listAudit)
  await sql`CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS cases_queue_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS audit_log_action_idx`.execute(db);
  await editTrigger(db, TRIGGER_EDITS.map(([a, b]) => [b, a]));
  await sql`SELECT stats_rebuild()`.execute(db); // one row per key again
  await sql.raw(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_pkey`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup DROP COLUMN shard`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_pkey PRIMARY KEY (${KEY}) INCLUDE (${cols})`).execute(db);
}
