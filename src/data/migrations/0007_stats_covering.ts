// Statistics and the map at scale (measured by `npm run bench -- stats`, 5 M cases, and `-- map-tiles`, 1 M):
// - the rollup's primary key carries the counts (INCLUDE), so the dashboard's reads are index-only scans over
//   one contiguous key range per day or month instead of one heap page per row;
// - the atoms take plain columns (stats_atoms_of) instead of whole rows, which PostgreSQL would otherwise build as
//   composite values for every case read (stats_atoms(c, f) stays, for the trigger, as a wrapper);
// - stats_rebuild unpivots the milestones in the select list (one ProjectSet, no per-case subquery) and groups them
//   once with GROUPING SETS (day totals, month by category, month by source); month totals are summed from day
//   totals. The test "rollup kept by triggers equals the rollup rebuilt" holds the two formulations to the same rows;
// - cases are indexed by updated_at, so a cached map point set catches up with a few rows instead of reloading.
import { sql, type Kysely } from 'kysely';
import { ROLLUP_METRICS } from './0006_command_centre.js';

const M = ROLLUP_METRICS;
const cols = M.join(', ');

/** The first day of a date's month, without date_trunc's round trip through the session's time zone. */
const monthOf = (d: string) => `(${d} - (extract(day FROM ${d})::int - 1))`;

/**
 * Every milestone of every case as a row (day, keys, kind k and flags), unpivoted in the select list: one
 * ProjectSet over the join, where a lateral subquery per case would cost a node start per case. The kinds and
 * flags are those of stats_atoms_of.
 */
const unpivot = `
  SELECT gw_day(x.at) AS day, x.*
  FROM (
    SELECT c.area_path, coalesce(c.department_id, 0) AS department_id, c.category_id, c.source,
           c.state = 'closed' AS closed_now, coalesce(f.handled_on_time, false) AS on_time, c.rework_count > 0 AS reworked,
           coalesce(c.rating >= 4, false) AS satisfied,
           unnest(ARRAY[c.reported_at, f.accepted_at, f.dispatched_at, f.handled_at,
                        CASE WHEN c.state = 'closed' AND c.master_id IS NULL THEN c.closed_at END,
                        CASE WHEN c.rating IS NOT NULL THEN c.rated_at END]) AS at,
           unnest(ARRAY[1, 2, 3, 4, 5, 6]) AS k
    FROM cases c LEFT JOIN case_facts f ON f.case_id = c.id
  ) x
  WHERE x.at IS NOT NULL`;

const counts = [
  'count(*) FILTER (WHERE y.k = 1)::int',
  'count(*) FILTER (WHERE y.k = 2)::int',
  'count(*) FILTER (WHERE y.k = 2 AND y.closed_now)::int',
  'count(*) FILTER (WHERE y.k = 3)::int',
  'count(*) FILTER (WHERE y.k = 4)::int',
  'count(*) FILTER (WHERE y.k = 4 AND y.on_time)::int',
  'count(*) FILTER (WHERE y.k = 4 AND y.reworked)::int',
  'count(*) FILTER (WHERE y.k = 5)::int',
  'count(*) FILTER (WHERE y.k = 6)::int',
  'count(*) FILTER (WHERE y.k = 6 AND y.satisfied)::int',
].join(', ');

const statements = [
  `ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_pkey`,
  `ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_pkey PRIMARY KEY (grain, dim, bucket, area_path, department_id, dim_value) INCLUDE (${cols})`,

  // Map caches catch up with the cases written since they were built (src/services/map/map.ts).
  `CREATE INDEX cases_updated_idx ON cases (updated_at)`,

  `CREATE FUNCTION stats_atoms_of(reported_at timestamptz, state text, closed_at timestamptz, master_id int, rating int,
                                  rated_at timestamptz, rework_count int, accepted_at timestamptz, dispatched_at timestamptz,
                                  handled_at timestamptz, handled_on_time boolean)
   RETURNS TABLE (day date, ${M.map((m) => `${m} int`).join(', ')})
   LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
     SELECT gw_day(v.at), v.r, v.a, v.ac, v.d, v.h, v.ho, v.hr, v.cl, v.ra, v.sa
     FROM (VALUES
       (reported_at, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
       (accepted_at, 0, 1, (state = 'closed')::int, 0, 0, 0, 0, 0, 0, 0),
       (dispatched_at, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
       (handled_at, 0, 0, 0, 0, 1, coalesce(handled_on_time, false)::int, (rework_count > 0)::int, 0, 0, 0),
       (CASE WHEN state = 'closed' AND master_id IS NULL THEN closed_at END, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0),
       (CASE WHEN rating IS NOT NULL THEN rated_at END, 0, 0, 0, 0, 0, 0, 0, 0, 1, (rating >= 4)::int)
     ) v(at, r, a, ac, d, h, ho, hr, cl, ra, sa)
     WHERE v.at IS NOT NULL
   $$`,
  `CREATE OR REPLACE FUNCTION stats_atoms(c cases, f case_facts)
   RETURNS TABLE (day date, ${M.map((m) => `${m} int`).join(', ')})
   LANGUAGE sql STABLE PARALLEL SAFE AS $$
     SELECT * FROM stats_atoms_of(c.reported_at, c.state, c.closed_at, c.master_id, c.rating, c.rated_at, c.rework_count,
                                  f.accepted_at, f.dispatched_at, f.handled_at, f.handled_on_time)
   $$`,

  `CREATE OR REPLACE FUNCTION stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM stats_rollup;
     INSERT INTO stats_rollup (grain, dim, bucket, area_path, department_id, dim_value, ${cols})
       SELECT CASE WHEN GROUPING(y.day) = 0 THEN 'd' ELSE 'm' END,
              CASE WHEN GROUPING(y.category_id) = 0 THEN 'c' WHEN GROUPING(y.source) = 0 THEN 's' ELSE 't' END,
              coalesce(y.day, y.month), y.area_path, y.department_id, coalesce(y.category_id::text, y.source, ''), ${counts}
       FROM (SELECT ${monthOf('z.day')} AS month, z.* FROM (${unpivot}) z) y
       GROUP BY GROUPING SETS ((y.day, y.area_path, y.department_id), (y.month, y.area_path, y.department_id, y.category_id),
                               (y.month, y.area_path, y.department_id, y.source));
     -- month totals are sums of day totals: a few million rows instead of all the atoms again
     INSERT INTO stats_rollup (grain, dim, bucket, area_path, department_id, dim_value, ${cols})
       SELECT 'm', 't', ${monthOf('bucket')}, area_path, department_id, '', ${M.map((m) => `sum(${m})::int`).join(', ')}
       FROM stats_rollup WHERE grain = 'd' GROUP BY 3, area_path, department_id;
   END $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`ALTER TABLE stats_rollup DROP CONSTRAINT stats_rollup_pkey`).execute(db);
  await sql.raw(`ALTER TABLE stats_rollup ADD CONSTRAINT stats_rollup_pkey PRIMARY KEY (grain, dim, bucket, area_path, department_id, dim_value)`).execute(db);
}
