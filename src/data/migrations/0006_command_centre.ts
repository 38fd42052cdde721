// The command centre: statistics (per-case milestones and a rollup kept by triggers in the same transaction as
// every case change), a change counter for map caches, patrols (巡查) with track points and grid check-ins, and
// points of interest (企业/重点单位, 污染源, 敏感点, 监测站, 视频探头).
//
// Why triggers: a case changes only through the services, but in many places (moves, intake, seed, sweeper, grid
// re-routing); a trigger sees every change, old and new row, inside the writer's transaction, so the rollup can
// never drift from the cases it sums. The statistics code reads the rollup and never the other way round.
import { sql, type Kysely } from 'kysely';

/** States in which a case is still being worked on (src/domain/cases/workflow.ts OPEN_STATES). */
export const OPEN_STATES_SQL = `('reported','accepted','dispatched','in_progress','suspended','handled','verified')`;

/** The rollup's metric columns, in the order stats_atoms returns them. */
export const ROLLUP_METRICS = [
  'reported',
  'accepted',
  'accepted_closed',
  'dispatched',
  'handled',
  'handled_on_time',
  'handled_reworked',
  'closed',
  'rated',
  'satisfied',
] as const;

const M = ROLLUP_METRICS;
const sumSigned = M.map((m) => `sum(x.sign * x.${m})::int AS ${m}`).join(', ');
const anyNonZero = M.map((m) => `sum(x.sign * x.${m}) <> 0`).join(' OR ');
const addExcluded = M.map((m) => `${m} = r.${m} + EXCLUDED.${m}`).join(', ');

/**
 * The rollup keys one atom feeds: the day's total, and the month's total, per category and per source.
 * Day rows carry only totals: grids, communities and departments are in every row's key (area_path,
 * department_id), so only category and source need a dimension of their own — at month grain.
 */
const KEYS = `CROSS JOIN LATERAL (VALUES
    ('d', 't', x.day, ''),
    ('m', 't', date_trunc('month', x.day)::date, ''),
    ('m', 'c', date_trunc('month', x.day)::date, x.category_id::text),
    ('m', 's', date_trunc('month', x.day)::date, x.source)
  ) k(grain, dim, bucket, dim_value)`;

