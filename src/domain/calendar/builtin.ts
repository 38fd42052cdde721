// The official calendar shipped with the platform: the years the maintained `chinese-days` package knows
// (public holidays and 调休 makeup working days of the State Council's schedules), as CalendarEntry rows.
// To ship a newer year, update the package; until then administrators import it as overrides.
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { CalendarEntry } from './calendar.js';

/** The package's shape: date → "English name,中文名,days". `inLieuDays` (调休 days off) are also in `holidays`. */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

/** "Spring Festival,春节,4" → 春节 */
function noteOf(raw: string): string {
  return raw.split(',')[1] ?? raw;
}

function toEntries(d: ChineseDaysData): CalendarEntry[] {
  const entries: CalendarEntry[] = [
    ...Object.entries(d.holidays).map(([date, raw]): CalendarEntry => ({ date, kind: 'holiday', note: noteOf(raw) })),
    ...Object.entries(d.workdays).map(([date, raw]): CalendarEntry => ({ date, kind: 'workday', note: `${noteOf(raw)}补班` })),
  ];
  return entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export const BUILTIN_DAYS: readonly CalendarEntry[] = Object.freeze(toEntries(data as ChineseDaysData));
