// The working-time calendar: working days on the official Chinese calendar (holidays and 调休 makeup days),
// working hours, time limits in working days/hours, working time elapsed, unknown years, and the list/.ics
// parsers used to import next year's schedule.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isWorkday as packageIsWorkday } from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DAYS } from '../../src/domain/calendar/builtin.js';
import {
  checkWorkingHours,
  createWorkCalendar,
  isoDateOfDay,
  parseCalendarList,
  parseIcs,
  shanghaiDateOf,
  type CalendarEntry,
} from '../../src/domain/calendar/calendar.js';
import { DomainError } from '../../src/domain/errors.js';

const HOUR = 3_600_000;
/** An instant written as Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`);
/** An instant shown as Beijing time, 'YYYY-MM-DD HH:MM'. */
const show = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');

const cal = createWorkCalendar({ years: BUILTIN_DAYS });

function yearUnknown(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('calendar_year_unknown');
    return Number((e as DomainError).params.year);
  }
  throw new Error('expected calendar_year_unknown');
}

describe('working days', () => {
  it('knows the years the chinese-days package ships, and no others', () => {
    const years = cal.knownYears();
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
    expect(years).toEqual([...years].sort((a, b) => a - b));
  });

  it('follows holidays and makeup working days, not just Monday–Friday', () => {
    expect(cal.isWorkingDay('2026-09-30')).toBe(true); // Wednesday
    expect(cal.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(cal.isWorkingDay('2026-10-07')).toBe(false); // Wednesday, still the holiday
    expect(cal.isWorkingDay('2026-10-08')).toBe(true);
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // Saturday, makeup working day
    expect(cal.isWorkingDay('2026-10-11')).toBe(false); // plain Sunday
    expect(cal.isWorkingDay('2026-11-21')).toBe(false); // plain Saturday
  });

  it('takes a Date as the day it falls on in Beijing, not in UTC', () => {
    expect(cal.isWorkingDay(new Date('2026-10-09T16:30:00Z'))).toBe(true); // Sat 10-10 00:30 in Beijing
    expect(cal.isWorkingDay(new Date('2026-10-07T16:30:00Z'))).toBe(true); // Thu 10-08 00:30
    expect(cal.isWorkingDay(new Date('2026-10-07T15:30:00Z'))).toBe(false); // Wed 10-07 23:30
    expect(shanghaiDateOf(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('agrees with the chinese-days package on every day of every shipped year', () => {
    let checked = 0;
    for (const year of cal.knownYears()) {
      for (let day = Date.UTC(year, 0, 1) / 86_400_000; isoDateOfDay(day).startsWith(String(year)); day++) {
        const date = isoDateOfDay(day);
        expect(cal.isWorkingDay(date), date).toBe(packageIsWorkday(date));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20 * 365);
  });

  it('refuses a date that does not exist', () => {
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(DomainError);
    expect(() => cal.isWorkingDay('2026-2-3')).toThrow(DomainError);
  });
});

describe('addWorkingDays', () => {
  it('3 working days from Wed 2026-09-30 10:00 ends Sat 2026-10-10 10:00 (National Day, then a makeup Saturday)', () => {
    expect(cal.addWorkingDays(bj('2026-09-30T10:00:00'), 3)).toEqual(bj('2026-10-10T10:00:00'));
  });

  it('ends at the same clock time on the nth following working day', () => {
    expect(show(cal.addWorkingDays(bj('2026-11-20T16:30:00'), 1))).toBe('2026-11-23 16:30'); // Fri → Mon
    expect(show(cal.addWorkingDays(bj('2026-11-20T20:00:00'), 1))).toBe('2026-11-23 20:00'); // after hours stays after hours
    expect(show(cal.addWorkingDays(bj('2026-10-03T10:00:00'), 1))).toBe('2026-10-08 10:00'); // from a holiday
    expect(show(cal.addWorkingDays(bj('2026-02-13T09:00:00'), 1))).toBe('2026-02-14 09:00'); // Spring Festival makeup Saturday
    expect(show(cal.addWorkingDays(bj('2026-02-14T09:00:00'), 1))).toBe('2026-02-24 09:00'); // over the Spring Festival
  });

  it('0 days is the instant itself; negative or fractional days are refused', () => {
    const t = bj('2026-10-03T10:00:00');
    expect(cal.addWorkingDays(t, 0)).toEqual(t);
    expect(() => cal.addWorkingDays(t, -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(t, 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(t, Number.NaN)).toThrow(RangeError);
  });

  it('crossing into an unknown year is an error naming the year, never a Monday–Friday guess', () => {
    expect(yearUnknown(() => cal.addWorkingDays(bj('2026-12-30T10:00:00'), 2))).toBe(2027);
    expect(show(cal.addWorkingDays(bj('2026-12-30T10:00:00'), 1))).toBe('2026-12-31 10:00');
  });
});

describe('addWorkingHours', () => {
  it('2 working hours from Fri 2026-11-20 16:30 ends Mon 2026-11-23 10:00', () => {
    expect(cal.addWorkingHours(bj('2026-11-20T16:30:00'), 2)).toEqual(bj('2026-11-23T10:00:00'));
  });

  it('counts across the lunch break: 1 working hour from 11:30 ends 14:00 the same day, 2 end 15:00', () => {
    expect(show(cal.addWorkingHours(bj('2026-11-18T11:30:00'), 1))).toBe('2026-11-18 14:00');
    expect(show(cal.addWorkingHours(bj('2026-11-18T11:30:00'), 2))).toBe('2026-11-18 15:00');
  });

  it('from a holiday, counts from 09:00 of the next working day', () => {
    expect(show(cal.addWorkingHours(bj('2026-10-03T15:00:00'), 2))).toBe('2026-10-08 11:00');
    expect(show(cal.addWorkingHours(bj('2026-10-09T18:00:00'), 1))).toBe('2026-10-10 10:00'); // to the makeup Saturday
  });

  it('from inside the lunch break, counts from 13:30', () => {
    expect(show(cal.addWorkingHours(bj('2026-11-18T12:45:00'), 1))).toBe('2026-11-18 14:30');
    expect(show(cal.addWorkingHours(bj('2026-11-18T12:00:00'), 0.5))).toBe('2026-11-18 14:00');
  });

  it('from 17:30 exactly (the end of the day), counts from the next working day', () => {
    expect(show(cal.addWorkingHours(bj('2026-11-20T17:30:00'), 1))).toBe('2026-11-23 10:00');
    expect(show(cal.addWorkingHours(bj('2026-11-18T08:00:00'), 1))).toBe('2026-11-18 10:00'); // before the day starts
  });

  it('a limit that uses up a period ends at its end (12:00, 17:30), not at the next start', () => {
    expect(show(cal.addWorkingHours(bj('2026-11-18T09:00:00'), 3))).toBe('2026-11-18 12:00');
    expect(show(cal.addWorkingHours(bj('2026-11-18T09:00:00'), 7))).toBe('2026-11-18 17:30');
    expect(show(cal.addWorkingHours(bj('2026-11-18T09:00:00'), 7.5))).toBe('2026-11-19 09:30');
  });

  it('0 hours is the instant itself, even outside working hours; negative hours are refused', () => {
    const lunch = bj('2026-11-18T12:15:00');
    expect(cal.addWorkingHours(lunch, 0)).toEqual(lunch);
    expect(() => cal.addWorkingHours(lunch, -0.5)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(lunch, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => cal.addWorkingMs(lunch, -1)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(new Date('not a date'), 1)).toThrow(RangeError);
  });

  it('crossing the year end into an unknown year names the year', () => {
    expect(yearUnknown(() => cal.addWorkingHours(bj('2026-12-31T16:00:00'), 2))).toBe(2027);
    expect(show(cal.addWorkingHours(bj('2026-12-31T16:00:00'), 1.5))).toBe('2026-12-31 17:30');
  });

  it('fractions of an hour land on the millisecond', () => {
    expect(show(cal.addWorkingHours(bj('2026-11-18T09:00:00'), 0.25))).toBe('2026-11-18 09:15');
    expect(cal.addWorkingHours(bj('2026-11-18T09:00:00'), 1 / 3_600_000)).toEqual(new Date(bj('2026-11-18T09:00:00').getTime() + 1));
  });
});

describe('workingMsBetween', () => {
  it('counts only working time', () => {
    expect(cal.workingMsBetween(bj('2026-11-20T16:30:00'), bj('2026-11-23T10:00:00'))).toBe(2 * HOUR);
    expect(cal.workingMsBetween(bj('2026-11-18T11:30:00'), bj('2026-11-18T14:00:00'))).toBe(1 * HOUR);
    expect(cal.workingMsBetween(bj('2026-11-18T12:05:00'), bj('2026-11-18T13:25:00'))).toBe(0); // lunch
    expect(cal.workingMsBetween(bj('2026-11-18T00:00:00'), bj('2026-11-19T00:00:00'))).toBe(7 * HOUR);
    expect(cal.workingMsBetween(bj('2026-10-01T00:00:00'), bj('2026-10-08T00:00:00'))).toBe(0); // National Day
    expect(cal.workingMsBetween(bj('2026-09-30T10:00:00'), bj('2026-10-10T10:00:00'))).toBe(21 * HOUR);
  });

  it('is negative when b is before a, and 0 for the same instant', () => {
    const a = bj('2026-11-20T16:30:00');
    const b = bj('2026-11-23T10:00:00');
    expect(cal.workingMsBetween(b, a)).toBe(-2 * HOUR);
    expect(cal.workingMsBetween(a, a)).toBe(0);
    expect(cal.workingMsBetween(bj('2026-11-18T12:30:00'), bj('2026-11-18T12:10:00'))).toBe(0); // +0, never -0
  });

  it('share of a limit used, as the warning colours need it', () => {
    const start = bj('2026-09-30T10:00:00');
    const due = cal.addWorkingDays(start, 3);
    const limit = cal.workingMsBetween(start, due);
    expect(cal.workingMsBetween(start, bj('2026-10-09T14:30:00')) / limit).toBeCloseTo(17 / 21);
    expect(cal.workingMsBetween(start, cal.addWorkingMs(start, 0.8 * limit)) / limit).toBe(0.8);
  });

  it('a suspension moves the deadline by the working time it lasted', () => {
    const due = bj('2026-11-25T15:00:00');
    const suspended = cal.workingMsBetween(bj('2026-11-20T16:30:00'), bj('2026-11-23T10:00:00'));
    expect(show(cal.addWorkingMs(due, suspended))).toBe('2026-11-25 17:00');
  });

  it('needs every year it crosses', () => {
    expect(yearUnknown(() => cal.workingMsBetween(bj('2026-12-30T10:00:00'), bj('2027-01-05T10:00:00')))).toBe(2027);
    expect(yearUnknown(() => cal.workingMsBetween(bj('2003-12-30T10:00:00'), bj('2004-01-05T10:00:00')))).toBe(2003);
  });
});

describe('overrides and working hours', () => {
  it('an override alone does not make 2027 known; a year imported as a whole (officialYears) is computed with its days', () => {
    const overridden = createWorkCalendar({ years: BUILTIN_DAYS, overrides: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }] });
    expect(yearUnknown(() => overridden.isWorkingDay('2027-01-04'))).toBe(2027);
    const with2027 = createWorkCalendar({
      years: BUILTIN_DAYS,
      overrides: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }],
      officialYears: [2027],
    });
    expect(with2027.knownYears()).toContain(2027);
    expect(with2027.yearStatus(2027)).toBe('official');
    expect(with2027.isWorkingDay('2027-01-01')).toBe(false);
    expect(with2027.isWorkingDay('2027-01-04')).toBe(true);
    expect(with2027.isProvisionalDay('2027-01-04')).toBe(false);
    // Thu 12-31 16:00 + 2h: 1.5 h that day, Fri 01-01 holiday, weekend, then Mon 09:30
    expect(show(with2027.addWorkingHours(bj('2026-12-31T16:00:00'), 2))).toBe('2027-01-04 09:30');
  });

  it('an override replaces the built-in day of the same date', () => {
    const moved = createWorkCalendar({
      years: BUILTIN_DAYS,
      overrides: [
        { date: '2026-10-10', kind: 'holiday' },
        { date: '2026-10-05', kind: 'workday' },
      ],
    });
    expect(moved.isWorkingDay('2026-10-10')).toBe(false);
    expect(moved.isWorkingDay('2026-10-05')).toBe(true);
    expect(show(moved.addWorkingDays(bj('2026-09-30T10:00:00'), 3))).toBe('2026-10-09 10:00');
  });

  it('uses configured working hours', () => {
    const long = createWorkCalendar({
      years: BUILTIN_DAYS,
      workingHours: [
        { start: '08:00', end: '12:00' },
        { start: '14:00', end: '18:00' },
      ],
    });
    expect(long.workingMsPerDay()).toBe(8 * HOUR);
    expect(show(long.addWorkingHours(bj('2026-11-20T16:30:00'), 2))).toBe('2026-11-23 08:30');
    expect(long.workingMsBetween(bj('2026-11-18T11:00:00'), bj('2026-11-18T15:00:00'))).toBe(2 * HOUR);
    expect(cal.workingMsPerDay()).toBe(7 * HOUR);
    expect(cal.workingHours()).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
  });

  it('refuses working hours that are out of order, overlapping, empty or malformed, naming the period', () => {
    const bad = (periods: { start: string; end: string }[]) => {
      try {
        checkWorkingHours(periods);
      } catch (e) {
        expect((e as DomainError).code).toBe('calendar_working_hours_invalid');
        return (e as DomainError).params.period;
      }
      return 'accepted';
    };
    expect(bad([{ start: '13:30', end: '17:30' }, { start: '09:00', end: '12:00' }])).toBe('09:00–12:00');
    expect(bad([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }])).toBe('11:00–17:00');
    expect(bad([{ start: '12:00', end: '09:00' }])).toBe('12:00–09:00');
    expect(bad([{ start: '09:00', end: '09:00' }])).toBe('09:00–09:00');
    expect(bad([{ start: '9:00', end: '12:00' }])).toBe('9:00–12:00');
    expect(bad([])).toBe('—');
    expect(bad([{ start: '09:00', end: '12:00' }, { start: '12:00', end: '24:00' }])).toBe('accepted'); // touching is fine
  });
});

describe('properties', () => {
  // Instants from 2025-01-01 to 2026-10-31 and limits up to 2 × 100 working hours stay inside the known years.
  const FROM = bj('2025-01-01T00:00:00').getTime();
  const TO = bj('2026-10-31T00:00:00').getTime();
  const instant = fc.integer({ min: FROM, max: TO }).map((t) => new Date(t));
  const minutes = fc.integer({ min: 0, max: 100 * 60 });
  const workingInstant = fc.tuple(instant, fc.integer({ min: 1, max: 7 * 60 })).map(([t, m]) => cal.addWorkingMs(t, m * 60_000));

  it('addWorkingHours(a, x + y) = addWorkingHours(addWorkingHours(a, x), y) for working instants', () => {
    fc.assert(
      fc.property(workingInstant, minutes, minutes, (a, x, y) => {
        expect(cal.addWorkingHours(a, (x + y) / 60)).toEqual(cal.addWorkingHours(cal.addWorkingHours(a, x / 60), y / 60));
      }),
    );
  });

  it('…and for any instant at all', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (a, x, y) => {
        expect(cal.addWorkingMs(a, (x + y) * 60_000)).toEqual(cal.addWorkingMs(cal.addWorkingMs(a, x * 60_000), y * 60_000));
      }),
    );
  });

  it('workingMsBetween(a, addWorkingHours(a, h)) = h hours', () => {
    fc.assert(
      fc.property(instant, minutes, (a, m) => {
        expect(cal.workingMsBetween(a, cal.addWorkingHours(a, m / 60))).toBe(m * 60_000);
      }),
    );
  });

  it('is monotonic: more hours never end earlier; a later end never counts less', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (a, x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(cal.addWorkingHours(a, lo / 60).getTime()).toBeLessThanOrEqual(cal.addWorkingHours(a, hi / 60).getTime());
      }),
    );
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        const [lo, hi] = b <= c ? [b, c] : [c, b];
        expect(cal.workingMsBetween(a, lo)).toBeLessThanOrEqual(cal.workingMsBetween(a, hi));
      }),
    );
  });

  it('is additive and antisymmetric: W(a,b) + W(b,c) = W(a,c), W(b,a) = −W(a,b)', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        expect(cal.workingMsBetween(a, b) + cal.workingMsBetween(b, c)).toBe(cal.workingMsBetween(a, c));
        expect(cal.workingMsBetween(b, a) + cal.workingMsBetween(a, b)).toBe(0);
      }),
    );
  });

  it('n working days from a working day is n full working days later, on a working day', () => {
    fc.assert(
      fc.property(workingInstant, fc.integer({ min: 0, max: 20 }), (a, n) => {
        const end = cal.addWorkingDays(a, n);
        expect(cal.isWorkingDay(end)).toBe(true);
        expect(cal.workingMsBetween(a, end)).toBe(n * cal.workingMsPerDay());
      }),
    );
  });
});

