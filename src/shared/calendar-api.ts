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
  /** builtin = shipped official calendar; override = set by an administrator */
  source: z.enum(['builtin', 'override']),
  /** what the built-in calendar says about an overridden day (null when it says nothing) */
  builtinKind: DayKind.nullable(),
  updatedAt: z.string().nullable(),
});
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarYear = z.object({
  year: z.number(),
  /** whether deadlines can be computed in this year (see src/domain/calendar.ts, "Known years") */
  known: z.boolean(),
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
  format: z.enum(['list', 'ics']),
  text: z.string().max(500_000),
});

export const CalendarImportProblem = z.object({
  line: z.number(),
  reason: z.string(),
  value: z.string().optional(),
  message: z.string(),
});
export const CalendarImportResult = z.object({
  imported: z.number(),
  errors: z.array(CalendarImportProblem),
});
export type CalendarImportResult = z.infer<typeof CalendarImportResult>;

/** A refused import: nothing was changed; `errors` lists every bad line. */
export const CalendarImportRejected = CalendarImportResult.extend({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
