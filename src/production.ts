// What a production start refuses (checked by src/main.ts before it serves anything): the embedded database by
// accident, and a database that still holds the demo street's accounts with the password the README publishes.
import { verify } from '@node-rs/argon2';
import type { Config } from './config.js';
import type { DbOrTx } from './data/db.js';
import { DEMO_PASSWORD, DEPARTMENTS } from './seed/demo-street.js';

/** Why this configuration must not start in production, or null. */
export function productionConfigProblem(config: Config): string | null {
  if (!config.production || config.databaseUrl || config.embedded) return null;
  return [
    'Refusing to start: NODE_ENV=production but DATABASE_URL is not set.',
    '拒绝启动：生产环境（NODE_ENV=production）未设置 DATABASE_URL。',
    '',
    'Set DATABASE_URL to your PostgreSQL database, e.g. DATABASE_URL=postgres://gridwork@127.0.0.1:5432/gridwork,',
    `or set GRIDWORK_EMBEDDED=1 to run on the embedded database in ${config.dataDir} (one process only, no replicas).`,
  ].join('\n');
}

/** The demo street's named accounts (README "Demo accounts"); grid workers gwNNNN share the same password. */
export const DEMO_USERNAMES = ['admin', 'operator', 'leader', 'citizen', 'gridworker', 'gridworker2', ...DEPARTMENTS.map((d) => d.handler.username)];

/** Why this database must not be served in production (demo accounts that open with the published password), or null. */
export async function demoAccountsProblem(db: DbOrTx): Promise<string | null> {
  const rows = await db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('username', 'in', DEMO_USERNAMES)
    .where('disabled_at', 'is', null)
    .execute();
  // One verification per distinct hash: the demo seed hashes its password once for every account.
  const open = new Set<string>();
  for (const hash of new Set(rows.map((r) => r.password_hash))) {
    if (await verify(hash, DEMO_PASSWORD).catch(() => false)) open.add(hash);
  }
  const names = rows.filter((r) => open.has(r.password_hash)).map((r) => r.username);
  if (!names.length) return null;
  return [
    `Refusing to start: this database holds demo accounts that log in with the published demo password (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}).`,
    '拒绝启动：数据库中有使用公开演示密码的演示账号。',
    '',
    'Point DATABASE_URL (or DATA_DIR) at the production database, not a development one; or, if these accounts are real,',
    'give each a new password first: npx gridwork reset-password --username NAME --password \'…\'',
  ].join('\n');
}
