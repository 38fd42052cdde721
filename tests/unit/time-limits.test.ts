// Time limits (时限) on the official 2026 calendar: handling days across the National Day and Spring Festival
// holidays and their makeup working days (调休), sign and verify limits in working hours across lunch and
// nights, fractions of a day, the yellow share (预警 at 80 % of the working span), escalation 8 working hours
// past due, warning colours, sweep thresholds, suspension shifts, and refusal to guess an unknown year.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DAYS } from '../../src/domain/calendar/builtin.js';
import { createWorkCalendar } from '../../src/domain/calendar/calendar.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  addLimitDays,
  clockFor,
  clockKindOf,
  clockUntil,
  DEFAULT_THRESHOLDS,
  shiftClock,
  thresholdLevelAt,
  warningLevelAt,
  type WorkClock,
} from '../../src/domain/cases/time-limits.js';
import type { CaseLimits } from '../../src/data/schema.js';
import { CASE_STATES } from '../../src/shared/vocabulary.js';

const HOUR = 3_600_000;
const MIN = 60_000;
/** An instant written as Beijing time. */
const bj = (local: string) => new Date(`${local}+08:00`);
/** An instant shown as Beijing time, 'YYYY-MM-DD HH:MM'. */
const show = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
const showClock = (c: WorkClock) => ({ kind: c.kind, startedAt: show(c.startedAt), warnAt: show(c.warnAt), dueAt: show(c.dueAt), escalateAt: show(c.escalateAt) });

const cal = createWorkCalendar({ years: BUILTIN_DAYS });
/** The demo's normal limits for a one-day category (src/seed/demo.ts limitsFor). */
const LIMITS: CaseLimits = { signHours: 2, handleDays: 1, verifyHours: 8, returnHours: 2 };

function refusedYear(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('calendar_year_unknown');
    return Number((e as DomainError).params.year);
  }
  throw new Error('expected calendar_year_unknown');
}

describe('handling limits in working days (addLimitDays)', () => {
  it('a dispatch on Wed 2026-09-30 10:00 with 3 days is due on the makeup Saturday 2026-10-10 10:00', () => {
    // 10-01…10-07 National Day (with Mid-Autumn), 10-08 Thu, 10-09 Fri, 10-10 Sat is a 调休 working day
    expect(show(addLimitDays(cal, bj('2026-09-30T10:00'), 3))).toBe('2026-10-10 10:00');
    expect(show(addLimitDays(cal, bj('2026-09-30T10:00'), 1))).toBe('2026-10-08 10:00');
    expect(show(addLimitDays(cal, bj('2026-09-30T10:00'), 4))).toBe('2026-10-12 10:00'); // 10-11 is a plain Sunday
  });

  it('across the Spring Festival: the makeup Saturday counts, nine days of holiday do not', () => {
    // 2026-02-14 Sat and 02-28 Sat are working days; 02-15…02-23 are the holiday
    expect(show(addLimitDays(cal, bj('2026-02-13T10:00'), 1))).toBe('2026-02-14 10:00');
    expect(show(addLimitDays(cal, bj('2026-02-13T10:00'), 2))).toBe('2026-02-24 10:00');
    expect(show(addLimitDays(cal, bj('2026-02-26T16:00'), 2))).toBe('2026-02-28 16:00');
  });

  it('the Mid-Autumn Friday and the makeup Sunday 2026-09-20', () => {
    expect(show(addLimitDays(cal, bj('2026-09-18T09:30'), 1))).toBe('2026-09-20 09:30'); // Sunday, 调休
    expect(show(addLimitDays(cal, bj('2026-09-24T11:00'), 1))).toBe('2026-09-28 11:00'); // 09-25…27 off
  });

  it('a fraction of a day is that share of the 7-hour working day, counted in working hours', () => {
    expect(cal.workingMsPerDay()).toBe(7 * HOUR);
    // 0.5 day = 3.5 h: 10:00–12:00, then 13:30–15:00
    expect(show(addLimitDays(cal, bj('2026-03-04T10:00'), 0.5))).toBe('2026-03-04 15:00');
    // 0.25 day = 1 h 45 min from 11:00: 1 h before lunch, 45 min after
    expect(show(addLimitDays(cal, bj('2026-03-04T11:00'), 0.25))).toBe('2026-03-04 14:15');
    // 1.5 days from Thu 04-02 15:00: Fri 04-03 15:00, then 2.5 h to 17:30 and 1 h after 清明 (04-04…06)
    expect(show(addLimitDays(cal, bj('2026-04-02T15:00'), 1.5))).toBe('2026-04-07 10:00');
    expect(addLimitDays(cal, bj('2026-04-02T15:00'), 0).getTime()).toBe(bj('2026-04-02T15:00').getTime());
  });
});

