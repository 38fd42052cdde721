// A monthly ranking (月度排名, 红黑榜) as a lifecycle on the engine: a draft is computed from the live data and can be
// recomputed; publishing freezes its rows; a published ranking is never changed — a correction (更正) marks it
// corrected and publishes a new edition with the reason, and both are kept. Pure: no I/O.
import type { Role } from '../../shared/vocabulary.js';
import { defineLifecycle, type LifecycleFacts } from '../lifecycle/engine.js';

export const RANKING_STATES = ['draft', 'published', 'corrected', 'discarded'] as const;
export type RankingState = (typeof RANKING_STATES)[number];
export const RANKING_MOVES = ['recompute', 'publish', 'correct', 'discard'] as const;
export type RankingMove = (typeof RANKING_MOVES)[number];

export interface RankingFacts extends LifecycleFacts<RankingState> {}
export interface RankingInput {
  note?: string | undefined;
}

const PUBLISHERS: readonly Role[] = ['leader', 'admin'];
const PREPARERS: readonly Role[] = ['leader', 'admin', 'operator'];

export const rankingLifecycle = defineLifecycle<RankingState, RankingMove, RankingFacts, 'note', never, RankingInput>({
  kind: 'ranking',
  states: RANKING_STATES,
  open: ['draft', 'published'],
  final: ['corrected', 'discarded'],
  moves: {
    recompute: { from: ['draft'], to: 'same', roles: PREPARERS, requires: [] },
    publish: { from: ['draft'], to: 'published', roles: PUBLISHERS, requires: [] },
    correct: { from: ['published'], to: 'corrected', roles: PUBLISHERS, requires: ['note'] },
    discard: { from: ['draft'], to: 'discarded', roles: PREPARERS, requires: [] },
  },
  relationHolds: () => true,
  relationRefusal: () => 'forbidden',
  missing: (_field, input) => (input.note && input.note.trim() ? null : 'move_needs_note'),
});