describe('parseCalendarList', () => {
  it('reads the simple list, in English or Chinese words, with ranges and comments', () => {
    const { entries, errors } = parseCalendarList(
      [
        '# 2027 放假安排',
        '2027-01-01 holiday 元旦',
        '',
        '2027-02-07 workday 春节调休',
        '2027-02-08~2027-02-10 休 春节',
        '2027-02-20,班,春节调休',
        '  2027/5/1\t假  劳动节 假期  ',
        '20271001 补班',
      ].join('\r\n'),
    );
    expect(errors).toEqual([]);
    expect(entries).toEqual<CalendarEntry[]>([
      { date: '2027-01-01', kind: 'holiday', note: '元旦' },
      { date: '2027-02-07', kind: 'workday', note: '春节调休' },
      { date: '2027-02-08', kind: 'holiday', note: '春节' },
      { date: '2027-02-09', kind: 'holiday', note: '春节' },
      { date: '2027-02-10', kind: 'holiday', note: '春节' },
      { date: '2027-02-20', kind: 'workday', note: '春节调休' },
      { date: '2027-05-01', kind: 'holiday', note: '劳动节 假期' },
      { date: '2027-10-01', kind: 'workday', note: null },
    ]);
  });

  it('names every bad line and why', () => {
    const { errors } = parseCalendarList(
      [
        '2027-01-01 holiday 元旦', // 1 fine
        '2027-02-30 holiday', // 2 no such date
        '2027-03-01 vacation', // 3 unknown kind
        '2027-03-02', // 4 no kind
        '2027-03-10~2027-03-01 休', // 5 backwards
        '2027-01-01 班', // 6 contradicts line 1
        '2027-01-01 休 again', // 7 same kind: fine
        'new year holiday', // 8 not a date
      ].join('\n'),
    );
    expect(errors).toEqual([
      { line: 2, reason: 'bad_date', value: '2027-02-30' },
      { line: 3, reason: 'bad_kind', value: 'vacation' },
      { line: 4, reason: 'bad_format', value: '2027-03-02' },
      { line: 5, reason: 'bad_range', value: '2027-03-10~2027-03-01' },
      { line: 6, reason: 'conflict', value: '2027-01-01' },
      { line: 8, reason: 'bad_date', value: 'new' },
    ]);
  });

  it('an empty list is an error, not a successful import of nothing', () => {
    expect(parseCalendarList('\n# only a comment\n').errors).toEqual([{ line: 0, reason: 'empty' }]);
  });
});

