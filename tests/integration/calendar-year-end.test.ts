// The working calendar at the year end, on a pinned clock: the demo street seeds and a case goes round the whole
// loop on 28 December, in next year's 春节 week and on 30 December of next year, with deadlines counted over the
// provisional year and marked so; a typed deadline the calendar cannot compute in is refused at dispatch; and
// importing the official schedule recomputes the open cases exactly as its dry run said, audited, each handling
// department told once; bad imports change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock } from '../../src/clock.js';
import { loadCalendar } from '../../src/services/calendar/calendar.js';
import type { CaseDetail } from '../../src/shared/api.js';
import type { CalendarImportResult, CalendarYear } from '../../src/shared/calendar-api.js';
import { GRID_1, moveOk, ok, openWorld, refused, reportAt, type World } from '../support/factories.js';
import { message } from '../../src/shared/messages.js';

const bj = (local: string) => new Date(`${local}+08:00`);
const HOUR = 3_600_000;
const USERS = ['gridworker', 'operator', 'chengguan', 'admin', 'leader'] as const;

/** Sets the demo category's normal limit to `days` working days to handle (a case copies it when reported). */
async function setHandleDays(w: World, days: number) {
  await sql`UPDATE categories SET limits = jsonb_set(limits, '{normal,handleDays}', ${JSON.stringify(days)}::jsonb) WHERE id = ${w.categoryId}`.execute(w.p.db);
}

/** The whole loop over the API, the clock moving an hour between moves; returns the case after each move. */
async function wholeLoop(w: World, clock: ReturnType<typeof fixedClock>): Promise<Record<string, CaseDetail>> {
  const { gridworker, operator, chengguan } = w.u;
  const seen: Record<string, CaseDetail> = {};
  let c = await reportAt(w, gridworker!, GRID_1);
  seen.report = c;
  const steps: [typeof gridworker, string, Record<string, unknown>][] = [
    [operator, 'accept', {}],
    [operator, 'dispatch', { departmentId: w.departments.get('CG')! }],
    [chengguan, 'sign', {}],
    [chengguan, 'handle', { note: '已清理完毕' }],
    [gridworker, 'verify_pass', {}],
    [operator, 'close', {}],
  ];
  for (const [by, move, body] of steps) {
    clock.advance(HOUR);
    c = await moveOk(by!, c, move as never, body);
    seen[move] = c;
  }
  expect(c.state).toBe('closed');
  return seen;
}

describe.each([
  // Mon 28 Dec + 5 working days (dispatched 12:00, counted from 13:30): 29, 30, 31 Dec, (元旦), 4, 5 Jan
  { at: '2026-12-28T10:00:00', days: 5, deadline: '2027-01-05T13:30:00' },
  // Wed 3 Feb + 3: Thu 4 Feb, then the provisional 春节 (除夕 5 Feb … 初三 8 Feb) and its 补假 (9–10 Feb), Thu 11, Fri 12
  { at: '2027-02-03T10:00:00', days: 3, deadline: '2027-02-12T13:30:00' },
  // Thu 30 Dec + 3: Fri 31 Dec, (元旦 2028 on Saturday: 补假 Mon 3 Jan), Tue 4, Wed 5 Jan
  { at: '2027-12-30T10:00:00', days: 3, deadline: '2028-01-05T13:30:00' },
])('at $at (Beijing)', ({ at, days, deadline: expected }) => {
  let w: World;
  const clock = fixedClock(bj(at));
  beforeAll(async () => {
    w = await openWorld(USERS, { cases: 25, clock });
  });
  afterAll(async () => w?.p.close());

  it('the demo street seeds, and a case goes round the whole loop with deadlines on working days', async () => {
    const seeded = await w.p.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(seeded.n)).toBe(25);
    await setHandleDays(w, days);
    const seen = await wholeLoop(w, clock);
    const dispatched = seen.dispatch!;
    const cal = await loadCalendar(w.p.db, clock.now());
    const deadline = new Date(dispatched.deadline!);
    expect(cal.isWorkingDay(deadline)).toBe(true);
    expect(dispatched.limitsProvisional).toBe(true);
    expect(deadline).toEqual(bj(expected));
    expect(cal.workingMsBetween(new Date(dispatched.events.at(-1)!.at), deadline)).toBe(days * cal.workingMsPerDay());
    for (const step of ['sign', 'handle', 'verify_pass', 'close']) expect(seen[step]!.state).not.toBe('dispatched');
  });

  it('a typed deadline the calendar cannot compute in is refused at dispatch, naming the year, and changes nothing', async () => {
    let c = await reportAt(w, w.u.gridworker!, GRID_1);
    c = await moveOk(w.u.operator!, c, 'accept');
    const res = await w.u.operator!.post(`/api/cases/${c.id}/moves/dispatch`, { version: c.version, departmentId: w.departments.get('CG')!, deadline: '2099-06-01T10:00:00+08:00' });
    const error = refused(res, 422, 'calendar_year_unknown');
    expect(error.message).toContain('2099');
    const after = ok(await w.u.operator!.get(`/api/cases/${c.id}`)) as CaseDetail;
    expect(after).toMatchObject({ state: 'accepted', version: c.version, deadline: null });
  });
});

