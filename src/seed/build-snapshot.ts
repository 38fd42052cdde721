// Builds the demo-street snapshot (src/seed/snapshot.ts): an in-memory PGlite, migrated and seeded through the
// real workflow, dumped to .cache/demo-snapshot. Run by scripts/ensure-ready.mjs before `npm start`.
import { openDb } from '../data/db.js';
import { migrateToLatest } from '../data/migrate.js';
import { seedDemo } from './demo.js';
import { writeSnapshot } from './snapshot.js';

const t0 = performance.now();
const { db, pglite } = await openDb({});
await migrateToLatest(db);
const seededAt = new Date(); // any instant: the snapshot is moved to the platform's clock when it is loaded
const { cases } = await seedDemo(db, {
  now: seededAt,
  onProgress: (done, total) => {
    if (done % 50 === 0 || done === total) console.log(`[gridwork] 正在生成示范数据 ${done}/${total}…`);
  },
});
await writeSnapshot(await pglite!.dumpDataDir('gzip'), { seededAt: seededAt.toISOString(), cases });
await db.destroy();
console.log(`[gridwork] demo snapshot built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
