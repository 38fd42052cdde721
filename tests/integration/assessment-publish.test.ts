// Publishing one month's ranking twice at the same moment (two drafts, or one draft from two tabs): one edition is
// published and the other request gets 409 with a message — never a 500 — on PGlite and on PostgreSQL
// (DATABASE_URL). On PostgreSQL the two requests run on two connections, each locking only its own draft; the
// one-published-edition index stops the second, and the service answers with the check's refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ok, openWorld, type World } from '../support/factories.js';
import { shanghaiDay } from '../../src/domain/stats/stats.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['leader', 'admin', 'operator'], { cases: 30 });
}, 180_000);
afterAll(async () => w?.p.close());

const monthBack = (back: number) => {
  const d = new Date(`${shanghaiDay(new Date()).slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - back);
  return d.toISOString().slice(0, 7);
};

async function published(period: string, unit: string) {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM assessment_rankings WHERE period = ${period} AND unit_kind = ${unit} AND state = 'published'`.execute(w.p.db);
  return rows[0]!.n;
}

describe('concurrent publishing of one month', () => {
  it('two drafts of one month published at once: one published, the other 409 naming the published edition', async () => {
    // several rounds, so the two transactions overlap in some of them on PostgreSQL
    for (const [i, unit] of (['community', 'grid', 'department'] as const).entries()) {
      const period = monthBack(i + 1);
      const a = ok(await w.u.leader!.post('/api/assessment/rankings', { period, unit }), 201);
      // a second draft of the same month and scope (an administrator's drafts cover everything, another scope)
      const c = ok(await w.u.leader!.post('/api/assessment/rankings', { period, unit }), 201);
      const [r1, r2] = await Promise.all([
        w.u.leader!.post(`/api/assessment/rankings/${a.id}/moves/publish`, { version: a.version }),
        w.u.leader!.post(`/api/assessment/rankings/${c.id}/moves/publish`, { version: c.version }),
      ]);
      const statuses = [r1.statusCode, r2.statusCode].sort();
      expect(statuses, `${r1.body} ${r2.body}`).toEqual([200, 409]);
      const refusedRes = r1.statusCode === 409 ? r1 : r2;
      const error = refusedRes.json().error as { code: string; message: string };
      expect(error.code).toBe('assessment_already_published');
      expect(error.message).toContain(period);
      const winner = (r1.statusCode === 200 ? r1 : r2).json() as { id: number };
      expect(error.message).toContain(String(winner.id));
      const { rows } = await sql<{ id: number }>`SELECT id FROM assessment_rankings WHERE period = ${period} AND unit_kind = ${unit} AND state = 'published'`.execute(w.p.db);
      expect(rows.map((r) => r.id)).toEqual([winner.id]);
      expect(await published(period, unit)).toBe(1);
    }
  });

  it('one draft published twice at once (two tabs): one published, the other 409, the draft published once', async () => {
    const period = monthBack(4);
    const a = ok(await w.u.leader!.post('/api/assessment/rankings', { period, unit: 'community' }), 201);
    const [r1, r2] = await Promise.all([
      w.u.leader!.post(`/api/assessment/rankings/${a.id}/moves/publish`, { version: a.version }),
      w.u.admin!.post(`/api/assessment/rankings/${a.id}/moves/publish`, { version: a.version }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort(), `${r1.body} ${r2.body}`).toEqual([200, 409]);
    const refusedRes = r1.statusCode === 409 ? r1 : r2;
    // the second waits for the first's row lock, then finds the month published (or its version gone)
    expect(['assessment_already_published', 'version_conflict', 'move_not_allowed_in_state']).toContain(refusedRes.json().error.code);
    expect(refusedRes.json().error.message.length).toBeGreaterThan(5);
    expect(await published(period, 'community')).toBe(1);
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM assessment_events WHERE item_type = 'ranking' AND item_id = ${a.id} AND move = 'publish'`.execute(w.p.db);
    expect(events.rows[0]!.n).toBe(1);
  });
});
