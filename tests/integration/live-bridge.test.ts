// Several server processes on one PostgreSQL: a grid change announced by another process (NOTIFY) makes this
// process drop its point → grid index, so its next lookup sees the new grid. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { bridgeNotifications } from '../../src/server/live.js';
import { locate } from '../../src/services/grids/lookup.js';
import { insertGrid } from '../../src/data/repos/reference.js';
import { bboxOf, labelPointOf } from '../../src/domain/grids/geometry.js';
import { openTestPlatform, usingPostgres, type TestPlatform } from '../support/platform.js';

describe.skipIf(!usingPostgres)('grid changes cross processes', () => {
  let p: TestPlatform;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    p = await openTestPlatform();
    stop = await bridgeNotifications(process.env.DATABASE_URL!, { error: () => {} });
  });
  afterAll(async () => {
    await stop?.();
    await p?.close();
  });

  it('a NOTIFY from another process rebuilds the index here', async () => {
    // far outside the demo street: no grid holds this point yet
    const [lng, lat] = [117.5, 36.5];
    const before = await locate(p.db, lng, lat, 1);
    expect(before.gridId).toBeNull();
    // "another process" adds a grid straight in the database, without telling this process's cache …
    const street = await p.db.selectFrom('divisions').selectAll().where('level', '=', 'street').executeTakeFirstOrThrow();
    const geometry = { type: 'Polygon' as const, coordinates: [[[117.49, 36.49], [117.51, 36.49], [117.51, 36.51], [117.49, 36.51], [117.49, 36.49]]] };
    const [minLng, minLat, maxLng, maxLat] = bboxOf(geometry);
    const [labelLng, labelLat] = labelPointOf(geometry);
    const g = await insertGrid(
      p.db,
      { code: '370871005999', name: '远处网格', division_id: street.id, parent_id: null, grid_class: 'A', geometry: JSON.stringify(geometry), min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat, label_lng: labelLng, label_lat: labelLat },
      street.path,
    );
    expect((await locate(p.db, lng, lat, 1)).gridId).toBeNull(); // still the cached index
    // … and announces it, as its grid services do after commit
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query(`SELECT pg_notify('gridwork_grids', $1)`, [JSON.stringify({ from: 'another-process' })]);
    await other.end();
    await expect.poll(async () => (await locate(p.db, lng, lat, 1)).gridId, { timeout: 5000 }).toBe(g.id);
  });
});
