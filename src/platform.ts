// Opens the platform's database and brings it up to date: migrations, then the demo street (development) or
// the first administrator (production). Shared by the server, the CLI, tests and benchmarks.
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { systemClock, type Clock } from './clock.js';
import { openDb, type Db } from './data/db.js';
import { migrateToLatest } from './data/migrate.js';
import { countUsers } from './data/repos/users.js';
import { createUser } from './services/auth.js';
import { seedDemo } from './seed/demo.js';
import { addDemoPhotos } from './seed/demo-photos.js';

export interface Platform {
  db: Db;
  kind: 'postgres' | 'pglite';
  seeded: boolean;
  initialAdminPassword?: string;
}

export async function openPlatform(config: Config, opts: { schema?: string; pgliteInMemory?: boolean; clock?: Clock } = {}): Promise<Platform> {
  const { db, kind } = await openDb({
    databaseUrl: config.databaseUrl,
    pgliteDir: opts.pgliteInMemory ? undefined : `${config.dataDir}/pgdata`,
    schema: opts.schema,
  });
  await migrateToLatest(db);
  const empty = (await countUsers(db)) === 0;
  if (!empty) return { db, kind, seeded: false };
  if (config.seedDemo) {
    const now = (opts.clock ?? systemClock).now();
    await seedDemo(db, { now });
    await addDemoPhotos(db, config.dataDir, now);
    return { db, kind, seeded: true };
  }
  // Production never seeds: it makes one administrator who must change the password at first login.
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  await createUser(db, { username: 'admin', displayName: '系统管理员', password, role: 'admin', mustChangePassword: true }, null, null);
  return { db, kind, seeded: false, ...(config.adminPassword ? {} : { initialAdminPassword: password }) };
}
