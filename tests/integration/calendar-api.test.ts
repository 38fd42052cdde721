// The working calendar through the HTTP API: everyone reads it; the administrator sets and removes days,
// imports next year's schedule as a list or an .ics calendar (all or nothing), and sets the working hours;
// every change writes one audit row and reaches the deadline computations at once (the cache is
// invalidated); a refused change changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
import { loadCalendar } from '../../src/services/calendar/calendar.js';
import type { CalendarDay, CalendarImportResult, CalendarYear } from '../../src/shared/calendar-api.js';
import { DomainError } from '../../src/domain/errors.js';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';

/** A logged-in client that can also PUT and DELETE (the shared harness client only GETs and POSTs). */
interface Api {
  get(url: string): Promise<LightMyRequestResponse>;
  send(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

let p: TestPlatform;
let admin: Api;
let operator: Api;
let adminEn: Api;

async function signIn(username: string, lang = 'zh-CN'): Promise<Api> {
  const res = await p.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'gw_session')!.value;
  const csrf = res.json().csrfToken as string;
  const headers = { cookie: `gw_session=${cookie}`, 'accept-language': lang };
  return {
    get: (url) => p.app.inject({ method: 'GET', url, headers }),
    send: (method, url, body) =>
      p.app.inject({ method, url, headers: { ...headers, 'x-csrf-token': csrf }, ...(body === undefined ? {} : { payload: body as object }) }),
  };
}

function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

async function year(y: number): Promise<CalendarYear> {
  return ok<CalendarYear>(await operator.get(`/api/calendar?year=${y}`));
}

async function auditRows(action: string) {
  return p.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

/** Everything a refused change must leave alone. */
async function snapshot() {
  const [days, settings, audit] = await Promise.all([
    p.db.selectFrom('calendar_days').select(['kind', 'note']).select((eb) => eb.fn<string>('to_char', [eb.ref('day'), eb.val('YYYY-MM-DD')]).as('date')).orderBy('day').execute(),
    p.db.selectFrom('settings').selectAll().execute(),
    p.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { days, settings, audit: audit.n };
}

const bj = (local: string) => new Date(`${local}+08:00`);

const LIST_2027 = [
  '# 国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
  '2027-01-01 holiday 元旦',
  '2027-02-06~2027-02-12 休 春节',
  '2027-02-13 班 春节调休',
  '2027-02-14 workday 春节调休',
].join('\n');

const ICS_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20271001',
  'DTEND;VALUE=DATE:20271008',
  'SUMMARY:国庆节(休)',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'DTSTART;VALUE=DATE:20270926',
  'SUMMARY:国庆节(班)',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

beforeAll(async () => {
  p = await openTestPlatform();
  admin = await signIn('admin');
  adminEn = await signIn('admin', 'en');
  operator = await signIn('operator');
});
afterAll(async () => p?.close());

describe('reading the calendar', () => {
  it('shows a shipped year: its holidays and makeup working days, from the built-in calendar, and the working hours', async () => {
    const y = await year(2026);
    expect(y.known).toBe(true);
    expect(y.status).toBe('official');
    expect(y.knownYears).toContain(2026);
    expect(y.days.find((d) => d.date === '2026-10-01')).toMatchObject({ kind: 'holiday', source: 'builtin', note: '国庆节' });
    expect(y.days.find((d) => d.date === '2026-10-10')).toMatchObject({ kind: 'workday', source: 'builtin' });
    expect(y.days.find((d) => d.date === '2026-10-08')).toBeUndefined(); // a plain working day
    expect(y.workingHours).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
  });

  it('says 2027 is provisional (derived from the statutory holidays) and computes deadlines into it; years further ahead are refused naming the year', async () => {
    const y = await year(2027);
    expect(y).toMatchObject({ year: 2027, known: true, status: 'provisional', partial: false });
    expect(y.missingHolidays).toEqual(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    expect(y.days.filter((d) => d.source === 'provisional').map((d) => d.date)).toContain('2027-02-06'); // 正月初一
    expect(y.days.every((d) => d.source === 'provisional' && d.kind === 'holiday')).toBe(true);
    const cal = await loadCalendar(p.db, bj('2026-12-30T10:00:00'));
    // Wed 12-30 + 5 working days: 12-31, (元旦 Fri), 1-4, 1-5, 1-6, 1-7
    expect(cal.addWorkingDays(bj('2026-12-30T10:00:00'), 5)).toEqual(bj('2027-01-07T10:00:00'));
    expect(cal.touchesProvisional(bj('2026-12-30T10:00:00'), bj('2027-01-07T10:00:00'))).toBe(true);
    expect(cal.touchesProvisional(bj('2026-12-01T10:00:00'), bj('2026-12-31T10:00:00'))).toBe(false);
    expect(() => cal.addWorkingDays(bj('2028-12-30T10:00:00'), 5)).toThrow(new DomainError('calendar_year_unknown', { year: 2029 }));
    expect((await year(2030)).status).toBe('unknown');
  });

  it('needs a login', async () => {
    expect((await p.app.inject({ method: 'GET', url: '/api/calendar?year=2026' })).statusCode).toBe(401);
  });
});

describe('importing next year', () => {
  it('the administrator imports part of the 2027 list: those days are official, the rest of the year stays provisional, with one audit row', async () => {
    const before = (await auditRows('calendar.import')).length;
    const res = ok<CalendarImportResult>(await admin.send('POST', '/api/calendar/import', { format: 'list', text: LIST_2027 }));
    expect(res).toEqual({ imported: 10, errors: [], dryRun: false, officialYears: [], moves: [] });

    const y = await year(2027);
    expect(y.known).toBe(true);
    expect(y).toMatchObject({ status: 'provisional', partial: true });
    expect(y.missingHolidays).toEqual(['清明节', '劳动节', '端午节', '中秋节', '国庆节']);
    expect(y.days.filter((d) => d.source === 'override').map((d) => `${d.date} ${d.kind} ${d.source}`)).toEqual([
      '2027-01-01 holiday override',
      '2027-02-06 holiday override',
      '2027-02-07 holiday override',
      '2027-02-08 holiday override',
      '2027-02-09 holiday override',
      '2027-02-10 holiday override',
      '2027-02-11 holiday override',
      '2027-02-12 holiday override',
      '2027-02-13 workday override',
      '2027-02-14 workday override',
    ]);

    const audit = await auditRows('calendar.import');
    expect(audit.length).toBe(before + 1);
    expect(audit.at(-1)).toMatchObject({ target_type: 'calendar', target_id: '2027-01-01~2027-02-14' });
    expect(audit.at(-1)!.data).toMatchObject({ source: 'list', count: 10 });
    expect(audit.at(-1)!.actor_id).not.toBeNull();

    // Deadlines see it at once: Thu 2026-12-31 10:00 + 1 working day skips 元旦 and the weekend.
    const cal = await loadCalendar(p.db);
    expect(cal.addWorkingDays(bj('2026-12-31T10:00:00'), 1)).toEqual(bj('2027-01-04T10:00:00'));
    // Fri 2027-02-05 10:00 + 1 working day is the makeup Saturday after the Spring Festival.
    expect(cal.addWorkingDays(bj('2027-02-05T10:00:00'), 1)).toEqual(bj('2027-02-13T10:00:00'));
  });

  it('the administrator imports an .ics calendar', async () => {
    const before = (await auditRows('calendar.import')).length;
    const res = ok<CalendarImportResult>(await admin.send('POST', '/api/calendar/import', { format: 'ics', text: ICS_2027 }));
    expect(res).toMatchObject({ imported: 8, errors: [], officialYears: [] });
    const y = await year(2027);
    expect(y.days.find((d) => d.date === '2027-10-07')).toMatchObject({ kind: 'holiday', note: '国庆节(休)', source: 'override' });
    expect(y.days.find((d) => d.date === '2027-09-26')).toMatchObject({ kind: 'workday', note: '国庆节(班)' });
    const audit = await auditRows('calendar.import');
    expect(audit.length).toBe(before + 1);
    expect(audit.at(-1)!.data).toMatchObject({ source: 'ics', count: 8, from: '2027-09-26', to: '2027-10-07' });
    expect((await loadCalendar(p.db)).isWorkingDay('2027-09-26')).toBe(true); // a Sunday made a working day
  });

  it('one bad line refuses the whole import, lists every bad line, and changes nothing', async () => {
    const before = await snapshot();
    const text = ['2028-01-01 holiday 元旦', '2028-02-30 休 春节', '2028-03-01 sometimes', '2028-01-01 班'].join('\n');
    const res = await admin.send('POST', '/api/calendar/import', { format: 'list', text });
    expect(res.statusCode).toBe(422);
    const body = res.json() as CalendarImportResult & { error: { code: string; message: string } };
    expect(body.imported).toBe(0);
    expect(body.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'bad_date'],
      [3, 'bad_kind'],
      [4, 'conflict'],
    ]);
    expect(body.errors[0]!.message).toBe('第 2 行：日期“2028-02-30”无效。');
    expect(body.error.code).toBe('calendar_import_invalid');
    expect(body.error.message).toContain('第 2 行');
    expect(await snapshot()).toEqual(before);
    expect((await year(2028)).partial).toBe(false);
  });

  it('a bad .ics is refused the same way, in the reader’s language', async () => {
    const before = await snapshot();
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20280101', 'SUMMARY:元旦', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART:20280102T090000', 'END:VEVENT'].join('\n');
    const res = await adminEn.send('POST', '/api/calendar/import', { format: 'ics', text });
    expect(res.statusCode).toBe(422);
    const body = res.json() as CalendarImportResult;
    expect(body.errors).toEqual([
      {
        line: 7,
        reason: 'ics_date_time',
        value: '20280102T090000',
        message: 'Line 7: Only all-day events (DTSTART;VALUE=DATE) are supported, not the timed value "20280102T090000".',
      },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('an empty import is refused', async () => {
    const res = await admin.send('POST', '/api/calendar/import', { format: 'list', text: '# nothing yet\n' });
    expect(res.statusCode).toBe(422);
    expect((res.json() as CalendarImportResult).errors).toMatchObject([{ line: 0, reason: 'empty', message: '导入内容中没有任何日期。' }]);
  });
});

describe('setting and removing one day', () => {
  it('the administrator turns the makeup Saturday 2026-10-10 into a holiday, then removes the override', async () => {
    const cal0 = await loadCalendar(p.db);
    expect(await loadCalendar(p.db)).toBe(cal0); // cached
    expect(cal0.isWorkingDay('2026-10-10')).toBe(true);

    const day = ok<CalendarDay>(await admin.send('PUT', '/api/calendar/days/2026-10-10', { kind: 'holiday', note: '停电检修' }));
    expect(day).toMatchObject({ date: '2026-10-10', kind: 'holiday', note: '停电检修', source: 'override', builtinKind: 'workday' });
    const cal1 = await loadCalendar(p.db);
    expect(cal1).not.toBe(cal0); // the change invalidated the cache
    expect(cal1.isWorkingDay('2026-10-10')).toBe(false);
    expect(cal0.isWorkingDay('2026-10-10')).toBe(true); // a loaded calendar is an immutable snapshot
    const set = await auditRows('calendar.day_set');
    expect(set.at(-1)).toMatchObject({ target_id: '2026-10-10' });
    expect(set.at(-1)!.data).toMatchObject({ date: '2026-10-10', kind: 'holiday', previous: null });

    const del = await admin.send('DELETE', '/api/calendar/days/2026-10-10');
    expect(del.statusCode).toBe(204);
    expect((await loadCalendar(p.db)).isWorkingDay('2026-10-10')).toBe(true);
    expect((await year(2026)).days.find((d) => d.date === '2026-10-10')).toMatchObject({ kind: 'workday', source: 'builtin' });
    const deleted = await auditRows('calendar.day_delete');
    expect(deleted.length).toBe(1);
    expect(deleted[0]).toMatchObject({ target_id: '2026-10-10' });
    expect(deleted[0]!.data).toMatchObject({ removed: { kind: 'holiday', note: '停电检修' } });

    // Nothing left to remove.
    expect((await admin.send('DELETE', '/api/calendar/days/2026-10-10')).statusCode).toBe(404);
  });

  it('refuses a date that does not exist, and a malformed one', async () => {
    const res = await admin.send('PUT', '/api/calendar/days/2026-02-30', { kind: 'holiday' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('calendar_date_invalid');
    expect((await admin.send('PUT', '/api/calendar/days/tomorrow', { kind: 'holiday' })).statusCode).toBe(400);
    expect((await admin.send('PUT', '/api/calendar/days/2026-10-12', { kind: 'vacation' })).statusCode).toBe(400);
  });
});

describe('working hours', () => {
  it('the administrator sets them; deadlines use them at once; one audit row', async () => {
    const hours = [
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ];
    const res = ok<{ workingHours: unknown }>(await admin.send('PUT', '/api/calendar/working-hours', hours));
    expect(res.workingHours).toEqual(hours);
    expect((await year(2026)).workingHours).toEqual(hours);
    const cal = await loadCalendar(p.db);
    expect(cal.workingMsPerDay()).toBe(7.5 * 3_600_000);
    expect(cal.addWorkingHours(bj('2026-11-20T17:00:00'), 2)).toEqual(bj('2026-11-23T09:30:00')); // 17:00–18:00, then 08:30–09:30
    const audit = await auditRows('calendar.working_hours');
    expect(audit.length).toBe(1);
    expect(audit[0]!.data).toMatchObject({ workingHours: hours, previous: [{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }] });
  });

  it('refuses periods out of order or overlapping (naming the period) and malformed times, changing nothing', async () => {
    const before = await snapshot();
    const res = await admin.send('PUT', '/api/calendar/working-hours', [
      { start: '09:00', end: '12:00' },
      { start: '11:30', end: '17:30' },
    ]);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'calendar_working_hours_invalid' });
    expect(res.json().error.message).toContain('11:30–17:30');
    const reversed = await admin.send('PUT', '/api/calendar/working-hours', [
      { start: '13:30', end: '17:30' },
      { start: '09:00', end: '12:00' },
    ]);
    expect(reversed.statusCode).toBe(422);
    expect((await admin.send('PUT', '/api/calendar/working-hours', [{ start: '9am', end: '12:00' }])).statusCode).toBe(400);
    expect((await admin.send('PUT', '/api/calendar/working-hours', [])).statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});

describe('only administrators change the calendar', () => {
  it('an operator gets 403 for every change, and nothing changes', async () => {
    const before = await snapshot();
    const attempts = [
      await operator.send('POST', '/api/calendar/import', { format: 'list', text: '2029-01-01 holiday 元旦' }),
      await operator.send('POST', '/api/calendar/import', { format: 'list', text: 'not even valid' }),
      await operator.send('PUT', '/api/calendar/days/2027-01-01', { kind: 'workday' }),
      await operator.send('DELETE', '/api/calendar/days/2027-01-01'),
      await operator.send('PUT', '/api/calendar/working-hours', [{ start: '08:00', end: '20:00' }]),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a grid worker may read the calendar', async () => {
    const gw = await signIn('gridworker');
    expect((await gw.get('/api/calendar?year=2026')).statusCode).toBe(200);
  });
});
