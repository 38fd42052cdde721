// Working-time calendar: the days an administrator overrides on top of the built-in official calendar
// (holidays and 调休 makeup working days, e.g. next year's schedule published by the State Council each
// winter), and a small key/value settings table that holds the working hours (key 'working_hours').
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE calendar_days (
    day date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('holiday','workday')),
    note text,
    updated_by int REFERENCES users(id),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE settings (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['settings', 'calendar_days']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
