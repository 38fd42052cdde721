// The pure rules of enterprises and hazards: the 统一社会信用代码 check (GB 32100), the hazard lifecycle on the
// lifecycle engine (random histories with fast-check: every move lands where the table says, 重大 hazards are never
// fixed on the spot and closed out only by a leader, final states accept nothing, allowedMoves equals what decide
// accepts), notice numbers, and the ledger rows.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditCodeProblem, normaliseCreditCode, withCheckChar, CREDIT_CODE_ALPHABET } from '../../src/domain/hazards/credit-code.js';
import {
  allowedHazardMoves,
  decideHazardMove,
  HAZARD_GRADES,
  HAZARD_LIFECYCLE,
  HAZARD_MOVE_LABELS,
  HAZARD_MOVES,
  HAZARD_STATES,
  HAZARD_TABLE,
  type HazardGrade,
  type HazardInput,
  type HazardMove,
  type HazardState,
} from '../../src/domain/hazards/lifecycle.js';
import { beijingYear, issuerWord, noticeNumber, streetShortName } from '../../src/domain/hazards/notice.js';
import { LEDGERS } from '../../src/domain/hazards/ledgers.js';
import { DomainError } from '../../src/domain/errors.js';
import { message } from '../../src/shared/messages.js';
import { ROLES, type Role } from '../../src/shared/vocabulary.js';
import { auditLogZhCN } from '../../web/src/i18n/audit-log.zh-CN.js';
import { auditLogEn } from '../../web/src/i18n/audit-log.en.js';
import { hazardsZhCN } from '../../web/src/i18n/hazards.zh-CN.js';
import { hazardsEn } from '../../web/src/i18n/hazards.en.js';
import { HAZARD_TYPES } from '../../src/domain/hazards/lifecycle.js';

const NOW = new Date('2026-03-04T10:00:00+08:00');
const COMPLETE: HazardInput = { note: '说明', deadline: new Date(NOW.getTime() + 86_400_000), photos: ['a'.repeat(64)], departmentId: 1 };

describe('统一社会信用代码 (GB 32100)', () => {
  it('accepts real codes and refuses a changed character, a wrong length or a letter outside the alphabet', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
    expect(creditCodeProblem('91110000600037341L')).toBeNull();
    expect(creditCodeProblem('91350100M000100Y44')).toBe('checksum');
    expect(creditCodeProblem('91350100M000100Y4')).toBe('length');
    expect(creditCodeProblem('91350100M000100I43')).toBe('character');
    expect(normaliseCreditCode(' ９１350100m000100y43 ')).toBe('91350100M000100Y43');
  });
  it('every 17-character body has exactly one check character, and any single change is caught', () => {
    const arbBody = fc.array(fc.constantFrom(...CREDIT_CODE_ALPHABET), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));
    fc.assert(
      fc.property(arbBody, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...CREDIT_CODE_ALPHABET), (body, at, c) => {
        const code = withCheckChar(body);
        expect(creditCodeProblem(code)).toBeNull();
        const changed = code.slice(0, at) + c + code.slice(at + 1);
        if (changed !== code) expect(creditCodeProblem(changed)).toBe('checksum');
      }),
    );
  });
  it('the refusal names the field and the value, in both languages', () => {
    expect(message('credit_code_invalid', { value: 'X1' }, 'zh-CN')).toContain('统一社会信用代码');
    expect(message('credit_code_invalid', { value: 'X1' }, 'en')).toContain('X1');
  });
});

const arbRole = fc.constantFrom<Role>(...ROLES);
const arbGrade = fc.constantFrom<HazardGrade>(...HAZARD_GRADES);
const arbMove = fc.constantFrom<HazardMove>(...HAZARD_MOVES);

function tryDecide(move: HazardMove, role: Role, state: HazardState | null, grade: HazardGrade, input: HazardInput, receipted?: boolean) {
  try {
    return { to: decideHazardMove(move, role, { state, grade, receipted }, input, NOW).to };
  } catch (e) {
    if (e instanceof DomainError) return { refused: e.code };
    throw e;
  }
}

