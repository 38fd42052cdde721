// Issue 14, closing gaps: a checklist template can be retired (kept for the inspections and plans that used it, no
// longer offered nor matched to new plan items), a monthly inspection plan names the inspector it is assigned to and
// can be edited after it was made, and a notice about a hazard names the hazard so the bell opens it.
import { sql, type Kysely } from 'kysely';

const statements = [
  `ALTER TABLE inspection_templates ADD COLUMN retired_at timestamptz`,
  `ALTER TABLE inspection_templates ADD COLUMN retired_by int REFERENCES users(id)`,
  `ALTER TABLE inspection_plans ADD COLUMN inspector_id int REFERENCES users(id)`,
  `ALTER TABLE inspection_plans ADD COLUMN version int NOT NULL DEFAULT 1`,
  `ALTER TABLE notifications ADD COLUMN hazard_id int REFERENCES hazards(id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const s of [
    'ALTER TABLE notifications DROP COLUMN IF EXISTS hazard_id',
    'ALTER TABLE inspection_plans DROP COLUMN IF EXISTS version',
    'ALTER TABLE inspection_plans DROP COLUMN IF EXISTS inspector_id',
    'ALTER TABLE inspection_templates DROP COLUMN IF EXISTS retired_by',
    'ALTER TABLE inspection_templates DROP COLUMN IF EXISTS retired_at',
  ])
    await sql.raw(s).execute(db);
}
