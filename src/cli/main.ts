// `gridwork <command>`: operator tasks against the configured database (DATABASE_URL, else PGlite in DATA_DIR).
import { systemClock } from '../clock.js';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDb } from '../data/db.js';
import { DataFolderBusy } from '../data/folder-lock.js';
import { migrateToLatest } from '../data/migrate.js';
import { countUsers, findUserByUsername, setPassword } from '../data/repos/users.js';
import { findDivisionByCode, findGridByCode, listDepartments } from '../data/repos/reference.js';
import { insertAudit } from '../data/repos/audit.js';
import { createUser, hashPassword } from '../services/auth.js';
import { seedDemo } from '../seed/demo.js';
import { addDemoPhotos } from '../seed/demo-photos.js';
import { ROLES, type Role } from '../shared/vocabulary.js';
import { DomainError } from '../domain/errors.js';
import { message } from '../shared/messages.js';

const HELP = `gridwork — Gridwork (网格通) operator CLI

Commands:
  migrate                      apply pending database migrations
  seed-demo [--cases N]        load the demo street (接庄街道) into an empty database
  create-user --username U --password P --role R [--name N] [--scope CODE] [--department CODE] [--must-change]
                               roles: ${ROLES.join(', ')}
                               --scope: a division code (e.g. 370871005) or grid code the user covers
                               --department: department code (for role "department")
  reset-password --username U --password P
                               set a password; the user must change it at next login
  help                         this text

Database: DATABASE_URL (PostgreSQL) if set, else PGlite in DATA_DIR (default ./data). PGlite allows one process per
data folder: while the server runs on it, these commands refuse and say what to do.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP);
    return 0;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string' },
      department: { type: 'string' },
      'must-change': { type: 'boolean' },
      cases: { type: 'string' },
    },
  });
  const config = loadConfig();
  let opened: Awaited<ReturnType<typeof openDb>>;
  try {
    opened = await openDb({ databaseUrl: config.databaseUrl, pgliteDir: `${config.dataDir}/pgdata` });
  } catch (e) {
    // A server running on the same PGlite folder: what this command wrote would be lost, so it changes nothing.
    if (e instanceof DataFolderBusy) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const { db, kind } = opened;
  try {
    const applied = await migrateToLatest(db);
    switch (command) {
      case 'migrate':
        console.log(applied.length ? `applied: ${applied.join(', ')}` : `database (${kind}) is up to date`);
        return 0;
      case 'seed-demo': {
        if ((await countUsers(db)) > 0) {
          console.error('The database already has users; seed-demo only fills an empty database.');
          return 1;
        }
        const r = await seedDemo(db, { now: systemClock.now(), cases: values.cases ? Number(values.cases) : undefined });
        await addDemoPhotos(db, config.dataDir, systemClock.now());
        console.log(`seeded the demo street with ${r.cases} cases`);
        return 0;
      }
      case 'create-user': {
        const { username, password, role } = values;
        if (!username || !password || !role) throw new Error('create-user needs --username, --password and --role');
        if (!(ROLES as readonly string[]).includes(role)) throw new Error(`unknown role "${role}"; one of ${ROLES.join(', ')}`);
        // --scope takes one code, or several grid codes separated by commas (a grid worker for several grids)
        const scopePaths: string[] = [];
        for (const code of (values.scope ?? '').split(',').map((c) => c.trim()).filter(Boolean)) {
          const found = (await findGridByCode(db, code)) ?? (await findDivisionByCode(db, code));
          if (!found) throw new Error(`no division or grid has code "${code}"`);
          scopePaths.push(found.path);
        }
        let departmentId: number | null = null;
        if (values.department) {
          const d = (await listDepartments(db)).find((x) => x.code === values.department);
          if (!d) throw new Error(`no department has code "${values.department}"`);
          departmentId = d.id;
        }
        const user = await db.transaction().execute((trx) =>
          createUser(
            trx,
            { username, password, role: role as Role, displayName: values.name ?? username, scopePaths, departmentId, mustChangePassword: values['must-change'] ?? false },
            null,
            'cli',
          ),
        );
        console.log(`created user ${user.username} (id ${user.id}, ${user.role})`);
        return 0;
      }
      case 'reset-password': {
        const { username, password } = values;
        if (!username || !password) throw new Error('reset-password needs --username and --password');
        if (password.length < 8) throw new Error('the password needs at least 8 characters');
        const user = await findUserByUsername(db, username);
        if (!user) throw new Error(`no user "${username}"`);
        const h = await hashPassword(password);
        await db.transaction().execute(async (trx) => {
          await setPassword(trx, user.id, h, true);
          await insertAudit(trx, { actorId: null, action: 'auth.password_reset', targetType: 'user', targetId: user.id, summary: `命令行重置 ${username} 的密码`, ip: 'cli' });
        });
        console.log(`password of ${username} reset; it must be changed at next login`);
        return 0;
      }
      default:
        console.error(`unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    console.error(e instanceof DomainError ? message(e.code, e.params, 'en') : (e as Error).message);
    return 1;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
