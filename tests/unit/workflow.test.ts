// The workflow table and the one function that decides a move: the table as written in DOMAIN.md ("States and
// moves"), every refusal (role, state, relation to the case, guards, missing input), allowedMoves and the inboxes,
// and properties over random histories.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allowedMoves,
  decideMove,
  FINAL_STATES,
  inboxOf,
  isOpen,
  NO_FACTS,
  OPEN_STATES,
  WORKFLOW,
  type CaseFacts,
  type MoveInputFacts,
} from '../../src/domain/cases/workflow.js';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import { CASE_STATES, MOVE_NAMES, RATINGS, ROLES, type CaseState, type MoveName, type Role } from '../../src/shared/vocabulary.js';

const NOW = new Date('2026-03-02T08:00:00+08:00');
const LATER = new Date(NOW.getTime() + 3 * 86_400_000);
const EARLIER = new Date(NOW.getTime() - 60_000);

/** Input carrying everything any move may need, so only role, state, relation and guards can refuse. */
const FULL: MoveInputFacts = { note: '说明', departmentId: 1, deadline: LATER, masterId: 7, rating: 4, gridId: 5 };

/** Facts under which every relation holds and every guard passes for the move. */
function favourable(move: MoveName, state: CaseState | null): CaseFacts {
  const wantsPendingExtension = move === 'grant_extension' || move === 'deny_extension';
  const wantsPendingSuspend = move === 'suspend' || move === 'deny_suspend';
  return {
    ...NO_FACTS,
    state,
    isMainDepartment: move !== 'co_report',
    isCoDepartment: move === 'co_report',
    isReporter: true,
    hasDepartment: true,
    pendingExtension: wantsPendingExtension,
    pendingSuspend: wantsPendingSuspend,
    rating: move === 'reopen' ? 1 : null,
    returnOpenUntil: LATER,
    routed: true,
  };
}

function codeOf(fn: () => unknown): DomainErrorCode | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
}
const decide = (move: MoveName, role: Role, facts: CaseFacts, input: MoveInputFacts = FULL, now = NOW) =>
  codeOf(() => decideMove(move, role, facts, input, now));

const INPUT_ERRORS: DomainErrorCode[] = [
  'move_needs_note',
  'move_needs_department',
  'move_needs_deadline',
  'move_needs_master',
  'move_needs_rating',
  'move_needs_grid',
  'deadline_in_past',
];
const STANDING_ERRORS: DomainErrorCode[] = [
  'not_your_work_order',
  'not_co_department',
  'return_too_late',
  'extension_pending',
  'no_extension_pending',
  'suspend_pending',
  'no_suspend_pending',
  'fix_on_spot_cannot_fail',
  'already_evaluated',
  'reopen_needs_unsatisfied',
  'case_unrouted',
];

