// The first day of an office: a 不满意 rating tells the operators and puts the case in their tasks (回头看) with
// the reason; the similar-case lookup finds reports in every scope but shows others' only as "exists, this state";
// inboxes put overdue work first and new reports before old work without a clock.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseList } from '../../src/shared/api.js';
import { GRID_1, GRID_2, moveOk, ok, openWorld, reportAt, walkTo, type World } from '../support/factories.js';
import { addDemoPhotos } from '../../src/seed/demo-photos.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['operator', 'chengguan', 'gridworker', 'gridworker2', 'citizen']);
});
afterAll(async () => w?.p.close());

const tasks = async (who: string): Promise<CaseList> => ok(await w.u[who]!.get('/api/tasks?pageSize=100'));
const bell = async (who: string) => ok(await w.u[who]!.get('/api/notifications')) as { items: { kind: string; caseId: number; title: string; body: string }[] };

describe('不满意', () => {
  it('tells the operators and puts the case in their tasks with the reason until it is reopened', async () => {
    const closed = await walkTo(w, 'closed', { reporter: 'citizen' });
    expect((await tasks('operator')).items.map((c) => c.id)).not.toContain(closed.id);
    await moveOk(w.u.citizen!, closed, 'evaluate', { rating: 2, note: '处理太慢了' });

    const told = (await bell('operator')).items.filter((n) => n.caseId === closed.id && n.kind === 'unsatisfied');
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toContain('不满意');
    expect(told[0]!.body).toBe('处理太慢了');
    const inbox = (await tasks('operator')).items.find((c) => c.id === closed.id);
    expect(inbox).toMatchObject({ state: 'closed', rating: 2, ratingNote: '处理太慢了' });

    const reopened = await moveOk(w.u.operator!, { id: closed.id, version: closed.version + 1 }, 'reopen', { note: '回访后重新办理' });
    expect(reopened.state).toBe('accepted');
    const after = (await tasks('operator')).items.find((c) => c.id === closed.id);
    expect(after?.state).toBe('accepted');
    expect(after?.ratingNote).toBeUndefined();
  });

  it('a satisfied rating tells nobody and leaves the tasks alone', async () => {
    const closed = await walkTo(w, 'closed', { reporter: 'citizen' });
    await moveOk(w.u.citizen!, closed, 'evaluate', { rating: 4 });
    expect((await bell('operator')).items.filter((n) => n.caseId === closed.id && n.kind === 'unsatisfied')).toHaveLength(0);
    expect((await tasks('operator')).items.map((c) => c.id)).not.toContain(closed.id);
  });
});

describe('similar cases at report time', () => {
  it('a citizen learns a case exists nearby, with its state, and nothing else', async () => {
    const theirs = await reportAt(w, w.u.gridworker2!, GRID_2, { description: '邻居看到的垃圾堆，联系人 13800000000' });
    const g = w.grids.get(GRID_2)!.properties;
    const q = `/api/cases/similar?lng=${g.labelLng + 0.0002}&lat=${g.labelLat}&categoryId=${w.categoryId}`;

    const forCitizen = ok(await w.u.citizen!.get(q)) as { items: Record<string, unknown>[] };
    const hidden = forCitizen.items.find((i) => i.state === 'reported' && i.readable === false);
    expect(hidden).toEqual({ readable: false, id: null, number: null, state: 'reported', description: null, distanceM: expect.any(Number), reportedAt: null });
    expect(JSON.stringify(forCitizen)).not.toContain(theirs.number);
    expect(JSON.stringify(forCitizen)).not.toContain('13800000000');

    // the worker of another grid: the same; the operator of the street and the reporter: the case itself
    const other = ok(await w.u.gridworker!.get(q)) as { items: Record<string, unknown>[] };
    expect(other.items.some((i) => i.id === theirs.id)).toBe(false);
    expect(other.items.some((i) => i.readable === false)).toBe(true);
    for (const who of ['operator', 'gridworker2']) {
      const full = ok(await w.u[who]!.get(q)) as { items: Record<string, unknown>[] };
      expect(full.items.find((i) => i.id === theirs.id), who).toMatchObject({ readable: true, number: theirs.number, description: theirs.description });
    }
  });
});

describe('inbox order', () => {
  it('overdue first, then the nearest due time; new reports before older work without a clock', async () => {
    const old = await walkTo(w, 'accepted', { grid: GRID_1 });
    const fresh = await reportAt(w, w.u.gridworker!, GRID_1, { description: '新上报：井盖破损' });
    const dispatched: CaseDetail = await walkTo(w, 'dispatched');
    // make one case overdue
    await w.p.db.updateTable('cases').set({ due_at: new Date(Date.now() - 3_600_000), warn_at: new Date(Date.now() - 7_200_000) }).where('id', '=', dispatched.id).execute();
    const cg = (await tasks('chengguan')).items;
    expect(cg[0]!.id).toBe(dispatched.id);
    const due = cg.filter((c) => c.dueAt).map((c) => Date.parse(c.dueAt!));
    expect(due).toEqual([...due].sort((a, b) => a - b));

    const op = (await tasks('operator')).items.map((c) => c.id);
    expect(op.indexOf(fresh.id)).toBeGreaterThanOrEqual(0);
    expect(op.indexOf(fresh.id)).toBeLessThan(op.indexOf(old.id));
  });
});

describe('the demo street', () => {
  it('has photos on its most recent reports, stored through the photo service', async () => {
    await reportAt(w, w.u.gridworker!, GRID_1, { description: '演示照片用的上报' });
    const n = await addDemoPhotos(w.p.db, w.p.dataDir, new Date(), 3);
    expect(n).toBeGreaterThan(0);
    const withPhotos = await w.p.db.selectFrom('cases').select(['id']).where(sql<boolean>`jsonb_array_length(photos) > 0`).execute();
    expect(withPhotos.length).toBe(n);
    const c = ok(await w.u.operator!.get(`/api/cases/${withPhotos[0]!.id}`)) as CaseDetail;
    expect(c.photos.length).toBeGreaterThan(0);
    const img = await w.u.operator!.get(c.photos[0]!.url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toContain('image/jpeg');
  });
});
