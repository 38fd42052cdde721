// Starts Gridwork: database, migrations, demo data on first start (development), HTTP server, graceful stop.
import { loadConfig } from './config.js';
import { systemClock } from './clock.js';
import { openPlatform } from './platform.js';
import { buildApp } from './server/app.js';
import { startSweeper } from './services/cases/sweeper.js';
import { warmMapCache } from './services/map/map.js';
import { bridgeNotifications } from './server/live.js';
import { demoAccountsProblem, productionConfigProblem } from './production.js';
import { DataFolderBusy } from './data/folder-lock.js';

const config = loadConfig();
const clock = systemClock;
const t0 = performance.now();
// Production start safety (README "Running in production"): refuse with a message, before anything is served.
const refuse = (why: string): never => {
  console.error(`\n${why}\n`);
  process.exit(1);
};
const unsafe = productionConfigProblem(config);
if (unsafe) refuse(unsafe);
// A person waits on a first start: say what is happening (stderr-free, one line each), then one line with the URL.
const progress = (line: string) => console.log(`[gridwork] ${line}`);
const platform = await openPlatform(config, { clock, onProgress: progress }).catch((e: unknown) =>
  e instanceof DataFolderBusy ? refuse(e.message) : Promise.reject(e),
);
const demo = config.production ? await demoAccountsProblem(platform.db) : null;
if (demo) {
  await platform.db.destroy();
  refuse(demo);
}
const app = await buildApp({ db: platform.db, config, clock });
// Charts in reports need a CJK font (fonts-noto-cjk): without one every Chinese label is a box. Said once at start.
void import('./services/assessment/chart.js')
  .then(({ cjkFontProblem }) => cjkFontProblem())
  .then((problem) => problem && app.log.warn(`reports: ${problem}`))
  .catch(() => {});
const stopSweeper = startSweeper(platform.db, config.sweepIntervalMs, app.log, clock);
// The command map's first view should not wait for a million points: their sets load in the background now.
void warmMapCache(platform.db, clock.now()).catch(() => {});
const stopBridge = config.databaseUrl ? await bridgeNotifications(config.databaseUrl, app.log) : async () => {};

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'stopping: finishing in-flight requests');
  const force = setTimeout(() => {
    app.log.error('forced exit after 10 s');
    process.exit(1);
  }, 10_000);
  force.unref();
  try {
    await stopSweeper(); // lets a running sweep finish its transaction
    await app.close(); // stops accepting, waits for in-flight requests
    await stopBridge();
    await platform.db.destroy(); // then closes the database cleanly (PGlite flushes its data folder)
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error while stopping');
    process.exit(1);
  }
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/`;
app.log.debug({ url, database: platform.kind, dataDir: config.dataDir, seeded: platform.seeded }, 'Gridwork is running');
if (platform.initialAdminPassword) {
  console.log(`\nFirst start: log in as "admin" with password ${platform.initialAdminPassword} and change it.\n`);
}
console.log(`\n  网格通 Gridwork is running at ${url}  (database: ${platform.kind}${platform.kind === 'pglite' ? `, data in ${config.dataDir}` : ''}; ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