describe('the workflow table', () => {
  // DOMAIN.md "States and moves", as the platform implements it.
  type Expected = { from: (CaseState | null)[]; to: CaseState | 'same'; roles: Role[]; relation?: string; requires: string[]; system?: boolean };
  const OPEN: CaseState[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'];
  const expected: Record<MoveName, Expected> = {
    report: { from: [null], to: 'reported', roles: ['grid_worker', 'operator', 'citizen'], requires: [] },
    fix_on_spot: { from: [null], to: 'handled', roles: ['grid_worker'], requires: ['note'] },
    route: { from: ['reported', 'accepted'], to: 'same', roles: ['operator'], requires: ['gridId'] },
    accept: { from: ['reported'], to: 'accepted', roles: ['operator'], requires: [] },
    reject: { from: ['reported'], to: 'rejected', roles: ['operator'], requires: ['note'] },
    merge: { from: ['reported'], to: 'merged', roles: ['operator'], requires: ['masterId'] },
    dispatch: { from: ['accepted'], to: 'dispatched', roles: ['operator'], requires: ['departmentId'] },
    sign: { from: ['dispatched'], to: 'in_progress', roles: ['department'], relation: 'main_department', requires: [] },
    return: { from: ['dispatched', 'in_progress'], to: 'accepted', roles: ['department'], relation: 'main_department', requires: ['note'] },
    request_extension: { from: ['in_progress'], to: 'same', roles: ['department'], relation: 'main_department', requires: ['note', 'deadline'] },
    grant_extension: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: [] },
    deny_extension: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: ['note'] },
    co_report: { from: ['in_progress'], to: 'same', roles: ['department'], relation: 'co_department', requires: ['note'] },
    request_suspend: { from: ['in_progress'], to: 'same', roles: ['department'], relation: 'main_department', requires: ['note'] },
    suspend: { from: ['in_progress'], to: 'suspended', roles: ['operator'], requires: [] },
    deny_suspend: { from: ['in_progress'], to: 'same', roles: ['operator'], requires: ['note'] },
    resume: { from: ['suspended'], to: 'in_progress', roles: ['operator'], requires: [] },
    handle: { from: ['in_progress'], to: 'handled', roles: ['department'], relation: 'main_department', requires: ['note'] },
    verify_pass: { from: ['handled'], to: 'verified', roles: ['grid_worker'], requires: [] },
    verify_fail: { from: ['handled'], to: 'dispatched', roles: ['grid_worker'], requires: ['note'] },
    close: { from: ['verified'], to: 'closed', roles: ['operator'], requires: [] },
    follow_master: { from: ['merged'], to: 'closed', roles: ['operator'], requires: [], system: true },
    evaluate: { from: ['closed'], to: 'same', roles: ['citizen', 'operator'], relation: 'reporter_or_operator', requires: ['rating'] },
    reopen: { from: ['closed'], to: 'accepted', roles: ['operator'], requires: ['note'] },
    supervise: { from: OPEN, to: 'same', roles: ['leader'], requires: ['note'] },
  };

  it('has exactly one rule per move name', () => {
    expect(Object.keys(WORKFLOW).sort()).toEqual([...MOVE_NAMES].sort());
  });

  it.each(MOVE_NAMES)('%s: from, to, roles, relation, requirements', (m) => {
    const rule = WORKFLOW[m];
    const want = expected[m];
    expect([...rule.from].sort()).toEqual([...want.from].sort());
    expect(rule.to).toBe(want.to);
    expect([...rule.roles].sort()).toEqual([...want.roles].sort());
    expect(rule.relation).toBe(want.relation);
    expect([...rule.requires].sort()).toEqual([...want.requires].sort());
    expect(Boolean(rule.system)).toBe(Boolean(want.system));
  });

  it('only uses known states and roles', () => {
    for (const rule of Object.values(WORKFLOW)) {
      for (const s of rule.from) if (s !== null) expect(CASE_STATES).toContain(s);
      if (rule.to !== 'same') expect(CASE_STATES).toContain(rule.to);
      else expect(rule.from).not.toContain(null);
      for (const r of rule.roles) expect(ROLES).toContain(r);
    }
  });

  it('splits the states into open and final', () => {
    expect([...OPEN_STATES, ...FINAL_STATES].sort()).toEqual([...CASE_STATES].sort());
    expect(OPEN_STATES.filter((s) => FINAL_STATES.includes(s))).toEqual([]);
    for (const s of CASE_STATES) expect(isOpen(s)).toBe(OPEN_STATES.includes(s));
  });

  it('leaves a rejected case with no move at all, and a merged one only to follow its master', () => {
    for (const [m, rule] of Object.entries(WORKFLOW)) {
      expect(rule.from, m).not.toContain('rejected');
      if (rule.from.includes('merged')) expect(m).toBe('follow_master');
    }
  });

  it('reaches every state from "not reported"', () => {
    const seen = new Set<CaseState | null>([null]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const rule of Object.values(WORKFLOW))
        if (rule.to !== 'same' && rule.from.some((f) => seen.has(f)) && !seen.has(rule.to)) {
          seen.add(rule.to);
          grew = true;
        }
    }
    for (const s of CASE_STATES) expect(seen.has(s), s).toBe(true);
  });
});

