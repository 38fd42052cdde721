// The demo street, built once and loaded on each fresh data folder: seeding walks 250 cases through the real
// workflow (thousands of statements), which took most of a first start. `npm start` builds the snapshot when it is
// missing or older than the seed and the migrations (scripts/ensure-ready.mjs runs `src/seed/build-snapshot.ts`),
// as it builds the web app; a first start on PGlite then loads it and moves every instant in it forward by the time
// between the snapshot's clock and the platform's clock, so the street looks seeded now, by whatever clock is
// injected (the data are relative to that clock, never to the date the snapshot was made). Migrations newer than
// the snapshot run after loading. Without a snapshot (or on PostgreSQL) the platform seeds as before.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../data/db.js';

export const SNAPSHOT_DIR = path.resolve(import.meta.dirname, '..', '..', '.cache', 'demo-snapshot');
const DATA = path.join(SNAPSHOT_DIR, 'pgdata.tar.gz');
const META = path.join(SNAPSHOT_DIR, 'meta.json');

interface SnapshotMeta {
  /** the clock the demo street was seeded at */
  seededAt: string;
  cases: number;
}

export function readSnapshot(): { data: Blob; seededAt: Date } | null {
  if (!existsSync(DATA) || !existsSync(META)) return null;
  try {
    const meta = JSON.parse(readFileSync(META, 'utf8')) as SnapshotMeta;
    return { data: new Blob([readFileSync(DATA)]), seededAt: new Date(meta.seededAt) };
  } catch {
    return null;
  }
}

export async function writeSnapshot(dump: Blob, meta: SnapshotMeta): Promise<void> {
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  writeFileSync(DATA, Buffer.from(await dump.arrayBuffer()));
  writeFileSync(META, JSON.stringify(meta));
}

/**
 * Moves the demo street in time: every timestamptz column of every table moves by (now - seededAt), case numbers
 * (which carry the Beijing date of report) are renumbered with the texts that quote them, and the statistics
 * rollup, keyed by day, is rebuilt. Calendar days stay: they are the calendar, not events. One transaction.
 */
export async function redateDemo(db: Db, seededAt: Date, now: Date): Promise<void> {
  const shiftMs = now.getTime() - seededAt.getTime();
  await db.transaction().execute(async (trx) => {
    const cols = await sql<{ table_name: string; column_name: string }>`
      SELECT c.table_name, c.column_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = current_schema() AND c.data_type = 'timestamp with time zone' AND c.table_name NOT LIKE 'kysely_%'
      ORDER BY 1, 2`.execute(trx);
    // the append-only and statistics triggers stay out of this: history is not rewritten, it is moved as a whole
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    const byTable = new Map<string, string[]>();
    for (const r of cols.rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
    const shift = sql`${shiftMs / 1000} * interval '1 second'`;
    for (const [table, columns] of byTable) {
      await sql`UPDATE ${sql.table(table)} SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(c)} + ${shift}`))}`.execute(trx);
    }
    // pending requests keep their instant in JSON
    for (const col of ['pending_extension', 'pending_suspend']) {
      await sql`UPDATE cases SET ${sql.ref(col)} = jsonb_set(${sql.ref(col)}, '{at}', to_jsonb(to_char(((${sql.ref(col)}->>'at')::timestamptz + ${shift}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                WHERE ${sql.ref(col)} ? 'at'`.execute(trx);
    }
    await sql`CREATE TEMP TABLE renumbered ON COMMIT DROP AS
      SELECT id, number AS old, to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYYMMDD') || lpad(id::text, greatest(6, length(id::text)), '0') AS new
      FROM cases`.execute(trx);
    await sql`UPDATE cases c SET number = r.new FROM renumbered r WHERE r.id = c.id`.execute(trx);
    await sql`UPDATE audit_log a SET summary = replace(a.summary, r.old, r.new) FROM renumbered r WHERE a.target_type = 'case' AND a.target_id = r.id::text`.execute(trx);
    // a notice names its case by number: in its title's parameters (or, written before migration 0022, its text)
    await sql`UPDATE notifications n SET title = replace(n.title, r.old, r.new),
                title_params = CASE WHEN n.title_params ? 'number' THEN jsonb_set(n.title_params, '{number}', to_jsonb(r.new)) ELSE n.title_params END
              FROM renumbered r WHERE n.case_id = r.id`.execute(trx);
    await sql`UPDATE outbox o SET payload = CASE WHEN o.payload->'titleParams' ? 'number'
                  THEN jsonb_set(jsonb_set(o.payload, '{title}', to_jsonb(replace(o.payload->>'title', r.old, r.new))), '{titleParams,number}', to_jsonb(r.new))
                  ELSE jsonb_set(o.payload, '{title}', to_jsonb(replace(o.payload->>'title', r.old, r.new))) END
              FROM notifications n JOIN renumbered r ON r.id = n.case_id
              WHERE o.notification_id = n.id AND o.payload ? 'title'`.execute(trx);
    await sql`SET LOCAL session_replication_role = origin`.execute(trx);
    await sql`SELECT stats_rebuild()`.execute(trx);
  });
}