describe('hazard lifecycle', () => {
  it('random histories stay in the states, land where the table says, and end only in final states', () => {
    fc.assert(
      fc.property(arbGrade, fc.array(fc.tuple(arbMove, arbRole), { maxLength: 30 }), (grade, steps) => {
        let state: HazardState | null = null;
        for (const [move, role] of [['find', 'grid_worker'] as const, ...steps]) {
          const r = tryDecide(move, role, state, grade, COMPLETE);
          if ('to' in r) {
            const rule = HAZARD_TABLE[move];
            expect(rule.roles).toContain(role);
            expect(rule.from).toContain(state);
            expect(r.to).toBe(rule.to === 'same' ? state : rule.to);
            expect(HAZARD_STATES).toContain(r.to);
            if (state && HAZARD_LIFECYCLE.final.includes(state)) throw new Error(`a final state moved: ${state} by ${move}`);
            if (grade === 'major') {
              expect(move).not.toBe('fix_on_spot');
              if (move === 'close_out') expect(role).toBe('leader');
            }
            state = r.to as HazardState;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('allowedMoves is exactly the non-system moves decide accepts with a complete input', () => {
    fc.assert(
      fc.property(fc.constantFrom<HazardState>(...HAZARD_STATES), arbGrade, arbRole, (state, grade, role) => {
        const allowed = allowedHazardMoves(role, { state, grade }, NOW);
        const accepted = HAZARD_MOVES.filter((m) => !HAZARD_TABLE[m].system && 'to' in tryDecide(m, role, state, grade, COMPLETE));
        expect(new Set(allowed)).toEqual(new Set(accepted));
      }),
    );
  });

  it('refusals say why: 重大 on the spot, 重大 销号 without a leader, a missing deadline, a deadline in the past', () => {
    expect(tryDecide('fix_on_spot', 'grid_worker', 'found', 'major', COMPLETE)).toEqual({ refused: 'hazard_major_needs_notice' });
    expect(tryDecide('close_out', 'operator', 'passed', 'major', COMPLETE)).toEqual({ refused: 'hazard_major_needs_leader' });
    expect(tryDecide('close_out', 'leader', 'passed', 'major', COMPLETE)).toEqual({ to: 'closed' });
    expect(tryDecide('close_out', 'grid_worker', 'passed', 'general', COMPLETE)).toEqual({ to: 'closed' });
    expect(tryDecide('issue_notice', 'grid_worker', 'found', 'general', { note: 'x' })).toEqual({ refused: 'hazard_needs_deadline' });
    expect(tryDecide('issue_notice', 'grid_worker', 'found', 'general', { deadline: new Date(NOW.getTime() - 1) })).toEqual({ refused: 'deadline_in_past' });
    expect(tryDecide('reinspect_pass', 'citizen', 'rectifying', 'general', COMPLETE)).toEqual({ refused: 'move_forbidden_for_role' });
    expect(tryDecide('hand_over', 'operator', 'failed', 'general', { note: '拒不整改' }, true)).toEqual({ refused: 'hazard_needs_department' });
    // law enforcement needs the enterprise's signed receipt of the notice on record
    expect(tryDecide('hand_over', 'operator', 'failed', 'general', COMPLETE, false)).toEqual({ refused: 'hazard_needs_receipt' });
  });

  it('every move has a name, a message word and an audit label in both languages', () => {
    for (const m of HAZARD_MOVES) {
      expect(HAZARD_MOVE_LABELS[m]).toBeTruthy();
      expect(message('move_needs_note', { move: m }, 'zh-CN')).not.toContain(m);
      expect(auditLogZhCN.auditLog.actions[`hazard.${m}`], m).toBeTruthy();
      expect(auditLogEn.auditLog.actions[`hazard.${m}`], m).toBeTruthy();
    }
  });
});

describe('web labels', () => {
  it('every hazard state, move, grade and type has a label in both UI languages', () => {
    for (const words of [hazardsZhCN.hz, hazardsEn.hz]) {
      for (const m of HAZARD_MOVES) expect(words.move[m], m).toBeTruthy();
      for (const st of HAZARD_STATES) expect(words.state[st], st).toBeTruthy();
      for (const g of HAZARD_GRADES) expect(words.grade[g], g).toBeTruthy();
      for (const ty of HAZARD_TYPES) expect(words.type[ty], ty).toBeTruthy();
    }
  });
});

describe('rectification notice numbers', () => {
  it('reads like an office number: 接庄安〔2026〕第037号', () => {
    expect(noticeNumber(`${streetShortName('接庄街道')}${issuerWord('应急管理办（安监）')}`, beijingYear(NOW), 37)).toBe('接庄安〔2026〕第037号');
    expect(issuerWord('环保所')).toBe('环');
    expect(issuerWord(null)).toBe('网');
    expect(streetShortName('南集镇')).toBe('南集');
    // 31 Dec 20:00 UTC is already New Year in Beijing
    expect(beijingYear(new Date('2026-12-31T20:00:00Z'))).toBe(2027);
  });
});

describe('ledgers', () => {
  it('each row has as many cells as the ledger has columns, and widths cover 序号 and every column', () => {
    const h = {
      number: 'YH20260304000001', enterprise_name: '=HYPERLINK("x")', credit_code: '91350100M000100Y43', grid_name: '第1网格', grade: 'major' as const,
      type: 'fire' as const, description: '消防通道堵塞', state: 'rectifying' as const, found_at: NOW, finder_name: '王芳', notice_number: '接庄安〔2026〕第001号',
      notice_issued_at: NOW, deadline: NOW, receipt_at: null, reinspected_at: null, closed_at: null,
    };
    for (const def of Object.values(LEDGERS)) {
      expect(def.row(h)).toHaveLength(def.columns.length);
      expect(def.widths).toHaveLength(def.columns.length + 1);
    }
    expect(LEDGERS.rectification.row(h)[5]).toBe('2026-03-04');
  });
});
