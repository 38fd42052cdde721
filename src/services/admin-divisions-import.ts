// Communities and villages in bulk, from the .xlsx template or from GeoJSON with boundaries: all or nothing, every bad
// row or feature named in the reader's language. Each one hangs under the street its code extends (which must exist);
// a code that exists already is updated (name, and boundary when the file has one). Boundaries are checked like a
// grid's, in a worker thread, before the transaction.
import { divisionCodeProblem } from '../domain/division-codes.js';
import { checkSpreadsheet } from '../domain/spreadsheet-limits.js';
import { buildDivisionsTemplate, parseDivisionsGeoJson, parseDivisionsSheet, type DivisionImportRow } from '../domain/divisions-sheet.js';
import { inTransaction } from '../data/db.js';
import { insertDivision } from '../data/repos/reference.js';
import { listDivisionsAdmin, updateDivision } from '../data/repos/admin.js';
import { insertAudit } from '../data/repos/audit.js';
import { requireRole } from './access.js';
import type { ActorContext } from './context.js';
import { GridRejected, type GridIssue } from './grids/problems.js';
import { offload } from './offload.js';

export { buildDivisionsTemplate };

export interface DivisionImportResult {
  created: number;
  updated: number;
  withBoundary: number;
}

/** True for an .xlsx (a zip file); anything else is read as GeoJSON text. */
const isZip = (bytes: Buffer) => bytes.length > 3 && bytes[0] === 0x50 && bytes[1] === 0x4b;

export async function importDivisions(ctx: ActorContext, bytes: Buffer): Promise<DivisionImportResult> {
  requireRole(ctx.actor, ['admin']);
  let parsed: ReturnType<typeof parseDivisionsGeoJson>;
  if (isZip(bytes)) {
    checkSpreadsheet(bytes);
    parsed = await parseDivisionsSheet(bytes);
  } else {
    let json: unknown = null;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      /* reported as unreadable below */
    }
    parsed = parseDivisionsGeoJson(json);
  }
  const issue = (r: { row: number | null; index: number | null }, code: string | undefined, problem: string, params: Record<string, unknown>): GridIssue => ({
    index: r.index,
    ...(r.row != null ? { row: r.row } : {}),
    ...(code ? { gridCode: code } : {}),
    problem: problem as never,
    params: params as never,
  });
  const issues: GridIssue[] = parsed.problems.map((p) => issue(p, p.code, p.problem, p.params));
  const all = await listDivisionsAdmin(ctx.db);
  const byCode = new Map(all.map((d) => [d.code, d]));
  const planned: { row: DivisionImportRow; parent: (typeof all)[number]; existing: (typeof all)[number] | undefined; geometry: string | null | undefined }[] = [];
  for (const r of parsed.rows) {
    const before = issues.length;
    const parent = byCode.get(r.code.slice(0, 9));
    if (!parent || parent.level !== 'street') {
      issues.push(issue(r, r.code, /^\d{12}$/.test(r.code) ? 'division_import_unknown_parent' : 'division_code_invalid', { code: r.code, parent: r.code.slice(0, 9), digits: 12 }));
      continue;
    }
    const codeProblem = divisionCodeProblem(r.level, r.code, parent);
    if (codeProblem) issues.push(issue(r, r.code, codeProblem.code, codeProblem.params));
    const existing = byCode.get(r.code);
    if (existing && (existing.level !== r.level || existing.parent_id !== parent.id)) {
      issues.push(issue(r, r.code, 'division_import_level_mismatch', { code: r.code, name: existing.name }));
    }
    let geometry: string | null | undefined;
    if (r.row == null) {
      // A GeoJSON feature brings its boundary, checked like a grid's (every fault named).
      if (r.geometry == null) issues.push(issue(r, r.code, 'division_import_missing', { column: 'geometry' }));
      else {
        const problems = await offload('validateGridGeometry', [r.geometry]);
        for (const p of problems) issues.push(issue(r, r.code, p.code, p.params));
        geometry = JSON.stringify(r.geometry);
      }
    }
    if (issues.length === before) planned.push({ row: r, parent, existing, geometry });
  }
  if (issues.length) {
    issues.sort((a, b) => (a.row ?? a.index ?? 0) - (b.row ?? b.index ?? 0));
    throw new GridRejected('division_import_invalid', issues);
  }
  return inTransaction(ctx.db, async (trx) => {
    let created = 0;
    let updated = 0;
    for (const p of planned) {
      if (p.existing) {
        await updateDivision(trx, p.existing.id, { name: p.row.name, ...(p.geometry !== undefined ? { geometry: p.geometry } : {}) });
        updated++;
      } else {
        await insertDivision(trx, { code: p.row.code, name: p.row.name, level: p.row.level, parent_id: p.parent.id, geometry: p.geometry ?? null }, p.parent.path);
        created++;
      }
    }
    const withBoundary = planned.filter((p) => p.geometry).length;
    await insertAudit(trx, {
      actorId: ctx.actor.id, action: 'division.import', targetType: 'division', targetId: null,
      summary: `导入社区/村 ${planned.length} 个：新建 ${created} 个，更新 ${updated} 个，其中 ${withBoundary} 个带边界`,
      data: { codes: planned.map((p) => p.row.code), created, updated, withBoundary }, ip: ctx.ip, at: ctx.now,
    });
    return { created, updated, withBoundary };
  });
}

/** An upload with no file in it: refused like an unreadable one. */
export function emptyUpload(): never {
  throw new GridRejected('division_import_invalid', [{ index: null, row: 0, problem: 'division_import_unreadable' as never, params: {} }]);
}
