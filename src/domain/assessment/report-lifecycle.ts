// The monthly situation report (情况汇报) as a lifecycle on the engine: a draft drafted from the data, edited in the web
// app (title, remarks, 下步工作), issued by a leader — its numbers are then kept as issued — or discarded. Pure: no I/O.
import type { Role } from '../../shared/vocabulary.js';
import { defineLifecycle, type LifecycleFacts } from '../lifecycle/engine.js';

export const REPORT_STATES = ['draft', 'issued', 'discarded'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_MOVES = ['edit', 'issue', 'discard'] as const;
export type ReportMove = (typeof REPORT_MOVES)[number];

const ISSUERS: readonly Role[] = ['leader', 'admin'];
const EDITORS: readonly Role[] = ['leader', 'admin', 'operator'];

export const reportLifecycle = defineLifecycle<ReportState, ReportMove, LifecycleFacts<ReportState>, never, never, Record<string, unknown>>({
  kind: 'report',
  states: REPORT_STATES,
  open: ['draft'],
  final: ['issued', 'discarded'],
  moves: {
    edit: { from: ['draft'], to: 'same', roles: EDITORS, requires: [] },
    issue: { from: ['draft'], to: 'issued', roles: ISSUERS, requires: [] },
    discard: { from: ['draft'], to: 'discarded', roles: EDITORS, requires: [] },
  },
  relationHolds: () => true,
  relationRefusal: () => 'forbidden',
  missing: () => null,
});
