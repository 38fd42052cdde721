// The working calendar as the platform uses it: the built-in official years + the years administrators
// imported as a whole + their day overrides + the working hours, with provisional years derived from the
// statutory rules after the last official year; loaded once and cached per process. And the administrators'
// changes to it: each in one transaction with its audit row, recomputing the running limits of the open cases
// it moves (and telling their handlers once).
import { inTransaction, rootOf, type DbOrTx } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import {
  deleteCalendarDay,
  findCalendarDay,
  getSetting,
  insertOfficialYears,
  listCalendarDays,
  listOfficialYears,
  putSetting,
  upsertCalendarDays,
} from '../../data/repos/calendar/calendar.js';
import { lockOpenCasesWithLimitsFrom, updateCaseLimits } from '../../data/repos/cases/limits.js';
import { BUILTIN_DAYS } from '../../domain/calendar/builtin.js';
import { statutoryHolidays, PROVISIONAL_MAX_YEAR, STATUTORY_HOLIDAY_NAMES } from '../../domain/calendar/provisional.js';
import {
  checkWorkingHours,
  createWorkCalendar,
  dayNumberOf,
  DEFAULT_WORKING_HOURS,
  isoDateOfDay,
  parseCalendarJson,
  parseCalendarList,
  parseIcs,
  shanghaiDateOf,
  type CalendarEntry,
  type DayKind,
  type ImportProblem,
  type WorkCalendar,
  type WorkingPeriod,
  type YearStatus,
} from '../../domain/calendar/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { relayLimits, thresholdLevelAt } from '../../domain/cases/time-limits.js';
import { OPEN_STATES } from '../../domain/cases/workflow.js';
import { requireRole } from '../access.js';
import type { ActorContext } from '../context.js';
import { announce, notify } from '../notify.js';
export const WORKING_HOURS_KEY = 'working_hours';

// ---- loading and caching ----------------------------------------------------------------------------------

/**
 * How many years past the later of the last official year and the current year get a provisional calendar.
 * Further years stay unknown: nobody should be given a deadline there.
 */
export const PROVISIONAL_YEARS_AHEAD = 2;
/** How far ahead an administrator may import a schedule. */
export const IMPORT_YEARS_AHEAD = 5;

const FIRST_BUILTIN_YEAR = Number(BUILTIN_DAYS[0]!.date.slice(0, 4));
const LAST_BUILTIN_YEAR = Number(BUILTIN_DAYS[BUILTIN_DAYS.length - 1]!.date.slice(0, 4));

/**
 * How long a cached calendar is trusted. Changes made through this process invalidate the cache at once;
 * the time limit only matters when several processes share one PostgreSQL, where another process's change
 * shows here within this time.
 */
const CACHE_TTL_MS = 60_000;

/** What the calendar is built from, as stored. */
interface CalendarSource {
  overrides: CalendarEntry[];
  officialYears: number[];
  workingHours: WorkingPeriod[];
}

interface CacheEntry {
  generation: number;
  loadedAt: number;
  source: Promise<CalendarSource>;
  built: Map<number, WorkCalendar>;
}

// Keyed by the database (a transaction counts as its database), so tests that open several databases in one
// process never share a calendar, and a move inside a transaction does not rebuild it.
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

/** How often the calendar was read from the database and built, for tests and diagnostics. */
export const calendarCacheStats = { reads: 0, builds: 0 };

async function readSource(db: DbOrTx): Promise<CalendarSource> {
  calendarCacheStats.reads += 1;
  const [overrides, officialYears, workingHours] = await Promise.all([listCalendarDays(db), listOfficialYears(db), readWorkingHours(db)]);
  return { overrides, officialYears, workingHours };
}

function yearOf(now: Date): number {
  return Number(shanghaiDateOf(now).slice(0, 4));
}

/** The last year with a provisional calendar: a few years past the last official year or the current year. */
export function provisionalThrough(officialYears: readonly number[], now?: Date): number {
  const lastOfficial = Math.max(LAST_BUILTIN_YEAR, ...officialYears);
  return Math.min(PROVISIONAL_MAX_YEAR, Math.max(lastOfficial, now ? yearOf(now) : lastOfficial) + PROVISIONAL_YEARS_AHEAD);
}