const statements = [
  // China has kept UTC+8 without summer time since 1991: the Asia/Shanghai day is a fixed offset, which keeps
  // the function immutable and independent of the session's TimeZone.
  `CREATE FUNCTION gw_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
   AS $$ SELECT ((t AT TIME ZONE 'UTC') + interval '8 hours')::date $$`,

  // Milestones of a case that its row forgets (it keeps only the current clock and department): when it was
  // accepted (立案), first dispatched, first handled, and whether that first handling met the deadline then.
  `CREATE TABLE case_facts (
    case_id int PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    accepted_at timestamptz,
    dispatched_at timestamptz,
    handled_at timestamptz,
    handled_on_time boolean
  )`,
  `CREATE INDEX case_facts_accepted_idx ON case_facts (accepted_at) WHERE accepted_at IS NOT NULL`,
  `CREATE INDEX case_facts_dispatched_idx ON case_facts (dispatched_at) WHERE dispatched_at IS NOT NULL`,
  `CREATE INDEX case_facts_handled_idx ON case_facts (handled_at) WHERE handled_at IS NOT NULL`,

  // Counts per bucket. area_path and dim_value are byte-ordered (COLLATE "C") so a scope prefix is an exact key
  // range: [path, path with its last '/' turned into '0').
  `CREATE TABLE stats_rollup (
    grain char(1) NOT NULL CHECK (grain IN ('d','m')),
    dim char(1) NOT NULL CHECK (dim IN ('t','c','s')),
    bucket date NOT NULL,
    area_path text COLLATE "C" NOT NULL,
    department_id int NOT NULL,
    dim_value text COLLATE "C" NOT NULL,
    ${M.map((m) => `${m} int NOT NULL DEFAULT 0`).join(',\n    ')},
    PRIMARY KEY (grain, dim, bucket, area_path, department_id, dim_value)
  )`,

  // One case's contribution: a row per milestone instant, with the flags it counts. The single definition used by
  // the trigger (new minus old), by stats_rebuild, and by the direct counts the service makes for scope extras.
  //   reported          reported_at
  //   accepted          accepted_at (立案); accepted_closed: … and the case is closed now (closure rate)
  //   dispatched        first dispatch
  //   handled           first handling (处置反馈, or 现场处置 which is on time by definition);
  //                     handled_on_time: at or before the deadline in force then; handled_reworked: rework_count > 0
  //   closed            closed_at of a closed case that is not a duplicate closed with its master
  //   rated / satisfied rated_at of a rated case; satisfied: rating >= 4 (满意 / 非常满意)
  `CREATE FUNCTION stats_atoms(c cases, f case_facts)
   RETURNS TABLE (day date, ${M.map((m) => `${m} int`).join(', ')})
   LANGUAGE sql STABLE PARALLEL SAFE AS $$
     SELECT gw_day(v.at), v.r, v.a, v.ac, v.d, v.h, v.ho, v.hr, v.cl, v.ra, v.sa
     FROM (VALUES
       (c.reported_at, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
       (f.accepted_at, 0, 1, (c.state = 'closed')::int, 0, 0, 0, 0, 0, 0, 0),
       (f.dispatched_at, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
       (f.handled_at, 0, 0, 0, 0, 1, coalesce(f.handled_on_time, false)::int, (c.rework_count > 0)::int, 0, 0, 0),
       (CASE WHEN c.state = 'closed' AND c.master_id IS NULL THEN c.closed_at END, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),
       (CASE WHEN c.rating IS NOT NULL THEN c.rated_at END, 0, 0, 0, 0, 0, 0, 0, 0, 1, (c.rating >= 4)::int)
     ) v(at, r, a, ac, d, h, ho, hr, cl, ra, sa)
     WHERE v.at IS NOT NULL
   $$`,

  // Milestones follow from state transitions, so the trigger needs nothing from the services: reported→accepted
  // is 受理, accepted→dispatched is 派遣 (rework goes handled→dispatched and is not a new dispatch),
  // in_progress→handled is 处置反馈, and a case born 'handled' was fixed on the spot.
  `CREATE FUNCTION stats_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     f_old case_facts;
     f_new case_facts;
   BEGIN
     IF TG_OP = 'INSERT' THEN
       f_new.case_id := NEW.id;
       IF NEW.state = 'handled' THEN
         f_new.handled_at := NEW.reported_at;
         f_new.handled_on_time := true;
       END IF;
       INSERT INTO case_facts SELECT f_new.*;
     ELSIF TG_OP = 'UPDATE' THEN
       SELECT * INTO f_old FROM case_facts WHERE case_id = NEW.id;
       IF NOT FOUND THEN
         f_old.case_id := NEW.id;
         INSERT INTO case_facts (case_id) VALUES (NEW.id);
       END IF;
       f_new := f_old;
       IF OLD.state = 'reported' AND NEW.state = 'accepted' AND f_new.accepted_at IS NULL THEN
         f_new.accepted_at := NEW.updated_at;
       END IF;
       IF OLD.state = 'accepted' AND NEW.state = 'dispatched' AND f_new.dispatched_at IS NULL THEN
         f_new.dispatched_at := NEW.updated_at;
       END IF;
       IF OLD.state = 'in_progress' AND NEW.state = 'handled' AND f_new.handled_at IS NULL THEN
         f_new.handled_at := NEW.updated_at;
         f_new.handled_on_time := NEW.deadline IS NULL OR NEW.updated_at <= NEW.deadline;
       END IF;
       IF f_new IS DISTINCT FROM f_old THEN
         UPDATE case_facts SET accepted_at = f_new.accepted_at, dispatched_at = f_new.dispatched_at,
           handled_at = f_new.handled_at, handled_on_time = f_new.handled_on_time
         WHERE case_id = NEW.id;
       END IF;
     ELSE
       SELECT * INTO f_old FROM case_facts WHERE case_id = OLD.id;
     END IF;

     INSERT INTO stats_rollup AS r (grain, dim, bucket, area_path, department_id, dim_value, ${M.join(', ')})
     SELECT k.grain, k.dim, k.bucket, x.area_path, x.department_id, k.dim_value, ${sumSigned}
     FROM (
       SELECT 1 AS sign, NEW.area_path AS area_path, coalesce(NEW.department_id, 0) AS department_id,
              NEW.category_id, NEW.source, a.*
       FROM stats_atoms(NEW, f_new) a WHERE TG_OP <> 'DELETE'
       UNION ALL
       SELECT -1, OLD.area_path, coalesce(OLD.department_id, 0), OLD.category_id, OLD.source, a.*
       FROM stats_atoms(OLD, f_old) a WHERE TG_OP <> 'INSERT'
     ) x
     ${KEYS}
     GROUP BY 1, 2, 3, 4, 5, 6
     HAVING ${anyNonZero}
     ON CONFLICT (grain, dim, bucket, area_path, department_id, dim_value) DO UPDATE SET ${addExcluded};
     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; -- a BEFORE trigger returning NULL would cancel the delete
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION stats_case_changed()`,
  // Only columns a contribution depends on: the sweeper's notified_level or a pending request change nothing.
  `CREATE TRIGGER cases_stats_update AFTER UPDATE ON cases FOR EACH ROW
   WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.area_path IS DISTINCT FROM NEW.area_path
      OR OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.category_id IS DISTINCT FROM NEW.category_id
      OR OLD.source IS DISTINCT FROM NEW.source OR OLD.reported_at IS DISTINCT FROM NEW.reported_at
      OR OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.rated_at IS DISTINCT FROM NEW.rated_at
      OR OLD.rating IS DISTINCT FROM NEW.rating OR OLD.rework_count IS DISTINCT FROM NEW.rework_count
      OR OLD.master_id IS DISTINCT FROM NEW.master_id)
   EXECUTE FUNCTION stats_case_changed()`,
  // BEFORE: the facts row is still there (the ON DELETE CASCADE runs as an AFTER trigger ahead of ours).
  `CREATE TRIGGER cases_stats_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION stats_case_changed()`,
  `CREATE FUNCTION stats_cases_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN DELETE FROM stats_rollup; RETURN NULL; END $$`,
  `CREATE TRIGGER cases_stats_truncate AFTER TRUNCATE ON cases FOR EACH STATEMENT EXECUTE FUNCTION stats_cases_truncated()`,

  // The whole rollup from the cases, with the same atoms and keys the trigger uses: run once here, by the
  // benchmark after a bulk load, and by an administrator if the rollup were ever in doubt.
  `CREATE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM stats_rollup;
     INSERT INTO stats_rollup (grain, dim, bucket, area_path, department_id, dim_value, ${M.join(', ')})
     SELECT k.grain, k.dim, k.bucket, x.area_path, x.department_id, k.dim_value, ${M.map((m) => `sum(x.${m})::int`).join(', ')}
     FROM (
       SELECT c.area_path, coalesce(c.department_id, 0) AS department_id, c.category_id, c.source, a.*
       FROM cases c LEFT JOIN case_facts f ON f.case_id = c.id
       CROSS JOIN LATERAL stats_atoms(c, f) a
     ) x
     ${KEYS}
     GROUP BY 1, 2, 3, 4, 5, 6;
   END $$`,

  // Backfill the milestones of the cases already stored, from their timeline. The deadline in force at the first
  // handling is the last deadline the timeline recorded before it (events record a deadline whenever it changes).
  `INSERT INTO case_facts (case_id, accepted_at, dispatched_at, handled_at, handled_on_time)
   SELECT c.id,
     (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.move = 'accept'),
     (SELECT min(e.at) FROM case_events e WHERE e.case_id = c.id AND e.move = 'dispatch'),
     h.at,
     CASE WHEN h.at IS NULL THEN NULL
          WHEN h.move = 'fix_on_spot' THEN true
          ELSE coalesce(h.at <= (SELECT e.deadline FROM case_events e
                                 WHERE e.case_id = c.id AND e.id < h.id AND e.deadline IS NOT NULL
                                 ORDER BY e.id DESC LIMIT 1), true)
     END
   FROM cases c
   LEFT JOIN LATERAL (SELECT e.id, e.at, e.move FROM case_events e
                      WHERE e.case_id = c.id AND e.move IN ('handle', 'fix_on_spot')
                      ORDER BY e.at, e.id LIMIT 1) h ON true`,
  `SELECT stats_rebuild()`,

  // Indexes for the direct counts: open cases by area (open/overdue now, grid load), the two ways a case enters
  // an area scope besides its own path (own reports, B/C responsibility) with the area as a byte-ordered second
  // key so "outside this area" is two key ranges, and instants that the list filters by event.
  `CREATE INDEX cases_open_area_idx ON cases (area_path text_pattern_ops)
   INCLUDE (state, due_at, grid_id, department_id, category_id, source) WHERE state IN ${OPEN_STATES_SQL}`,
  `CREATE INDEX cases_reporter_area_idx ON cases (reporter_id, (area_path COLLATE "C"))`,
  `CREATE INDEX cases_responsible_area_idx ON cases (responsible_grid_id, (area_path COLLATE "C")) WHERE responsible_grid_id IS NOT NULL`,
  `CREATE INDEX cases_closed_at_idx ON cases (closed_at) WHERE closed_at IS NOT NULL`,
  `CREATE INDEX cases_rated_at_idx ON cases (rated_at) WHERE rated_at IS NOT NULL`,

  // Map caches ask "did any case change since I was built?": a sequence is bumped by every statement that writes
  // cases or co-handler assignments (they change a department's scope). A sequence, not a counter row, so
  // concurrent writers never wait on each other.
  `CREATE SEQUENCE case_change_seq`,
  `CREATE FUNCTION case_change_bump() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN PERFORM nextval('case_change_seq'); RETURN NULL; END $$`,
  `CREATE TRIGGER cases_change_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cases
   FOR EACH STATEMENT EXECUTE FUNCTION case_change_bump()`,
  `CREATE TRIGGER case_assignments_change_bump AFTER INSERT OR UPDATE OR DELETE ON case_assignments
   FOR EACH STATEMENT EXECUTE FUNCTION case_change_bump()`,

  // Patrols (巡查): a grid worker's walk, its GPS track (sent in batches, each with a client key so a resend from
  // an offline phone is stored once) and its check-ins (打卡) in grids.
  `CREATE TABLE patrols (
    id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    user_id int NOT NULL REFERENCES users(id),
    area_path text NOT NULL,
    client_key text,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    start_lng double precision,
    start_lat double precision,
    distance_m double precision NOT NULL DEFAULT 0,
    point_count int NOT NULL DEFAULT 0,
    note text NOT NULL DEFAULT '',
    CHECK (ended_at IS NULL OR ended_at >= started_at)
  )`,
  `CREATE UNIQUE INDEX patrols_client_key_idx ON patrols (user_id, client_key) WHERE client_key IS NOT NULL`,
  // One patrol at a time per worker, enforced by the database so two phones cannot both start one.
  `CREATE UNIQUE INDEX patrols_active_idx ON patrols (user_id) WHERE ended_at IS NULL`,
  `CREATE INDEX patrols_area_idx ON patrols (area_path text_pattern_ops, started_at)`,
  `CREATE INDEX patrols_started_idx ON patrols (started_at)`,
  `CREATE TABLE patrol_batches (
    patrol_id int NOT NULL REFERENCES patrols(id),
    batch_key text NOT NULL,
    received_at timestamptz NOT NULL,
    point_count int NOT NULL,
    PRIMARY KEY (patrol_id, batch_key)
  )`,
  `CREATE TABLE patrol_points (
    patrol_id int NOT NULL REFERENCES patrols(id),
    at timestamptz NOT NULL,
    lng double precision NOT NULL,
    lat double precision NOT NULL,
    accuracy_m real,
    batch_key text NOT NULL
  )`,
  `CREATE INDEX patrol_points_patrol_idx ON patrol_points (patrol_id, at)`,
  `CREATE TABLE patrol_checkins (
    id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    patrol_id int NOT NULL REFERENCES patrols(id),
    user_id int NOT NULL REFERENCES users(id),
    grid_id int NOT NULL REFERENCES grids(id),
    grid_path text NOT NULL,
    at timestamptz NOT NULL,
    lng double precision NOT NULL,
    lat double precision NOT NULL,
    accuracy_m real,
    client_key text
  )`,
  `CREATE UNIQUE INDEX patrol_checkins_client_key_idx ON patrol_checkins (patrol_id, client_key) WHERE client_key IS NOT NULL`,
  `CREATE INDEX patrol_checkins_grid_idx ON patrol_checkins (grid_path text_pattern_ops, at)`,
  `CREATE INDEX patrol_checkins_patrol_idx ON patrol_checkins (patrol_id, at)`,

  // Points of interest (基础数据 on the map). area_path is the grid (or, just outside every grid, the nearest
  // grid's community) the point lies in, found at import, so reads filter by scope without geometry.
  `CREATE TABLE pois (
    id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    type text NOT NULL CHECK (type IN ('enterprise','pollution_source','sensitive_point','monitoring_station','camera')),
    code text,
    name text NOT NULL,
    subtype text,
    lng double precision NOT NULL,
    lat double precision NOT NULL,
    address text,
    grid_id int REFERENCES grids(id),
    area_path text NOT NULL,
    industry text,
    risk_level text CHECK (risk_level IN ('low','medium','high')),
    contact text,
    phone text,
    stream_url text,
    properties jsonb NOT NULL DEFAULT '{}',
    created_by int REFERENCES users(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE UNIQUE INDEX pois_code_idx ON pois (type, code) WHERE code IS NOT NULL`,
  `CREATE INDEX pois_position_idx ON pois (lng, lat)`,
  `CREATE INDEX pois_area_idx ON pois (area_path text_pattern_ops)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'DROP TABLE IF EXISTS pois, patrol_checkins, patrol_points, patrol_batches, patrols, stats_rollup, case_facts CASCADE',
    'DROP TRIGGER IF EXISTS cases_stats_insert ON cases',
    'DROP TRIGGER IF EXISTS cases_stats_update ON cases',
    'DROP TRIGGER IF EXISTS cases_stats_delete ON cases',
    'DROP TRIGGER IF EXISTS cases_stats_truncate ON cases',
    'DROP TRIGGER IF EXISTS cases_change_bump ON cases',
    'DROP TRIGGER IF EXISTS case_assignments_change_bump ON case_assignments',
    'DROP FUNCTION IF EXISTS stats_case_changed(), stats_cases_truncated(), stats_rebuild(), case_change_bump() CASCADE',
    'DROP FUNCTION IF EXISTS stats_atoms(cases, case_facts) CASCADE',
    'DROP FUNCTION IF EXISTS gw_day(timestamptz)',
    'DROP SEQUENCE IF EXISTS case_change_seq',
    ...['cases_open_area_idx', 'cases_reporter_area_idx', 'cases_responsible_area_idx', 'cases_closed_at_idx', 'cases_rated_at_idx'].map(
      (i) => `DROP INDEX IF EXISTS ${i}`,
    ),
  ]) {
    await sql.raw(s).execute(db);
  }
}
