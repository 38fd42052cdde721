// The working calendar as the platform uses it: the built-in official years + the administrators' overrides
// + the working hours, loaded once and cached per process; and the administrators' changes to it, each in
// one transaction with its audit row.
import { inTransaction, type DbOrTx } from '../data/db.js';
import { insertAudit } from '../data/repos/audit.js';
import { deleteCalendarDay, findCalendarDay, getSetting, listCalendarDays, putSetting, upsertCalendarDays } from '../data/repos/calendar.js';
import { BUILTIN_DAYS } from '../domain/calendar-builtin.js';
import {
  checkWorkingHours,
  createWorkCalendar,
  dayNumberOf,
  DEFAULT_WORKING_HOURS,
  parseCalendarList,
  parseIcs,
  type CalendarEntry,
  type DayKind,
  type ImportProblem,
  type WorkCalendar,
  type WorkingPeriod,
} from '../domain/calendar.js';
import { DomainError } from '../domain/errors.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';

export const WORKING_HOURS_KEY = 'working_hours';

// ---- loading and caching ----------------------------------------------------------------------------------

/**
 * How long a cached calendar is trusted. Changes made through this process invalidate the cache at once;
 * the time limit only matters when several processes share one PostgreSQL, where another process's change
 * shows here within this time.
 */
const CACHE_TTL_MS = 60_000;

interface CacheEntry {
  generation: number;
  loadedAt: number;
  calendar: Promise<WorkCalendar>;
}

// Keyed by the database object, so tests that open several databases in one process never share a calendar.
const cache = new WeakMap<object, CacheEntry>();
let generation = 0;

/** Forgets every cached calendar; the next loadCalendar reads the database again. */
export function invalidateCalendarCache(): void {
  generation += 1;
}

async function readWorkingHours(db: DbOrTx): Promise<WorkingPeriod[]> {
  const stored = await getSetting(db, WORKING_HOURS_KEY);
  return Array.isArray(stored) ? (stored as WorkingPeriod[]) : DEFAULT_WORKING_HOURS.map((p) => ({ ...p }));
}

async function readCalendar(db: DbOrTx): Promise<WorkCalendar> {
  const [overrides, workingHours] = await Promise.all([listCalendarDays(db), readWorkingHours(db)]);
  return createWorkCalendar({ years: BUILTIN_DAYS, overrides, workingHours });
}

/**
 * The working calendar: built-in years + overrides + working hours. Cached per database object or
 * transaction (a transaction that moves many cases builds it once); every calendar change bumps the
 * generation, so no cache outlives a change.
 */
export async function loadCalendar(db: DbOrTx): Promise<WorkCalendar> {
  const hit = cache.get(db);
  if (hit && hit.generation === generation && Date.now() - hit.loadedAt < CACHE_TTL_MS) return hit.calendar;
  const entry: CacheEntry = { generation, loadedAt: Date.now(), calendar: readCalendar(db) };
  cache.set(db, entry);
  // A failed read is not remembered: the next call tries again.
  entry.calendar.catch(() => {
    if (cache.get(db) === entry) cache.delete(db);
  });
  return entry.calendar;
}

// ---- reading a year ----------------------------------------------------------------------------------------

export interface CalendarDayView {
  date: string;
  kind: DayKind;
  note: string | null;
  source: 'builtin' | 'override';
  builtinKind: DayKind | null;
  updatedAt: Date | null;
}

export interface CalendarYearView {
  year: number;
  known: boolean;
  knownYears: number[];
  days: CalendarDayView[];
  workingHours: WorkingPeriod[];
}

/** The holidays and makeup working days of one year, each with where it comes from, and the working hours. */
export async function calendarYear(db: DbOrTx, year: number): Promise<CalendarYearView> {
  const prefix = `${year}-`;
  const [calendar, overrides] = await Promise.all([
    loadCalendar(db),
    listCalendarDays(db, { from: `${year}-01-01`, to: `${year}-12-31` }),
  ]);
  const days = new Map<string, CalendarDayView>();
  for (const b of BUILTIN_DAYS) {
    if (!b.date.startsWith(prefix)) continue;
    days.set(b.date, { date: b.date, kind: b.kind, note: b.note ?? null, source: 'builtin', builtinKind: b.kind, updatedAt: null });
  }
  for (const o of overrides) {
    const builtin = days.get(o.date);
    days.set(o.date, { date: o.date, kind: o.kind, note: o.note, source: 'override', builtinKind: builtin?.kind ?? null, updatedAt: o.updatedAt });
  }
  const knownYears = calendar.knownYears();
  return {
    year,
    known: knownYears.includes(year),
    knownYears,
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    workingHours: calendar.workingHours(),
  };
}

