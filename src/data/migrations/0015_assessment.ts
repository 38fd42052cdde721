// Assessment (考核): a scheme per year, monthly rankings as frozen editions (a lifecycle: draft → published →
// corrected, src/domain/assessment/ranking-lifecycle.ts) with their timeline, and monthly situation reports
// (情况汇报: draft → issued) kept with the numbers they were issued with.
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE assessment_schemes (
     year int PRIMARY KEY,
     config jsonb NOT NULL,
     updated_by int REFERENCES users(id),
     updated_at timestamptz NOT NULL
   )`,
  `CREATE TABLE assessment_rankings (
     id serial PRIMARY KEY,
     period text NOT NULL,
     unit_kind text NOT NULL CHECK (unit_kind IN ('grid','community','department')),
     scope_path text,
     state text NOT NULL CHECK (state IN ('draft','published','corrected','discarded')),
     version int NOT NULL DEFAULT 1,
     edition int NOT NULL DEFAULT 1,
     reason text,
     supersedes_id int REFERENCES assessment_rankings(id),
     scheme jsonb NOT NULL,
     rows jsonb NOT NULL,
     computed_at timestamptz NOT NULL,
     created_by int NOT NULL REFERENCES users(id),
     created_at timestamptz NOT NULL,
     published_at timestamptz,
     published_by int REFERENCES users(id),
     updated_at timestamptz NOT NULL
   )`,
  `CREATE INDEX assessment_rankings_period_idx ON assessment_rankings (period, unit_kind)`,
  // at most one published edition per month, unit kind and scope
  `CREATE UNIQUE INDEX assessment_rankings_published_idx ON assessment_rankings (period, unit_kind, coalesce(scope_path, '')) WHERE state = 'published'`,
  `CREATE TABLE assessment_events (
     id serial PRIMARY KEY,
     item_type text NOT NULL,
     item_id int NOT NULL,
     move text NOT NULL,
     from_state text,
     to_state text NOT NULL,
     actor_id int NOT NULL REFERENCES users(id),
     note text,
     at timestamptz NOT NULL
   )`,
  `CREATE INDEX assessment_events_item_idx ON assessment_events (item_type, item_id, id)`,
  `CREATE TABLE assessment_reports (
     id serial PRIMARY KEY,
     period text NOT NULL,
     scope_path text,
     state text NOT NULL CHECK (state IN ('draft','issued','discarded')),
     version int NOT NULL DEFAULT 1,
     title text NOT NULL,
     sections jsonb NOT NULL,
     numbers jsonb NOT NULL,
     created_by int NOT NULL REFERENCES users(id),
     created_at timestamptz NOT NULL,
     issued_at timestamptz,
     issued_by int REFERENCES users(id),
     updated_at timestamptz NOT NULL
   )`,
  `CREATE INDEX assessment_reports_period_idx ON assessment_reports (period)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['assessment_reports', 'assessment_events', 'assessment_rankings', 'assessment_schemes']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
