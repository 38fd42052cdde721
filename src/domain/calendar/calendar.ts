// The working-time calendar: which days are working days on the official Chinese calendar, which hours of
// them are working hours, and time limits counted in working days or working hours. Pure: no I/O; the
// service (src/services/calendar/calendar.ts) feeds it the built-in years, the administrators' overrides and the
// working hours.
//
// Time zone: everything is Asia/Shanghai, which has been UTC+8 without daylight saving since 1991, so plain
// offset arithmetic is exact and no tz library is needed.
//
// Years: a year is *official* when the built-in data has it or an administrator imported its whole schedule
// (`officialYears`); a later year up to `provisionalThrough` is *provisional*: its holidays are derived from the
// statutory rules (./calendar-provisional.ts) until the official schedule is imported, and the days an
// administrator has already imported (a partial import) override the derived ones. Any other year is unknown:
// a computation that has to look at one of its days throws DomainError('calendar_year_unknown', { year }).
// A day is provisional when its year is provisional and no administrator's entry covers it; a deadline
// counted over such a day is provisional too and is recomputed when the year is imported.
import { DomainError } from '../errors.js';
import { provisionalYear } from './provisional.js';

export type DayKind = 'holiday' | 'workday';

/** A day that differs from the plain Monday–Friday week: a public holiday, or a 调休 makeup working day. */
export interface CalendarEntry {
  /** YYYY-MM-DD in Asia/Shanghai */
  date: string;
  kind: DayKind;
  note?: string | null;
}

/** One stretch of working time in a day, as HH:MM clock times in Asia/Shanghai; `end` is exclusive. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

export interface WorkCalendarInput {
  /** the official days shipped with the platform (BUILTIN_DAYS from ./calendar-builtin.ts) */
  years: readonly CalendarEntry[];
  /** days set by administrators; an override replaces the built-in (or provisional) entry of the same date */
  overrides?: readonly CalendarEntry[];
  /** years whose whole schedule an administrator imported (official like the built-in years) */
  officialYears?: readonly number[];
  /** the last year for which a provisional calendar is derived; none when absent */
  provisionalThrough?: number;
  workingHours?: readonly WorkingPeriod[];
}

export type YearStatus = 'official' | 'provisional' | 'unknown';

