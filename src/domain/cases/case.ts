// A case as the rules read it: the stored shapes of its routing and pending requests, and the fields the move
// effects (src/domain/cases/effects.ts) work on. The database row (src/data/schema.ts) has these columns by these
// names, so a stored row is a CaseRecord as it is.
import type { CaseState, Urgency } from '../../shared/vocabulary.js';
import type { CaseLimits, ClockKind } from './time-limits.js';

/** Why the case went where it went, for the operator. */
export interface CaseRouting {
  grid?: { reason: 'position' | 'outside' | 'operator'; gridId: number | null; suggestedGridId?: number; distanceM?: number };
  responsible?: { reason: 'industry' | 'key_unit'; gridId: number; industry?: string; keyUnitId?: number };
}

/** A department's request waiting for the operator's answer (extension or suspension). */
export interface PendingRequest {
  byUserId: number;
  at: string;
  note: string;
  /** extension: the proposed new deadline */
  deadline?: string;
}

export interface CaseRecord {
  id: number;
  number: string;
  state: CaseState;
  life: number;
  area_path: string;
  grid_id: number | null;
  category_id: number;
  urgency: Urgency;
  department_id: number | null;
  master_id: number | null;
  limits: CaseLimits;
  routing: CaseRouting;
  deadline: Date | null;
  deadline_fixed: boolean;
  dispatched_at: Date | null;
  return_open_until: Date | null;
  clock_kind: ClockKind | null;
  clock_started_at: Date | null;
  warn_at: Date | null;
  due_at: Date | null;
  escalate_at: Date | null;
  notified_level: number;
  limits_provisional: boolean;
  pending_extension: PendingRequest | null;
  pending_suspend: PendingRequest | null;
  suspended_from: CaseState | null;
  suspended_at: Date | null;
  rework_count: number;
  escalation_level: number;
  rating: number | null;
  rated_at: Date | null;
  closed_at: Date | null;
  grid_version: number | null;
}

/** What a move changes on a case, in the rules' own shapes (the service writes JSON columns as JSON). */
export type CaseChange = Partial<Omit<CaseRecord, 'id' | 'number' | 'state'>>;
