// The HTTP contract of the working calendar (/api/calendar…), shared by the server (validation + OpenAPI)
// and the web app (types).
import { z } from 'zod';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');
export const DayKind = z.enum(['holiday', 'workday']);
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time must be HH:MM');

export const WorkingPeriod = z.object({ start: ClockTime, end: ClockTime });
export type WorkingPeriod = z.infer<typeof WorkingPeriod>;

/** The order and overlap rules are the domain's (checkWorkingHours), which names the bad period. */
export const WorkingHoursInput = z.array(WorkingPeriod).min(1).max(8);
export const WorkingHours = z.object({ workingHours: z.array(WorkingPeriod) });

export const CalendarQuery = z.object({
  /** defaults to the current year in Asia/Shanghai */
  year: z.coerce.number().int().min(1900).max(2999).optional(),
});

export const CalendarDay = z.object({
  date: IsoDate,
  kind: DayKind,
  note: z.string().nullable(),
  /** builtin = shipped official calendar; override = set by an administrator; provisional = derived from the statutory rules until the official schedule is imported */
  source: z.enum(['builtin', 'override', 'provisional']),
  /** what the built-in calendar says about an overridden day (null when it says nothing) */
  builtinKind: DayKind.nullable(),
  updatedAt: z.string().nullable(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarYear = z.object({
  year: z.number(),
  /** whether deadlines can be computed in this year (see src/domain/calendar/calendar.ts, "Known years") */
  known: z.boolean(),
  /** official: built-in or imported as a whole; provisional: derived from the statutory rules (see src/domain/calendar/provisional.ts); unknown: refused */
  status: z.enum(['official', 'provisional', 'unknown']),
  /** provisional with some days already imported */
  partial: z.boolean(),
  /** provisional: the statutory holidays no imported holiday covers yet */
  missingHolidays: z.array(z.string()),
  knownYears: z.array(z.number()),
  /** the holidays and makeup working days of the year; every other Monday–Friday is a working day */
  days: z.array(CalendarDay),
  workingHours: z.array(WorkingPeriod),
});
export type CalendarYear = z.infer<typeof CalendarYear>;

export const CalendarDayParams = z.object({ date: IsoDate });
export const CalendarDayInput = z.object({
  kind: DayKind,
  note: z.string().trim().max(100).optional(),
});

export const CalendarImportInput = z.object({
  format: z.enum(['list', 'ics', 'json']),
  text: z.string().max(500_000),
  /** compute which open cases would move, and by how much, without changing anything */
  dryRun: z.boolean().optional(),
  /** the administrator confirms this is the whole schedule of its year(s), though not all seven holidays are in it */
  complete: z.boolean().optional(),
});

/** One open case whose running limit a calendar change moves. */
export const LimitMove = z.object({
  caseId: z.number(),
  number: z.string(),
  departmentId: z.number().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  shiftMs: z.number(),
  provisionalBefore: z.boolean(),
  provisionalAfter: z.boolean(),
});
export type LimitMove = z.infer<typeof LimitMove>;

export const CalendarChange = z.object({
  dryRun: z.boolean(),
  /** years that became (or would become) official */
  officialYears: z.array(z.number()),
  moves: z.array(LimitMove),
});

export const CalendarStatus = z.object({
  today: IsoDate,
  year: z.number(),
  yearStatus: z.enum(['official', 'provisional', 'unknown']),
  nextYear: z.number(),
  nextYearStatus: z.enum(['official', 'provisional', 'unknown']),
  /** from 1 November while next year is not official: administrators see a banner asking for the import */
  importDue: z.boolean(),
});
export type CalendarStatus = z.infer<typeof CalendarStatus>;

export const CalendarImportProblem = z.object({
  line: z.number(),
  reason: z.string(),
  value: z.string().optional(),
  message: z.string(),
});
export const CalendarImportResult = CalendarChange.extend({
  imported: z.number(),
  errors: z.array(CalendarImportProblem),
});
export type CalendarImportResult = z.infer<typeof CalendarImportResult>;

/** A refused import: nothing was changed; `errors` lists every bad line. */
export const CalendarImportRejected = z.object({
  imported: z.number().optional(),
  errors: z.array(CalendarImportProblem).optional(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