function buildCalendar(src: CalendarSource, now?: Date): WorkCalendar {
  calendarCacheStats.builds += 1;
  return createWorkCalendar({
    years: BUILTIN_DAYS,
    overrides: src.overrides,
    officialYears: src.officialYears,
    provisionalThrough: provisionalThrough(src.officialYears, now),
    workingHours: src.workingHours,
  });
}

/**
 * The working calendar as of `now` (which decides how far provisional years reach; without it, from the last
 * official year). Cached per database; every calendar change bumps the generation, so no cache outlives a change.
 */
export async function loadCalendar(db: DbOrTx, now?: Date): Promise<WorkCalendar> {
  const key = rootOf(db);
  let entry = cache.get(key);
  if (!entry || entry.generation !== generation || Date.now() - entry.loadedAt >= CACHE_TTL_MS) {
    const fresh: CacheEntry = { generation, loadedAt: Date.now(), source: readSource(db), built: new Map() };
    cache.set(key, fresh);
    // A failed read is not remembered: the next call tries again.
    fresh.source.catch(() => {
      if (cache.get(key) === fresh) cache.delete(key);
    });
    entry = fresh;
  }
  const src = await entry.source;
  const through = provisionalThrough(src.officialYears, now);
  let cal = entry.built.get(through);
  if (!cal) {
    cal = buildCalendar(src, now);
    entry.built.set(through, cal);
  }
  return cal;
}

// ---- reading a year ----------------------------------------------------------------------------------------

export interface CalendarDayView {
  date: string;
  kind: DayKind;
  note: string | null;
  /** builtin = shipped official calendar; override = set by an administrator; provisional = derived from the rules */
  source: 'builtin' | 'override' | 'provisional';
  builtinKind: DayKind | null;
  updatedAt: Date | null;
}

export interface CalendarYearView {
  year: number;
  known: boolean;
  status: YearStatus;
  /** provisional and some days already imported */
  partial: boolean;
  /** provisional: the statutory holidays no imported day covers yet */
  missingHolidays: string[];
  knownYears: number[];
  days: CalendarDayView[];
  workingHours: WorkingPeriod[];
}

/** The holidays and makeup working days of one year, each with where it comes from, and the working hours. */
export async function calendarYear(db: DbOrTx, year: number, now?: Date): Promise<CalendarYearView> {
  const prefix = `${year}-`;
  const [calendar, overrides] = await Promise.all([
    loadCalendar(db, now),
    listCalendarDays(db, { from: `${year}-01-01`, to: `${year}-12-31` }),
  ]);
  const status = calendar.yearStatus(year);
  const days = new Map<string, CalendarDayView>();
  for (const b of BUILTIN_DAYS) {
    if (!b.date.startsWith(prefix)) continue;
    days.set(b.date, { date: b.date, kind: b.kind, note: b.note ?? null, source: 'builtin', builtinKind: b.kind, updatedAt: null });
  }
  for (const p of calendar.provisionalEntries(year)) {
    days.set(p.date, { date: p.date, kind: p.kind, note: p.note ?? null, source: 'provisional', builtinKind: null, updatedAt: null });
  }
  for (const o of overrides) {
    const builtin = days.get(o.date);
    days.set(o.date, { date: o.date, kind: o.kind, note: o.note, source: 'override', builtinKind: builtin?.source === 'builtin' ? builtin.kind : null, updatedAt: o.updatedAt });
  }
  const knownYears = calendar.knownYears();
  return {
    year,
    known: status !== 'unknown',
    status,
    partial: status === 'provisional' && overrides.length > 0,
    missingHolidays: status === 'provisional' ? missingHolidays(year, overrides) : [],
    knownYears,
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    workingHours: calendar.workingHours(),
  };
}

/** The statutory holidays of a year whose main day no imported holiday covers. */
function missingHolidays(year: number, overrides: readonly CalendarEntry[]): string[] {
  if (year > PROVISIONAL_MAX_YEAR) return [];
  const holidays = new Set(overrides.filter((o) => o.kind === 'holiday').map((o) => o.date));
  return statutoryHolidays(year)
    .filter((h) => !holidays.has(isoDateOfDay(h.mainDay)))
    .map((h) => STATUTORY_HOLIDAY_NAMES[h.holiday]);
}

export interface CalendarStatus {
  today: string;
  year: number;
  yearStatus: YearStatus;
  nextYear: number;
  nextYearStatus: YearStatus;
  /** from 1 November, while next year is still provisional: administrators are asked to import it */
  importDue: boolean;
}

