// The lifecycle engine on a definition of its own (not the case workflow, which tests/unit/workflow*.test.ts cover):
// a definition with a typo is refused when it loads; decide checks role, state, relation, guard and input in that
// order; allowedMoves offers exactly the moves decide accepts with complete input; system moves are never offered.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedMoves, decide, defineLifecycle, describeLifecycle, isOpenState, moverRoles } from '../../src/domain/lifecycle/engine.js';
import { DomainError } from '../../src/domain/errors.js';
import { ROLES, type Role } from '../../src/shared/vocabulary.js';

type S = 'open' | 'fixing' | 'closed';
type M = 'raise' | 'fix' | 'close' | 'expire';
interface F {
  state: S | null;
  isOwner: boolean;
  blocked: boolean;
}
interface I {
  note?: string;
}

const def = defineLifecycle<S, M, F, 'note', 'owner', I>({
  kind: 'toy',
  states: ['open', 'fixing', 'closed'],
  open: ['open', 'fixing'],
  final: ['closed'],
  moves: {
    raise: { from: [null], to: 'open', roles: ['grid_worker'], requires: [] },
    fix: { from: ['open'], to: 'fixing', roles: ['department'], relation: 'owner', requires: ['note'] },
    close: { from: ['fixing'], to: 'closed', roles: ['operator'], requires: [], guard: (f) => (f.blocked ? 'suspend_pending' : null) },
    expire: { from: ['open', 'fixing'], to: 'closed', roles: ['operator'], requires: [], system: true },
  },
  relationHolds: (_rel, _role, f) => f.isOwner,
  relationRefusal: () => 'not_your_work_order',
  missing: (field, input) => (field === 'note' && !input.note?.trim() ? 'move_needs_note' : null),
});

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
};
const NOW = new Date('2026-12-03T02:00:00Z');

describe('defineLifecycle', () => {
  it('refuses a definition naming an unknown state, or open and final states that do not split the states', () => {
    const base = { kind: 'bad', relationHolds: () => true, relationRefusal: () => 'forbidden' as const, missing: () => null };
    expect(() =>
      defineLifecycle({ ...base, states: ['a', 'b'], open: ['a'], final: ['b'], moves: { go: { from: ['a'], to: 'c' as 'a', roles: ['operator'], requires: [] } } }),
    ).toThrow(/unknown to-state c/);
    expect(() => defineLifecycle({ ...base, states: ['a', 'b'], open: ['a'], final: [], moves: {} })).toThrow(/split/);
    expect(() => defineLifecycle({ ...base, states: ['a'], open: ['a'], final: [], moves: { go: { from: ['a'], to: 'a', roles: [], requires: [] } } })).toThrow(
      /no role/,
    );
  });
});

describe('decide', () => {
  const facts = (state: S | null, over: Partial<F> = {}): F => ({ state, isOwner: true, blocked: false, ...over });
  it('checks role, then state, then relation, then guard, then input', () => {
    expect(codeOf(() => decide(def, 'fix', 'operator', facts('closed', { isOwner: false }), {}, NOW))).toBe('move_forbidden_for_role');
    expect(codeOf(() => decide(def, 'fix', 'department', facts('closed', { isOwner: false }), {}, NOW))).toBe('move_not_allowed_in_state');
    expect(codeOf(() => decide(def, 'fix', 'department', facts('open', { isOwner: false }), {}, NOW))).toBe('not_your_work_order');
    expect(codeOf(() => decide(def, 'fix', 'department', facts('open'), { note: ' ' }, NOW))).toBe('move_needs_note');
    expect(codeOf(() => decide(def, 'close', 'operator', facts('fixing', { blocked: true }), {}, NOW))).toBe('suspend_pending');
    expect(decide(def, 'fix', 'department', facts('open'), { note: '已安排' }, NOW)).toEqual({ from: 'open', to: 'fixing' });
    expect(decide(def, 'raise', 'grid_worker', facts(null), {}, NOW)).toEqual({ from: null, to: 'open' });
  });

  it('allowedMoves is exactly the non-system moves decide accepts with complete input', () => {
    const anyFacts = fc.record({ state: fc.constantFrom<S | null>(null, 'open', 'fixing', 'closed'), isOwner: fc.boolean(), blocked: fc.boolean() });
    fc.assert(
      fc.property(fc.constantFrom<Role>(...ROLES), anyFacts, (role, f) => {
        const allowed = allowedMoves(def, role, f, NOW);
        for (const m of Object.keys(def.moves) as M[]) {
          const ok = codeOf(() => decide(def, m, role, f, { note: '说明' }, NOW)) === null;
          const offered = ok && !def.moves[m].system && f.state !== null;
          expect(allowed.includes(m), `${role}/${f.state}/${m}`).toBe(offered);
        }
      }),
    );
  });
});

describe('describing a lifecycle', () => {
  it('serves every move with its states, roles and required input, and names the roles that move by hand', () => {
    const d = describeLifecycle(def);
    expect(d).toMatchObject({ kind: 'toy', open: ['open', 'fixing'], final: ['closed'] });
    expect(d.moves.find((m) => m.name === 'fix')).toEqual({ name: 'fix', from: ['open'], to: 'fixing', roles: ['department'], relation: 'owner', requires: ['note'], system: false });
    expect(d.moves.find((m) => m.name === 'expire')?.system).toBe(true);
    expect(moverRoles(def).sort()).toEqual(['department', 'grid_worker', 'operator']);
    expect(isOpenState(def, 'fixing')).toBe(true);
    expect(isOpenState(def, 'closed')).toBe(false);
  });
});
