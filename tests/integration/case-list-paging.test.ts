// Lists at a million (issue 12): walking a list by cursor gives the same rows as page numbers, in the same
// order, without repeats or gaps, for the case list and the work queue; counts stop at COUNT_CAP unless asked
// exactly; a cursor that did not come from the list is refused with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseList } from '../../src/shared/api.js';
import { COUNT_CAP, listCases } from '../../src/data/repos/cases/cases.js';
import { listAudit } from '../../src/data/repos/audit.js';
import { ok, openWorld, refused, type World } from '../support/factories.js';

let w: World;
beforeAll(async () => {
  w = await openWorld(['operator', 'leader', 'chengguan'], { cases: 60 });
});
afterAll(async () => w?.p.close());

async function walk(client: World['u'][string], path: string, pageSize: number) {
  const byCursor: number[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const list: CaseList = ok(await client.get(`${path}?pageSize=${pageSize}${after ? `&after=${encodeURIComponent(after)}` : ''}`));
    byCursor.push(...list.items.map((c) => c.id));
    after = list.nextCursor;
    if (!after) break;
  }
  const byPage: number[] = [];
  const first: CaseList = ok(await client.get(`${path}?pageSize=${pageSize}`));
  for (let page = 1; page <= Math.ceil(first.total / pageSize); page++) {
    byPage.push(...(ok(await client.get(`${path}?pageSize=${pageSize}&page=${page}`)) as CaseList).items.map((c) => c.id));
  }
  return { byCursor, byPage, total: first.total };
}

describe('keyset paging', () => {
  for (const [who, path] of [['operator', '/api/cases'], ['leader', '/api/cases'], ['chengguan', '/api/cases'], ['operator', '/api/tasks'], ['chengguan', '/api/tasks']] as const) {
    it(`${who} ${path}: pages by cursor are the pages by number`, async () => {
      const { byCursor, byPage, total } = await walk(w.u[who]!, path, 7);
      expect(total).toBeGreaterThan(0);
      expect(byCursor).toEqual(byPage);
      expect(new Set(byCursor).size).toBe(total);
    });
  }

  it('the last page has no next cursor; a list with filters pages within them', async () => {
    const list: CaseList = ok(await w.u.operator!.get('/api/cases?state=closed&pageSize=200'));
    expect(list.nextCursor).toBeNull();
    expect(list.totalCapped).toBe(false);
    expect(list.items.every((c) => c.state === 'closed')).toBe(true);
  });

  it('a cursor that did not come from the list is refused with a message, in the user language', async () => {
    for (const bad of ['nonsense', Buffer.from('[1]').toString('base64url'), Buffer.from('["x", 1]').toString('base64url')]) {
      const r = refused(await w.u.operator!.get(`/api/cases?after=${bad}`), 400, 'list_cursor_invalid');
      expect(r.message).toMatch(/第一页/);
    }
  });
});

describe('capped counts', () => {
  it(`stop above ${COUNT_CAP.toLocaleString('en')} unless asked exactly`, async () => {
    // the cap is what matters, not the size of the table: count the demo cases with a cap below them
    const scope = { kind: 'all' } as const;
    const exact = await listCases(w.p.db, scope, {}, { limit: 5, offset: 0, exactCount: true });
    expect(exact.totalCapped).toBe(false);
    expect(exact.total).toBeGreaterThanOrEqual(60);
    const list: CaseList = ok(await w.u.operator!.get('/api/cases?pageSize=5'));
    expect(list).toMatchObject({ total: exact.total, totalCapped: false });
    const counted: CaseList = ok(await w.u.operator!.get('/api/cases?pageSize=5&count=exact'));
    expect(counted.total).toBe(exact.total);
    const capped = await listCases(w.p.db, scope, {}, { limit: 5, offset: 0, countCap: 10 });
    expect(capped).toMatchObject({ total: 10, totalCapped: true });
    expect(capped.items.map((c) => c.id)).toEqual(exact.items.map((c) => c.id));
    expect(await listCases(w.p.db, scope, {}, { limit: 5, offset: 0, countCap: exact.total })).toMatchObject({ total: exact.total, totalCapped: false });
  });
});

describe('the audit log', () => {
  it('pages by id give the pages by number, with or without an action filter', async () => {
    for (const action of [undefined, 'case.report']) {
      const byKey: number[] = [];
      let beforeId: number | null | undefined;
      do {
        const page = await listAudit(w.p.db, { action, limit: 9, offset: 0, beforeId: beforeId ?? undefined });
        byKey.push(...page.items.map((a) => a.id));
        beforeId = page.nextBeforeId;
      } while (beforeId != null);
      const { total, totalCapped } = await listAudit(w.p.db, { action, limit: 9, offset: 0 });
      expect(totalCapped).toBe(false);
      const byOffset: number[] = [];
      for (let offset = 0; offset < total; offset += 9) byOffset.push(...(await listAudit(w.p.db, { action, limit: 9, offset })).items.map((a) => a.id));
      expect(total).toBeGreaterThan(9);
      expect(byKey).toEqual(byOffset);
      expect(byKey).toHaveLength(total);
    }
  });
});
