// What each move asks for in its form. What is required comes from the server's lifecycle definition
// (GET /api/lifecycles/case: each move's `requires`); only how the form looks is decided here.
import type { LifecycleDescription } from '../../../../src/shared/api';
import type { MoveName } from '../../../../src/shared/vocabulary';

type NoteLabel =
  | 'moveForm.note'
  | 'moveForm.reason'
  | 'moveForm.result'
  | 'moveForm.failReason'
  | 'moveForm.reasonReturn'
  | 'moveForm.reasonDeny'
  | 'moveForm.supervise'
  | 'moveForm.reopen'
  | 'moveForm.coReport'
  | 'moveForm.suspendReason'
  | 'moveForm.extensionReason';

/** How a move's form looks: the web's own choices (labels, emphasis, extra optional inputs). */
interface MoveLook {
  /** the note field's label */
  note: NoteLabel;
  /** accept: re-classify (category, urgency), optional */
  classify?: boolean;
  /** grant_extension: the deadline granted (defaults to the one asked for), optional */
  grantDeadline?: boolean;
  photos?: boolean;
  danger?: boolean;
  /** a side action: never the highlighted button */
  secondary?: boolean;
}

/** A move's form: what the server's lifecycle requires (`requires`, from GET /api/lifecycles/case) and how it looks. */
export interface MoveFields {
  /** the note field: required (with its label) or optional */
  note: { required: boolean; label: NoteLabel };
  classify?: boolean;
  /** dispatch: main and co-handling departments, deadline (optional: the server computes it from the limits) */
  dispatch?: boolean;
  /** request_extension: the deadline asked for (required) */
  proposeDeadline?: boolean;
  grantDeadline?: boolean;
  /** route: the grid to put the case in */
  grid?: boolean;
  /** merge: the master case */
  master?: boolean;
  /** evaluate: 1–5 */
  rating?: boolean;
  photos?: boolean;
  /** no fields beyond an optional note: ask for confirmation */
  confirm?: boolean;
  danger?: boolean;
  secondary?: boolean;
}

const LOOK: Partial<Record<MoveName, MoveLook>> = {
  route: { note: 'moveForm.note', secondary: true },
  merge: { note: 'moveForm.note', secondary: true },
  accept: { note: 'moveForm.note', classify: true },
  reject: { note: 'moveForm.reason', danger: true },
  return: { note: 'moveForm.reasonReturn', danger: true },
  request_extension: { note: 'moveForm.extensionReason', secondary: true },
  grant_extension: { note: 'moveForm.note', grantDeadline: true },
  deny_extension: { note: 'moveForm.reasonDeny', danger: true },
  co_report: { note: 'moveForm.coReport', photos: true, secondary: true },
  request_suspend: { note: 'moveForm.suspendReason', secondary: true },
  deny_suspend: { note: 'moveForm.reasonDeny', danger: true },
  handle: { note: 'moveForm.result', photos: true },
  verify_pass: { note: 'moveForm.note', photos: true },
  verify_fail: { note: 'moveForm.failReason', photos: true, danger: true },
  reopen: { note: 'moveForm.reopen' },
  supervise: { note: 'moveForm.supervise', secondary: true },
};

const lookOf = (move: MoveName): MoveLook => LOOK[move] ?? { note: 'moveForm.note' };

/** A move's form from what the lifecycle says it requires. */
export function fieldsOf(move: MoveName, requires: readonly string[]): MoveFields {
  const look = lookOf(move);
  const needs = (field: string) => requires.includes(field);
  const fields: MoveFields = {
    note: { required: needs('note'), label: look.note },
    dispatch: needs('departmentId'),
    proposeDeadline: needs('deadline'),
    grid: needs('gridId'),
    master: needs('masterId'),
    rating: needs('rating'),
    ...(look.classify ? { classify: true } : {}),
    ...(look.grantDeadline ? { grantDeadline: true } : {}),
    ...(look.photos ? { photos: true } : {}),
    ...(look.danger ? { danger: true } : {}),
    ...(look.secondary ? { secondary: true } : {}),
  };
  const inputs = requires.some((f) => f !== 'note') || look.classify || look.grantDeadline || look.photos;
  if (!inputs && !fields.note.required) fields.confirm = true;
  return fields;
}

/** What a move requires, from the lifecycle the server describes (nothing while it loads). */
export function requiresOf(lifecycle: LifecycleDescription | undefined, move: MoveName): string[] {
  return lifecycle?.moves.find((m) => m.name === move)?.requires ?? [];
}

/** Buttons in the order to show them: the main forward move first (highlighted), side actions, refusals last. */
export function orderMoves(moves: readonly MoveName[]): { move: MoveName; kind: 'primary' | 'default' | 'danger' }[] {
  const rank = (m: MoveName) => (lookOf(m).danger ? 2 : lookOf(m).secondary ? 1 : 0);
  const sorted = [...moves].sort((a, b) => rank(a) - rank(b));
  return sorted.map((move, i) => ({ move, kind: rank(move) === 2 ? 'danger' : i === 0 && rank(move) === 0 ? 'primary' : 'default' }));
}

export { buttonMoves } from '../../../../src/shared/api';