describe('decideMove', () => {
  it.each(MOVE_NAMES)('%s: leads from each of its states to its target, for each of its roles', (m) => {
    const rule = WORKFLOW[m];
    for (const role of rule.roles)
      for (const from of rule.from) {
        const to = rule.to === 'same' ? from : rule.to;
        expect(decideMove(m, role, favourable(m, from), FULL, NOW)).toEqual({ from, to });
      }
  });

  it('refuses a role the rule does not name, naming move and role', () => {
    try {
      decideMove('accept', 'grid_worker', { ...NO_FACTS, state: 'reported' }, {}, NOW);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('move_forbidden_for_role');
      expect((e as DomainError).params).toEqual({ move: 'accept', role: 'grid_worker' });
    }
    for (const m of MOVE_NAMES)
      for (const role of ROLES.filter((r) => !WORKFLOW[m].roles.includes(r)))
        expect(decide(m, role, favourable(m, WORKFLOW[m].from[0]!)), `${m}/${role}`).toBe('move_forbidden_for_role');
  });

  it('refuses a state the rule does not start from, naming the state ("none" before a report)', () => {
    try {
      decideMove('close', 'operator', { ...NO_FACTS, state: 'handled' }, {}, NOW);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('move_not_allowed_in_state');
      expect((e as DomainError).params).toEqual({ move: 'close', state: 'handled' });
    }
    try {
      decideMove('accept', 'operator', NO_FACTS, {}, NOW);
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).params).toEqual({ move: 'accept', state: 'none' });
    }
    for (const m of MOVE_NAMES)
      for (const state of [null, ...CASE_STATES].filter((s) => !WORKFLOW[m].from.includes(s)))
        expect(decide(m, WORKFLOW[m].roles[0]!, favourable(m, state)), `${m} in ${state}`).toBe('move_not_allowed_in_state');
  });

  it('checks role, then state, then standing, then input', () => {
    expect(decide('sign', 'operator', { ...NO_FACTS, state: 'closed' })).toBe('move_forbidden_for_role');
    expect(decide('sign', 'department', { ...NO_FACTS, state: 'closed' }, {})).toBe('move_not_allowed_in_state');
    expect(decide('handle', 'department', { ...NO_FACTS, state: 'in_progress' }, {})).toBe('not_your_work_order');
    expect(decide('handle', 'department', { ...NO_FACTS, state: 'in_progress', isMainDepartment: true, pendingSuspend: true }, {})).toBe('suspend_pending');
    expect(decide('handle', 'department', { ...NO_FACTS, state: 'in_progress', isMainDepartment: true }, {})).toBe('move_needs_note');
  });

  describe('standing: the actor’s relation to the case', () => {
    const inProgress: CaseFacts = { ...NO_FACTS, state: 'in_progress', hasDepartment: true, returnOpenUntil: LATER };
    it('only the main department signs, handles, returns, asks for extension or suspension', () => {
      for (const m of ['handle', 'return', 'request_extension', 'request_suspend'] as const) {
        expect(decide(m, 'department', inProgress), m).toBe('not_your_work_order');
        expect(decide(m, 'department', { ...inProgress, isCoDepartment: true }), m).toBe('not_your_work_order');
        expect(decide(m, 'department', { ...inProgress, isMainDepartment: true }), m).toBeNull();
      }
      expect(decide('sign', 'department', { ...NO_FACTS, state: 'dispatched' })).toBe('not_your_work_order');
    });
    it('only a co-handling department reports its part', () => {
      expect(decide('co_report', 'department', { ...inProgress, isMainDepartment: true })).toBe('not_co_department');
      expect(decide('co_report', 'department', { ...inProgress, isCoDepartment: true })).toBeNull();
    });
    it('a citizen evaluates only its own report; the operator (回访) any', () => {
      const closed: CaseFacts = { ...NO_FACTS, state: 'closed' };
      expect(decide('evaluate', 'citizen', closed)).toBe('not_your_work_order');
      expect(decide('evaluate', 'citizen', { ...closed, isReporter: true })).toBeNull();
      expect(decide('evaluate', 'operator', closed)).toBeNull();
    });
  });

  describe('guards', () => {
    const ip = (f: Partial<CaseFacts> = {}): CaseFacts => ({ ...NO_FACTS, state: 'in_progress', isMainDepartment: true, hasDepartment: true, ...f });
    it('a work order can be returned only within its return window', () => {
      expect(decide('return', 'department', ip({ returnOpenUntil: EARLIER }))).toBe('return_too_late');
      expect(decide('return', 'department', ip({ returnOpenUntil: NOW }))).toBeNull();
      expect(decide('return', 'department', ip({ returnOpenUntil: null }))).toBeNull();
      expect(decide('return', 'department', { ...ip({ returnOpenUntil: EARLIER }), state: 'dispatched' })).toBe('return_too_late');
    });
    it('one extension request at a time, answered only when there is one', () => {
      expect(decide('request_extension', 'department', ip({ pendingExtension: true }))).toBe('extension_pending');
      expect(decide('grant_extension', 'operator', ip())).toBe('no_extension_pending');
      expect(decide('deny_extension', 'operator', ip())).toBe('no_extension_pending');
      expect(decide('grant_extension', 'operator', ip({ pendingExtension: true }))).toBeNull();
    });
    it('one suspension request at a time; no handling while one is pending', () => {
      expect(decide('request_suspend', 'department', ip({ pendingSuspend: true }))).toBe('suspend_pending');
      expect(decide('handle', 'department', ip({ pendingSuspend: true }))).toBe('suspend_pending');
      expect(decide('suspend', 'operator', ip())).toBe('no_suspend_pending');
      expect(decide('deny_suspend', 'operator', ip())).toBe('no_suspend_pending');
      expect(decide('suspend', 'operator', ip({ pendingSuspend: true }))).toBeNull();
    });
    it('a case in the unrouted queue must be routed to a grid before it is accepted', () => {
      expect(decide('accept', 'operator', { ...NO_FACTS, state: 'reported', routed: false })).toBe('case_unrouted');
      expect(decide('route', 'operator', { ...NO_FACTS, state: 'reported', routed: false })).toBeNull();
      expect(decide('route', 'operator', { ...NO_FACTS, state: 'reported', routed: false }, {})).toBe('move_needs_grid');
      expect(decide('accept', 'operator', { ...NO_FACTS, state: 'reported', routed: true })).toBeNull();
    });
    it('a case fixed on the spot (no department) cannot fail verification', () => {
      const handled: CaseFacts = { ...NO_FACTS, state: 'handled' };
      expect(decide('verify_fail', 'grid_worker', handled)).toBe('fix_on_spot_cannot_fail');
      expect(decide('verify_fail', 'grid_worker', { ...handled, hasDepartment: true })).toBeNull();
      expect(decide('verify_pass', 'grid_worker', handled)).toBeNull();
    });
    it('a case is evaluated once, and reopened only after an unsatisfied rating', () => {
      const closed: CaseFacts = { ...NO_FACTS, state: 'closed', isReporter: true };
      for (const rating of RATINGS) {
        expect(decide('evaluate', 'citizen', { ...closed, rating })).toBe('already_evaluated');
        expect(decide('reopen', 'operator', { ...closed, rating }), `rating ${rating}`).toBe(rating <= 2 ? null : 'reopen_needs_unsatisfied');
      }
      expect(decide('reopen', 'operator', closed)).toBe('reopen_needs_unsatisfied');
    });
  });

  describe('input', () => {
    it('needs a non-blank note where the table says so', () => {
      for (const m of MOVE_NAMES.filter((x) => WORKFLOW[x].requires.includes('note'))) {
        const role = WORKFLOW[m].roles[0]!;
        const facts = favourable(m, WORKFLOW[m].from[0]!);
        for (const note of [undefined, '', '  \n\t']) expect(decide(m, role, facts, { ...FULL, note }), `${m} ${JSON.stringify(note)}`).toBe('move_needs_note');
        expect(decide(m, role, facts, { ...FULL, note: ' 已处理 ' })).toBeNull();
      }
    });
    it('needs a department to dispatch, but not a deadline (it follows from the time limits)', () => {
      const accepted: CaseFacts = { ...NO_FACTS, state: 'accepted' };
      expect(decide('dispatch', 'operator', accepted, {})).toBe('move_needs_department');
      expect(decide('dispatch', 'operator', accepted, { departmentId: 3 })).toBeNull();
    });
    it('refuses a deadline that is not in the future, on any move that carries one', () => {
      const accepted: CaseFacts = { ...NO_FACTS, state: 'accepted' };
      expect(decide('dispatch', 'operator', accepted, { departmentId: 3, deadline: EARLIER })).toBe('deadline_in_past');
      expect(decide('dispatch', 'operator', accepted, { departmentId: 3, deadline: NOW })).toBe('deadline_in_past');
      expect(decide('dispatch', 'operator', accepted, { departmentId: 3, deadline: new Date(NOW.getTime() + 1) })).toBeNull();
      const ip: CaseFacts = { ...NO_FACTS, state: 'in_progress', isMainDepartment: true };
      expect(decide('request_extension', 'department', ip, { note: '需要更多时间' })).toBe('move_needs_deadline');
      expect(decide('request_extension', 'department', ip, { note: '需要更多时间', deadline: EARLIER })).toBe('deadline_in_past');
    });
    it('needs the master case to merge into', () => {
      expect(decide('merge', 'operator', { ...NO_FACTS, state: 'reported' }, {})).toBe('move_needs_master');
    });
    it('needs a whole rating from 1 to 5 to evaluate', () => {
      const closed: CaseFacts = { ...NO_FACTS, state: 'closed' };
      for (const rating of [undefined, 0, 6, 2.5, -1, Number.NaN]) expect(decide('evaluate', 'operator', closed, { rating }), String(rating)).toBe('move_needs_rating');
      for (const rating of RATINGS) expect(decide('evaluate', 'operator', closed, { rating })).toBeNull();
    });
    it('does not ask for input a move does not need', () => {
      expect(decideMove('accept', 'operator', { ...NO_FACTS, state: 'reported' }, {}, NOW)).toEqual({ from: 'reported', to: 'accepted' });
      expect(decideMove('report', 'citizen', NO_FACTS, {}, NOW)).toEqual({ from: null, to: 'reported' });
      expect(decideMove('supervise', 'leader', { ...NO_FACTS, state: 'suspended' }, { note: '请加快办理' }, NOW)).toEqual({ from: 'suspended', to: 'suspended' });
    });
  });
});