/** Where the calendar stands today: is this year official, is next year's schedule still to be imported? */
export async function calendarStatus(db: DbOrTx, now: Date): Promise<CalendarStatus> {
  const cal = await loadCalendar(db, now);
  const today = shanghaiDateOf(now);
  const year = Number(today.slice(0, 4));
  const nextYearStatus = cal.yearStatus(year + 1);
  return {
    today,
    year,
    yearStatus: cal.yearStatus(year),
    nextYear: year + 1,
    nextYearStatus,
    importDue: today >= `${year}-11-01` && nextYearStatus !== 'official',
  };
}

// ---- administrators' changes -------------------------------------------------------------------------------

const KIND_WORD: Record<DayKind, string> = { holiday: '休息日', workday: '工作日' };

function checkDate(date: string): void {
  if (dayNumberOf(date) == null) throw new DomainError('calendar_date_invalid', { date });
}

export type OverrideSource = 'manual' | 'list' | 'ics' | 'json';

/** One open case whose limits a calendar change moves. */
export interface LimitMove {
  caseId: number;
  number: string;
  departmentId: number | null;
  /** the limit the case's handler watches: the deadline while the work order runs to one, else the running clock's due time */
  before: string | null;
  after: string | null;
  /** after − before, in ms (positive: later) */
  shiftMs: number;
  provisionalBefore: boolean;
  provisionalAfter: boolean;
}

export interface CalendarChangeOutcome {
  /** days written (or that would be, in a dry run) */
  days: number;
  /** years that become official with this change */
  officialYears: number[];
  moves: LimitMove[];
  dryRun: boolean;
}

interface CalendarChange {
  upserts: readonly CalendarEntry[];
  deletes: readonly string[];
  source: OverrideSource;
  /** the administrator confirms the import is the whole of its years' schedule */
  complete?: boolean;
  dryRun?: boolean;
}

