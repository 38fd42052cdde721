// Opens the platform's database and brings it up to date: migrations, then the demo street (development) or
// the first administrator (production). Shared by the server, the CLI, tests and benchmarks.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openDb, type Db } from './data/db.js';
import { migrateToLatest } from './data/migrate.js';
import { countUsers } from './data/repos/users.js';
import { createUser } from './services/auth.js';
import { seedDemo } from './seed/demo.js';
import { addDemoPhotos } from './seed/demo-photos.js';
import { readSnapshot, redateDemo } from './seed/snapshot.js';

export interface Platform {
  db: Db;
  kind: 'postgres' | 'pglite';
  seeded: boolean;
  initialAdminPassword?: string;
}

export interface OpenOptions {
  schema?: string;
  pgliteInMemory?: boolean;
  clock?: Clock;
  /** progress lines for a person waiting on a first start (main.ts prints them) */
  onProgress?: (line: string) => void;
}

export async function openPlatform(config: Config, opts: OpenOptions = {}): Promise<Platform> {
  const say = opts.onProgress ?? (() => {});
  const now = () => (opts.clock ?? systemClock).now();
  const pgliteDir = opts.pgliteInMemory ? undefined : `${config.dataDir}/pgdata`;
  // A fresh PGlite folder in development starts from the demo snapshot when one is built (src/seed/snapshot.ts).
  const fresh = !config.databaseUrl && pgliteDir != null && !existsSync(path.join(pgliteDir, 'PG_VERSION'));
  const snapshot = fresh && config.seedDemo ? readSnapshot() : null;
  say(fresh ? '正在初始化数据库… (initialising the database)' : '正在打开数据库… (opening the database)');
  const { db, kind } = await openDb({ databaseUrl: config.databaseUrl, pgliteDir, schema: opts.schema, pgliteLoad: snapshot?.data });
  await migrateToLatest(db);
  if (snapshot) {
    say('正在载入示范数据… (loading the demo street)');
    await redateDemo(db, snapshot.seededAt, now());
    // photo files live in DATA_DIR, not in the database snapshot
    await addDemoPhotos(db, config.dataDir, now());
    return { db, kind, seeded: true };
  }
  const empty = (await countUsers(db)) === 0;
  if (!empty) return { db, kind, seeded: false };
  if (config.seedDemo) {
    let last = 0;
    await seedDemo(db, {
      now: now(),
      onProgress: (done, total) => {
        if (done - last >= 25 || done === total) {
          last = done;
          say(`正在生成示范数据 ${done}/${total}… (seeding the demo street)`);
        }
      },
    });
    await addDemoPhotos(db, config.dataDir, now());
    return { db, kind, seeded: true };
  }
  // Production never seeds: it makes one administrator who must change the password at first login.
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  await createUser(db, { username: 'admin', displayName: '系统管理员', password, role: 'admin', mustChangePassword: true }, null, null);
  return { db, kind, seeded: false, ...(config.adminPassword ? {} : { initialAdminPassword: password }) };
}
