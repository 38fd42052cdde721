// The hazard lifecycle (隐患排查治理, DOMAIN.md "Ledgers and hazards"): a definition on the lifecycle engine
// (src/domain/lifecycle/engine.ts), the same shape as the case workflow. A hazard is found at an enterprise, then
// either fixed on the spot, or gets a rectification notice (整改通知书) with a deadline; the re-inspection (复查)
// passes and the hazard is closed out (销号) — a 重大 hazard only by a leader — or fails, and then the deadline is
// extended or the hazard is handed to law enforcement (移交执法), which opens a case in the loop. Pure: no I/O.
import type { Role } from '../../shared/vocabulary.js';
import type { DomainErrorCode } from '../errors.js';
import { allowedMoves, decide, defineLifecycle, type Decision, type LifecycleMove } from '../lifecycle/engine.js';

export const HAZARD_GRADES = ['general', 'larger', 'major'] as const;
export type HazardGrade = (typeof HAZARD_GRADES)[number];
export const HAZARD_GRADE_LABELS: Record<HazardGrade, string> = { general: '一般', larger: '较大', major: '重大' };

export const HAZARD_TYPES = ['fire', 'electrical', 'hazmat', 'special_equipment', 'environmental', 'construction', 'other'] as const;
export type HazardType = (typeof HAZARD_TYPES)[number];
export const HAZARD_TYPE_LABELS: Record<HazardType, string> = {
  fire: '消防',
  electrical: '用电',
  hazmat: '危化品',
  special_equipment: '特种设备',
  environmental: '环保',
  construction: '建筑施工',
  other: '其他',
};

export const HAZARD_STATES = ['found', 'rectifying', 'failed', 'passed', 'fixed', 'closed', 'handed_over'] as const;
export type HazardState = (typeof HAZARD_STATES)[number];
export const HAZARD_STATE_LABELS: Record<HazardState, string> = {
  found: '待整改',
  rectifying: '限期整改中',
  failed: '复查未通过',
  passed: '复查通过待销号',
  fixed: '已现场整改',
  closed: '已销号',
  handed_over: '已移交执法',
};

export const HAZARD_MOVES = ['find', 'fix_on_spot', 'issue_notice', 'record_receipt', 'reinspect_pass', 'reinspect_fail', 'extend', 'close_out', 'hand_over'] as const;
export type HazardMove = (typeof HAZARD_MOVES)[number];
export const HAZARD_MOVE_LABELS: Record<HazardMove, string> = {
  find: '发现隐患',
  fix_on_spot: '现场整改',
  issue_notice: '下达整改通知书',
  record_receipt: '登记企业签收',
  reinspect_pass: '复查通过',
  reinspect_fail: '复查不通过',
  extend: '延期整改',
  close_out: '销号',
  hand_over: '移交执法',
};

/** What a move needs in its input. */
export type HazardField = 'note' | 'deadline' | 'photos' | 'departmentId' | 'receipt';
/** How the actor must stand to the hazard beyond its role. */
export type HazardRelation = 'may_close_out';

export interface HazardFacts {
  state: HazardState | null;
  grade: HazardGrade;
  /** the enterprise's signed receipt of the notice is on record (a photo or an uploaded file) */
  receipted?: boolean | undefined;
}

export interface HazardInput {
  note?: string | undefined;
  /** the rectification deadline (computed from working days, or typed) */
  deadline?: Date | undefined;
  photos?: readonly string[] | undefined;
  departmentId?: number | undefined;
  /** the signed receipt as a stored file (sha-256 of a photo or a PDF) */
  receiptFile?: string | undefined;
}

const INSPECTORS: readonly Role[] = ['grid_worker', 'department', 'operator'];

export const HAZARD_TABLE: Readonly<Record<HazardMove, LifecycleMove<HazardState, HazardFacts, HazardField, HazardRelation>>> = {
  find: { from: [null], to: 'found', roles: INSPECTORS, requires: ['note'] },
  // A 重大 hazard is never "fixed on the spot": it needs a notice, a re-inspection and a leader's approval.
  fix_on_spot: { from: ['found'], to: 'fixed', roles: ['grid_worker', 'department'], requires: ['note', 'photos'], guard: (f) => (f.grade === 'major' ? 'hazard_major_needs_notice' : null) },
  issue_notice: { from: ['found'], to: 'rectifying', roles: INSPECTORS, requires: ['deadline'] },
  // The signed receipt (送达回执) is the enterprise's signature on the notice: a photo of it or the scanned PDF.
  record_receipt: { from: ['rectifying'], to: 'same', roles: INSPECTORS, requires: ['receipt'] },
  reinspect_pass: { from: ['rectifying'], to: 'passed', roles: INSPECTORS, requires: [] },
  reinspect_fail: { from: ['rectifying'], to: 'failed', roles: INSPECTORS, requires: ['note'] },
  extend: { from: ['failed'], to: 'rectifying', roles: ['operator', 'leader'], requires: ['deadline'] },
  close_out: { from: ['passed'], to: 'closed', roles: ['grid_worker', 'department', 'operator', 'leader'], relation: 'may_close_out', requires: [] },
  // Law enforcement acts on a notice the enterprise is proven to have received: no receipt, no hand-over.
  hand_over: { from: ['failed'], to: 'handed_over', roles: ['operator'], requires: ['note', 'departmentId'], guard: (f) => (f.receipted ? null : 'hazard_needs_receipt') },
};

function missing(field: HazardField, input: HazardInput): DomainErrorCode | null {
  switch (field) {
    case 'note':
      return input.note?.trim() ? null : 'move_needs_note';
    case 'deadline':
      return input.deadline ? null : 'hazard_needs_deadline';
    case 'photos':
      return input.photos && input.photos.length > 0 ? null : 'move_needs_photos';
    case 'departmentId':
      return input.departmentId == null ? 'hazard_needs_department' : null;
    case 'receipt':
      return input.receiptFile || (input.photos && input.photos.length > 0) ? null : 'hazard_receipt_missing';
  }
}

export const HAZARD_LIFECYCLE = defineLifecycle<HazardState, HazardMove, HazardFacts, HazardField, HazardRelation, HazardInput>({
  kind: 'hazard',
  states: HAZARD_STATES,
  open: ['found', 'rectifying', 'failed', 'passed'],
  final: ['fixed', 'closed', 'handed_over'],
  moves: HAZARD_TABLE,
  // 重大: closed out only with a leader's approval; other grades by whoever re-inspects or the centre.
  relationHolds: (_rel, role, f) => f.grade !== 'major' || role === 'leader',
  relationRefusal: () => 'hazard_major_needs_leader',
  missing,
  inputRefusal: (input, now) => (input.deadline && input.deadline.getTime() <= now.getTime() ? 'deadline_in_past' : null),
});

export function decideHazardMove(move: HazardMove, role: Role, facts: HazardFacts, input: HazardInput, now: Date): Decision<HazardState> {
  return decide(HAZARD_LIFECYCLE, move, role, facts, input, now);
}

export function allowedHazardMoves(role: Role, facts: HazardFacts, now: Date): HazardMove[] {
  return allowedMoves(HAZARD_LIFECYCLE, role, facts, now);
}

export function isOpenHazard(state: HazardState): boolean {
  return HAZARD_LIFECYCLE.open.includes(state);
}
