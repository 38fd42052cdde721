// What every use case receives besides its input: the database, who acts, from where, and when.
import type { DbOrTx } from '../data/db.js';
import type { Actor } from '../domain/access.js';

export interface ActorContext {
  /** the database, or an open transaction that the use case joins */
  db: DbOrTx;
  actor: Actor;
  ip: string | null;
  /** injectable clock: tests and the demo seed move through time */
  now: Date;
}
