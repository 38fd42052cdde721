// A provisional calendar for a year whose official schedule has not been published or imported yet, derived
// from the statutory rules (《全国年节及纪念日放假办法》 as amended in 2024, in force from 2025):
//   元旦 1 day (1 Jan) · 春节 4 days (除夕 to 正月初三) · 清明 1 day (the 清明 solar term) · 劳动节 2 days (1–2 May)
//   · 端午 1 day (五月初五) · 中秋 1 day (八月十五) · 国庆 3 days (1–3 Oct).
// Article 6 of the same rules: a holiday that falls on a Saturday or Sunday is given on a following working day
// (补假). We give it on the first Monday–Friday after the holiday's stretch that is not itself a holiday; a day on
// which two holidays coincide (中秋 inside 国庆, as in 2028) is given back the same way. We never guess 调休 makeup
// working days: the State Council's weekend swaps vary every year, and a guessed makeup day would shorten limits.
//
// Lunar dates and the 清明 solar term come from `tyme4ts` (6tail's successor to lunar-javascript); the tests check
// it against `lunar-typescript` for every year the platform may derive.
import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import type { CalendarEntry } from './calendar.js';

export type StatutoryHoliday = 'new_year' | 'spring_festival' | 'qingming' | 'labour_day' | 'dragon_boat' | 'mid_autumn' | 'national_day';

export const STATUTORY_HOLIDAY_NAMES: Record<StatutoryHoliday, string> = {
  new_year: '元旦',
  spring_festival: '春节',
  qingming: '清明节',
  labour_day: '劳动节',
  dragon_boat: '端午节',
  mid_autumn: '中秋节',
  national_day: '国庆节',
};

/** The lunar library's supported range is far wider; this is the range the platform accepts. */
export const PROVISIONAL_MIN_YEAR = 2000;
export const PROVISIONAL_MAX_YEAR = 2099;

const DAY = 86_400_000;

function dayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / DAY;
}

function dayOfSolar(s: SolarDay): number {
  return dayNumber(s.getYear(), s.getMonth(), s.getDay());
}

function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function isWeekend(day: number): boolean {
  const wd = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return wd === 0 || wd === 6;
}

export interface StatutoryHolidayDays {
  holiday: StatutoryHoliday;
  /** day numbers (days since 1970-01-01), ascending */
  days: number[];
  /** the day that names the holiday (正月初一 for 春节, 1 Oct for 国庆 …): an import covering all seven is a whole year */
  mainDay: number;
}

/** The statutory holidays of a Gregorian year, each with its days. */
export function statutoryHolidays(year: number): StatutoryHolidayDays[] {
  if (!Number.isInteger(year) || year < PROVISIONAL_MIN_YEAR || year > PROVISIONAL_MAX_YEAR) {
    throw new RangeError(`no statutory holidays are derived for ${year}`);
  }
  const springDay = dayOfSolar(LunarDay.fromYmd(year, 1, 1).getSolarDay());
  const qingming = dayOfSolar(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay());
  const dragonBoat = dayOfSolar(LunarDay.fromYmd(year, 5, 5).getSolarDay());
  const midAutumn = dayOfSolar(LunarDay.fromYmd(year, 8, 15).getSolarDay());
  const newYear = dayNumber(year, 1, 1);
  const mayDay = dayNumber(year, 5, 1);
  const october = dayNumber(year, 10, 1);
  return [
    { holiday: 'new_year', days: [newYear], mainDay: newYear },
    // 除夕 is the day before 正月初一, whether the twelfth month has 29 or 30 days.
    { holiday: 'spring_festival', days: [springDay - 1, springDay, springDay + 1, springDay + 2], mainDay: springDay },
    { holiday: 'qingming', days: [qingming], mainDay: qingming },
    { holiday: 'labour_day', days: [mayDay, mayDay + 1], mainDay: mayDay },
    { holiday: 'dragon_boat', days: [dragonBoat], mainDay: dragonBoat },
    { holiday: 'mid_autumn', days: [midAutumn], mainDay: midAutumn },
    { holiday: 'national_day', days: [october, october + 1, october + 2], mainDay: october },
  ];
}

/**
 * The provisional holidays of a year: the statutory days plus their 补假 days, as calendar entries (all
 * `holiday`; no makeup working days). A 补假 may fall in the following January only in theory; it is returned
 * with its own date either way.
 */
export function provisionalYear(year: number): CalendarEntry[] {
  const holidays = statutoryHolidays(year);
  // Stretches of consecutive holiday days (中秋 may join 国庆); a day claimed twice is one day lost.
  const owner = new Map<number, StatutoryHoliday[]>();
  for (const h of holidays) for (const d of h.days) owner.set(d, [...(owner.get(d) ?? []), h.holiday]);
  const days = [...owner.keys()].sort((a, b) => a - b);
  const entries = new Map<number, CalendarEntry>();
  for (const d of days) {
    entries.set(d, { date: isoDate(d), kind: 'holiday', note: owner.get(d)!.map((h) => STATUTORY_HOLIDAY_NAMES[h]).join('、') });
  }
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j += 1;
    const stretch = days.slice(i, j + 1);
    let owed = 0;
    for (const d of stretch) owed += (isWeekend(d) ? 1 : 0) + owner.get(d)!.length - 1;
    const name = [...new Set(stretch.flatMap((d) => owner.get(d)!))].map((h) => STATUTORY_HOLIDAY_NAMES[h]).join('、');
    for (let d = stretch[stretch.length - 1]! + 1; owed > 0; d++) {
      if (isWeekend(d) || entries.has(d)) continue;
      entries.set(d, { date: isoDate(d), kind: 'holiday', note: `${name}补假` });
      owed -= 1;
    }
    i = j + 1;
  }
  return [...entries.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
}
