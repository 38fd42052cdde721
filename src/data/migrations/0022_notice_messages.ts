// Notification titles (and generated bodies) as a message code with parameters, rendered in the reader's language
// when read (issue 13): a new notice stores no text in either language. Rows written before keep their text title,
// and are shown as written; a row has a text title or a title code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notifications
    ADD COLUMN title_code text,
    ADD COLUMN title_params jsonb,
    ADD COLUMN body_code text,
    ADD COLUMN body_params jsonb,
    ALTER COLUMN title DROP NOT NULL,
    ADD CONSTRAINT notifications_title_present CHECK (title IS NOT NULL OR title_code IS NOT NULL)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE notifications SET title = coalesce(title, title_code)`.execute(db);
  await sql`ALTER TABLE notifications
    DROP CONSTRAINT notifications_title_present,
    ALTER COLUMN title SET NOT NULL,
    DROP COLUMN title_code, DROP COLUMN title_params, DROP COLUMN body_code, DROP COLUMN body_params`.execute(db);
}
