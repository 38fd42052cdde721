// Properties of the one workflow table (src/domain/cases/workflow.ts) over random histories and random facts:
// decideMove never leaves CASE_STATES, lands exactly where the table says, refuses with a DomainError whose
// code says why (role before state before relation before guard before input); allowedMoves is exactly the
// set of moves decideMove accepts with a complete input; system moves are never offered; the final states
// accept only what the table lists; and each role's inbox holds the states where a move of its own waits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedMoves, decideMove, FINAL_STATES, inboxOf, NO_FACTS, OPEN_STATES, WORKFLOW, type CaseFacts, type MoveInputFacts } from '../../src/domain/cases/workflow.js';
import { DomainError, type DomainErrorCode } from '../../src/domain/errors.js';
import { message } from '../../src/shared/messages.js';
import { CASE_STATES, MOVE_NAMES, RATINGS, ROLES, UNSATISFIED_MAX, type CaseState, type MoveName, type Role } from '../../src/shared/vocabulary.js';

const NOW = new Date('2026-03-04T10:00:00+08:00');
const HOUR = 3_600_000;
const USER_MOVES = MOVE_NAMES.filter((m) => !WORKFLOW[m].system);
const SYSTEM_MOVES = MOVE_NAMES.filter((m) => WORKFLOW[m].system);

/** An input carrying everything any move may need (gridId for a table that routes), with a deadline in the future. */
const COMPLETE = { note: '说明', departmentId: 1, deadline: new Date(NOW.getTime() + 72 * HOUR), masterId: 1, rating: 3, gridId: 1 } as MoveInputFacts;

const arbState = fc.constantFrom<CaseState | null>(null, ...CASE_STATES);
const arbOpenOrFinal = fc.constantFrom<CaseState>(...CASE_STATES);
const arbRole = fc.constantFrom<Role>(...ROLES);
const arbMove = fc.constantFrom<MoveName>(...MOVE_NAMES);

/** Random facts about the case and the actor's standing to it (the state is set by the caller). */
const arbFlags = fc.record({
  isMainDepartment: fc.boolean(),
  isCoDepartment: fc.boolean(),
  isReporter: fc.boolean(),
  hasDepartment: fc.boolean(),
  pendingExtension: fc.boolean(),
  pendingSuspend: fc.boolean(),
  rating: fc.option(fc.constantFrom(...RATINGS), { nil: null }),
  // none, already closed, still open
  returnOpenUntil: fc.constantFrom<Date | null>(null, new Date(NOW.getTime() - HOUR), new Date(NOW.getTime() + HOUR)),
  routed: fc.boolean(),
});
type Flags = Omit<CaseFacts, 'state'>;

/** An input that may lack anything, or carry a deadline in the past, or a rating out of range. */
const arbInput: fc.Arbitrary<MoveInputFacts> = fc.record(
  {
    note: fc.constantFrom('说明', '  ', ''),
    departmentId: fc.constant(1),
    deadline: fc.constantFrom(new Date(NOW.getTime() + 24 * HOUR), new Date(NOW.getTime() - HOUR), NOW),
    masterId: fc.constant(7),
    rating: fc.constantFrom(1, 2, 3, 4, 5, 0, 6, 2.5),
    gridId: fc.constant(3),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<MoveInputFacts>;

/** What a missing or bad input field is refused with. */
const NEEDS: Record<string, DomainErrorCode> = {
  note: 'move_needs_note',
  departmentId: 'move_needs_department',
  deadline: 'move_needs_deadline',
  masterId: 'move_needs_master',
  rating: 'move_needs_rating',
};

function inputLacks(field: string, input: MoveInputFacts): boolean {
  const v = (input as Record<string, unknown>)[field];
  if (field === 'note') return !(typeof v === 'string' && v.trim());
  if (field === 'rating') return !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5);
  return v == null;
}

/**
 * The oracle: what the table says about a move, read field by field — who (role), where (state), how the
 * actor stands to the case (relation), the rule's guard, then the input. 'ok' or the expected code; a field
 * this test does not know yet (the table grows) is expected as some move_needs_* code.
 */
function expected(move: MoveName, role: Role, facts: CaseFacts, input: MoveInputFacts, now = NOW): 'ok' | DomainErrorCode | 'move_needs_*' {
  const rule = WORKFLOW[move];
  if (!rule.roles.includes(role)) return 'move_forbidden_for_role';
  if (!rule.from.includes(facts.state)) return 'move_not_allowed_in_state';
  if (rule.relation === 'main_department' && !facts.isMainDepartment) return 'not_your_work_order';
  if (rule.relation === 'co_department' && !facts.isCoDepartment) return 'not_co_department';
  if (rule.relation === 'reporter_or_operator' && role !== 'operator' && !facts.isReporter) return 'not_your_work_order';
  const guard = rule.guard?.(facts, now);
  if (guard) return guard;
  for (const f of rule.requires) if (inputLacks(f, input)) return NEEDS[f] ?? 'move_needs_*';
  if (input.deadline && input.deadline.getTime() <= now.getTime()) return 'deadline_in_past';
  return 'ok';
}

type Outcome = { ok: true; to: CaseState; from: CaseState | null } | { ok: false; code: DomainErrorCode };

function attempt(move: MoveName, role: Role, facts: CaseFacts, input: MoveInputFacts, now = NOW): Outcome {
  try {
    const d = decideMove(move, role, facts, input, now);
    return { ok: true, to: d.to, from: d.from };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ok: false, code: e.code };
  }
}

