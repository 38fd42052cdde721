// What every route module is given: the database, the configuration and the clock. In a file of its own so route
// modules do not import app.ts (which imports them): registration runs one way, app.ts → routes/*.
import type { Config } from '../config.js';
import type { Db } from '../data/db.js';
import type { Clock } from '../clock.js';

export interface ServerDeps {
  db: Db;
  config: Config;
  /** where every request reads business time from */
  clock: Clock;
}
