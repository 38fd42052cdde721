// `npm run bench -- NAME`: runs one benchmark; each prints its figures, and last one JSON line.
const name = process.argv[2];
const benches: Record<string, () => Promise<unknown>> = {
  startup: async () => (await import('./startup.js')).run(),
  'grid-lookup': async () => (await import('./grid-lookup.js')).run(),
  stats: async () => (await import('./stats.js')).run(),
  'map-tiles': async () => (await import('./map-tiles.js')).run(),
  intake: async () => (await import('./intake.js')).run(),
  'case-list': async () => (await import('./case-list.js')).run(),
  assessment: async () => (await import('./assessment.js')).run(),
};
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
await benches[name]!();