// The official 2027 schedule as the State Council might publish it (test data): all seven holidays, with 调休.
const OFFICIAL_2027 = [
  '2027-01-01~2027-01-03 休 元旦',
  '2027-02-05~2027-02-11 休 春节',
  '2027-02-07 休 春节',
  '2027-02-20 班 春节调休',
  '2027-04-05 休 清明节',
  '2027-05-01~2027-05-05 休 劳动节',
  '2027-05-08 班 劳动节调休',
  '2027-06-09 休 端午节',
  '2027-09-15 休 中秋节',
  '2027-10-01~2027-10-07 休 国庆节',
  '2027-09-26 班 国庆节调休',
  '2027-10-09 班 国庆节调休',
].join('\n');

describe('importing the official schedule of a provisional year', () => {
  let w: World;
  const clock = fixedClock(bj('2027-01-25T10:00:00'));
  const open: Record<string, CaseDetail> = {};

  beforeAll(async () => {
    w = await openWorld(USERS, { clock });
    await setHandleDays(w, 5);
    const { gridworker, operator, chengguan } = w.u;
    const cg = w.departments.get('CG')!;
    // in progress: the deadline (5 working days from 25 Jan) runs into the provisional 春节
    let a = await reportAt(w, gridworker!, GRID_1);
    a = await moveOk(operator!, a, 'accept');
    a = await moveOk(operator!, a, 'dispatch', { departmentId: cg });
    open.inProgress = await moveOk(chengguan!, a, 'sign');
    // dispatched with a deadline the operator typed: kept as typed
    let b = await reportAt(w, gridworker!, GRID_1);
    b = await moveOk(operator!, b, 'accept');
    open.typed = await moveOk(operator!, b, 'dispatch', { departmentId: cg, deadline: '2027-02-19T17:00:00+08:00' });
    // handled: the verify clock is in hours and ends before anything changes
    let d = await reportAt(w, gridworker!, GRID_1);
    d = await moveOk(operator!, d, 'accept');
    d = await moveOk(operator!, d, 'dispatch', { departmentId: cg });
    d = await moveOk(chengguan!, d, 'sign');
    open.handled = await moveOk(chengguan!, d, 'handle', { note: '已处理' });
    clock.advance(HOUR);
  });
  afterAll(async () => w?.p.close());

  const limitsOf = async () =>
    w.p.db.selectFrom('cases').select(['id', 'deadline', 'due_at', 'warn_at', 'escalate_at', 'limits_provisional', 'version']).orderBy('id').execute();
  const calendarRows = async () => ({
    days: await w.p.db.selectFrom('calendar_days').select(['kind', 'note']).select(sql<string>`to_char(day, 'YYYY-MM-DD')`.as('date')).orderBy('day').execute(),
    years: await w.p.db.selectFrom('calendar_years').select('year').execute(),
    audit: Number((await w.p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    notifications: Number((await w.p.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });

  it('the open cases are marked provisional', async () => {
    expect(open.inProgress!.limitsProvisional).toBe(true);
    expect(open.typed!.limitsProvisional).toBe(true);
    // 25 Jan + 5 working days, provisional: 26, 27, 28, 29 Jan, 1 Feb
    expect(new Date(open.inProgress!.deadline!)).toEqual(bj('2027-02-01T10:00:00'));
  });

  it('bad imports change nothing and recompute nothing: a contradiction, a year out of range, a malformed .ics', async () => {
    const before = { cal: await calendarRows(), cases: await limitsOf() };
    const contradiction = await w.u.admin!.post('/api/calendar/import', { format: 'list', text: '2027-02-20 班\n2027-02-20 休' });
    expect(contradiction.statusCode).toBe(422);
    expect((contradiction.json() as CalendarImportResult).errors[0]!.reason).toBe('conflict');
    refused(await w.u.admin!.post('/api/calendar/import', { format: 'list', text: '2040-01-01 休 元旦' }), 422, 'calendar_year_out_of_range');
    const ics = await w.u.admin!.post('/api/calendar/import', { format: 'ics', text: 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:春节\n' });
    expect(ics.statusCode).toBe(422);
    const json = await w.u.admin!.post('/api/calendar/import', { format: 'json', text: '[{"date":"2027-13-01","kind":"holiday"}]' });
    expect(json.statusCode).toBe(422);
    expect(await calendarRows()).toEqual(before.cal);
    expect(await limitsOf()).toEqual(before.cases);
  });

  it('a dry run lists the cases that would move and by how much, and changes nothing', async () => {
    const before = { cal: await calendarRows(), cases: await limitsOf() };
    const dry = ok(await w.u.admin!.post('/api/calendar/import', { format: 'list', text: OFFICIAL_2027, dryRun: true })) as CalendarImportResult;
    expect(dry).toMatchObject({ dryRun: true, imported: 0, officialYears: [2027], errors: [] });
    expect(await calendarRows()).toEqual(before.cal);
    expect(await limitsOf()).toEqual(before.cases);
    const moved = Object.fromEntries(dry.moves.map((m) => [m.caseId, m]));
    // The in-progress case: 26–29 Jan and 1 Feb are working days in both; nothing moves but the provisional mark
    expect(moved[open.inProgress!.id]).toMatchObject({ shiftMs: 0, provisionalBefore: true, provisionalAfter: false });
    // The typed deadline stays where the operator put it
    expect(moved[open.typed!.id]).toMatchObject({ shiftMs: 0, before: '2027-02-19T09:00:00.000Z', after: '2027-02-19T09:00:00.000Z', provisionalAfter: false });
    expect(moved[open.handled!.id]).toMatchObject({ shiftMs: 0, provisionalAfter: false });
  });

  it('a longer limit that crosses the Spring Festival moves by the official days; the import is audited and the department told once', async () => {
    // A case dispatched today with 8 working days: provisional 春节 rests 5–10 Feb; the official one 5–11 Feb
    await setHandleDays(w, 8);
    let c = await reportAt(w, w.u.gridworker!, GRID_1);
    c = await moveOk(w.u.operator!, c, 'accept');
    c = await moveOk(w.u.operator!, c, 'dispatch', { departmentId: w.departments.get('CG')! });
    // 26,27,28,29 Jan, 1,2,3,4 Feb = 8 → 4 Feb 11:00: before the festival, so make it longer: 10 days
    await setHandleDays(w, 10);
    let e = await reportAt(w, w.u.gridworker!, GRID_1);
    e = await moveOk(w.u.operator!, e, 'accept');
    e = await moveOk(w.u.operator!, e, 'dispatch', { departmentId: w.departments.get('CG')! });
    // provisional: 26–29 Jan, 1–4 Feb (8), 11 Feb (9), 12 Feb (10)
    expect(new Date(e.deadline!)).toEqual(bj('2027-02-12T11:00:00'));
    const dry = ok(await w.u.admin!.post('/api/calendar/import', { format: 'list', text: OFFICIAL_2027, dryRun: true })) as CalendarImportResult;
    const predicted = dry.moves.find((m) => m.caseId === e.id)!;
    // official: 11 Feb rests too, so the 9th day is 12 Feb and the 10th Mon 15 Feb
    expect(predicted).toMatchObject({ before: bj('2027-02-12T11:00:00').toISOString(), after: bj('2027-02-15T11:00:00').toISOString() });
    expect(predicted.shiftMs).toBe(3 * 24 * HOUR);

    const notices = async () =>
      (
        await w.p.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id').select(['users.username', 'notifications.title_code', 'notifications.title_params', 'notifications.kind']).where('kind', '=', 'deadline_changed').execute()
      ).map((n) => ({ username: n.username, kind: n.kind, title: message(n.title_code!, n.title_params ?? {}, 'zh-CN') }));
    expect(await notices()).toEqual([]);
    const done = ok(await w.u.admin!.post('/api/calendar/import', { format: 'list', text: OFFICIAL_2027 })) as CalendarImportResult;
    expect(done).toMatchObject({ dryRun: false, officialYears: [2027] });
    expect(done.moves).toEqual(dry.moves);
    const after = ok(await w.u.chengguan!.get(`/api/cases/${e.id}`)) as CaseDetail;
    expect(after.deadline).toBe(predicted.after);
    expect(after.limitsProvisional).toBe(false);
    expect(after.version).toBe(e.version + 1);
    const typed = ok(await w.u.chengguan!.get(`/api/cases/${open.typed!.id}`)) as CaseDetail;
    expect(typed.deadline).toBe(open.typed!.deadline);
    // audited: the import, and each moved case
    const audit = await w.p.db.selectFrom('audit_log').select(['action', 'target_id', 'data']).where('action', 'in', ['calendar.import', 'case.limits_recomputed']).orderBy('id').execute();
    expect(audit.filter((a) => a.action === 'calendar.import')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'case.limits_recomputed').map((a) => Number(a.target_id)).sort()).toEqual(dry.moves.map((m) => m.caseId).sort());
    // one notice per handler of the department, however many of its work orders moved
    const told = await notices();
    expect(told.filter((n) => n.username === 'chengguan')).toHaveLength(1);
    expect(told[0]!.title).toContain('工作日历更新');
    // the year is official now
    const y = ok(await w.u.admin!.get('/api/calendar?year=2027')) as CalendarYear;
    expect(y).toMatchObject({ status: 'official', partial: false, missingHolidays: [] });
    // importing the same again moves nothing
    const again = ok(await w.u.admin!.post('/api/calendar/import', { format: 'list', text: OFFICIAL_2027 })) as CalendarImportResult;
    expect(again.moves).toEqual([]);
  });
});

describe('the import banner', () => {
  let w: World;
  const clock = fixedClock(bj('2026-10-31T20:00:00'));
  beforeAll(async () => {
    w = await openWorld(['admin', 'gridworker'], { clock });
  });
  afterAll(async () => w?.p.close());

  it('is due from 1 November while next year is provisional', async () => {
    expect(ok(await w.u.admin!.get('/api/calendar/status'))).toMatchObject({ year: 2026, yearStatus: 'official', nextYear: 2027, nextYearStatus: 'provisional', importDue: false });
    clock.set(bj('2026-11-01T00:30:00')); // still inside the login's session
    expect(ok(await w.u.gridworker!.get('/api/calendar/status'))).toMatchObject({ importDue: true });
  });
});