describe('random histories through decideMove', () => {
  it('stay inside CASE_STATES, land where the table says, and refuse with the reason that comes first', () => {
    const step = fc.record({ move: arbMove, role: arbRole, flags: arbFlags, input: arbInput });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        let state: CaseState | null = null;
        for (const s of steps) {
          const facts: CaseFacts = { ...s.flags, state };
          const rule = WORKFLOW[s.move];
          const out = attempt(s.move, s.role, facts, s.input);
          if (out.ok) {
            expect(expected(s.move, s.role, facts, s.input)).toBe('ok');
            expect(CASE_STATES).toContain(out.to);
            expect(out.from).toBe(state);
            expect(out.to).toBe(rule.to === 'same' ? state : rule.to);
            expect(rule.roles).toContain(s.role);
            expect(rule.from).toContain(state);
            state = out.to;
          } else {
            // a refusal says why, in the order a person would fix it: who you are, where the case is, then the rest
            const want = expected(s.move, s.role, facts, s.input);
            if (want === 'move_needs_*') expect(out.code).toMatch(/^move_needs_/);
            else expect(out.code).toBe(want);
            // every code has a message of its own in both languages
            expect(message(out.code, {}, 'zh-CN')).not.toBe(out.code);
            expect(message(out.code, {}, 'en')).not.toBe(out.code);
          }
        }
        expect(state === null || CASE_STATES.includes(state)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('reach every state of CASE_STATES when the actor fits the move (guided walks)', () => {
    // Guided: for each step pick a move the table allows from the current state, the first role it names, and
    // facts that satisfy its relation and guard. Random walks of the right length visit every state.
    const seen = new Set<CaseState>();
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (choices) => {
        let state: CaseState | null = null;
        for (const c of choices) {
          const candidates = MOVE_NAMES.filter((m) => WORKFLOW[m].from.includes(state));
          if (!candidates.length) break;
          const m = candidates[c % candidates.length]!;
          const rule = WORKFLOW[m];
          const facts: CaseFacts = {
            ...NO_FACTS,
            state,
            isMainDepartment: rule.relation === 'main_department',
            isCoDepartment: rule.relation === 'co_department',
            isReporter: true,
            hasDepartment: true,
            pendingExtension: m === 'grant_extension' || m === 'deny_extension',
            pendingSuspend: m === 'suspend' || m === 'deny_suspend',
            rating: m === 'reopen' ? UNSATISFIED_MAX : null,
          };
          const d = decideMove(m, rule.roles[0]!, facts, COMPLETE, NOW);
          expect(d.to).toBe(rule.to === 'same' ? state : rule.to);
          state = d.to;
          seen.add(state);
        }
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual([...CASE_STATES].sort());
  });

  it('refuse every non-DomainError failure: decideMove throws nothing else', () => {
    fc.assert(
      fc.property(arbMove, arbRole, arbState, arbFlags, arbInput, (m, r, s, f, i) => {
        // attempt() rethrows anything that is not a DomainError
        attempt(m, r, { ...f, state: s }, i);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('allowedMoves', () => {
  it('contains m exactly when decideMove accepts m with a complete input (non-system moves)', () => {
    fc.assert(
      fc.property(arbRole, arbOpenOrFinal, arbFlags, (role, state, flags: Flags) => {
        const facts: CaseFacts = { ...flags, state };
        const allowed = new Set(allowedMoves(role, facts, NOW));
        for (const m of USER_MOVES) {
          const out = attempt(m, role, facts, COMPLETE);
          expect(allowed.has(m), `${role} ${m} in ${state} ${JSON.stringify(flags)}: ${out.ok ? 'accepted' : out.code}`).toBe(out.ok);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never offers a system move, whatever the facts', () => {
    expect(SYSTEM_MOVES).toEqual(['follow_master']);
    fc.assert(
      fc.property(arbRole, arbState, arbFlags, (role, state, flags) => {
        const allowed = allowedMoves(role, { ...flags, state }, NOW);
        for (const m of SYSTEM_MOVES) expect(allowed).not.toContain(m);
      }),
      { numRuns: 1000 },
    );
    // …though the system itself may make it (as the operator closing the master)
    expect(decideMove('follow_master', 'operator', { ...NO_FACTS, state: 'merged' }, {}, NOW)).toEqual({ from: 'merged', to: 'closed' });
  });

  it('offers nothing before a report exists (report and fix_on_spot are made through the report form)', () => {
    fc.assert(
      fc.property(arbRole, arbFlags, (role, flags) => {
        expect(allowedMoves(role, { ...flags, state: null }, NOW)).toEqual([]);
      }),
    );
  });

  it('each guard shows in allowedMoves: the same case offers a move before and not after its condition changes', () => {
    const base: CaseFacts = { ...NO_FACTS, state: 'in_progress', isMainDepartment: true, hasDepartment: true };
    // return: until return_open_until, not after
    expect(allowedMoves('department', { ...base, returnOpenUntil: new Date(NOW.getTime() + 1) }, NOW)).toContain('return');
    expect(allowedMoves('department', { ...base, returnOpenUntil: NOW }, NOW)).toContain('return'); // the last instant still counts
    expect(allowedMoves('department', { ...base, returnOpenUntil: new Date(NOW.getTime() - 1) }, NOW)).not.toContain('return');
    // one pending extension at a time; answering needs one
    expect(allowedMoves('department', base, NOW)).toEqual(expect.arrayContaining(['request_extension', 'request_suspend', 'handle']));
    expect(allowedMoves('department', { ...base, pendingExtension: true }, NOW)).not.toContain('request_extension');
    expect(allowedMoves('operator', base, NOW)).not.toEqual(expect.arrayContaining(['grant_extension']));
    expect(allowedMoves('operator', { ...base, pendingExtension: true }, NOW)).toEqual(expect.arrayContaining(['grant_extension', 'deny_extension']));
    // a pending suspension blocks handling and a second request
    expect(allowedMoves('department', { ...base, pendingSuspend: true }, NOW)).not.toContain('handle');
    expect(allowedMoves('department', { ...base, pendingSuspend: true }, NOW)).not.toContain('request_suspend');
    expect(allowedMoves('operator', { ...base, pendingSuspend: true }, NOW)).toEqual(expect.arrayContaining(['suspend', 'deny_suspend']));
    // verify_fail needs a department to send the rework to
    expect(allowedMoves('grid_worker', { ...NO_FACTS, state: 'handled', hasDepartment: true }, NOW).sort()).toEqual(['verify_fail', 'verify_pass']);
    expect(allowedMoves('grid_worker', { ...NO_FACTS, state: 'handled', hasDepartment: false }, NOW)).toEqual(['verify_pass']);
    // evaluate once; reopen only when unsatisfied
    const closed: CaseFacts = { ...NO_FACTS, state: 'closed' };
    expect(allowedMoves('operator', closed, NOW)).toEqual(['evaluate']);
    for (const r of RATINGS) {
      expect(allowedMoves('operator', { ...closed, rating: r }, NOW)).toEqual(r <= UNSATISFIED_MAX ? ['reopen'] : []);
    }
    expect(allowedMoves('citizen', { ...closed, isReporter: true }, NOW)).toEqual(['evaluate']);
    expect(allowedMoves('citizen', { ...closed, isReporter: false }, NOW)).toEqual([]);
    // the co department may only report its part
    expect(allowedMoves('department', { ...base, isMainDepartment: false, isCoDepartment: true }, NOW)).toEqual(['co_report']);
  });
});

describe('final states', () => {
  // what the table lists out of each final state
  const OUT: Record<string, MoveName[]> = { rejected: [], merged: ['follow_master'], closed: ['evaluate', 'reopen'] };

  it('are exactly rejected, merged and closed, and every other state is open', () => {
    expect([...FINAL_STATES].sort()).toEqual(Object.keys(OUT).sort());
    expect([...OPEN_STATES, ...FINAL_STATES].sort()).toEqual([...CASE_STATES].sort());
    for (const s of FINAL_STATES) expect(MOVE_NAMES.filter((m) => WORKFLOW[m].from.includes(s)).sort()).toEqual(OUT[s]!.sort());
  });

  it.each(Object.keys(OUT) as CaseState[])('%s accepts only the moves the table lists, and none leaves it except reopen / follow_master', (s) => {
    fc.assert(
      fc.property(arbMove, arbRole, arbFlags, arbInput, (m, role, flags, input) => {
        const out = attempt(m, role, { ...flags, state: s }, input);
        if (out.ok) {
          expect(OUT[s]).toContain(m);
          if (m === 'evaluate') expect(out.to).toBe(s);
        } else if (!OUT[s]!.includes(m) && WORKFLOW[m].roles.includes(role)) {
          expect(out.code).toBe('move_not_allowed_in_state');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('a rejected case offers nobody anything; a merged one offers nobody anything either', () => {
    fc.assert(
      fc.property(arbRole, arbFlags, (role, flags) => {
        expect(allowedMoves(role, { ...flags, state: 'rejected' }, NOW)).toEqual([]);
        expect(allowedMoves(role, { ...flags, state: 'merged' }, NOW)).toEqual([]);
      }),
    );
  });
});

describe('supervise', () => {
  it('is the leader’s, from every open state and no final one, and never changes the state', () => {
    for (const s of CASE_STATES) {
      const out = attempt('supervise', 'leader', { ...NO_FACTS, state: s }, { note: '请加快办理' });
      if (OPEN_STATES.includes(s)) expect(out).toEqual({ ok: true, from: s, to: s });
      else expect(out).toEqual({ ok: false, code: 'move_not_allowed_in_state' });
    }
    for (const r of ROLES.filter((x) => x !== 'leader')) expect(attempt('supervise', r, { ...NO_FACTS, state: 'dispatched' }, { note: 'x' })).toEqual({ ok: false, code: 'move_forbidden_for_role' });
    expect(attempt('supervise', 'leader', { ...NO_FACTS, state: 'dispatched' }, {})).toEqual({ ok: false, code: 'move_needs_note' });
  });
});

describe('inboxOf', () => {
  it('names per role the states that wait for it', () => {
    expect(inboxOf('operator')).toEqual({ states: ['reported', 'accepted', 'verified', 'suspended'], pendingRequests: true, overdueOnly: false, unratedOwn: false, unsatisfied: true });
    expect(inboxOf('department')).toEqual({ states: ['dispatched', 'in_progress'], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false });
    expect(inboxOf('grid_worker')).toEqual({ states: ['handled'], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false });
    expect(inboxOf('leader')).toEqual({ states: ['dispatched', 'in_progress', 'handled'], pendingRequests: false, overdueOnly: true, unratedOwn: false, unsatisfied: false });
    expect(inboxOf('citizen')).toEqual({ states: ['closed'], pendingRequests: false, overdueOnly: false, unratedOwn: true, unsatisfied: false });
    expect(inboxOf('admin')).toEqual({ states: [], pendingRequests: false, overdueOnly: false, unratedOwn: false, unsatisfied: false });
  });

  it.each(ROLES)('%s: every inbox state offers the role a move of its own (with the facts that put it there)', (role) => {
    const box = inboxOf(role);
    for (const state of box.states) {
      const facts: CaseFacts = { ...NO_FACTS, state, isMainDepartment: true, isReporter: true, hasDepartment: true };
      expect(allowedMoves(role, facts, NOW), `${role} in ${state}`).not.toEqual([]);
    }
    // a pending request is a move for the one who answers it
    if (box.pendingRequests) {
      expect(allowedMoves(role, { ...NO_FACTS, state: 'in_progress', pendingExtension: true }, NOW)).toContain('grant_extension');
      expect(allowedMoves(role, { ...NO_FACTS, state: 'in_progress', pendingSuspend: true }, NOW)).toContain('suspend');
    }
    // 回头看: a case rated 不满意 can be reopened by the one whose inbox holds it
    if (box.unsatisfied) expect(allowedMoves(role, { ...NO_FACTS, state: 'closed', rating: 2 }, NOW)).toContain('reopen');
  });

  it.each(ROLES)('%s: every state where the role may change the state is in its inbox (or reached through a request)', (role) => {
    const box = inboxOf(role);
    for (const state of OPEN_STATES) {
      const facts: CaseFacts = { ...NO_FACTS, state, isMainDepartment: true, hasDepartment: true, pendingExtension: true, pendingSuspend: true };
      const changing = allowedMoves(role, facts, NOW).filter((m) => WORKFLOW[m].to !== 'same');
      if (!changing.length) continue;
      // the leader's supervise is 'same'; the operator's suspend on in_progress comes through pendingRequests
      const covered = box.states.includes(state) || (box.pendingRequests && state === 'in_progress');
      expect(covered, `${role} may ${changing.join(',')} in ${state}`).toBe(true);
    }
  });
});