function touchedYears(change: CalendarChange): number[] {
  return [...new Set([...change.upserts.map((e) => e.date), ...change.deletes].map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
}

/**
 * Applies a change to the calendar in one transaction: the days, the years it makes official (all seven
 * statutory holidays covered, or the administrator confirms), the recomputed limits of the open cases it moves
 * (each with its audit row), one audit row for the change, and one notice per department whose work orders moved.
 * A dry run computes the same and writes nothing.
 */
async function changeCalendar(ctx: ActorContext, change: CalendarChange, audit: (trx: DbOrTx, moved: number) => Promise<void>): Promise<CalendarChangeOutcome> {
  requireRole(ctx.actor, ['admin']);
  for (const e of change.upserts) checkDate(e.date);
  for (const d of change.deletes) checkDate(d);
  const years = touchedYears(change);
  const lastAllowed = yearOf(ctx.now) + IMPORT_YEARS_AHEAD;
  for (const y of years) {
    if (y < FIRST_BUILTIN_YEAR || y > lastAllowed) throw new DomainError('calendar_year_out_of_range', { year: y, first: FIRST_BUILTIN_YEAR, last: lastAllowed });
  }
  let told: number[] = [];
  const outcome = await inTransaction(ctx.db, async (trx) => {
    const before = await readSource(trx);
    const dates = new Map(before.overrides.map((o) => [o.date, o]));
    for (const d of change.deletes) dates.delete(d);
    for (const e of change.upserts) dates.set(e.date, { date: e.date, kind: e.kind, note: e.note ?? null });
    const overrides = [...dates.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
    const newlyOfficial = years.filter((y) => {
      if (y <= LAST_BUILTIN_YEAR || before.officialYears.includes(y) || change.deletes.length > 0) return false;
      return change.complete === true || missingHolidays(y, overrides.filter((o) => o.date.startsWith(`${y}-`))).length === 0;
    });
    const after: CalendarSource = { ...before, overrides, officialYears: [...before.officialYears, ...newlyOfficial].sort((a, b) => a - b) };
    const oldCal = buildCalendar(before, ctx.now);
    const newCal = buildCalendar(after, ctx.now);

    // Days whose working status the change flips, in the years it touches.
    const changedDays: number[] = [];
    for (const y of years) {
      for (let day = dayNumberOf(`${y}-01-01`)!, last = dayNumberOf(`${y}-12-31`)!; day <= last; day++) {
        const date = isoDateOfDay(day);
        let was: boolean | null;
        try {
          was = oldCal.isWorkingDay(date);
        } catch {
          was = null; // unknown before: no case can have a limit there
        }
        if (was !== newCal.isWorkingDay(date)) changedDays.push(day);
      }
    }
    const changedBetween = (a: Date, b: Date): boolean => {
      const from = dayNumberOf(shanghaiDateOf(a))!;
      const to = dayNumberOf(shanghaiDateOf(b))!;
      return changedDays.some((d) => d >= from && d <= to);
    };
    const provisionalFlipped = newlyOfficial.length > 0;

    const moves: LimitMove[] = [];
    const updates: { id: number; limits: Parameters<typeof updateCaseLimits>[2] }[] = [];
    const rows = changedDays.length || provisionalFlipped ? await lockOpenCasesWithLimitsFrom(trx, OPEN_STATES, new Date(`${years[0]}-01-01T00:00:00+08:00`)) : [];
    for (const row of rows) {
      const relayed = relayLimits(oldCal, newCal, row, changedBetween);
      const anchor = row.clockStartedAt ?? row.dispatchedAt;
      const end = [relayed.dueAt, relayed.deadline].filter((d): d is Date => d != null).sort((a, b) => b.getTime() - a.getTime())[0];
      const limitsProvisional = anchor && end ? newCal.touchesProvisional(anchor, end) : false;
      const level =
        relayed.warnAt && relayed.dueAt && relayed.escalateAt
          ? Math.min(row.notifiedLevel, thresholdLevelAt(ctx.now, { warnAt: relayed.warnAt, dueAt: relayed.dueAt, escalateAt: relayed.escalateAt }))
          : row.notifiedLevel;
      const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
      const unchanged =
        same(row.warnAt, relayed.warnAt) &&
        same(row.dueAt, relayed.dueAt) &&
        same(row.escalateAt, relayed.escalateAt) &&
        same(row.deadline, relayed.deadline) &&
        same(row.returnOpenUntil, relayed.returnOpenUntil) &&
        row.limitsProvisional === limitsProvisional;
      if (unchanged) continue;
      // What the handler watches: the deadline while the work order runs to one, the verify clock once handled.
      const shown = (l: { clockKind: string | null; deadline: Date | null; dueAt: Date | null }) => (l.clockKind === 'verify' ? l.dueAt : l.deadline ?? l.dueAt);
      const b = shown(row);
      const a = shown(relayed);
      moves.push({
        caseId: row.id,
        number: row.number,
        departmentId: row.departmentId,
        before: b?.toISOString() ?? null,
        after: a?.toISOString() ?? null,
        shiftMs: a && b ? a.getTime() - b.getTime() : 0,
        provisionalBefore: row.limitsProvisional,
        provisionalAfter: limitsProvisional,
      });
      updates.push({ id: row.id, limits: { ...relayed, limitsProvisional, notifiedLevel: level } });
    }
    const result: CalendarChangeOutcome = { days: change.upserts.length + change.deletes.length, officialYears: newlyOfficial, moves, dryRun: change.dryRun === true };
    if (change.dryRun) return result;

    await audit(trx, moves.length); // first: it records what the days were before
    for (const d of change.deletes) await deleteCalendarDay(trx, d);
    await upsertCalendarDays(trx, change.upserts, ctx.actor.id, ctx.now);
    await insertOfficialYears(trx, newlyOfficial, change.complete ? `${change.source}:confirmed` : change.source, ctx.actor.id, ctx.now);
    for (const u of updates) {
      await updateCaseLimits(trx, u.id, u.limits, ctx.now);
      const m = moves.find((x) => x.caseId === u.id)!;
      await insertAudit(trx, {
        actorId: ctx.actor.id,
        action: 'case.limits_recomputed',
        targetType: 'case',
        targetId: u.id,
        summary: `案件 ${m.number} 时限按新的工作日历重算：${m.before ?? '—'} → ${m.after ?? '—'}`,
        data: { before: m.before, after: m.after, shiftMs: m.shiftMs, provisional: m.provisionalAfter, years },
        ip: ctx.ip,
        at: ctx.now,
      });
    }
    // Each department is told once, on its first moved work order, how many moved.
    const byDepartment = new Map<number, LimitMove[]>();
    for (const m of moves) if (m.departmentId != null && m.shiftMs !== 0) byDepartment.set(m.departmentId, [...(byDepartment.get(m.departmentId) ?? []), m]);
    told = await notify(
      trx,
      [...byDepartment.entries()].map(([departmentId, list]) => ({
        to: [{ kind: 'department' as const, departmentId }],
        kind: 'deadline_changed' as const,
        row: { id: list[0]!.caseId, number: list[0]!.number },
        title: { code: 'notice_deadlines_recomputed' as const, params: { count: list.length } },
        body: list.map((m) => m.number).join('、'),
        exceptUserId: ctx.actor.id,
      })),
      ctx.now,
    );
    return result;
  });
  if (!change.dryRun) {
    invalidateCalendarCache();
    announce(told);
  }
  return outcome;
}

/**
 * Sets overrides for the given dates (insert or replace), with one audit row, recomputing the limits it moves.
 * Administrators only. Returns the number of days written.
 */
export async function upsertOverrides(ctx: ActorContext, entries: readonly CalendarEntry[], source: OverrideSource = 'manual', options: { complete?: boolean; dryRun?: boolean } = {}): Promise<CalendarChangeOutcome> {
  const dates = entries.map((e) => e.date).sort();
  const first = dates[0] ?? '';
  const last = dates[dates.length - 1] ?? '';
  const single = entries.length === 1 && source === 'manual' ? entries[0]! : null;
  if (entries.length === 0) return { days: 0, officialYears: [], moves: [], dryRun: options.dryRun === true };
  return changeCalendar(ctx, { upserts: entries, deletes: [], source, ...options }, async (trx, moved) => {
    const previous = single ? await findCalendarDay(trx, first) : undefined;
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: single ? 'calendar.day_set' : 'calendar.import',
      targetType: 'calendar',
      targetId: single ? first : `${first}~${last}`,
      summary: single
        ? `工作日历：${first} 设为${KIND_WORD[single.kind]}${single.note ? `（${single.note}）` : ''}`
        : `工作日历：导入 ${entries.length} 天（${first} 至 ${last}）${moved ? `，${moved} 个案件时限重算` : ''}`,
      data: single
        ? { date: first, kind: single.kind, note: single.note ?? null, previous: previous ? { kind: previous.kind, note: previous.note } : null, moved }
        : { source, count: entries.length, from: first, to: last, holidays: entries.filter((e) => e.kind === 'holiday').length, complete: options.complete === true, moved },
      ip: ctx.ip,
    });
  });
}

/** Removes an administrator's override, so the built-in (or provisional) calendar applies again. */
export async function deleteOverride(ctx: ActorContext, date: string): Promise<CalendarChangeOutcome> {
  requireRole(ctx.actor, ['admin']);
  checkDate(date);
  const existing = await findCalendarDay(ctx.db, date);
  if (!existing) throw new DomainError('not_found');
  return changeCalendar(ctx, { upserts: [], deletes: [date], source: 'manual' }, async (trx, moved) => {
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'calendar.day_delete',
      targetType: 'calendar',
      targetId: date,
      summary: `工作日历：撤销 ${date} 的调整（原为${KIND_WORD[existing.kind]}）`,
      data: { date, removed: { kind: existing.kind, note: existing.note }, moved },
      ip: ctx.ip,
    });
  });
}

export interface ImportOutcome extends CalendarChangeOutcome {
  imported: number;
  /** non-empty = the import was refused as a whole and nothing changed */
  errors: ImportProblem[];
}

/**
 * Imports a list, an .ics calendar or JSON as overrides: all or nothing. A dry run reports which cases would
 * move and by how much. Administrators only.
 */
export async function importCalendar(
  ctx: ActorContext,
  input: { format: 'list' | 'ics' | 'json'; text: string; dryRun?: boolean; complete?: boolean },
): Promise<ImportOutcome> {
  requireRole(ctx.actor, ['admin']);
  const parsed = input.format === 'ics' ? parseIcs(input.text) : input.format === 'json' ? parseCalendarJson(input.text) : parseCalendarList(input.text);
  if (parsed.errors.length > 0) return { imported: 0, errors: parsed.errors, days: 0, officialYears: [], moves: [], dryRun: input.dryRun === true };
  const outcome = await upsertOverrides(ctx, parsed.entries, input.format, { complete: input.complete, dryRun: input.dryRun });
  return { ...outcome, imported: input.dryRun ? 0 : parsed.entries.length, errors: [] };
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