describe('parseIcs', () => {
  it('reads the chinese-days .ics into exactly the built-in days of its years', () => {
    const file = path.resolve(import.meta.dirname, '../../node_modules/chinese-days/dist/holidays.ics');
    const { entries, errors } = parseIcs(readFileSync(file, 'utf8'));
    expect(errors).toEqual([]);
    const years = new Set(entries.map((e) => e.date.slice(0, 4)));
    expect([...years].sort()).toEqual(['2024', '2025', '2026']);
    const builtin = BUILTIN_DAYS.filter((d) => years.has(d.date.slice(0, 4))).map((d) => `${d.date} ${d.kind}`);
    expect(entries.map((e) => `${e.date} ${e.kind}`)).toEqual(builtin);
    expect(entries.find((e) => e.date === '2026-10-10')).toMatchObject({ kind: 'workday', note: '国庆节(班)' });
  });

  it('reads ranges, durations, single days, folded lines and English summaries', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20270206',
      'DTEND;VALUE=DATE:20270209',
      'SUMMARY:春节(休)',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20270214',
      'SUMMARY:春节补班',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART:20270501',
      'DURATION:P2D',
      'SUMMARY:Labour Day (Hol',
      ' iday)',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'DTSTART;VALUE=DATE:20270508',
      'SUMMARY:Labour Day\\, Workday',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const { entries, errors } = parseIcs(ics);
    expect(errors).toEqual([]);
    expect(entries).toEqual<CalendarEntry[]>([
      { date: '2027-02-06', kind: 'holiday', note: '春节(休)' },
      { date: '2027-02-07', kind: 'holiday', note: '春节(休)' },
      { date: '2027-02-08', kind: 'holiday', note: '春节(休)' },
      { date: '2027-02-14', kind: 'workday', note: '春节补班' },
      { date: '2027-05-01', kind: 'holiday', note: 'Labour Day (Holiday)' },
      { date: '2027-05-02', kind: 'holiday', note: 'Labour Day (Holiday)' },
      { date: '2027-05-08', kind: 'workday', note: 'Labour Day, Workday' },
    ]);
  });

  it('names every bad event and why: timed, recurring, no date, bad date, backwards, unclosed', () => {
    const ics = [
      'BEGIN:VCALENDAR', // 1
      'BEGIN:VEVENT', // 2
      'DTSTART:20270101T090000', // 3
      'SUMMARY:meeting', // 4
      'END:VEVENT', // 5
      'BEGIN:VEVENT', // 6
      'DTSTART;VALUE=DATE:20270101', // 7
      'RRULE:FREQ=YEARLY', // 8
      'END:VEVENT', // 9
      'BEGIN:VEVENT', // 10
      'SUMMARY:元旦', // 11
      'END:VEVENT', // 12
      'BEGIN:VEVENT', // 13
      'DTSTART;VALUE=DATE:20270230', // 14
      'END:VEVENT', // 15
      'BEGIN:VEVENT', // 16
      'DTSTART;VALUE=DATE:20270210', // 17
      'DTEND;VALUE=DATE:20270210', // 18
      'END:VEVENT', // 19
      'BEGIN:VEVENT', // 20
      'DTSTART;VALUE=DATE:20270301', // 21
    ].join('\n');
    expect(parseIcs(ics).errors).toEqual([
      { line: 3, reason: 'ics_date_time', value: '20270101T090000' },
      { line: 8, reason: 'ics_recurring' },
      { line: 10, reason: 'ics_no_date' },
      { line: 14, reason: 'bad_date', value: '20270230' },
      { line: 18, reason: 'bad_range', value: '2027-02-10~2027-02-09' },
      { line: 20, reason: 'ics_unclosed' },
    ]);
  });

  it('a calendar without events is an error', () => {
    expect(parseIcs('BEGIN:VCALENDAR\nEND:VCALENDAR\n').errors).toEqual([{ line: 0, reason: 'empty' }]);
  });
});
