// Provisional calendar years: the statutory holidays (《全国年节及纪念日放假办法》, 2024 amendment) with their
// lunar dates, 补假 for holidays on a weekend, no guessed makeup working days; and the calendar that uses them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Lunar, Solar } from 'lunar-typescript';
import { provisionalYear, statutoryHolidays } from '../../src/domain/calendar/provisional.js';
import { createWorkCalendar, isoDateOfDay } from '../../src/domain/calendar/calendar.js';
import { BUILTIN_DAYS } from '../../src/domain/calendar/builtin.js';
import { DomainError } from '../../src/domain/errors.js';

const bj = (local: string) => new Date(`${local}+08:00`);
const holidays = (year: number) => provisionalYear(year).map((e) => `${e.date} ${e.note}`);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('the provisional holidays of a year', () => {
  it('2027: 元旦, 春节 from 除夕 (Fri 5 Feb) with two days of 补假 for its weekend, and the rest', () => {
    expect(holidays(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-02-09 春节补假',
      '2027-02-10 春节补假',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-05-03 劳动节补假',
      '2027-05-04 劳动节补假',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
      '2027-10-04 国庆节补假',
      '2027-10-05 国庆节补假',
    ]);
  });

  it('2028: 中秋 falls on 3 Oct inside 国庆; the day counted twice is given back after the stretch', () => {
    const oct = holidays(2028).filter((h) => h.startsWith('2028-10'));
    // Sun 1 Oct is a weekend day (one 补假), 3 Oct is both 国庆 and 中秋 (one more)
    expect(oct).toEqual(['2028-10-01 国庆节', '2028-10-02 国庆节', '2028-10-03 中秋节、国庆节', '2028-10-04 国庆节、中秋节补假', '2028-10-05 国庆节、中秋节补假']);
  });

  it('never derives a makeup working day, and every 补假 is a Monday–Friday after its holiday', () => {
    for (let year = 2027; year <= 2040; year++) {
      const entries = provisionalYear(year);
      expect(entries.every((e) => e.kind === 'holiday')).toBe(true);
      for (const e of entries.filter((x) => x.note?.endsWith('补假'))) expect([1, 2, 3, 4, 5]).toContain(weekday(e.date));
      // as many 补假 days as holidays lost: each holiday on a weekend day, and a second holiday on a weekday (2039:
      // 中秋 on Sunday 2 Oct inside 国庆 loses both)
      const statutory = statutoryHolidays(year).flatMap((h) => h.days.map(isoDateOfDay));
      const weekdayClaims = statutory.filter((d) => ![0, 6].includes(weekday(d)));
      const lost = statutory.length - weekdayClaims.length + (weekdayClaims.length - new Set(weekdayClaims).size);
      expect(entries.filter((x) => x.note?.endsWith('补假')).length).toBe(lost);
    }
  });

  it('agrees with lunar-typescript on 除夕, 正月初一, 清明, 端午 and 中秋 of every year 2027–2035', () => {
    for (let year = 2027; year <= 2035; year++) {
      const ours = Object.fromEntries(statutoryHolidays(year).map((h) => [h.holiday, h.days.map(isoDateOfDay)]));
      const springDay = Lunar.fromYmd(year, 1, 1).getSolar().toYmd();
      const eve = Solar.fromYmd(Number(springDay.slice(0, 4)), Number(springDay.slice(5, 7)), Number(springDay.slice(8, 10))).next(-1).toYmd();
      expect(ours.spring_festival!.slice(0, 2)).toEqual([eve, springDay]);
      expect(ours.qingming).toEqual([Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()['清明']!.toYmd()]);
      expect(ours.dragon_boat).toEqual([Lunar.fromYmd(year, 5, 5).getSolar().toYmd()]);
      expect(ours.mid_autumn).toEqual([Lunar.fromYmd(year, 8, 15).getSolar().toYmd()]);
    }
  });

  it('matches the official schedules the statutory rules produced where no 调休 was made (holiday days only)', () => {
    // 2025 and 2026 are built in (chinese-days): every derived holiday of those years is a holiday there too,
    // except where the State Council moved a day (none of the statutory days themselves).
    const official = new Set(BUILTIN_DAYS.filter((d) => d.kind === 'holiday').map((d) => d.date));
    for (const year of [2025, 2026]) {
      const statutory = statutoryHolidays(year).flatMap((h) => h.days.map(isoDateOfDay));
      expect(statutory.filter((d) => !official.has(d))).toEqual([]);
    }
  });
});

describe('a calendar with provisional years', () => {
  const cal = createWorkCalendar({ years: BUILTIN_DAYS, provisionalThrough: 2028 });

  it('2026 official, 2027–2028 provisional, 2029 unknown (naming the year)', () => {
    expect([2026, 2027, 2028, 2029].map((y) => cal.yearStatus(y))).toEqual(['official', 'provisional', 'provisional', 'unknown']);
    expect(cal.knownYears().slice(-3)).toEqual([2026, 2027, 2028]);
    expect(() => cal.isWorkingDay('2029-01-02')).toThrow(new DomainError('calendar_year_unknown', { year: 2029 }));
    expect(() => cal.checkCovers(bj('2099-01-02T10:00:00'))).toThrow(new DomainError('calendar_year_unknown', { year: 2099 }));
  });

  it('a 3-working-day limit from Wed 2027-02-03 10:00 skips the provisional 春节 and its 补假: Fri 12 Feb', () => {
    // Thu 4 Feb (1), 5–10 Feb holiday, Thu 11 (2), Fri 12 (3)
    expect(cal.addWorkingDays(bj('2027-02-03T10:00:00'), 3)).toEqual(bj('2027-02-12T10:00:00'));
    expect(cal.isProvisionalDay('2027-02-12')).toBe(true);
  });

  it('an override covers its day: that day is official, the others of the year stay provisional', () => {
    const partial = createWorkCalendar({ years: BUILTIN_DAYS, provisionalThrough: 2028, overrides: [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }] });
    expect(partial.isProvisionalDay('2027-01-01')).toBe(false);
    expect(partial.isProvisionalDay('2027-01-04')).toBe(true);
    expect(partial.isWorkingDay('2027-02-08')).toBe(false); // the derived 春节 still rests
    expect(partial.touchesProvisional(bj('2026-12-31T10:00:00'), bj('2027-01-01T10:00:00'))).toBe(false);
  });

  it('every provisional year has working time: limits always end, and counting is consistent across the year end', () => {
    fc.assert(
      fc.property(fc.date({ min: bj('2026-06-01T00:00:00'), max: bj('2028-06-30T00:00:00'), noInvalidDate: true }), fc.integer({ min: 0, max: 120 }), (from, hours) => {
        const end = cal.addWorkingHours(from, hours);
        expect(end.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(cal.workingMsBetween(from, end)).toBe(hours * 3_600_000);
      }),
      { numRuns: 300 },
    );
  });
});