// ---- administrators' changes -------------------------------------------------------------------------------

const KIND_WORD: Record<DayKind, string> = { holiday: '休息日', workday: '工作日' };

function checkDate(date: string): void {
  if (dayNumberOf(date) == null) throw new DomainError('calendar_date_invalid', { date });
}

export type OverrideSource = 'manual' | 'list' | 'ics';

/**
 * Sets overrides for the given dates (insert or replace), with one audit row. Administrators only.
 * Returns the number of days written.
 */
export async function upsertOverrides(ctx: ActorContext, entries: readonly CalendarEntry[], source: OverrideSource = 'manual'): Promise<number> {
  requireRole(ctx.actor, ['admin']);
  for (const e of entries) checkDate(e.date);
  if (entries.length === 0) return 0;
  const dates = entries.map((e) => e.date).sort();
  const first = dates[0]!;
  const last = dates[dates.length - 1]!;
  await inTransaction(ctx.db, async (trx) => {
    const previous = entries.length === 1 ? await findCalendarDay(trx, first) : undefined;
    await upsertCalendarDays(trx, entries, ctx.actor.id, ctx.now);
    const single = entries.length === 1 && source === 'manual' ? entries[0]! : null;
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: single ? 'calendar.day_set' : 'calendar.import',
      targetType: 'calendar',
      targetId: single ? first : `${first}~${last}`,
      summary: single
        ? `工作日历：${first} 设为${KIND_WORD[single.kind]}${single.note ? `（${single.note}）` : ''}`
        : `工作日历：导入 ${entries.length} 天（${first} 至 ${last}）`,
      data: single
        ? { date: first, kind: single.kind, note: single.note ?? null, previous: previous ? { kind: previous.kind, note: previous.note } : null }
        : { source, count: entries.length, from: first, to: last, holidays: entries.filter((e) => e.kind === 'holiday').length },
      ip: ctx.ip,
    });
  });
  invalidateCalendarCache();
  return entries.length;
}

/** Removes an administrator's override, so the built-in calendar (or the plain week) applies again. */
export async function deleteOverride(ctx: ActorContext, date: string): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  checkDate(date);
  await inTransaction(ctx.db, async (trx) => {
    const removed = await deleteCalendarDay(trx, date);
    if (!removed) throw new DomainError('not_found');
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'calendar.day_delete',
      targetType: 'calendar',
      targetId: date,
      summary: `工作日历：撤销 ${date} 的调整（原为${KIND_WORD[removed.kind]}）`,
      data: { date, removed: { kind: removed.kind, note: removed.note } },
      ip: ctx.ip,
    });
  });
  invalidateCalendarCache();
}

export interface ImportOutcome {
  imported: number;
  /** non-empty = the import was refused as a whole and nothing changed */
  errors: ImportProblem[];
}

/** Imports a list or an .ics calendar as overrides: all or nothing. Administrators only. */
export async function importCalendar(ctx: ActorContext, input: { format: 'list' | 'ics'; text: string }): Promise<ImportOutcome> {
  requireRole(ctx.actor, ['admin']);
  const parsed = input.format === 'ics' ? parseIcs(input.text) : parseCalendarList(input.text);
  if (parsed.errors.length > 0) return { imported: 0, errors: parsed.errors };
  return { imported: await upsertOverrides(ctx, parsed.entries, input.format), errors: [] };
}

export async function getWorkingHours(db: DbOrTx): Promise<WorkingPeriod[]> {
  return (await loadCalendar(db)).workingHours();
}

/** Replaces the working hours (ordered, non-overlapping HH:MM periods). Administrators only. */
export async function setWorkingHours(ctx: ActorContext, periods: readonly WorkingPeriod[]): Promise<WorkingPeriod[]> {
  requireRole(ctx.actor, ['admin']);
  checkWorkingHours(periods);
  const value = periods.map((p) => ({ start: p.start, end: p.end }));
  await inTransaction(ctx.db, async (trx) => {
    const previous = await readWorkingHours(trx);
    await putSetting(trx, WORKING_HOURS_KEY, value, ctx.now);
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'calendar.working_hours',
      targetType: 'setting',
      targetId: WORKING_HOURS_KEY,
      summary: `工作时间设为 ${value.map((p) => `${p.start}–${p.end}`).join('、')}`,
      data: { previous, workingHours: value },
      ip: ctx.ip,
    });
  });
  invalidateCalendarCache();
  return value;
}
