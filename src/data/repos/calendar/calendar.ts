// Calendar overrides (calendar_days) and platform settings (settings). Dates travel as 'YYYY-MM-DD' text
// both ways: pg would turn a date column into a Date at local midnight, which shifts days across time zones.
import { sql } from 'kysely';
import type { DbOrTx } from '../../db.js';
import type { CalendarEntry, DayKind } from '../../../domain/calendar/calendar.js';

export interface CalendarDayRow {
  date: string;
  kind: DayKind;
  note: string | null;
  updatedBy: number | null;
  updatedAt: Date;
}

function selectDays(db: DbOrTx) {
  return db
    .selectFrom('calendar_days')
    .select([
      sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date'),
      'kind',
      'note',
      'updated_by as updatedBy',
      'updated_at as updatedAt',
    ]);
}

/** Overrides, ascending by date; optionally only those from `from` to `to` (inclusive, YYYY-MM-DD). */
export async function listCalendarDays(db: DbOrTx, range?: { from: string; to: string }): Promise<CalendarDayRow[]> {
  let q = selectDays(db);
  if (range) q = q.where('day', '>=', range.from).where('day', '<=', range.to);
  return q.orderBy('day').execute();
}

export async function findCalendarDay(db: DbOrTx, date: string): Promise<CalendarDayRow | undefined> {
  return selectDays(db).where('day', '=', date).executeTakeFirst();
}

/** Inserts or replaces the overrides of the given dates. */
export async function upsertCalendarDays(db: DbOrTx, entries: readonly CalendarEntry[], by: number | null, at: Date): Promise<void> {
  // Chunks keep a large import under the bind-parameter limit.
  for (let i = 0; i < entries.length; i += 500) {
    await db
      .insertInto('calendar_days')
      .values(entries.slice(i, i + 500).map((e) => ({ day: e.date, kind: e.kind, note: e.note ?? null, updated_by: by, updated_at: at })))
      .onConflict((oc) =>
        oc.column('day').doUpdateSet((eb) => ({
          kind: eb.ref('excluded.kind'),
          note: eb.ref('excluded.note'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** Deletes one override; returns it as it was, or undefined when there was none. */
export async function deleteCalendarDay(db: DbOrTx, date: string): Promise<CalendarDayRow | undefined> {
  const row = await findCalendarDay(db, date);
  if (row) await db.deleteFrom('calendar_days').where('day', '=', date).execute();
  return row;
}

export async function getSetting(db: DbOrTx, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function putSetting(db: DbOrTx, key: string, value: unknown, at: Date): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: at }))
    .execute();
}

/** Years an administrator imported as a whole, ascending. */
export async function listOfficialYears(db: DbOrTx): Promise<number[]> {
  const rows = await db.selectFrom('calendar_years').select('year').orderBy('year').execute();
  return rows.map((r) => r.year);
}

export async function insertOfficialYears(db: DbOrTx, years: readonly number[], source: string, by: number | null, at: Date): Promise<void> {
  if (years.length === 0) return;
  await db
    .insertInto('calendar_years')
    .values(years.map((year) => ({ year, source, confirmed_by: by, confirmed_at: at })))
    .onConflict((oc) => oc.column('year').doNothing())
    .execute();
}
