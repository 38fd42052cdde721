// The demo street's enterprise registry (issue 14), made through the services: the key units with their C grids,
// the enterprise points of interest, and the enterprises of the hazard demo — among them the 散乱污 workshops of
// seed 000 (a plastics pellet workshop, an open-air paint shop), under watch — each enterprise once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_UNITS } from '../../src/seed/demo-street.js';
import { openTestPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
beforeAll(async () => {
  p = await openTestPlatform({ cases: 1 });
}, 300_000);
afterAll(async () => p?.close());

describe('the demo enterprises', () => {
  it('hold the key units, the 散乱污 workshops of seed 000 and the enterprise points, each once, all placed', async () => {
    const rows = await p.db.selectFrom('enterprises').select(['name', 'key_unit', 'c_grid_id', 'grid_id', 'watch', 'watch_reason', 'poi_code']).execute();
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    for (const u of KEY_UNITS) expect(rows.find((r) => r.name === u.name)).toMatchObject({ key_unit: true, c_grid_id: expect.any(Number) });
    const workshops = rows.filter((r) => r.watch_reason?.startsWith('散乱污'));
    expect(workshops.map((r) => r.name).sort()).toEqual(['接庄鑫源塑料颗粒加工点', '鲁南小作坊喷漆点']);
    for (const w of workshops) expect(w).toMatchObject({ watch: true, grid_id: expect.any(Number) });
    expect(rows.filter((r) => r.poi_code).map((r) => r.poi_code).sort()).toEqual(['QY001', 'QY002', 'QY003', 'QY004']);
    // made through the services: each key unit's registration is audited
    const audits = await p.db.selectFrom('audit_log').select('summary').where('action', '=', 'key_unit.create').execute();
    expect(audits).toHaveLength(KEY_UNITS.length);
  });
});
