// /api/calendar: the working calendar (holidays, 调休 makeup working days, working hours). Anyone logged in
// may read it (deadlines are computed with it); only administrators change it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CalendarDay,
  CalendarDayInput,
  CalendarDayParams,
  CalendarImportInput,
  CalendarImportRejected,
  CalendarImportResult,
  CalendarQuery,
  CalendarStatus,
  CalendarYear,
  WorkingHours,
  WorkingHoursInput,
} from '../../shared/calendar-api.js';
import { ErrorBody } from '../../shared/api.js';
import { message, type Lang } from '../../shared/messages.js';
import { calendarStatus, calendarYear, deleteOverride, importCalendar, setWorkingHours, upsertOverrides } from '../../services/calendar/calendar.js';
import { shanghaiDateOf, type ImportProblem } from '../../domain/calendar/calendar.js';
import type { ActorContext } from '../../services/context.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import { langOf } from '../errors.js';
import type { ServerDeps } from '../deps.js';

/** "第 3 行：日期“2027-02-30”无效。" — the reason in the reader's language, inside the line it refers to. */
function problemMessage(p: ImportProblem, lang: Lang): string {
  const reason = message(`calendar_import_${p.reason}`, { value: p.value ?? '' }, lang);
  return p.line > 0 ? message('calendar_import_invalid', { line: p.line, reason }, lang) : reason;
}

export async function calendarRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = (req: FastifyRequest): ActorContext => ({ db: deps.db, actor: actorOf(req), ip: req.ip, now: deps.clock.now() });

  r.get(
    '/api/calendar',
    {
      config: { roles: ANY_ROLE }, schema: {
        tags: ['calendar'],
        summary: 'Holidays and makeup working days of a year (built-in or overridden) and the working hours',
        querystring: CalendarQuery,
        response: { 200: CalendarYear },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const year = req.query.year ?? Number(shanghaiDateOf(now).slice(0, 4));
      const view = await calendarYear(deps.db, year, now);
      return { ...view, days: view.days.map((d) => ({ ...d, updatedAt: d.updatedAt?.toISOString() ?? null })) };
    },
  );

  r.get(
    '/api/calendar/status',
    {
      config: { roles: ['admin', 'operator', 'leader', 'grid_worker', 'department', 'citizen'] },
      schema: {
        tags: ['calendar'],
        summary: "Where the calendar stands today: this and next year official or provisional, and whether next year's import is due",
        response: { 200: CalendarStatus },
      },
    },
    async () => calendarStatus(deps.db, deps.clock.now()),
  );

  r.put(
    '/api/calendar/days/:date',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['calendar'],
        summary: 'Set one day as a holiday or a makeup working day (administrators)',
        params: CalendarDayParams,
        body: CalendarDayInput,
        response: { 200: CalendarDay },
      },
    },
    async (req) => {
      const { date } = req.params;
      const c = ctx(req);
      await upsertOverrides(c, [{ date, kind: req.body.kind, note: req.body.note || null }]);
      const view = await calendarYear(deps.db, Number(date.slice(0, 4)), c.now);
      const day = view.days.find((d) => d.date === date)!;
      return { ...day, updatedAt: day.updatedAt?.toISOString() ?? null };
    },
  );

  r.delete(
    '/api/calendar/days/:date',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['calendar'],
        summary: 'Remove an override, so the built-in calendar applies to the day again (administrators)',
        params: CalendarDayParams,
      },
    },
    async (req, reply) => {
      await deleteOverride(ctx(req), req.params.date);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/calendar/import',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['calendar'],
        summary: 'Import holidays and makeup working days from a list, an .ics calendar or JSON (administrators)',
        description:
          'All or nothing: when any line is bad the import is refused with 422 and every bad line, and nothing changes. ' +
          'List lines: `2027-01-01 holiday 元旦`, `2027-02-07 workday 春节调休` (also 休/班, ranges `2027-02-06~2027-02-12`). ' +
          'JSON: `[{"date":"2027-01-01","kind":"holiday","note":"元旦"}]`. A year becomes official when all seven statutory ' +
          'holidays are in it or `complete` is true. Open cases whose running limits reach into the year are recomputed in the ' +
          'same transaction (`moves`); `dryRun` reports them without changing anything.',
        body: CalendarImportInput,
        response: { 200: CalendarImportResult, 422: CalendarImportRejected },
      },
    },
    async (req, reply) => {
      const outcome = await importCalendar(ctx(req), req.body);
      const lang = langOf(req);
      const errors = outcome.errors.map((p) => ({ ...p, message: problemMessage(p, lang) }));
      if (errors.length === 0) return { imported: outcome.imported, errors, dryRun: outcome.dryRun, officialYears: outcome.officialYears, moves: outcome.moves };
      const more = errors.length > 1 ? ` (+${errors.length - 1})` : '';
      return reply.status(422).send({
        imported: 0,
        errors,
        error: { code: 'calendar_import_invalid', message: `${errors[0]!.message}${more}`, details: errors },
      });
    },
  );

  r.put(
    '/api/calendar/working-hours',
    {
      config: { roles: ['admin'] }, schema: {
        tags: ['calendar'],
        summary: 'Set the working hours: ordered, non-overlapping HH:MM periods (administrators)',
        body: WorkingHoursInput,
        response: { 200: WorkingHours, 422: ErrorBody },
      },
    },
    async (req) => ({ workingHours: await setWorkingHours(ctx(req), req.body) }),
  );
}
