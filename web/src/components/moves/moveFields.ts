// What each move asks for in its form. The server's workflow table decides what is required; this mirrors it
// so the form can say so before sending.
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

export interface MoveFields {
  /** the note field: required (with its label) or optional */
  note: { required: boolean; label: NoteLabel };
  /** accept: re-classify (category, urgency) */
  classify?: boolean;
  /** dispatch: main and co-handling departments, deadline (optional: the server computes it from the limits) */
  dispatch?: boolean;
  /** request_extension: the deadline asked for (required) */
  proposeDeadline?: boolean;
  /** grant_extension: the deadline granted (defaults to the one asked for) */
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
  /** a side action: never the highlighted button */
  secondary?: boolean;
}

const optional = { required: false, label: 'moveForm.note' } as const;
const required = (label: NoteLabel) => ({ required: true, label });

export const MOVE_FIELDS: Partial<Record<MoveName, MoveFields>> = {
  route: { note: optional, grid: true, secondary: true },
  accept: { note: optional, classify: true },
  reject: { note: required('moveForm.reason'), danger: true },
  merge: { note: optional, master: true, secondary: true },
  dispatch: { note: optional, dispatch: true },
  sign: { note: optional, confirm: true },
  return: { note: required('moveForm.reasonReturn'), danger: true },
  request_extension: { note: required('moveForm.extensionReason'), proposeDeadline: true, secondary: true },
  grant_extension: { note: optional, grantDeadline: true },
  deny_extension: { note: required('moveForm.reasonDeny'), danger: true },
  co_report: { note: required('moveForm.coReport'), photos: true, secondary: true },
  request_suspend: { note: required('moveForm.suspendReason'), secondary: true },
  suspend: { note: optional, confirm: true },
  deny_suspend: { note: required('moveForm.reasonDeny'), danger: true },
  resume: { note: optional, confirm: true },
  handle: { note: required('moveForm.result'), photos: true },
  verify_pass: { note: optional, photos: true },
  verify_fail: { note: required('moveForm.failReason'), photos: true, danger: true },
  close: { note: optional, confirm: true },
  evaluate: { note: optional, rating: true },
  reopen: { note: required('moveForm.reopen') },
  supervise: { note: required('moveForm.supervise'), secondary: true },
};

export const DEFAULT_FIELDS: MoveFields = { note: optional, confirm: true };

/** Buttons in the order to show them: the main forward move first (highlighted), side actions, refusals last. */
export function orderMoves(moves: readonly MoveName[]): { move: MoveName; kind: 'primary' | 'default' | 'danger' }[] {
  const rank = (m: MoveName) => (fieldsOf(m).danger ? 2 : fieldsOf(m).secondary ? 1 : 0);
  const sorted = [...moves].sort((a, b) => rank(a) - rank(b));
  return sorted.map((move, i) => ({ move, kind: rank(move) === 2 ? 'danger' : i === 0 && rank(move) === 0 ? 'primary' : 'default' }));
}

export function fieldsOf(move: MoveName): MoveFields {
  return MOVE_FIELDS[move] ?? DEFAULT_FIELDS;
}

/** Moves a person never makes from a case page (made on the report form or by the system). */
export const NOT_A_BUTTON: readonly MoveName[] = ['report', 'fix_on_spot', 'follow_master'];
