// Lists at a million (issue 12): each role's work queue (GET /api/tasks) can be read off cases_queue_idx in its
// order, the operator's too although it holds closed cases rated unsatisfied (回头看, migration 0021). Checked on
// PostgreSQL through the plan, not the clock: with sequential scans and sorts priced out, a page in the queue's
// order comes from that index only if the query implies the index's predicate; otherwise the planner has no such
// path and sorts (what made the operator's queue take 1.7 s at a million cases).
import pg from 'pg';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { myTasks } from '../../src/services/cases/cases.js';
import { CaseListQuery } from '../../src/shared/api.js';
import { openWorld, type World } from '../support/factories.js';
import { usingPostgres } from '../support/platform.js';

// Statements are read at the pg client as sent (text and parameters), the calls themselves unchanged. Patched
// before the world opens: the pool's connections bind query() when they connect (src/data/db.ts prepareMarked).
let recording: { text: string; values: unknown[] }[] | null = null;
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const a = args[0] as string | { text: string; values?: unknown[] };
  recording?.push(typeof a === 'string' ? { text: a, values: (args[1] as unknown[]) ?? [] } : { text: a.text, values: a.values ?? [] });
  return (original as (...x: unknown[]) => unknown).apply(this, args);
} as typeof original;

let w: World;
beforeAll(async () => {
  if (usingPostgres) w = await openWorld(['operator'], { cases: 40 });
});
afterAll(async () => {
  pg.Client.prototype.query = original;
  await w?.p.close();
});

/** The statements a call sends. */
async function statementsOf(fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const seen: { text: string; values: unknown[] }[] = [];
  recording = seen;
  try {
    await fn();
  } finally {
    recording = null;
  }
  return seen;
}

describe.skipIf(!usingPostgres)('work queues on their index', () => {
  for (const username of ['operator', 'gridworker', 'leader', 'chengguan']) {
    it(`${username}: a page of GET /api/tasks is read off cases_queue_idx in order`, async () => {
      const u = await w.p.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
      const ctx = { db: w.p.db, actor: { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id }, ip: null, now: new Date() };
      const sent = await statementsOf(() => myTasks(ctx, CaseListQuery.parse({ pageSize: '20' })));
      const page = sent.find((s) => /order by/i.test(s.text) && /from "cases"/i.test(s.text));
      expect(page, 'the page query').toBeDefined();
      const plan = await w.p.db.connection().execute(async (conn) => {
        await conn.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
        await conn.executeQuery(CompiledQuery.raw('SET enable_sort = off'));
        await conn.executeQuery(CompiledQuery.raw('SET enable_bitmapscan = off'));
        try {
          const r = await conn.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${page!.text}`, page!.values));
          return r.rows.map((x) => x['QUERY PLAN']).join('\n');
        } finally {
          await conn.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
          await conn.executeQuery(CompiledQuery.raw('RESET enable_sort'));
          await conn.executeQuery(CompiledQuery.raw('RESET enable_bitmapscan'));
        }
      });
      expect(plan).toMatch(/Index Scan using cases_queue_idx on cases/);
    });
  }
});
