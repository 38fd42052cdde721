// The per-database caches (working calendar, point → grid index) hit inside a use case's transaction: a move does
// not read and build the calendar again, a patrol check-in does not rebuild the grid index. Also prints the time of
// a move, for the record (MOVE_TIMING=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarCacheStats, invalidateCalendarCache, loadCalendar } from '../../src/services/calendar/calendar.js';
import { moveCase } from '../../src/services/cases/moves.js';

import { gridIndexStats, gridIndexFor } from '../../src/services/grids/lookup.js';
import { GRID_1, ok, openWorld, walkTo, type World } from '../support/factories.js';
import type { PatrolDetail } from '../../src/shared/patrol-api.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['operator', 'leader', 'gridworker', 'chengguan']);
});
afterAll(async () => w?.p.close());

describe('caches inside transactions', () => {
  it('a move reads and builds the calendar no more once it is cached', async () => {
    const c = await walkTo(w, 'in_progress');
    await loadCalendar(w.p.db, new Date());
    const before = { ...calendarCacheStats };
    let version = c.version;
    const n = 20;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const after = ok(await w.u.leader!.post(`/api/cases/${c.id}/moves/supervise`, { version, note: `督办 ${i}` })) as { version: number };
      version = after.version;
    }
    const ms = (performance.now() - t0) / n;
    if (process.env.MOVE_TIMING) console.log(`move (supervise over HTTP): ${ms.toFixed(1)} ms each over ${n}`);
    expect(calendarCacheStats.reads - before.reads).toBe(0);
    expect(calendarCacheStats.builds - before.builds).toBe(0);
  });

  // For the record, not an assertion (the machine's load decides the numbers): a move through the service with the
  // calendar cached, against the same move with the calendar read and built again first (what a cache keyed by the
  // transaction handle did on every move), interleaved so both see the same load.
  it.runIf(process.env.MOVE_TIMING)('times a move with and without the cached calendar', async () => {
    const c = await walkTo(w, 'in_progress');
    const r = await w.p.db.selectFrom('users').select(['id', 'role', 'scope_paths', 'department_id']).where('username', '=', 'leader').executeTakeFirstOrThrow();
    const leader = { id: r.id, role: r.role, scopePaths: r.scope_paths, departmentId: r.department_id };
    let version = (await w.p.db.selectFrom('cases').select('version').where('id', '=', c.id).executeTakeFirstOrThrow()).version;
    const timed = { cached: [] as number[], rebuilt: [] as number[] };
    for (let i = 0; i < 60; i++) {
      const rebuild = i % 2 === 1;
      if (rebuild) invalidateCalendarCache();
      const t0 = performance.now();
      await moveCase({ db: w.p.db, actor: leader, ip: null, now: new Date() }, c.id, 'supervise', { version, photos: [], note: `督办 ${i}` });
      (rebuild ? timed.rebuilt : timed.cached).push(performance.now() - t0);
      version += 1;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`move (supervise, service): median ${median(timed.cached).toFixed(1)} ms with the cached calendar, ${median(timed.rebuilt).toFixed(1)} ms rebuilding it`);
    const t0 = performance.now();
    invalidateCalendarCache();
    await loadCalendar(w.p.db, new Date());
    console.log(`calendar read + build alone: ${(performance.now() - t0).toFixed(1)} ms`);
  });

  it('a patrol check-in does not rebuild the grid index', async () => {
    const grid = w.grids.get(GRID_1)!.properties;
    await gridIndexFor(w.p.db);
    const before = gridIndexStats.builds;
    const patrol = ok(await w.u.gridworker!.post('/api/patrols', {}), 201) as PatrolDetail;
    for (let i = 0; i < 3; i++) {
      ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: grid.labelLng, lat: grid.labelLat, accuracy: 10, clientKey: `cache-checkin-${i}` }));
    }
    expect(gridIndexStats.builds - before).toBe(0);
  });
});