describe('allowedMoves', () => {
  /** Plain facts: the actor has no relation to the case beyond its role, nothing is pending. */
  const plain = (state: CaseState, f: Partial<CaseFacts> = {}): CaseFacts => ({ ...NO_FACTS, state, hasDepartment: true, returnOpenUntil: LATER, ...f });
  const allowed = (role: Role, facts: CaseFacts) => allowedMoves(role, facts, NOW).sort();

  it('offers the operator, leader and grid worker exactly their moves along the loop', () => {
    const open = OPEN_STATES;
    for (const state of CASE_STATES) expect(allowed('leader', plain(state)), state).toEqual(open.includes(state) ? ['supervise'] : []);
    expect(allowed('operator', plain('reported'))).toEqual(['accept', 'merge', 'reject', 'route']);
    expect(allowed('operator', plain('reported', { routed: false }))).toEqual(['merge', 'reject', 'route']);
    expect(allowed('operator', plain('accepted'))).toEqual(['dispatch', 'route']);
    expect(allowed('operator', plain('dispatched'))).toEqual([]);
    expect(allowed('operator', plain('in_progress'))).toEqual([]);
    expect(allowed('operator', plain('in_progress', { pendingExtension: true, pendingSuspend: true }))).toEqual(['deny_extension', 'deny_suspend', 'grant_extension', 'suspend']);
    expect(allowed('operator', plain('suspended'))).toEqual(['resume']);
    expect(allowed('operator', plain('verified'))).toEqual(['close']);
    expect(allowed('operator', plain('closed'))).toEqual(['evaluate']);
    expect(allowed('operator', plain('closed', { rating: 1 }))).toEqual(['reopen']);
    expect(allowed('operator', plain('closed', { rating: 3 }))).toEqual([]);
    expect(allowed('operator', plain('merged'))).toEqual([]); // follow_master is the system's
    expect(allowed('grid_worker', plain('handled'))).toEqual(['verify_fail', 'verify_pass']);
    expect(allowed('grid_worker', plain('handled', { hasDepartment: false }))).toEqual(['verify_pass']);
  });

  it('offers a department only what its standing allows', () => {
    expect(allowed('department', plain('dispatched'))).toEqual([]);
    expect(allowed('department', plain('dispatched', { isMainDepartment: true }))).toEqual(['return', 'sign']);
    expect(allowed('department', plain('dispatched', { isMainDepartment: true, returnOpenUntil: EARLIER }))).toEqual(['sign']);
    expect(allowed('department', plain('in_progress', { isMainDepartment: true }))).toEqual(['handle', 'request_extension', 'request_suspend', 'return']);
    expect(allowed('department', plain('in_progress', { isMainDepartment: true, pendingSuspend: true, pendingExtension: true, returnOpenUntil: EARLIER }))).toEqual([]);
    expect(allowed('department', plain('in_progress', { isCoDepartment: true }))).toEqual(['co_report']);
  });

  it('offers a citizen only the evaluation of its own closed, unrated report', () => {
    for (const state of CASE_STATES) expect(allowed('citizen', plain(state, { isReporter: true })), state).toEqual(state === 'closed' ? ['evaluate'] : []);
    expect(allowed('citizen', plain('closed'))).toEqual([]);
    expect(allowed('citizen', plain('closed', { isReporter: true, rating: 5 }))).toEqual([]);
  });

  it('offers the administrator nothing, ever', () => {
    for (const state of CASE_STATES) expect(allowed('admin', favourable('accept', state))).toEqual([]);
  });

  it('never offers a report, a fix on the spot or a system move, and nothing before a report', () => {
    for (const role of ROLES) {
      expect(allowedMoves(role, NO_FACTS, NOW)).toEqual([]);
      for (const state of CASE_STATES)
        for (const m of allowedMoves(role, { ...favourable('accept', state), pendingExtension: true, pendingSuspend: true, rating: 1 }, NOW)) {
          expect(['report', 'fix_on_spot', 'follow_master']).not.toContain(m);
        }
    }
  });
});

