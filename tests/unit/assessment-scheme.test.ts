// Scoring and ranking rules of an assessment scheme, and the period keys (pure).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePeriod, weekKey, zeroBase, type BaseCounts } from '../../src/domain/assessment/indicators.js';
import { defaultScheme, rankUnits, schemeProblems, scoreUnit, type Scheme } from '../../src/domain/assessment/scheme.js';
import { leaderboard } from '../../src/domain/assessment/points.js';

const counts = (c: Partial<BaseCounts>): BaseCounts => ({ ...zeroBase(), ...c });
const scheme: Scheme = { ...defaultScheme(2026), items: [{ indicator: 'on_time_rate', weight: 60 }, { indicator: 'rework_rate', weight: 40 }], penaltyPerOverdue: 1, bonusPerFixOnSpot: 0.5, minVolume: 2, tie: 'shared', boardSize: 1 };

describe('scoring', () => {
  it('rates × weights, rework inverted, −1 per case handled late, bonus per fix on the spot', () => {
    // 8 of 10 on time (2 late), 1 of 10 reworked, 2 fixes: 0.8×60 + 0.9×40 − 2 + 1 = 83
    expect(scoreUnit(scheme, counts({ handled: 10, handled_on_time: 8, handled_reworked: 1, fixed_on_spot: 2 })).score).toBe(83);
  });
  it('no measurable item: no score; an unmeasurable item leaves the weights scaled to their total', () => {
    expect(scoreUnit(scheme, counts({ reported: 5 })).score).toBeNull();
    const s = { ...scheme, items: [{ indicator: 'on_time_rate' as const, weight: 50 }, { indicator: 'satisfaction_rate' as const, weight: 50 }], bonusPerFixOnSpot: 0 };
    expect(scoreUnit(s, counts({ handled: 4, handled_on_time: 4 })).score).toBe(100);
  });
  it('minimum volume lists without ranking; equal scores share a rank; red and black lists', () => {
    const unit = (id: number, c: Partial<BaseCounts>) => ({ unitId: id, name: `u${id}`, code: `c${id}`, counts: counts(c) });
    const rows = rankUnits(scheme, 'grid', [
      unit(1, { accepted: 3, handled: 2, handled_on_time: 2 }),
      unit(2, { accepted: 3, handled: 2, handled_on_time: 2 }),
      unit(3, { accepted: 3, handled: 2, handled_on_time: 1 }),
      unit(4, { accepted: 1, handled: 1, handled_on_time: 1 }),
    ], () => ({}));
    expect(rows.map((r) => [r.unitId, r.rank, r.ranked, r.board])).toEqual([[1, 1, true, 'red'], [2, 1, true, 'red'], [3, 3, true, 'black'], [4, null, false, null]]);
    const byVolume = rankUnits({ ...scheme, tie: 'volume' }, 'grid', [unit(1, { accepted: 3, handled: 2, handled_on_time: 2 }), unit(2, { accepted: 5, handled: 2, handled_on_time: 2 })], () => ({}));
    expect(byVolume.map((r) => [r.unitId, r.rank])).toEqual([[2, 1], [1, 2]]);
  });
  it('ranks never decrease down the list and ranked units come first (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ a: fc.nat(6), h: fc.nat(6), o: fc.nat(6) }), { maxLength: 12 }), (us) => {
        const rows = rankUnits(scheme, 'community', us.map((u, i) => ({ unitId: i, name: `n${i}`, code: `c${String(i).padStart(2, '0')}`, counts: counts({ accepted: u.a, handled: u.h, handled_on_time: Math.min(u.o, u.h) }) })), () => ({}));
        const ranked = rows.filter((r) => r.ranked);
        expect(rows.slice(0, ranked.length).every((r) => r.ranked)).toBe(true);
        for (let i = 1; i < ranked.length; i++) expect(ranked[i]!.rank!).toBeGreaterThanOrEqual(ranked[i - 1]!.rank!);
      }),
    );
  });
  it('scheme problems are named', () => {
    expect(schemeProblems({ ...scheme, items: [{ indicator: 'closure_rate', weight: 0 }, { indicator: 'closure_rate', weight: 5 }] })).toEqual(['weight:closure_rate', 'repeated:closure_rate']);
    expect(schemeProblems(defaultScheme(2026))).toEqual([]);
  });
  it('points leaderboard shares ranks', () => {
    expect(leaderboard([{ name: 'a', points: 3 }, { name: 'b', points: 5 }, { name: 'c', points: 3 }]).map((r) => [r.name, r.rank])).toEqual([['b', 1], ['a', 2], ['c', 2]]);
  });
});

describe('periods', () => {
  it('months, quarters, ISO weeks and years', () => {
    expect(parsePeriod('2024-02')).toMatchObject({ kind: 'month', from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriod('2026-Q4')).toMatchObject({ kind: 'quarter', from: '2026-10-01', to: '2026-12-31' });
    expect(parsePeriod('2026-W01')).toMatchObject({ kind: 'week', from: '2025-12-29', to: '2026-01-04' });
    expect(parsePeriod('2026')).toMatchObject({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    for (const bad of ['2026-13', '2026-Q5', '2026-W54', '26-01', '2026-1']) expect(parsePeriod(bad)).toBeNull();
  });
  it('every day lies in the ISO week its key names (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), (n) => {
        const day = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        const p = parsePeriod(weekKey(day))!;
        expect(day >= p.from && day <= p.to).toBe(true);
      }),
    );
  });
});
