// What a move does, read from the pure effect (src/domain/cases/effects.ts) without a database: the service only
// loads what it names and writes what it returns.
import { describe, expect, it } from 'vitest';
import { BUILTIN_DAYS } from '../../src/domain/calendar/builtin.js';
import { createWorkCalendar } from '../../src/domain/calendar/calendar.js';
import { caseMoveEffect, effectNeeds, type MoveContext } from '../../src/domain/cases/effects.js';
import type { CaseRecord } from '../../src/domain/cases/case.js';
import { DomainError } from '../../src/domain/errors.js';
import { addLimitDays, DEFAULT_THRESHOLDS } from '../../src/domain/cases/time-limits.js';
import { message } from '../../src/shared/messages.js';

const cal = createWorkCalendar({ years: BUILTIN_DAYS });
const now = new Date('2026-03-10T02:00:00Z'); // Tuesday 10:00 in Beijing
const ctx: MoveContext = { actor: { id: 7, departmentId: null }, now, cal, thresholds: DEFAULT_THRESHOLDS };

const handled: CaseRecord = {
  id: 1,
  number: '20260310000001',
  state: 'handled',
  life: 1,
  area_path: '/1/2/g3/',
  grid_id: 3,
  category_id: 5,
  urgency: 'normal',
  department_id: 4,
  master_id: null,
  limits: { signHours: 2, handleDays: 3, verifyHours: 4, returnHours: 2 },
  routing: {},
  deadline: new Date('2026-03-09T02:00:00Z'),
  deadline_fixed: false,
  dispatched_at: new Date('2026-03-05T02:00:00Z'),
  return_open_until: null,
  clock_kind: 'verify',
  clock_started_at: new Date('2026-03-09T02:00:00Z'),
  warn_at: null,
  due_at: null,
  escalate_at: null,
  notified_level: 0,
  limits_provisional: false,
  pending_extension: null,
  pending_suspend: null,
  suspended_from: null,
  suspended_at: null,
  rework_count: 0,
  escalation_level: 0,
  rating: null,
  rated_at: null,
  closed_at: null,
  grid_version: 1,
};

describe('case move effects', () => {
  it('verify_fail: rework with a fresh limit, the sign clock, the department told', () => {
    const e = caseMoveEffect('verify_fail', handled, { note: '未整改到位' }, ctx);
    expect(e.set).toMatchObject({ rework_count: 1, deadline: addLimitDays(cal, now, 3), dispatched_at: now, return_open_until: now, clock_kind: 'sign', limits_provisional: false });
    expect(e.data).toEqual({ rework: 1, deadline: addLimitDays(cal, now, 3).toISOString() });
    expect(e.notices).toEqual([{ to: [{ kind: 'department', departmentId: 4 }], kind: 'new_task', row: { id: 1, number: handled.number }, title: { code: 'notice_verify_failed', params: { number: handled.number } }, body: '未整改到位' }]);
    expect(message('notice_verify_failed', { number: handled.number }, 'zh-CN')).toBe(`案件 ${handled.number} 核查不通过，需返工`);
    expect(e.followUps).toEqual([]);
  });

  it('follow-ups are data: dispatch replaces assignments, close closes the merged duplicates', () => {
    const accepted = { ...handled, state: 'accepted' as const, department_id: null };
    expect(caseMoveEffect('dispatch', accepted, { departmentId: 4, coDepartmentIds: [5, 5] }, ctx).followUps).toEqual([{ kind: 'replace_assignments', departmentId: 4, coDepartmentIds: [5] }]);
    expect(caseMoveEffect('close', { ...handled, state: 'verified' }, {}, ctx).followUps).toEqual([{ kind: 'close_merged', note: `随主案件 ${handled.number} 结案` }]);
  });

  it('what a move reads is named up front, and a missing lookup is refused', () => {
    expect(effectNeeds('accept', handled, {})).toEqual({});
    expect(effectNeeds('accept', handled, { urgency: 'urgent' })).toEqual({ categoryId: 5 });
    expect(effectNeeds('route', handled, { gridId: 9 })).toEqual({ gridId: 9 });
    expect(effectNeeds('merge', handled, { masterId: 2 })).toEqual({ masterId: 2 });
    const reported = { ...handled, state: 'reported' as const };
    expect(() => caseMoveEffect('route', reported, { gridId: 9 }, ctx)).toThrow(DomainError);
    expect(() => caseMoveEffect('merge', reported, { masterId: 2 }, { ...ctx, master: { id: 2, number: 'x', state: 'reported' } })).toThrow(DomainError);
  });
});