describe('inboxes', () => {
  it.each([
    ['operator', { states: ['reported', 'accepted', 'verified', 'suspended'], pendingRequests: true, overdueOnly: false, unratedOwn: false, unsatisfied: true }],
    ['department', { states: ['dispatched', 'in_progress'], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false }],
    ['grid_worker', { states: ['handled'], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false }],
    ['leader', { states: ['dispatched', 'in_progress', 'handled'], pendingRequests: false, overdueOnly: true, unratedOwn: false, unsatisfied: false }],
    ['citizen', { states: ['closed'], pendingRequests: false, overdueOnly: false, unratedOwn: true, unsatisfied: false }],
    ['admin', { states: [], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false }],
  ] as const)('%s', (role, box) => {
    const got = inboxOf(role);
    expect({ ...got, states: [...got.states].sort() }).toEqual({ ...box, states: [...box.states].sort() });
  });

  it('every inbox state is one where the role has a move of its own (leaders: supervise)', () => {
    for (const role of ROLES)
      for (const state of inboxOf(role).states) {
        const roleMoves = MOVE_NAMES.filter((m) => !WORKFLOW[m].system && WORKFLOW[m].roles.includes(role) && WORKFLOW[m].from.includes(state));
        expect(roleMoves.length, `${role}/${state}`).toBeGreaterThan(0);
      }
  });
});

