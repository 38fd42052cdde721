// First start in seconds (issue 12): the demo street is seeded once, dumped, and a fresh data folder starts from
// the dump moved to the platform's clock (src/seed/snapshot.ts). Moved to a year end, the street reads as if
// seeded then: every instant shifted by the same amount, case numbers carry their new Beijing report date (and
// the audit log and notices quote the new numbers), the statistics rollup matches the moved cases.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb, type Db } from '../../src/data/db.js';
import { migrateToLatest } from '../../src/data/migrate.js';
import { seedDemo } from '../../src/seed/demo.js';
import { redateDemo } from '../../src/seed/snapshot.js';
import { caseNumber } from '../../src/services/cases/cases.js';
import { usingPostgres } from '../support/platform.js';
import { message } from '../../src/shared/messages.js';

const SEEDED_AT = new Date('2025-06-15T02:00:00Z');
const YEAR_END = new Date('2026-12-31T15:30:00Z'); // 23:30 on New Year's Eve in Beijing
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const facts = async (db: Db) => {
  const cases = (await sql<{ id: number; number: string; reported_at: Date; updated_at: Date }>`SELECT id, number, reported_at, updated_at FROM cases ORDER BY id`.execute(db)).rows;
  const audit = (await sql<{ target_id: string; summary: string; at: Date }>`SELECT target_id, summary, at FROM audit_log WHERE target_type = 'case' ORDER BY id`.execute(db)).rows;
  // a title is a message code with parameters (rendered when read), or text written before migration 0022
  const titles = (
    await sql<{ case_id: number; title: string | null; title_code: string | null; title_params: Record<string, string | number> | null }>`SELECT case_id, title, title_code, title_params FROM notifications WHERE case_id IS NOT NULL ORDER BY id`.execute(db)
  ).rows.map((n) => ({ case_id: n.case_id, title: n.title_code ? message(n.title_code, n.title_params ?? {}, 'zh-CN') : n.title! }));
  const reportedPerDay = (await sql<{ n: number }>`SELECT coalesce(sum(reported), 0)::int AS n FROM stats_rollup WHERE grain = 'd' AND dim = 't'`.execute(db)).rows[0]!.n;
  return { cases, audit, titles, reportedPerDay };
};

describe.skipIf(usingPostgres)('the demo snapshot (PGlite)', () => {
  it('dumps and loads into a fresh folder, then moves to a year end as a whole', async () => {
    const seeded = await openDb({});
    await migrateToLatest(seeded.db);
    await seedDemo(seeded.db, { now: SEEDED_AT, cases: 40 });
    const before = await facts(seeded.db);
    const dump = await seeded.pglite!.dumpDataDir('gzip');
    await seeded.db.destroy();

    const dir = mkdtempSync(path.join(os.tmpdir(), 'gridwork-snapshot-'));
    dirs.push(dir);
    const { db } = await openDb({ pgliteDir: path.join(dir, 'pgdata'), pgliteLoad: dump });
    await migrateToLatest(db);
    expect(await facts(db)).toEqual(before);

    await redateDemo(db, SEEDED_AT, YEAR_END);
    const after = await facts(db);
    const shift = YEAR_END.getTime() - SEEDED_AT.getTime();
    expect(after.cases.map((c) => [c.id, c.reported_at.getTime(), c.updated_at.getTime()])).toEqual(
      before.cases.map((c) => [c.id, c.reported_at.getTime() + shift, c.updated_at.getTime() + shift]),
    );
    expect(Math.max(...after.cases.map((c) => c.reported_at.getTime()))).toBeLessThanOrEqual(YEAR_END.getTime());
    for (const c of after.cases) expect(c.number).toBe(caseNumber(c.id, c.reported_at));
    const numberOf = new Map(after.cases.map((c) => [String(c.id), c.number]));
    for (const a of after.audit) expect(a.summary).toContain(numberOf.get(a.target_id));
    for (const n of after.titles) expect(n.title).toContain(numberOf.get(String(n.case_id)));
    expect(after.reportedPerDay).toBe(before.reportedPerDay);
    const firstDay = await sql<{ d: string }>`SELECT min(bucket)::text AS d FROM stats_rollup WHERE grain = 'd'`.execute(db);
    expect(firstDay.rows[0]!.d >= '2026-09-01').toBe(true); // 90 days before the year end, not in 2025
    // history is still append-only once moved
    await expect(sql`UPDATE audit_log SET summary = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await db.destroy();
  }, 120_000);
});
