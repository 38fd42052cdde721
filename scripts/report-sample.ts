// `npm run report-sample`: the README's page of a generated situation report (docs/screenshots/assessment-report.png),
// made on purpose, never by a test. A demo street on an in-memory database (PGlite) with cases and hazards made
// through the services, last month's report drafted, 下步工作 written and issued as the leader, the .docx converted
// by LibreOffice to PDF (soffice --headless), and one page of the PDF drawn as PNG: with pdftoppm (poppler-utils)
// when installed, otherwise by LibreOffice itself (its PNG export draws the first page). Argument: the page (1-based,
// default 2, 主要问题 with the hot-spot map; pdftoppm only).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/data/db.js';
import { migrateToLatest } from '../src/data/migrate.js';
import { seedDemo } from '../src/seed/demo.js';
import { shanghaiDay } from '../src/domain/stats/stats.js';
import { draftReport, moveReport, reportDocument } from '../src/services/assessment/report.js';
import { randomHazards } from '../tests/support/random-cases.js';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'docs', 'screenshots', 'assessment-report.png');
const page = Number(process.argv[2] ?? 2);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gridwork-report-sample-'));

const { db } = await openDb({});
try {
  await migrateToLatest(db);
  const now = new Date();
  await seedDemo(db, { now, cases: 250 });
  await randomHazards(db, 40, 20261130, now.getTime());
  const leader = await db.selectFrom('users').selectAll().where('username', '=', 'leader').executeTakeFirstOrThrow();
  const ctx = { db, actor: { id: leader.id, role: leader.role, scopePaths: leader.scope_paths, departmentId: leader.department_id }, ip: null, now };
  const d = new Date(`${shanghaiDay(now).slice(0, 7)}-15T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const draft = await draftReport(ctx, { period: d.toISOString().slice(0, 7) });
  const edited = await moveReport(ctx, draft.id, 'edit', {
    version: draft.version,
    remarks: '全月网格化服务管理运行平稳，案件办理总体及时。',
    nextSteps: '一是压降超期案件，对超期未办结案件逐件督办。\n二是开展消防安全隐患专项整治，逾期未整改的依法移交执法。\n三是落实月度点评，红黑榜结果纳入年度考核。',
  });
  await moveReport(ctx, draft.id, 'issue', { version: edited.version });
  const { docx } = await reportDocument(ctx, draft.id);
  const file = path.join(tmp, 'report.docx');
  writeFileSync(file, docx);

  const profile = `-env:UserInstallation=file://${path.join(tmp, 'lo-profile')}`;
  execFileSync('soffice', [profile, '--headless', '--convert-to', 'pdf', '--outdir', tmp, file], { stdio: 'inherit', timeout: 300_000 });
  const pdf = path.join(tmp, 'report.pdf');
  if (spawnSync('pdftoppm', ['-v']).status === 0) {
    execFileSync('pdftoppm', ['-png', '-r', '110', '-f', String(page), '-l', String(page), '-singlefile', pdf, path.join(tmp, 'page')], { stdio: 'inherit' });
    copyFileSync(path.join(tmp, 'page.png'), out);
  } else {
    console.warn('pdftoppm (poppler-utils) is not installed: LibreOffice draws the first page instead');
    execFileSync('soffice', [profile, '--headless', '--convert-to', 'png', '--outdir', tmp, pdf], { stdio: 'inherit', timeout: 300_000 });
    copyFileSync(path.join(tmp, readdirSync(tmp).find((f) => f.endsWith('.png'))!), out);
  }
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  await db.destroy();
  rmSync(tmp, { recursive: true, force: true });
}
