// Open and overdue cases "now" without reading every open case (issue 12, `npm run bench -- stats`).
//
// The dashboard counted a street's open cases straight from the cases on every request (35,000 index entries in the
// benchmark's street, a third of the summary's time). `stats_open` keeps them, like `stats_rollup`, per area path,
// department and category (dim 'c') or source (dim 's'), kept by a trigger in the writer's transaction: n_open counts
// the open cases; n_clocked those of them whose clock runs (dispatched, in progress, handled) with a deadline.
// Overdue is time-dependent (due_at <= now), so it is n_clocked less the clocked cases not yet due, which are few
// (deadlines are hours or days ahead) and are counted directly through cases_not_due_idx.
//
// Like the rollup, a key has up to 8 rows (one per writer, backend pid modulo 8) so concurrent reports in one grid do
// not queue on one row; reads sum them (a key has at most 8 rows, and there are few keys: area × department ×
// category or source). stats_rebuild() rebuilds this table too.
//
// The daily trend of an area read every day row of the area: one per area path and department (a street: ~200 a
// day). The rollup gains day rows per area path alone (dim 'a', department 0), kept by the same trigger and rebuilt by
// the same function, so the trend of an area or of everything reads one row per area path and day.
import { sql, type Kysely } from 'kysely';
import { OPEN_STATES_SQL } from './0006_command_centre.js';

const SHARDS = 8;
/** src/domain/cases/time-limits.ts CLOCKED_STATES, as of this migration. */
const CLOCKED_SQL = `('dispatched','in_progress','handled')`;
const KEY = 'dim, area_path, department_id, dim_value';

const statements = [
  `CREATE TABLE stats_open (
    dim char(1) NOT NULL CHECK (dim IN ('c','s')),
    area_path text COLLATE "C" NOT NULL,
    department_id int NOT NULL,
    dim_value text COLLATE "C" NOT NULL,
    shard smallint NOT NULL DEFAULT 0,
    n_open int NOT NULL DEFAULT 0,
    n_clocked int NOT NULL DEFAULT 0,
    PRIMARY KEY (${KEY}, shard) INCLUDE (n_open, n_clocked)
  )`,

  `CREATE FUNCTION stats_open_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO stats_open AS r (${KEY}, shard, n_open, n_clocked)
     SELECT k.dim, x.area_path, x.department_id, k.dim_value, (pg_backend_pid() % ${SHARDS})::smallint, sum(x.sign)::int, sum(x.sign * x.clocked)::int
     FROM (
       SELECT 1 AS sign, NEW.area_path AS area_path, coalesce(NEW.department_id, 0) AS department_id, NEW.category_id, NEW.source,
              (NEW.state IN ${CLOCKED_SQL} AND NEW.due_at IS NOT NULL)::int AS clocked
       WHERE TG_OP <> 'DELETE' AND NEW.state IN ${OPEN_STATES_SQL}
       UNION ALL
       SELECT -1, OLD.area_path, coalesce(OLD.department_id, 0), OLD.category_id, OLD.source,
              (OLD.state IN ${CLOCKED_SQL} AND OLD.due_at IS NOT NULL)::int
       WHERE TG_OP <> 'INSERT' AND OLD.state IN ${OPEN_STATES_SQL}
     ) x
     CROSS JOIN LATERAL (VALUES ('c', x.category_id::text), ('s', x.source)) k(dim, dim_value)
     GROUP BY 1, 2, 3, 4, 5
     HAVING sum(x.sign) <> 0 OR sum(x.sign * x.clocked) <> 0
     ON CONFLICT (${KEY}, shard) DO UPDATE SET n_open = r.n_open + EXCLUDED.n_open, n_clocked = r.n_clocked + EXCLUDED.n_clocked;
     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; -- a BEFORE trigger returning NULL would cancel the delete
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER cases_open_insert AFTER INSERT ON cases FOR EACH ROW
   WHEN (NEW.state IN ${OPEN_STATES_SQL}) EXECUTE FUNCTION stats_open_changed()`,
  `CREATE TRIGGER cases_open_update AFTER UPDATE ON cases FOR EACH ROW
   WHEN ((OLD.state IN ${OPEN_STATES_SQL} OR NEW.state IN ${OPEN_STATES_SQL})
     AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.area_path IS DISTINCT FROM NEW.area_path
       OR OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.category_id IS DISTINCT FROM NEW.category_id
       OR OLD.source IS DISTINCT FROM NEW.source OR (OLD.due_at IS NULL) <> (NEW.due_at IS NULL)))
   EXECUTE FUNCTION stats_open_changed()`,
  `CREATE TRIGGER cases_open_delete BEFORE DELETE ON cases FOR EACH ROW
   WHEN (OLD.state IN ${OPEN_STATES_SQL}) EXECUTE FUNCTION stats_open_changed()`,
  `CREATE FUNCTION stats_open_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN DELETE FROM stats_open; RETURN NULL; END $$`,
  `CREATE TRIGGER cases_open_truncate AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION stats_open_truncated()`,

  `CREATE FUNCTION stats_open_rebuild() RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM stats_open;
     INSERT INTO stats_open (${KEY}, n_open, n_clocked)
     SELECT k.dim, c.area_path, coalesce(c.department_id, 0), k.dim_value, count(*)::int,
            (count(*) FILTER (WHERE c.state IN ${CLOCKED_SQL} AND c.due_at IS NOT NULL))::int
     FROM cases c CROSS JOIN LATERAL (VALUES ('c', c.category_id::text), ('s', c.source)) k(dim, dim_value)
     WHERE c.state IN ${OPEN_STATES_SQL}
     GROUP BY 1, 2, 3, 4;
   END $$`,

  // The clocked cases not yet due, found by deadline: overdue = n_clocked less these.
  `CREATE INDEX cases_not_due_idx ON cases (due_at) INCLUDE (area_path, department_id, category_id, source)
   WHERE state IN ${CLOCKED_SQL} AND due_at IS NOT NULL`,

  `SELECT stats_open_rebuild()`,
];

