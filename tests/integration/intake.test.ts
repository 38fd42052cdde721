// Intake in one statement (src/data/repos/cases/cases.ts insertReport): the answer to a report, built from what was
// written, is the very case detail a later read shows; the case, its event, its audit row and its notices are
// written together; a client key makes a retry answer with the first case and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { CaseDetail } from '../../src/shared/api.js';
import { auditRowsOf, eventRowsOf, GRID_1, GRID_2, ok, openWorld, reportBody, uploadPhoto, type World } from '../support/factories.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['gridworker', 'operator', 'citizen', 'gridworker2']);
});
afterAll(async () => w?.p.close());

const notificationsOf = async (caseId: number) =>
  (await sql<{ user_id: number; kind: string; title: string; outbox: number }>`
    SELECT n.user_id, n.kind, n.title, (SELECT count(*)::int FROM outbox o WHERE o.notification_id = n.id) AS outbox
    FROM notifications n WHERE n.case_id = ${caseId} ORDER BY n.user_id`.execute(w.p.db)).rows;

describe('the answer to a report is the case as a read shows it', () => {
  // [title, who, body, audit action, someone else is told (the reporter never is)]
  const cases: [string, string, () => Promise<Record<string, unknown>>, string, boolean][] = [
    ['a grid worker reports in its grid', 'gridworker', async () => reportBody(w, GRID_1), 'case.report', true],
    ['a grid worker fixes on the spot, with a photo', 'gridworker', async () => reportBody(w, GRID_1, { fixedOnSpot: true, result: '已清理', photos: [await uploadPhoto(w.u.gridworker!)] }), 'case.fix_on_spot', false],
    ['the operator reports in another community, urgent', 'operator', async () => reportBody(w, GRID_2, { urgency: 'urgent', source: 'hotline_12345' }), 'case.report', false],
    ['a citizen reports outside every grid (unrouted, nearest grid suggested)', 'citizen', async () => ({ ...reportBody(w, GRID_1), lng: 116.6, lat: 35.43 }), 'case.report', true],
  ];
  for (const [title, who, body, action, othersTold] of cases) {
    it(title, async () => {
      const client = w.u[who]!;
      const answer = ok(await client.post('/api/cases', await body()), 201) as CaseDetail;
      const read = ok(await client.get(`/api/cases/${answer.id}`)) as CaseDetail;
      expect(answer).toEqual(read);
      expect(await eventRowsOf(w.p, answer.id)).toHaveLength(1);
      expect((await auditRowsOf(w.p, answer.id)).map((a) => a.action)).toEqual([action]);
      const told = await notificationsOf(answer.id);
      expect(told.length > 0).toBe(othersTold);
      const me = await w.p.db.selectFrom('users').select('id').where('username', '=', who).executeTakeFirstOrThrow();
      expect(told.some((n) => n.user_id === me.id)).toBe(false);
      for (const n of told) expect(n.title).toContain(answer.number);
      expect(told.every((n) => n.outbox === 1)).toBe(true);
    });
  }
});

describe('a client key makes a retry harmless', () => {
  it('the same report sent twice, then twice at once, is one case with one event and one audit row', async () => {
    const body = reportBody(w, GRID_1, { clientKey: 'offline-7f3a' });
    const first = ok(await w.u.gridworker!.post('/api/cases', body), 201) as CaseDetail;
    const again = ok(await w.u.gridworker!.post('/api/cases', body), 201) as CaseDetail;
    expect(again.id).toBe(first.id);
    const raced = { ...body, clientKey: 'offline-race' };
    const [a, b] = await Promise.all([w.u.gridworker!.post('/api/cases', raced), w.u.gridworker!.post('/api/cases', raced)]);
    expect(ok(a, 201).id).toBe(ok(b, 201).id);
    for (const id of [first.id, ok(a, 201).id as number]) {
      expect(await eventRowsOf(w.p, id)).toHaveLength(1);
      expect(await auditRowsOf(w.p, id)).toHaveLength(1);
    }
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE client_key IN ('offline-7f3a', 'offline-race')`.execute(w.p.db);
    expect(n.rows[0]!.n).toBe(2);
  });

  it('the same key from another reporter is another case', async () => {
    const mine = ok(await w.u.gridworker!.post('/api/cases', reportBody(w, GRID_1, { clientKey: 'shared-key' })), 201) as CaseDetail;
    const theirs = ok(await w.u.gridworker2!.post('/api/cases', reportBody(w, GRID_2, { clientKey: 'shared-key' })), 201) as CaseDetail;
    expect(theirs.id).not.toBe(mine.id);
  });
});