describe('properties', () => {
  const anyMove = fc.constantFrom(...MOVE_NAMES);
  const anyRole = fc.constantFrom(...ROLES);
  const anyState = fc.constantFrom(...CASE_STATES);
  const anyInstant = fc.constantFrom<Date | null>(null, EARLIER, NOW, LATER);
  /** Random facts about the actor and the case, except the state. */
  const anyStanding = fc.record({
    isMainDepartment: fc.boolean(),
    isCoDepartment: fc.boolean(),
    isReporter: fc.boolean(),
    hasDepartment: fc.boolean(),
    pendingExtension: fc.boolean(),
    pendingSuspend: fc.boolean(),
    rating: fc.constantFrom(null, ...RATINGS),
    returnOpenUntil: anyInstant,
    routed: fc.boolean(),
  });
  const anyInput: fc.Arbitrary<MoveInputFacts> = fc.oneof(
    fc.constant(FULL),
    fc.constant({}),
    fc.record(
      {
        note: fc.constantFrom(undefined, '', ' ', '说明'),
        departmentId: fc.constantFrom(undefined, 1),
        deadline: fc.constantFrom(undefined, EARLIER, LATER),
        masterId: fc.constantFrom(undefined, 9),
        rating: fc.constantFrom(undefined, 0, 3, 6),
        gridId: fc.constantFrom(undefined, 4),
      },
      { requiredKeys: [] },
    ),
  );

  it('random histories from "not reported" stay inside the table', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyMove, anyRole, anyStanding, anyInput), { maxLength: 60 }), (steps) => {
        let state: CaseState | null = null;
        for (const [m, role, standing, input] of steps) {
          const facts: CaseFacts = { ...NO_FACTS, ...standing, state };
          let decision;
          try {
            decision = decideMove(m, role, facts, input, NOW);
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            continue; // a refused move changes nothing
          }
          const rule = WORKFLOW[m];
          expect(rule.roles).toContain(role);
          expect(rule.from).toContain(state);
          expect(decision.from).toBe(state);
          expect(decision.to).toBe(rule.to === 'same' ? state : rule.to);
          // the accepted step also met the rule's relation, guard and requirements
          expect(allowedMoves(role, facts, NOW).includes(m) || rule.system === true || state === null).toBe(true);
          for (const field of rule.requires) expect(input[field], `${m} needs ${field}`).toBeDefined();
          state = decision.to;
          expect(CASE_STATES).toContain(state);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a final case accepts only what the table lists: nothing when rejected, the system’s follow_master when merged, evaluate or reopen when closed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_STATES), anyMove, anyRole, anyStanding, anyInput, (state, m, role, standing, input) => {
        const code = decide(m, role, { ...NO_FACTS, ...standing, state }, input);
        if (code === null) {
          const permitted: Record<string, MoveName[]> = { rejected: [], merged: ['follow_master'], closed: ['evaluate', 'reopen'] };
          expect(permitted[state]).toContain(m);
          if (state === 'closed' && m === 'reopen') expect(standing.rating).not.toBeNull();
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('allowedMoves lists a move exactly when decideMove has no objection besides missing input', () => {
    fc.assert(
      fc.property(anyRole, anyState, anyMove.filter((m) => !WORKFLOW[m].system), anyStanding, anyInput, (role, state, m, standing, input) => {
        const facts: CaseFacts = { ...NO_FACTS, ...standing, state };
        const code = decide(m, role, facts, input);
        const objection = code !== null && !INPUT_ERRORS.includes(code);
        if (objection) expect(['move_forbidden_for_role', 'move_not_allowed_in_state', ...STANDING_ERRORS]).toContain(code);
        expect(allowedMoves(role, facts, NOW).includes(m), `${role}/${state}/${m}: ${code}`).toBe(!objection);
      }),
      { numRuns: 1000 },
    );
  });

  it('with complete input, allowedMoves ⇔ decideMove succeeds, over every role, state and standing', () => {
    const userMoves = MOVE_NAMES.filter((x) => !WORKFLOW[x].system);
    fc.assert(
      fc.property(anyStanding, (standing) => {
        const mismatches: string[] = [];
        for (const role of ROLES)
          for (const state of CASE_STATES) {
            const facts: CaseFacts = { ...NO_FACTS, ...standing, state };
            const allowed = new Set(allowedMoves(role, facts, NOW));
            for (const m of userMoves) {
              let succeeds = true;
              try {
                decideMove(m, role, facts, FULL, NOW);
              } catch (e) {
                if (!(e instanceof DomainError)) throw e;
                succeeds = false;
              }
              if (allowed.has(m) !== succeeds) mismatches.push(`${role}/${state}/${m}`);
            }
          }
        expect(mismatches).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
