// Statistics, the pure parts: Beijing days, how periods split into whole months and loose days, trend buckets,
// rates and the ranking score, and the list filters numbers link to.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  bucketStart,
  dayCount,
  daysBetween,
  gridIdOfPath,
  metricFilter,
  monthEnd,
  prefixEnd,
  rankingScore,
  rankRows,
  shanghaiDay,
  splitPeriod,
  trendBuckets,
  weekStart,
  zeroCounts,
} from '../../src/domain/stats/stats.js';

const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));

describe('Beijing days', () => {
  it('an instant belongs to its UTC+8 calendar day', () => {
    expect(shanghaiDay(new Date('2026-03-31T15:59:59.999Z'))).toBe('2026-03-31');
    expect(shanghaiDay(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });
  it('month ends, leap years, Monday weeks', () => {
    expect(monthEnd('2024-02-10')).toBe('2024-02-29');
    expect(monthEnd('2026-02-01')).toBe('2026-02-28');
    expect(monthEnd('2026-12-31')).toBe('2026-12-31');
    expect(weekStart('2026-11-22')).toBe('2026-11-16'); // a Sunday belongs to the week that began on Monday
    expect(weekStart('2026-11-16')).toBe('2026-11-16');
    expect(bucketStart('2026-11-22', 'month')).toBe('2026-11-01');
  });
});

describe('splitPeriod', () => {
  it('whole months, and partial months with the days they leave out', () => {
    const s = splitPeriod('2026-01-15', '2026-03-31');
    expect(s.fullMonths).toEqual(['2026-02-01', '2026-03-01']);
    expect(s.partialMonths).toHaveLength(1);
    expect(s.partialMonths[0]!.month).toBe('2026-01-01');
    expect(s.partialMonths[0]!.days).toHaveLength(17);
    expect(s.partialMonths[0]!.complement).toEqual(daysBetween('2026-01-01', '2026-01-14'));
  });
  it('every day of the period is in exactly one whole month or partial-month day list, and nothing else is', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, len) => {
        const to = addDays(from, len);
        const s = splitPeriod(from, to);
        const covered = [...s.fullMonths.flatMap((m) => daysBetween(m, monthEnd(m))), ...s.partialMonths.flatMap((p) => p.days)].sort();
        expect(covered).toEqual(daysBetween(from, to));
        for (const p of s.partialMonths) expect([...p.days, ...p.complement].sort()).toEqual(daysBetween(p.month, monthEnd(p.month)));
      }),
    );
  });
});

describe('trendBuckets', () => {
  it('clip to the period and tile it without gaps or overlaps', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 200 }), fc.constantFrom('day', 'week', 'month' as const), (from, len, bucket) => {
        const to = addDays(from, len);
        const bs = trendBuckets(from, to, bucket);
        expect(bs[0]!.from).toBe(from);
        expect(bs[bs.length - 1]!.to).toBe(to);
        for (let i = 1; i < bs.length; i++) expect(bs[i]!.from).toBe(addDays(bs[i - 1]!.to, 1));
        for (const b of bs) expect(bucketStart(b.from, bucket)).toBe(b.key);
        expect(bs.reduce((n, b) => n + dayCount(b.from, b.to), 0)).toBe(dayCount(from, to));
      }),
    );
  });
});

describe('ranking score', () => {
  it('weights on-time 40, closure 25, satisfaction 20 and no-rework 15', () => {
    const c = { ...zeroCounts(), handled: 10, handled_on_time: 8, handled_reworked: 2, accepted: 10, accepted_closed: 5, rated: 4, satisfied: 4 };
    expect(rankingScore(c)).toBe(Math.round(1000 * (0.4 * 0.8 + 0.25 * 0.5 + 0.2 * 1 + 0.15 * 0.8)) / 10);
  });
  it('leaves out rates with nothing to measure and scales the others up; no rate, no score', () => {
    expect(rankingScore(zeroCounts())).toBeNull();
    expect(rankingScore({ ...zeroCounts(), handled: 2, handled_on_time: 1, accepted: 4, accepted_closed: 1 })).toBe(Math.round(1000 * (0.4 * 0.5 + 0.25 * 0.25 + 0.15 * 1) / 0.8) / 10);
  });
  it('does not rank a unit whose cases are all still being worked on (nothing handled or rated)', () => {
    expect(rankingScore({ ...zeroCounts(), accepted: 4, accepted_closed: 0 })).toBeNull();
    expect(rankingScore({ ...zeroCounts(), accepted: 4, rated: 1, satisfied: 1 })).not.toBeNull();
  });
  it('ranks by score, ties share a rank, unscored last', () => {
    const ranked = rankRows([
      { name: 'b', score: 80 },
      { name: 'a', score: 90 },
      { name: 'c', score: 80 },
      { name: 'd', score: null },
    ]);
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', null],
    ]);
  });
});

describe('list filters', () => {
  it('name the instant a metric counts at and the flag of a rate numerator', () => {
    expect(metricFilter('reported', '2026-01-01', '2026-01-31')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(metricFilter('accepted_closed', 'a', 'b', { gridId: '3' })).toEqual({ event: 'accepted', from: 'a', to: 'b', state: 'closed', gridId: '3' });
    expect(metricFilter('handled_on_time', 'a', 'b')).toEqual({ event: 'handled', from: 'a', to: 'b', onTime: 'true' });
    expect(metricFilter('satisfied', 'a', 'b')).toEqual({ event: 'rated', from: 'a', to: 'b', satisfied: 'true' });
  });
  it('scope prefixes are exact byte ranges', () => {
    expect(prefixEnd('/1/2/')).toBe('/1/20');
    const inside = ['/1/2/', '/1/2/5/g12/', '/1/2/g9/'];
    const outside = ['/1/20/', '/1/3/', '/1/', '/1/2', '/1/2.'];
    for (const p of inside) expect(p >= '/1/2/' && p < prefixEnd('/1/2/')).toBe(true);
    for (const p of outside) expect(p >= '/1/2/' && p < prefixEnd('/1/2/')).toBe(false);
    expect(gridIdOfPath('/1/2/5/g12/')).toBe(12);
    expect(gridIdOfPath('/1/2/5/')).toBeNull();
  });
});