/** A function's definition (as migrated so far) with `edits` applied, each exactly once. */
async function editFunction(db: Kysely<unknown>, name: string, edits: [string, string][]): Promise<void> {
  let def = (await sql<{ d: string }>`SELECT pg_get_functiondef(${name}::regproc) AS d`.execute(db)).rows[0]!.d;
  for (const [from, to] of edits) {
    if (def.split(from).length !== 2) throw new Error(`0027_stats_open: ${name} does not contain "${from}" exactly once`);
    def = def.replace(from, to);
  }
  await sql.raw(def).execute(db);
}
const M = ['reported', 'accepted', 'accepted_closed', 'dispatched', 'handled', 'handled_on_time', 'handled_reworked', 'closed', 'rated', 'satisfied'];
const ROLLUP_COLS = `grain, dim, bucket, area_path, department_id, dim_value, ${M.join(', ')}`;
/** day rows per area path alone, from the day rows per area path and department */
const AREA_DAYS = `INSERT INTO stats_rollup (${ROLLUP_COLS})
       SELECT 'd', 'a', bucket, area_path, 0, '', ${M.map((m) => `sum(${m})::int`).join(', ')}
       FROM stats_rollup WHERE grain = 'd' AND dim = 't' GROUP BY bucket, area_path;`;
const MONTH_TOTALS_END = `FROM stats_rollup WHERE grain = 'd' GROUP BY 3, area_path, department_id;`;
const REBUILD_EDITS: [string, string][] = [
  ['DELETE FROM stats_rollup;', 'DELETE FROM stats_rollup;\n     PERFORM stats_open_rebuild();'],
  // month totals are summed from the 't' day rows alone (the 'a' rows are made after them)
  [MONTH_TOTALS_END, `${MONTH_TOTALS_END}\n     ${AREA_DAYS}`],
];
/** stats_case_changed (0006's, with 0011's shards): one more key per atom, the day's row for the area path alone */
const TRIGGER_EDITS: [string, string][] = [
  [`('d', 't', x.day, ''),`, `('d', 't', x.day, ''),\n    ('d', 'a', x.day, ''),`],
  ['x.area_path, x.department_id, k.dim_value, (pg_backend_pid()', `x.area_path, CASE WHEN k.dim = 'a' THEN 0 ELSE x.department_id END, k.dim_value, (pg_backend_pid()`],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_dim_check`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_dim_check CHECK (dim IN ('t','c','s','a'))`).execute(db);
  await editFunction(db, 'stats_rebuild', REBUILD_EDITS);
  await editFunction(db, 'stats_case_changed', TRIGGER_EDITS);
  await sql.raw(AREA_DAYS).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await editFunction(db, 'stats_case_changed', TRIGGER_EDITS.map(([a, b]) => [b, a]));
  await editFunction(db, 'stats_rebuild', REBUILD_EDITS.map(([a, b]) => [b, a]));
  await sql.raw(`DELETE FROM stats_rollup WHERE dim = 'a'`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_dim_check`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_dim_check CHECK (dim IN ('t','c','s'))`).execute(db);
  for (const s of [
    'DROP INDEX IF EXISTS cases_not_due_idx',
    'DROP TRIGGER IF EXISTS cases_open_insert ON cases',
    'DROP TRIGGER IF EXISTS cases_open_update ON cases',
    'DROP TRIGGER IF EXISTS cases_open_delete ON cases',
    'DROP TRIGGER IF EXISTS cases_open_truncate ON cases',
    'DROP FUNCTION IF EXISTS stats_open_rebuild(), stats_open_truncated(), stats_open_changed()',
    'DROP TABLE IF EXISTS stats_open',
  ])
    await sql.raw(s).execute(db);
}
