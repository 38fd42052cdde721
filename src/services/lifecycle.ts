// The one transaction shape of every lifecycle move (case, hazard, …): the engine decides (role, state, relation,
// guard, input), the optimistic version is checked, the lifecycle's effect is computed, then — inside the caller's
// transaction — the item is updated, its timeline event and its audit record are written. Notices and follow-up
// work stay with the caller, who knows its recipients; live delivery happens after commit.
import { DomainError } from '../domain/errors.js';
import { decide, type Decision, type Lifecycle, type LifecycleFacts } from '../domain/lifecycle/engine.js';
import type { Tx } from '../data/db.js';
import { insertAudit } from '../data/repos/audit.js';
import type { ActorContext } from './context.js';

export interface LifecycleItem<S extends string> {
  id: number;
  version: number;
  state: S | null;
}

/** What a move changes, computed after the decision and before the write. */
export interface LifecycleEffect<Change> {
  set: Change;
  /** recorded with the timeline event and the audit record */
  data?: Record<string, unknown>;
}

export interface MoveRecord<S extends string, M extends string, Row> {
  move: M;
  decision: Decision<S>;
  before: Row;
  after: Row;
  note: string | null;
  photos: readonly string[];
  data: Record<string, unknown> | undefined;
}

/** How one lifecycle's items are stored: the only lifecycle-specific I/O the runner needs (repos behind it). */
export interface LifecycleStore<S extends string, M extends string, Row extends LifecycleItem<S>, Change> {
  /** writes the new state and the change if the version still matches; undefined when the item moved meanwhile */
  update(trx: Tx, row: Row, change: Change, state: S, at: Date): Promise<Row | undefined>;
  /** the item's timeline entry */
  recordEvent(trx: Tx, ctx: ActorContext, record: MoveRecord<S, M, Row>): Promise<void>;
  /** the audit record's target type and one-line summary (in the office's language, like every audit summary) */
  auditTarget: string;
  auditSummary(row: Row, decision: Decision<S>): string;
}

export interface MoveCommand<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I, Row, Change> {
  def: Lifecycle<S, M, F, Field, Rel, I>;
  store: LifecycleStore<S, M, Row & LifecycleItem<S>, Change>;
  row: Row & LifecycleItem<S>;
  facts: F;
  move: M;
  /** the input as the rules see it */
  input: I;
  /** the version the client saw */
  version: number;
  note?: string | undefined;
  photos?: readonly string[];
  /** the move's effect; may read (lookups the pure rules need) and may refuse */
  effect: (decision: Decision<S>) => Promise<LifecycleEffect<Change>> | LifecycleEffect<Change>;
}

export interface MoveOutcome<S extends string, Row, Change> {
  decision: Decision<S>;
  updated: Row;
  effect: LifecycleEffect<Change>;
}

/** Makes one move on an existing item inside the caller's transaction. */
export async function runLifecycleMove<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I, Row, Change>(
  trx: Tx,
  ctx: ActorContext,
  cmd: MoveCommand<S, M, F, Field, Rel, I, Row, Change>,
): Promise<MoveOutcome<S, Row & LifecycleItem<S>, Change>> {
  const { actor, now } = ctx;
  const decision = decide(cmd.def, cmd.move, actor.role, cmd.facts, cmd.input, now);
  // The version check comes after the rules so a stale client gets the more useful message when both fail.
  if (cmd.row.version !== cmd.version) throw new DomainError('version_conflict');
  const effect = await cmd.effect(decision);
  const updated = await cmd.store.update(trx, cmd.row, effect.set, decision.to, now);
  if (!updated) throw new DomainError('version_conflict');
  const note = cmd.note ?? null;
  await cmd.store.recordEvent(trx, ctx, { move: cmd.move, decision, before: cmd.row, after: updated, note, photos: cmd.photos ?? [], data: effect.data });
  await insertAudit(trx, {
    actorId: actor.id,
    action: `${cmd.def.kind}.${cmd.move}`,
    targetType: cmd.store.auditTarget,
    targetId: cmd.row.id,
    summary: cmd.store.auditSummary(cmd.row, decision),
    data: { from: decision.from, to: decision.to, version: updated.version, ...(cmd.note ? { note: cmd.note } : {}), ...effect.data },
    ip: ctx.ip,
    at: now,
  });
  return { decision, updated, effect };
}