export interface WorkCalendar {
  /** Whether a day is a working day. A Date is taken as the day it falls on in Asia/Shanghai. */
  isWorkingDay(date: string | Date): boolean;
  /** The same clock time on the nth following working day (n a whole number ≥ 0; 0 returns the instant). */
  addWorkingDays(instant: Date, n: number): Date;
  /** The earliest instant by which `hours` working hours have passed since `instant` (hours ≥ 0). */
  addWorkingHours(instant: Date, hours: number): Date;
  /** Same as addWorkingHours, in milliseconds: moves a deadline by a measured working time (suspensions). */
  addWorkingMs(instant: Date, ms: number): Date;
  /** Working time between two instants in ms; negative when b is before a. */
  workingMsBetween(a: Date, b: Date): number;
  /** Working time in one full working day, in ms (7 hours with the default working hours). */
  workingMsPerDay(): number;
  workingHours(): WorkingPeriod[];
  /** The years deadlines can be computed in (official and provisional), ascending. */
  knownYears(): number[];
  yearStatus(year: number): YearStatus;
  /** Whether a day's kind is derived rather than official (its year is provisional and no override covers it). */
  isProvisionalDay(date: string | Date): boolean;
  /** Whether any day from the day of `a` to the day of `b` (either order) is provisional. */
  touchesProvisional(a: Date, b: Date): boolean;
  /** Throws calendar_year_unknown when the calendar cannot say whether the instant's day is a working day. */
  checkCovers(instant: Date): void;
  /** The derived holidays of a provisional year (before overrides); empty for other years. */
  provisionalEntries(year: number): CalendarEntry[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year. */
const OFFSET = 8 * 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date, or null if it is not a real date. */
export function dayNumberOf(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC rolls 2027-02-30 over into March; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY;
}

export function isoDateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** The calendar day an instant falls on in Asia/Shanghai, as YYYY-MM-DD. */
export function shanghaiDateOf(instant: Date): string {
  return isoDateOfDay(Math.floor((instant.getTime() + OFFSET) / DAY));
}

function yearOfDay(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Checks working hours and turns them into [start, end) offsets in ms from local midnight. Each period must
 * be HH:MM–HH:MM with start < end, and the periods in order without overlapping; otherwise
 * DomainError('calendar_working_hours_invalid', { period }) names the first bad period.
 */
export function checkWorkingHours(periods: readonly WorkingPeriod[]): [number, number][] {
  const out: [number, number][] = [];
  if (periods.length === 0) throw new DomainError('calendar_working_hours_invalid', { period: '—' });
  let previousEnd = -1;
  for (const p of periods) {
    const label = `${p.start}–${p.end}`;
    if (!CLOCK.test(p.start) || !CLOCK.test(p.end)) throw new DomainError('calendar_working_hours_invalid', { period: label });
    const s = minutesOf(p.start);
    const e = minutesOf(p.end);
    if (s >= e || s < previousEnd) throw new DomainError('calendar_working_hours_invalid', { period: label });
    previousEnd = e;
    out.push([s * MINUTE, e * MINUTE]);
  }
  return out;
}

export function createWorkCalendar(input: WorkCalendarInput): WorkCalendar {
  const periods = checkWorkingHours(input.workingHours ?? DEFAULT_WORKING_HOURS);
  const periodsCopy = (input.workingHours ?? DEFAULT_WORKING_HOURS).map((p) => ({ start: p.start, end: p.end }));
  const perDay = periods.reduce((sum, [s, e]) => sum + (e - s), 0);

  // day number → working or not. The built-in days first, overrides after, so they win.
  const builtin = new Map<number, boolean>();
  const overrides = new Map<number, boolean>();
  const official = new Set<number>(input.officialYears ?? []);
  for (const [list, into, makesOfficial] of [[input.years, builtin, true], [input.overrides ?? [], overrides, false]] as const) {
    for (const entry of list) {
      const day = dayNumberOf(entry.date);
      if (day == null) throw new DomainError('calendar_date_invalid', { date: entry.date });
      into.set(day, entry.kind === 'workday');
      if (makesOfficial) official.add(yearOfDay(day));
    }
  }
  const firstOfficial = official.size ? Math.min(...official) : Infinity;
  const provisionalThrough = input.provisionalThrough ?? -Infinity;
  const derived = new Map<number, { entries: CalendarEntry[]; days: Map<number, boolean> }>();

  function statusOf(year: number): YearStatus {
    if (official.has(year)) return 'official';
    if (year > firstOfficial && year <= provisionalThrough) return 'provisional';
    return 'unknown';
  }

  function derivedYear(year: number) {
    let d = derived.get(year);
    if (!d) {
      const entries = provisionalYear(year);
      const days = new Map<number, boolean>();
      for (const e of entries) days.set(dayNumberOf(e.date)!, e.kind === 'workday');
      d = { entries, days };
      derived.set(year, d);
    }
    return d;
  }

  function working(day: number): boolean {
    const year = yearOfDay(day);
    const status = statusOf(year);
    if (status === 'unknown') throw new DomainError('calendar_year_unknown', { year });
    const s = overrides.get(day) ?? (status === 'official' ? builtin.get(day) : derivedYear(year).days.get(day));
    if (s !== undefined) return s;
    const wd = weekdayOfDay(day);
    return wd !== 0 && wd !== 6;
  }

  function provisionalDay(day: number): boolean {
    return statusOf(yearOfDay(day)) === 'provisional' && !overrides.has(day);
  }

  function split(t: number): { day: number; offset: number } {
    if (!Number.isFinite(t)) throw new RangeError('invalid Date');
    const local = t + OFFSET;
    const day = Math.floor(local / DAY);
    return { day, offset: local - day * DAY };
  }

  function instantOf(day: number, offset: number): Date {
    return new Date(day * DAY + offset - OFFSET);
  }

  /** Working ms of one day between two offsets from its midnight. */
  function withinDay(from: number, to: number): number {
    let sum = 0;
    for (const [s, e] of periods) {
      const lo = Math.max(s, from);
      const hi = Math.min(e, to);
      if (hi > lo) sum += hi - lo;
    }
    return sum;
  }

  function addWorkingMs(instant: Date, ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working time to add must be ≥ 0, got ${ms} ms`);
    let remaining = Math.round(ms);
    if (remaining === 0) return new Date(instant.getTime());
    let { day, offset } = split(instant.getTime());
    // Terminates: every known year has working time, and the first unknown year throws.
    for (;;) {
      if (working(day)) {
        for (const [s, e] of periods) {
          const from = Math.max(s, offset);
          if (from >= e) continue;
          // `<=`: a limit that ends exactly at the end of a period is due then (12:00), not after lunch.
          if (remaining <= e - from) return instantOf(day, from + remaining);
          remaining -= e - from;
        }
      }
      day += 1;
      offset = 0;
    }
  }

  function workingMsBetween(a: Date, b: Date): number {
    const ta = a.getTime();
    const tb = b.getTime();
    if (tb < ta) {
      const back = workingMsBetween(b, a);
      return back === 0 ? 0 : -back; // never -0
    }
    if (tb === ta) return 0;
    const A = split(ta);
    const B = split(tb);
    let sum = 0;
    for (let day = A.day; day <= B.day; day++) {
      if (!working(day)) continue;
      sum += withinDay(day === A.day ? A.offset : 0, day === B.day ? B.offset : DAY);
    }
    return sum;
  }

  return {
    isWorkingDay(date) {
      const day = typeof date === 'string' ? dayNumberOf(date) : split(date.getTime()).day;
      if (day == null) throw new DomainError('calendar_date_invalid', { date: String(date) });
      return working(day);
    },
    addWorkingDays(instant, n) {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days to add must be a whole number ≥ 0, got ${n}`);
      const start = split(instant.getTime());
      let day = start.day;
      for (let counted = 0; counted < n; ) {
        day += 1;
        if (working(day)) counted += 1;
      }
      return instantOf(day, start.offset);
    },
    addWorkingHours(instant, hours) {
      if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`working hours to add must be ≥ 0, got ${hours}`);
      return addWorkingMs(instant, hours * 3_600_000);
    },
    addWorkingMs,
    workingMsBetween,
    workingMsPerDay: () => perDay,
    workingHours: () => periodsCopy.map((p) => ({ ...p })),
    knownYears: () => {
      const years = new Set(official);
      for (let y = Math.max(firstOfficial + 1, 0); y <= provisionalThrough; y++) years.add(y);
      return [...years].sort((x, y) => x - y);
    },
    yearStatus: statusOf,
    isProvisionalDay(date) {
      const day = typeof date === 'string' ? dayNumberOf(date) : split(date.getTime()).day;
      if (day == null) throw new DomainError('calendar_date_invalid', { date: String(date) });
      return provisionalDay(day);
    },
    touchesProvisional(a, b) {
      let from = split(a.getTime()).day;
      let to = split(b.getTime()).day;
      if (to < from) [from, to] = [to, from];
      for (let day = from; day <= to; day++) {
        const year = yearOfDay(day);
        if (statusOf(year) !== 'provisional') {
          // skip to the next year: nothing in an official or unknown year is provisional
          day = dayNumberOf(`${year + 1}-01-01`)! - 1;
          continue;
        }
        if (provisionalDay(day)) return true;
      }
      return false;
    },
    checkCovers(instant) {
      const year = yearOfDay(split(instant.getTime()).day);
      if (statusOf(year) === 'unknown') throw new DomainError('calendar_year_unknown', { year });
    },
    provisionalEntries: (year) => (statusOf(year) === 'provisional' ? derivedYear(year).entries.map((e) => ({ ...e })) : []),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Importing next year's schedule. The State Council publishes it each winter as prose; administrators paste
// it as a simple list or load an .ics calendar. Both parsers return every problem at once, each naming its
// line, so that an import can be refused as a whole and fixed in one go.

/** Why a line was refused; the message is `calendar_import_<reason>` in src/shared/messages.ts. */
export type ImportReason =
  | 'bad_format'
  | 'bad_date'
  | 'bad_kind'
  | 'bad_range'
  | 'conflict'
  | 'empty'
  | 'ics_no_date'
  | 'ics_date_time'
  | 'ics_recurring'
  | 'ics_unclosed';

export interface ImportProblem {
  /** 1-based line of the input; 0 = the input as a whole */
  line: number;
  reason: ImportReason;
  /** the offending text, when there is one */
  value?: string;
}

export interface ImportResult {
  /** one entry per date, ascending */
  entries: CalendarEntry[];
  errors: ImportProblem[];
}

/** A range longer than two months is a typo, not a holiday. */
const MAX_RANGE_DAYS = 62;

/** Collects entries from an import, refusing a date given once as a holiday and once as a workday. */
class EntryCollector {
  private readonly byDay = new Map<number, CalendarEntry>();
  readonly errors: ImportProblem[] = [];

  add(line: number, firstDay: number, lastDay: number, kind: DayKind, note: string | null): void {
    for (let day = firstDay; day <= lastDay; day++) {
      const date = isoDateOfDay(day);
      const seen = this.byDay.get(day);
      if (seen && seen.kind !== kind) {
        this.errors.push({ line, reason: 'conflict', value: date });
        continue;
      }
      this.byDay.set(day, { date, kind, note });
    }
  }

  result(): ImportResult {
    if (this.byDay.size === 0 && this.errors.length === 0) this.errors.push({ line: 0, reason: 'empty' });
    const entries = [...this.byDay.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
    return { entries, errors: this.errors };
  }
}

/** 2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日 or 20270101 → day number. */
function flexibleDay(text: string): number | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  return dayNumberOf(`${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
}

const HOLIDAY_WORDS = new Set(['holiday', 'off', '休', '假', '休息', '放假']);
const WORKDAY_WORDS = new Set(['workday', 'work', '班', '补班', '上班']);

function kindOfWord(word: string): DayKind | null {
  const w = word.toLowerCase();
  if (HOLIDAY_WORDS.has(w)) return 'holiday';
  if (WORKDAY_WORDS.has(w)) return 'workday';
  return null;
}

/**
 * Parses a simple list, one day or range a line: `2027-01-01 holiday 元旦`, `2027-02-07 workday 春节调休`,
 * `2027-02-06~2027-02-12 休 春节`. The kind is holiday/休/假/放假 or workday/班/补班/上班; fields may be
 * separated by spaces, tabs or commas (a spreadsheet column copy); ranges use ~, .. or 至. Blank lines and
 * lines starting with # are skipped.
 */
export function parseCalendarList(text: string): ImportResult {
  const out = new EntryCollector();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const m = /^(\S+?)[\s,，;；]+([^\s,，;；]+)(?:[\s,，;；]+(.*))?$/.exec(s);
    if (!m) return void out.errors.push({ line, reason: 'bad_format', value: s });
    const [, dateText, kindText, noteText] = m as unknown as [string, string, string, string | undefined];
    const kind = kindOfWord(kindText);
    const bounds = dateText.split(/~|～|\.\.|至/);
    if (bounds.length > 2) return void out.errors.push({ line, reason: 'bad_date', value: dateText });
    const first = flexibleDay(bounds[0]!);
    const last = bounds.length === 2 ? flexibleDay(bounds[1]!) : first;
    if (first == null || last == null) return void out.errors.push({ line, reason: 'bad_date', value: dateText });
    if (!kind) return void out.errors.push({ line, reason: 'bad_kind', value: kindText });
    if (last < first || last - first >= MAX_RANGE_DAYS) return void out.errors.push({ line, reason: 'bad_range', value: dateText });
    out.add(line, first, last, kind, noteText?.trim() || null);
  });
  return out.result();
}

interface IcsProperty {
  line: number;
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Unfolds RFC 5545 continuation lines, keeping the line number where each property starts. */
function icsProperties(text: string): IcsProperty[] {
  const props: IcsProperty[] = [];
  let current: { line: number; text: string } | null = null;
  const flush = () => {
    if (!current) return;
    const p = parseIcsLine(current.line, current.text);
    if (p) props.push(p);
  };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      if ((raw.startsWith(' ') || raw.startsWith('\t')) && current) {
        current.text += raw.slice(1);
        return;
      }
      flush();
      current = { line: i + 1, text: raw };
    });
  flush();
  return props;
}

function parseIcsLine(line: number, text: string): IcsProperty | null {
  // The value starts at the first colon outside a quoted parameter value (TZID="…:…").
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return null;
  const [name = '', ...paramParts] = text.slice(0, colon).split(';');
  const params: Record<string, string> = {};
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { line, name: name.trim().toUpperCase(), params, value: text.slice(colon + 1).trim() };
}

function unescapeIcsText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}

/** A makeup working day says so in its summary (春节(班), 补班, Spring Festival(Workday)); anything else is a holiday. */
const WORKDAY_SUMMARY = /班|workday/i;

/**
 * Parses the VEVENTs of an .ics calendar: all-day events (DTSTART;VALUE=DATE) covering DTSTART up to the
 * exclusive DTEND (or DURATION:PnD/PnW, or one day). The SUMMARY decides the kind: 班/补班/workday = makeup
 * working day, otherwise holiday. Timed and recurring events are refused rather than guessed at.
 */
export function parseIcs(text: string): ImportResult {
  const out = new EntryCollector();
  let event: { line: number; props: IcsProperty[] } | null = null;
  for (const p of icsProperties(text)) {
    if (p.name === 'BEGIN' && p.value.toUpperCase() === 'VEVENT') {
      if (event) out.errors.push({ line: event.line, reason: 'ics_unclosed' });
      event = { line: p.line, props: [] };
    } else if (p.name === 'END' && p.value.toUpperCase() === 'VEVENT') {
      if (event) readIcsEvent(event.line, event.props, out);
      event = null;
    } else if (event) {
      event.props.push(p);
    }
  }
  if (event) out.errors.push({ line: event.line, reason: 'ics_unclosed' });
  return out.result();
}

function readIcsEvent(line: number, props: IcsProperty[], out: EntryCollector): void {
  const prop = (name: string) => props.find((p) => p.name === name);
  const rrule = prop('RRULE');
  if (rrule) return void out.errors.push({ line: rrule.line, reason: 'ics_recurring' });
  const start = prop('DTSTART');
  if (!start) return void out.errors.push({ line, reason: 'ics_no_date' });
  const first = icsDay(start, out);
  if (first == null) return;
  let last = first;
  const end = prop('DTEND');
  const duration = prop('DURATION');
  if (end) {
    const endDay = icsDay(end, out);
    if (endDay == null) return;
    last = endDay - 1; // DTEND of an all-day event is exclusive
  } else if (duration) {
    const m = /^P(\d+)([DW])$/i.exec(duration.value);
    if (!m) return void out.errors.push({ line: duration.line, reason: 'bad_range', value: duration.value });
    last = first + Number(m[1]) * (m[2]!.toUpperCase() === 'W' ? 7 : 1) - 1;
  }
  if (last < first || last - first >= MAX_RANGE_DAYS) {
    return void out.errors.push({ line: (end ?? duration ?? start).line, reason: 'bad_range', value: `${isoDateOfDay(first)}~${isoDateOfDay(last)}` });
  }
  const summaryProp = prop('SUMMARY');
  const summary = summaryProp ? unescapeIcsText(summaryProp.value).trim() : '';
  out.add(start.line, first, last, WORKDAY_SUMMARY.test(summary) ? 'workday' : 'holiday', summary || null);
}

function icsDay(p: IcsProperty, out: EntryCollector): number | null {
  if (/^\d{8}T/i.test(p.value) || (p.params.VALUE && p.params.VALUE.toUpperCase() !== 'DATE')) {
    out.errors.push({ line: p.line, reason: 'ics_date_time', value: p.value });
    return null;
  }
  const day = /^\d{8}$/.test(p.value) ? flexibleDay(p.value) : null;
  if (day == null) out.errors.push({ line: p.line, reason: 'bad_date', value: p.value });
  return day;
}

/**
 * Parses JSON: an array of `{ "date": "2027-01-01", "kind": "holiday" | "workday", "note"?: "元旦" }` (the shape
 * GET /api/calendar returns under `days`, so one office's calendar can be exported and loaded in another), or an
 * object with such an array under `days`. Element n (1-based) is reported as line n.
 */
export function parseCalendarJson(text: string): ImportResult {
  const out = new EntryCollector();
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    out.errors.push({ line: 0, reason: 'bad_format', value: text.slice(0, 40) });
    return { entries: [], errors: out.errors };
  }
  const list = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { days?: unknown }).days) ? (data as { days: unknown[] }).days : null;
  if (!list) {
    out.errors.push({ line: 0, reason: 'bad_format', value: text.slice(0, 40) });
    return { entries: [], errors: out.errors };
  }
  list.forEach((item, i) => {
    const line = i + 1;
    if (!item || typeof item !== 'object') return void out.errors.push({ line, reason: 'bad_format', value: JSON.stringify(item)?.slice(0, 40) ?? '' });
    const { date, kind, note } = item as { date?: unknown; kind?: unknown; note?: unknown };
    const day = typeof date === 'string' ? flexibleDay(date) : null;
    if (day == null) return void out.errors.push({ line, reason: 'bad_date', value: String(date) });
    const k = typeof kind === 'string' ? kindOfWord(kind) : null;
    if (!k) return void out.errors.push({ line, reason: 'bad_kind', value: String(kind) });
    out.add(line, day, day, k, typeof note === 'string' && note.trim() ? note.trim().slice(0, 100) : null);
  });
  return out.result();
}
