// The lifecycle engine: one generic shape for everything in the office that moves through states by named moves
// (a case, a hazard, an instruction, a campaign item, a dispute …). A lifecycle is a definition: its states (open
// and final), its moves (from, to, roles, how the actor must stand to the item, required input, guards) and how its
// input is checked. `decide` and `allowedMoves` work on any definition, so a new lifecycle is a new definition, not
// a new engine. Pure: no I/O. What a move then changes is the lifecycle's own pure effect function (e.g.
// src/domain/cases/workflow.ts for cases); the transaction around it is src/services/lifecycle.ts.
import type { Role } from '../../shared/vocabulary.js';
import { DomainError, type DomainErrorCode } from '../errors.js';

/** Anything a lifecycle decides on: its facts start with the item's state (null before it exists). */
export interface LifecycleFacts<S extends string> {
  state: S | null;
}

export interface LifecycleMove<S extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string> {
  from: readonly (S | null)[];
  /** 'same': the move records something without changing the state */
  to: S | 'same';
  roles: readonly Role[];
  /** how the actor must stand to the item, beyond its role */
  relation?: Rel;
  requires: readonly Field[];
  /** extra conditions on the item's facts; returns the reason it is refused */
  guard?: (facts: F, now: Date) => DomainErrorCode | null;
  /** made by the system as a consequence of another move, never offered to a user */
  system?: boolean;
}

export interface Lifecycle<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I> {
  /** the kind of item: names its audit actions (`${kind}.${move}`) and its description in the API */
  kind: string;
  states: readonly S[];
  open: readonly S[];
  final: readonly S[];
  moves: Readonly<Record<M, LifecycleMove<S, F, Field, Rel>>>;
  /** whether the actor stands to the item as the relation needs (called only for moves that name one) */
  relationHolds: (relation: Rel, role: Role, facts: F) => boolean;
  /** the refusal when the relation does not hold */
  relationRefusal: (relation: Rel) => DomainErrorCode;
  /** the refusal when the input lacks a required field (or has it in a form the rules cannot use), else null */
  missing: (field: Field, input: I) => DomainErrorCode | null;
  /** checks of the input that hold for every move (e.g. a deadline in the past), else null */
  inputRefusal?: (input: I, now: Date) => DomainErrorCode | null;
}

/** A lifecycle's definition, checked once when the module loads: a typo in a state is a start-up error, not a stuck item. */
export function defineLifecycle<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I>(
  def: Lifecycle<S, M, F, Field, Rel, I>,
): Lifecycle<S, M, F, Field, Rel, I> {
  const states = new Set<string>(def.states);
  const problems: string[] = [];
  if (def.open.length + def.final.length !== def.states.length || [...def.open, ...def.final].some((s) => !states.has(s))) {
    problems.push('open and final states must split the states');
  }
  if (def.open.some((s) => def.final.includes(s))) problems.push('a state is both open and final');
  for (const [name, move] of Object.entries<LifecycleMove<S, F, Field, Rel>>(def.moves)) {
    for (const s of move.from) if (s !== null && !states.has(s)) problems.push(`${name}: unknown from-state ${s}`);
    if (move.to !== 'same' && !states.has(move.to)) problems.push(`${name}: unknown to-state ${move.to}`);
    if (move.to === 'same' && move.from.includes(null)) problems.push(`${name}: a creating move needs a to-state`);
    if (move.roles.length === 0) problems.push(`${name}: no role may make it`);
  }
  if (problems.length) throw new Error(`lifecycle ${def.kind}: ${problems.join('; ')}`);
  return def;
}

export interface Decision<S extends string> {
  from: S | null;
  to: S;
}

/**
 * Decides whether a move is allowed and where it leads, or throws a DomainError a person can act on. The order of the
 * checks is part of the contract: role, state, relation, guard, input.
 */
export function decide<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I>(
  def: Lifecycle<S, M, F, Field, Rel, I>,
  move: M,
  role: Role,
  facts: F,
  input: I,
  now: Date,
): Decision<S> {
  const rule = def.moves[move];
  if (!rule.roles.includes(role)) throw new DomainError('move_forbidden_for_role', { move, role });
  if (!rule.from.includes(facts.state)) throw new DomainError('move_not_allowed_in_state', { move, state: facts.state ?? 'none' });
  if (rule.relation !== undefined && !def.relationHolds(rule.relation, role, facts)) throw new DomainError(def.relationRefusal(rule.relation), { move });
  const refused = rule.guard?.(facts, now);
  if (refused) throw new DomainError(refused, { move });
  for (const field of rule.requires) {
    const lacking = def.missing(field, input);
    if (lacking) throw new DomainError(lacking, { move });
  }
  const invalid = def.inputRefusal?.(input, now);
  if (invalid) throw new DomainError(invalid);
  return { from: facts.state, to: rule.to === 'same' ? (facts.state as S) : rule.to };
}

/** The moves an actor may make now ("exactly the actions this user may take"): every non-system move that passes. */
export function allowedMoves<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I>(
  def: Lifecycle<S, M, F, Field, Rel, I>,
  role: Role,
  facts: F,
  now: Date,
): M[] {
  if (facts.state === null) return [];
  return (Object.keys(def.moves) as M[]).filter((m) => {
    const rule = def.moves[m];
    if (rule.system || !rule.roles.includes(role) || !rule.from.includes(facts.state)) return false;
    if (rule.relation !== undefined && !def.relationHolds(rule.relation, role, facts)) return false;
    return !rule.guard?.(facts, now);
  });
}

export function isOpenState<S extends string>(def: { open: readonly S[] }, state: S): boolean {
  return def.open.includes(state);
}

/** Every role that may make at least one move by hand: the roles a lifecycle's move endpoint admits. */
export function moverRoles(def: { moves: Readonly<Record<string, { roles: readonly Role[]; system?: boolean }>> }): Role[] {
  return [...new Set(Object.values(def.moves).flatMap((m) => (m.system ? [] : m.roles)))];
}

/** A definition as the API serves it: the web builds each move's form from `requires`, not from a copy of its own. */
export interface LifecycleDescription {
  kind: string;
  states: string[];
  open: string[];
  final: string[];
  moves: { name: string; from: (string | null)[]; to: string; roles: Role[]; relation: string | null; requires: string[]; system: boolean }[];
}

export function describeLifecycle<S extends string, M extends string, F extends LifecycleFacts<S>, Field extends string, Rel extends string, I>(
  def: Lifecycle<S, M, F, Field, Rel, I>,
): LifecycleDescription {
  return {
    kind: def.kind,
    states: [...def.states],
    open: [...def.open],
    final: [...def.final],
    moves: Object.entries<LifecycleMove<S, F, Field, Rel>>(def.moves).map(([name, m]) => ({
      name,
      from: [...m.from],
      to: m.to,
      roles: [...m.roles],
      relation: m.relation ?? null,
      requires: [...m.requires],
      system: m.system === true,
    })),
  };
}