describe('clocks (clockFor / clockUntil)', () => {
  it('sign: 2 working hours from 11:30 skip lunch 12:00–13:30 and end at 15:00; warn at 80 %, escalate 8 h later', () => {
    const c = clockFor(cal, 'sign', bj('2026-03-04T11:30'), LIMITS, DEFAULT_THRESHOLDS);
    expect(showClock(c)).toEqual({
      kind: 'sign',
      startedAt: '2026-03-04 11:30',
      // 1 h 36 min of working time: 30 min before lunch, 66 min after
      warnAt: '2026-03-04 14:36',
      dueAt: '2026-03-04 15:00',
      // 2.5 h to 17:30, 3 h on Thursday morning, 2.5 h after lunch
      escalateAt: '2026-03-05 16:00',
    });
    // from 11:00 the same 2 hours end at 14:30 (1 h before lunch, 1 h after)
    expect(show(clockFor(cal, 'sign', bj('2026-03-04T11:00'), LIMITS, DEFAULT_THRESHOLDS).dueAt)).toBe('2026-03-04 14:30');
    // a report at night starts counting the next morning
    expect(show(clockFor(cal, 'sign', bj('2026-03-04T21:00'), LIMITS, DEFAULT_THRESHOLDS).dueAt)).toBe('2026-03-05 11:00');
    // an exact fit ends at the end of the period (12:00), not after lunch
    expect(show(clockFor(cal, 'sign', bj('2026-03-04T10:00'), LIMITS, DEFAULT_THRESHOLDS).dueAt)).toBe('2026-03-04 12:00');
  });

  it('verify: 8 working hours from Friday 16:00 end on the makeup Sunday 2026-09-20', () => {
    const c = clockFor(cal, 'verify', bj('2026-09-18T16:00'), LIMITS, DEFAULT_THRESHOLDS);
    // 1.5 h on Friday, 3 h on Sunday morning, 3.5 h after lunch
    expect(show(c.dueAt)).toBe('2026-09-20 17:00');
    // escalation 8 h later: 0.5 h Sunday, 7 h Monday, 0.5 h Tuesday
    expect(show(c.escalateAt)).toBe('2026-09-22 09:30');
  });

  it('handle: the National Day case — due Sat 10-10 10:00, yellow on Fri 10-09 14:18, the leader told Mon 10-12 11:00', () => {
    const start = bj('2026-09-30T10:00');
    const due = addLimitDays(cal, start, 3);
    const c = clockUntil(cal, 'handle', start, due, DEFAULT_THRESHOLDS);
    // span: 6 h on 09-30, 7 h on 10-08 and 10-09, 1 h on 10-10 = 21 h; 80 % = 16 h 48 min
    expect(cal.workingMsBetween(start, due)).toBe(21 * HOUR);
    expect(showClock(c)).toEqual({
      kind: 'handle',
      startedAt: '2026-09-30 10:00',
      warnAt: '2026-10-09 14:18',
      dueAt: '2026-10-10 10:00',
      // 2 + 4 h on the makeup Saturday, Sunday off, 2 h on Monday
      escalateAt: '2026-10-12 11:00',
    });
  });

  it('the warning share and the escalation delay follow the thresholds passed in', () => {
    const start = bj('2026-03-02T09:00'); // Monday
    const due = addLimitDays(cal, start, 2); // Wed 09:00, 14 working hours
    const half = clockUntil(cal, 'handle', start, due, { yellowShare: 0.5, escalateAfterHours: 1 });
    // 7 h in: the whole of Monday; an exact fit ends at 17:30, not at Tuesday's 09:00
    expect(show(half.warnAt)).toBe('2026-03-02 17:30');
    expect(show(half.escalateAt)).toBe('2026-03-04 10:00');
  });

  /** Minutes into 2026 (leaving room for the limit), as an instant. */
  const y2026 = bj('2026-01-01T00:00').getTime();
  const arbStart = fc.integer({ min: 0, max: 330 * 24 * 60 }).map((m) => new Date(y2026 + m * MIN));

  it('holds for any start on a working day of 2026: the limit is its working time, warn at 80 % of it, escalate 8 working hours past due', () => {
    fc.assert(
      fc.property(
        arbStart.filter((t) => cal.isWorkingDay(t)),
        fc.constantFrom(0.25, 0.5, 1, 1.5, 2, 3, 5),
        fc.constantFrom(0.5, 1, 2, 4),
        (start, handleDays, signHours) => {
          const limits: CaseLimits = { ...LIMITS, signHours, handleDays };
          const sign = clockFor(cal, 'sign', start, limits, DEFAULT_THRESHOLDS);
          expect(cal.workingMsBetween(start, sign.dueAt)).toBe(signHours * HOUR);
          const due = addLimitDays(cal, start, handleDays);
          // N days of handling are N working days of working time (7 h each), whenever in the day they start
          expect(cal.workingMsBetween(start, due)).toBe(handleDays * 7 * HOUR);
          const handle = clockUntil(cal, 'handle', start, due, DEFAULT_THRESHOLDS);
          for (const c of [sign, handle]) {
            const span = cal.workingMsBetween(c.startedAt, c.dueAt);
            // addWorkingMs rounds to the millisecond
            expect(Math.abs(cal.workingMsBetween(c.startedAt, c.warnAt) - 0.8 * span)).toBeLessThanOrEqual(1);
            expect(cal.workingMsBetween(c.dueAt, c.escalateAt)).toBe(8 * HOUR);
            expect(c.startedAt.getTime()).toBeLessThan(c.warnAt.getTime());
            expect(c.warnAt.getTime()).toBeLessThanOrEqual(c.dueAt.getTime());
            expect(c.dueAt.getTime()).toBeLessThan(c.escalateAt.getTime());
            // the thresholds fall on working days (a warning never waits for a holiday to be "reached")
            for (const t of [c.warnAt, c.escalateAt]) expect(cal.isWorkingDay(t)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a handling limit that starts on a weekend or holiday is its full working time (addLimitDays)', () => {
    expect(cal.workingMsBetween(bj('2026-03-08T10:00'), addLimitDays(cal, bj('2026-03-08T10:00'), 1))).toBe(7 * HOUR);
    fc.assert(
      fc.property(arbStart, fc.constantFrom(0.5, 1, 2, 3), (start, days) => {
        expect(cal.workingMsBetween(start, addLimitDays(cal, start, days))).toBe(days * 7 * HOUR);
      }),
      { numRuns: 300 },
    );
  });

  it('clockKindOf: to sign while dispatched, to handle while in progress, to verify once handled, none otherwise', () => {
    const kinds = Object.fromEntries(CASE_STATES.map((s) => [s, clockKindOf(s)]));
    expect(kinds).toEqual({
      reported: null,
      accepted: null,
      rejected: null,
      merged: null,
      dispatched: 'sign',
      in_progress: 'handle',
      suspended: null,
      handled: 'verify',
      verified: null,
      closed: null,
    });
  });
});

describe('colours and thresholds', () => {
  const c = clockFor(cal, 'sign', bj('2026-03-04T11:30'), LIMITS, DEFAULT_THRESHOLDS);
  const at = (ms: number) => new Date(ms);

  it('warningLevelAt: green before warnAt, yellow from warnAt, red from dueAt; green without a clock', () => {
    expect(warningLevelAt(at(c.warnAt.getTime() - 1), c)).toBe('green');
    expect(warningLevelAt(c.warnAt, c)).toBe('yellow');
    expect(warningLevelAt(at(c.dueAt.getTime() - 1), c)).toBe('yellow');
    expect(warningLevelAt(c.dueAt, c)).toBe('red');
    expect(warningLevelAt(c.escalateAt, c)).toBe('red');
    expect(warningLevelAt(c.dueAt, null)).toBe('green');
    expect(warningLevelAt(c.dueAt, { warnAt: null, dueAt: null })).toBe('green');
    expect(warningLevelAt(c.dueAt, { warnAt: c.warnAt, dueAt: null })).toBe('green');
  });

  it('thresholdLevelAt: 0, then 1 at warnAt, 2 at dueAt, 3 at escalateAt — and never goes back', () => {
    expect(thresholdLevelAt(at(c.warnAt.getTime() - 1), c)).toBe(0);
    expect(thresholdLevelAt(c.warnAt, c)).toBe(1);
    expect(thresholdLevelAt(at(c.dueAt.getTime() - 1), c)).toBe(1);
    expect(thresholdLevelAt(c.dueAt, c)).toBe(2);
    expect(thresholdLevelAt(at(c.escalateAt.getTime() - 1), c)).toBe(2);
    expect(thresholdLevelAt(c.escalateAt, c)).toBe(3);
    fc.assert(
      fc.property(fc.integer({ min: -10 * HOUR, max: 60 * HOUR }), fc.integer({ min: 0, max: 10 * HOUR }), (a, d) => {
        const t1 = at(c.startedAt.getTime() + a);
        const t2 = at(t1.getTime() + d);
        expect(thresholdLevelAt(t2, c)).toBeGreaterThanOrEqual(thresholdLevelAt(t1, c));
        // the colour and the threshold agree: yellow ⇔ 1, red ⇔ ≥ 2
        const level = thresholdLevelAt(t1, c);
        expect(warningLevelAt(t1, c)).toBe(level === 0 ? 'green' : level === 1 ? 'yellow' : 'red');
      }),
    );
  });
});

describe('suspension (shiftClock)', () => {
  const start = bj('2026-09-30T10:00');
  const handle = clockUntil(cal, 'handle', start, addLimitDays(cal, start, 3), DEFAULT_THRESHOLDS);

  it('a suspension of one working day (7 h) moves every instant by 7 working hours, across the makeup Saturday', () => {
    const shifted = shiftClock(cal, handle, 7 * HOUR);
    expect(showClock(shifted)).toEqual({
      kind: 'handle',
      startedAt: '2026-09-30 10:00', // the start stays: the clock resumed, it did not restart
      warnAt: '2026-10-10 14:18',
      dueAt: '2026-10-12 10:00',
      escalateAt: '2026-10-13 11:00',
    });
  });

  it('a suspension measured on the calendar (suspended Thu 10-08 15:00, resumed Mon 10-12 10:00) shifts by its working time', () => {
    // 2.5 h on 10-08, 7 h on 10-09, 7 h on the makeup 10-10, 1 h on 10-12 = 17.5 h
    const stopped = cal.workingMsBetween(bj('2026-10-08T15:00'), bj('2026-10-12T10:00'));
    expect(stopped).toBe(17.5 * HOUR);
    const shifted = shiftClock(cal, handle, stopped);
    expect(show(shifted.dueAt)).toBe('2026-10-13 15:00'); // Sat 10:00 + 17.5 h: 6 h Sat, 7 h Mon, 3 h + 1.5 h Tue
    expect(cal.workingMsBetween(handle.dueAt, shifted.dueAt)).toBe(stopped);
  });

  it('for any N working hours, each instant moves by exactly N working hours; N = 0 changes nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 60 }), (minutes) => {
        const shifted = shiftClock(cal, handle, minutes * MIN);
        expect(shifted.kind).toBe(handle.kind);
        expect(shifted.startedAt).toEqual(handle.startedAt);
        for (const k of ['warnAt', 'dueAt', 'escalateAt'] as const) {
          expect(cal.workingMsBetween(handle[k], shifted[k])).toBe(minutes * MIN);
          if (minutes === 0) expect(shifted[k].getTime()).toBe(handle[k].getTime());
        }
        // the order of the thresholds survives the shift
        expect(shifted.warnAt.getTime()).toBeLessThanOrEqual(shifted.dueAt.getTime());
        expect(shifted.dueAt.getTime()).toBeLessThan(shifted.escalateAt.getTime());
      }),
      { numRuns: 200 },
    );
  });
});

describe('an unknown year', () => {
  const lastKnown = Math.max(...cal.knownYears());
  const nextYear = lastKnown + 1;

  it('is 2027 as shipped: the package knows 2026 but not 2027 yet', () => {
    // When chinese-days ships 2027 this line tells; the tests below follow the first unknown year.
    expect(nextYear).toBe(2027);
  });

  it('a deadline that falls into it throws calendar_year_unknown instead of guessing Monday–Friday', () => {
    expect(refusedYear(() => addLimitDays(cal, bj(`${lastKnown}-12-30T10:00`), 3))).toBe(nextYear);
    // even a sign clock started on New Year's Eve afternoon needs the new year (1.5 h left on 12-31)
    expect(refusedYear(() => clockFor(cal, 'sign', bj(`${lastKnown}-12-31T16:00`), LIMITS, DEFAULT_THRESHOLDS))).toBe(nextYear);
    // a clock due in the old year but escalating into the new one throws too: no half-computed clock
    expect(refusedYear(() => clockFor(cal, 'sign', bj(`${lastKnown}-12-31T10:00`), LIMITS, DEFAULT_THRESHOLDS))).toBe(nextYear);
    expect(refusedYear(() => shiftClock(cal, handle2(), 7 * 24 * HOUR))).toBe(nextYear);
  });

  it('a year imported as a whole (or provisional) is known, and the same clock computes', () => {
    const cal2 = createWorkCalendar({ years: BUILTIN_DAYS, overrides: [{ date: `${nextYear}-01-01`, kind: 'holiday', note: '元旦' }], officialYears: [nextYear] });
    const c = clockFor(cal2, 'sign', bj(`${lastKnown}-12-31T16:00`), LIMITS, DEFAULT_THRESHOLDS);
    // 1.5 h on 12-31, then the next working day of the new year for the last 30 minutes
    expect(cal2.workingMsBetween(c.startedAt, c.dueAt)).toBe(2 * HOUR);
    expect(cal2.isWorkingDay(c.dueAt)).toBe(true);
    expect(show(c.dueAt)).toBe(`${nextYear}-01-04 09:30`); // 01-01 imported holiday, then a weekend (2027)
    const provisional = createWorkCalendar({ years: BUILTIN_DAYS, provisionalThrough: nextYear });
    expect(show(clockFor(provisional, 'sign', bj(`${lastKnown}-12-31T16:00`), LIMITS, DEFAULT_THRESHOLDS).dueAt)).toBe(`${nextYear}-01-04 09:30`);
  });

  function handle2(): WorkClock {
    const start = bj(`${lastKnown}-12-01T10:00`);
    return clockUntil(cal, 'handle', start, addLimitDays(cal, start, 3), DEFAULT_THRESHOLDS);
  }
});
