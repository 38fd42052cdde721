// Patrols (巡查): start (once, even when the phone asks twice), track batches stored once however often they are
// sent, check-ins in the worker's own grids with a good enough fix, end; lists and coverage within scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionFromWgs84 } from '../../src/domain/map/coordinates.js';
import type { Coverage, PatrolDetail, PatrolSummary } from '../../src/shared/patrol-api.js';
import { GRID_1, GRID_2, ok, openWorld, refused, type World } from '../support/factories.js';

const USERS = ['gridworker', 'gridworker2', 'leader', 'operator', 'chengguan', 'citizen'] as const;
let w: World;

beforeAll(async () => {
  w = await openWorld(USERS);
});
afterAll(async () => w?.p.close());

const grid = (code: string) => w.grids.get(code)!.properties;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function walk(from: { labelLng: number; labelLat: number }, n: number, startMin: number) {
  return Array.from({ length: n }, (_, i) => ({ at: minutesAgo(startMin - i), lng: from.labelLng + i * 0.0003, lat: from.labelLat, accuracy: 8 }));
}

describe('a patrol', () => {
  let patrol: PatrolDetail;

  it('starts once: asking again (a retry, a second tap) answers with the running patrol', async () => {
    patrol = ok(await w.u.gridworker!.post('/api/patrols', { clientKey: 'phone-1-start', lng: grid(GRID_1).labelLng, lat: grid(GRID_1).labelLat, at: minutesAgo(40) }), 201) as PatrolDetail;
    expect(patrol).toMatchObject({ endedAt: null, pointCount: 0, checkinCount: 0 });
    const again = ok(await w.u.gridworker!.post('/api/patrols', { clientKey: 'phone-1-start' }), 200) as PatrolDetail;
    expect(again.id).toBe(patrol.id);
    expect((ok(await w.u.gridworker!.post('/api/patrols', {}), 200) as PatrolDetail).id).toBe(patrol.id);
    refused(await w.u.operator!.post('/api/patrols', {}), 403, 'forbidden');
  });

  it('stores a track batch once, however often the phone sends it', async () => {
    const batch = { batchKey: 'phone-1-batch-0001', points: walk(grid(GRID_1), 10, 30) };
    const first = ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, batch));
    expect(first).toMatchObject({ stored: 10, duplicate: false, pointCount: 10 });
    expect(first.distanceM).toBeGreaterThan(200); // 9 steps of 0.0003° ≈ 27 m each
    const again = ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, batch));
    expect(again).toEqual({ stored: 0, duplicate: true, pointCount: 10, distanceM: first.distanceM });
    // a batch in GCJ-02 with one useless fix: converted, and the bad fix does not add distance
    const [x, y] = positionFromWgs84([grid(GRID_1).labelLng + 0.003, grid(GRID_1).labelLat], 'GCJ02');
    const second = ok(
      await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, {
        batchKey: 'phone-1-batch-0002',
        crs: 'GCJ02',
        points: [{ at: minutesAgo(19), lng: x, lat: y, accuracy: 10 }, { at: minutesAgo(18), lng: x! + 0.05, lat: y, accuracy: 500 }],
      }),
    );
    expect(second.pointCount).toBe(12);
    expect(second.distanceM - first.distanceM).toBeLessThan(50);
    refused(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, { batchKey: 'phone-1-batch-0003', points: [{ at: minutesAgo(60 * 24), lng: 116.66, lat: 35.43 }] }), 422, 'points_out_of_time');
    expect((await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, { batchKey: 'x', points: [] })).statusCode).toBe(400);
  });

  it('checks in in its own grid, found from the position; refuses other grids, poor fixes and other workers', async () => {
    const g1 = grid(GRID_1);
    const d = ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g1.labelLng, lat: g1.labelLat, accuracy: 12, clientKey: 'phone-1-checkin-1' })) as PatrolDetail;
    expect(d.checkins).toHaveLength(1);
    expect(d.checkins[0]).toMatchObject({ gridId: g1.id, gridName: g1.name });
    // the same check-in sent again
    expect((ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g1.labelLng, lat: g1.labelLat, accuracy: 12, clientKey: 'phone-1-checkin-1' })) as PatrolDetail).checkins).toHaveLength(1);
    const g2 = grid(GRID_2);
    refused(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g2.labelLng, lat: g2.labelLat, accuracy: 12 }), 403, 'checkin_outside_scope');
    refused(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g1.labelLng, lat: g1.labelLat, accuracy: 350 }), 422, 'position_inaccurate');
    refused(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: 100, lat: 20, accuracy: 5 }), 422, 'position_outside_grids');
    // another worker can neither see nor write this patrol
    refused(await w.u.gridworker2!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g1.labelLng, lat: g1.labelLat, accuracy: 5 }), 404, 'not_found');
    refused(await w.u.gridworker2!.get(`/api/patrols/${patrol.id}`), 404, 'not_found');
    // the leader reads it, but it is not the leader's to write
    expect((ok(await w.u.leader!.get(`/api/patrols/${patrol.id}`)) as PatrolDetail).checkins).toHaveLength(1);
    refused(await w.u.leader!.post(`/api/patrols/${patrol.id}/points`, { batchKey: 'leader-batch-1', points: walk(g1, 1, 5) }), 403, 'forbidden' /* the route's declared roles: only grid workers send tracks */);
  });

  it('ends (twice is once); no check-in after; a late batch from an offline phone is still stored', async () => {
    const ended = ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/end`, {})) as PatrolDetail;
    expect(ended.endedAt).not.toBeNull();
    expect(((ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/end`)) as PatrolDetail).endedAt)).toBe(ended.endedAt);
    const g1 = grid(GRID_1);
    refused(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/checkins`, { lng: g1.labelLng, lat: g1.labelLat, accuracy: 5 }), 409, 'patrol_not_active');
    const late = ok(await w.u.gridworker!.post(`/api/patrols/${patrol.id}/points`, { batchKey: 'phone-1-batch-0009', points: walk(g1, 3, 10) }));
    expect(late).toMatchObject({ stored: 3, pointCount: 15 });
    const detail = ok(await w.u.gridworker!.get(`/api/patrols/${patrol.id}`)) as PatrolDetail;
    expect(detail.track.coordinates).toHaveLength(15);
    expect([...detail.times].sort()).toEqual(detail.times);
    // a new patrol can start now
    const next = ok(await w.u.gridworker!.post('/api/patrols', {}), 201) as PatrolDetail;
    expect(next.id).not.toBe(patrol.id);
    ok(await w.u.gridworker!.post(`/api/patrols/${next.id}/end`, {}));
  });
});

describe('lists and coverage', () => {
  it('patrols in scope: the leader sees the street’s, a worker its own; departments and citizens are refused', async () => {
    const p2 = ok(await w.u.gridworker2!.post('/api/patrols', {}), 201) as PatrolDetail;
    const g2 = grid(GRID_2);
    ok(await w.u.gridworker2!.post(`/api/patrols/${p2.id}/checkins`, { lng: g2.labelLng, lat: g2.labelLat, accuracy: 20 }));
    const leader = ok(await w.u.leader!.get('/api/patrols')) as { items: PatrolSummary[]; total: number };
    expect(leader.total).toBe(3);
    const mine = ok(await w.u.gridworker!.get('/api/patrols')) as { items: PatrolSummary[] };
    expect(mine.items.map((p) => p.userName).every((n) => n === mine.items[0]!.userName)).toBe(true);
    expect(mine.items).toHaveLength(2);
    refused(await w.u.chengguan!.get('/api/patrols'), 403, 'forbidden');
    refused(await w.u.citizen!.get('/api/patrols/coverage'), 403, 'forbidden');
    const old = ok(await w.u.leader!.get('/api/patrols?from=2020-01-01&to=2020-01-31')) as { total: number };
    expect(old.total).toBe(0);
  });

  it('coverage: grids with a check-in in the period over all grids of the scope', async () => {
    const street = ok(await w.u.leader!.get('/api/patrols/coverage')) as Coverage;
    expect(street).toMatchObject({ total: 36, covered: 2, rate: 2 / 36 });
    expect(street.items.filter((i) => i.covered).map((i) => i.code).sort()).toEqual([GRID_1, GRID_2].sort());
    const mine = ok(await w.u.gridworker!.get('/api/patrols/coverage')) as Coverage;
    expect(mine).toMatchObject({ total: 1, covered: 1, rate: 1 });
    const before = ok(await w.u.leader!.get('/api/patrols/coverage?from=2020-01-01&to=2020-01-31')) as Coverage;
    expect(before).toMatchObject({ total: 36, covered: 0, rate: 0 });
  });
});
