// The enterprise registry to and from Excel (issue 14): the template, the import — all or nothing, every problem
// named by its row and column in the reader's language, nothing written on refusal — and the export of the
// filtered registry, streamed, its row count the list's total under the same filter, text neutralised.
import { inAreas } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { withCheckChar } from '../../domain/hazards/credit-code.js';
import {
  buildEnterpriseTemplate,
  ENTERPRISE_HEADER,
  ENTERPRISE_SHEET,
  ENTERPRISE_SHEET_MAX_ROWS,
  parseEnterpriseSheet,
  RISK_LABEL,
  STATUS_LABEL,
  type EnterpriseSheetProblem,
} from '../../domain/hazards/enterprise-sheet.js';
import { phoneFor } from '../../domain/phone-mask.js';
import { checkSpreadsheet } from '../../domain/spreadsheet-limits.js';
import { inTransaction } from '../../data/db.js';
import { followImportedIntoPlans } from './plans.js';
import { insertAudit } from '../../data/repos/audit.js';
import { activeCGrids, countRegistry, departmentCodes, exampleGridPoint, insertEnterprises, registeredCreditCodes, registryPage, type NewEnterprise, type RegistryRow } from '../../data/repos/enterprises.js';
import { enterpriseSheetMessage, type EnterpriseFilterQuery } from '../../shared/enterprises-api.js';
import { caseScope, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';
import { locate } from '../grids/lookup.js';
import { checkExportSize, EXPORT_PAGE, shanghaiTime, writeXlsx, type ExportColumn, type XlsxExport } from '../xlsx-export.js';
import { cGridAt } from './enterprise-place.js';
import { registryFilter } from './enterprise-filter.js';
import { ENTERPRISE_EDITORS } from './enterprises.js';

/** at most this many problems are listed in the answer (the count says how many there are) */
const MAX_LISTED = 500;

export async function enterpriseTemplate(ctx: ActorContext): Promise<Buffer> {
  requireRole(ctx.actor, ENTERPRISE_EDITORS);
  const at = await exampleGridPoint(ctx.db);
  return buildEnterpriseTemplate({ lng: at?.label_lng ?? 116.6, lat: at?.label_lat ?? 35.4, creditCodes: [withCheckChar('91370800MA3D90001'), withCheckChar('91370800MA3D90002')] });
}

function refuse(problems: EnterpriseSheetProblem[]): never {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  const first = sorted[0]!;
  throw new DomainError('enterprise_import_invalid', { count: problems.length, row: first.row, column: first.column ?? '' }, (lang: 'zh-CN' | 'en') =>
    sorted.slice(0, MAX_LISTED).map((p) => ({ row: p.row, ...(p.column ? { column: p.column } : {}), code: p.code, message: enterpriseSheetMessage(p.code, { row: p.row, ...p.params }, lang) })),
  );
}

export async function importEnterprises(ctx: ActorContext, bytes: Buffer, opts: { dryRun: boolean }) {
  const { db, actor, now } = ctx;
  requireRole(actor, ENTERPRISE_EDITORS);
  checkSpreadsheet(bytes, { maxRows: ENTERPRISE_SHEET_MAX_ROWS, maxUncompressedBytes: 64 * 1024 * 1024 });
  const { rows, problems } = await parseEnterpriseSheet(bytes);
  if (problems.some((p) => p.row <= 1)) refuse(problems);
  const taken = new Map((await registeredCreditCodes(db, rows.map((r) => r.creditCode))).map((t) => [t.credit_code, t.name]));
  const depts = new Map((await departmentCodes(db)).filter((d) => !d.retired_at).map((d) => [d.code.toUpperCase(), d.id]));
  const cGrids = await activeCGrids(db);
  const cByCode = new Map(cGrids.map((g) => [g.code, g]));
  const values: NewEnterprise[] = [];
  for (const r of rows) {
    const bad = (column: keyof typeof ENTERPRISE_HEADER | null, code: EnterpriseSheetProblem['code'], params: Record<string, string | number>) =>
      problems.push({ row: r.row, ...(column ? { column: ENTERPRISE_HEADER[column] } : {}), code, params: { row: r.row, ...(column ? { column: ENTERPRISE_HEADER[column] } : {}), ...params } });
    const before = problems.length;
    if (taken.has(r.creditCode)) bad('creditCode', 'credit_code_taken', { value: r.creditCode, name: taken.get(r.creditCode)! });
    const place = await locate(db, r.lng, r.lat);
    if (place.gridId == null || place.path == null || (actor.role !== 'admin' && !inAreas(actor.scopePaths, place.path))) bad('lng', 'outside_street', { lng: r.lng, lat: r.lat });
    const departmentIds: number[] = [];
    for (const c of r.departmentCodes) {
      const id = depts.get(c);
      if (id == null) bad('departmentCodes', 'department_unknown', { value: c });
      else if (!departmentIds.includes(id)) departmentIds.push(id);
    }
    let cGridId: number | null = null;
    if (r.keyUnit) {
      if (r.cGridCode) {
        const g = cByCode.get(r.cGridCode);
        if (!g) bad('cGridCode', 'c_grid_unknown', { value: r.cGridCode });
        else cGridId = g.id;
      } else cGridId = cGridAt(cGrids, r.lng, r.lat)?.id ?? null;
    }
    if (problems.length > before) continue;
    values.push({
      name: r.name,
      credit_code: r.creditCode,
      industry_code: r.industryCode,
      industry_name: r.industryName,
      address: r.address,
      lng: r.lng,
      lat: r.lat,
      grid_id: place.gridId,
      area_path: place.path!,
      risk_level: r.riskLevel,
      status: r.status,
      watch: r.watch,
      watch_reason: r.watchReason,
      watch_review_on: r.watchReviewOn,
      contact: r.contact,
      phone: r.phone,
      department_ids: JSON.stringify(departmentIds),
      key_unit: r.keyUnit,
      c_grid_id: cGridId,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
  }
  if (problems.length) refuse(problems);
  if (opts.dryRun) return { created: values.length, dryRun: true };
  await inTransaction(db, async (trx) => {
    const ids = await insertEnterprises(trx, values);
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'enterprise.import',
      targetType: 'enterprise',
      targetId: null,
      summary: `从表格导入企业 ${ids.length} 家`,
      data: { count: ids.length, ids },
      ip: ctx.ip,
      at: now,
    });
    // enterprises placed in a grid whose month is planned join the plan
    await followImportedIntoPlans(trx, ctx, ids.map((id, i) => ({ id, grid_id: values[i]!.grid_id ?? null, status: values[i]!.status ?? 'operating', industry_code: values[i]!.industry_code ?? null, industry_name: values[i]!.industry_name ?? null })));
  });
  return { created: values.length, dryRun: false };
}

export async function exportEnterprises(ctx: ActorContext, q: EnterpriseFilterQuery): Promise<XlsxExport> {
  requireRole(ctx.actor, ['admin', 'operator', 'leader', 'grid_worker', 'department']);
  const scope = caseScope(ctx.actor);
  const filter = registryFilter(q);
  const total = await countRegistry(ctx.db, scope, filter);
  checkExportSize(total);
  const text = (v: string | null | undefined) => v ?? '';
  const deptCode = new Map((await departmentCodes(ctx.db)).map((d) => [d.id, d.code]));
  // the import's columns first (an export can be filled in and imported elsewhere), then what the registry adds
  const columns: ExportColumn<RegistryRow>[] = [
    { header: ENTERPRISE_HEADER.name, width: 28, value: (r) => r.name },
    { header: ENTERPRISE_HEADER.creditCode, width: 22, value: (r) => text(r.credit_code) },
    { header: ENTERPRISE_HEADER.industryCode, width: 10, value: (r) => text(r.industry_code) },
    { header: ENTERPRISE_HEADER.industryName, width: 20, value: (r) => text(r.industry_name) },
    { header: ENTERPRISE_HEADER.address, width: 28, value: (r) => text(r.address) },
    { header: ENTERPRISE_HEADER.lng, width: 12, value: (r) => r.lng },
    { header: ENTERPRISE_HEADER.lat, width: 12, value: (r) => r.lat },
    { header: ENTERPRISE_HEADER.riskLevel, width: 10, value: (r) => RISK_LABEL[r.risk_level] },
    { header: ENTERPRISE_HEADER.status, width: 10, value: (r) => STATUS_LABEL[r.status] },
    { header: ENTERPRISE_HEADER.keyUnit, width: 10, value: (r) => (r.key_unit ? '是' : '否') },
    { header: ENTERPRISE_HEADER.cGridCode, width: 16, value: (r) => text(r.c_grid_code) },
    { header: ENTERPRISE_HEADER.watch, width: 10, value: (r) => (r.watch ? '是' : '否') },
    { header: ENTERPRISE_HEADER.watchReason, width: 24, value: (r) => text(r.watch_reason) },
    { header: ENTERPRISE_HEADER.watchReviewOn, width: 12, value: (r) => (r.watch_review_on ? String(r.watch_review_on).slice(0, 10) : '') },
    { header: ENTERPRISE_HEADER.contact, width: 10, value: (r) => text(r.contact) },
    { header: ENTERPRISE_HEADER.phone, width: 14, value: (r) => text(phoneFor(ctx.actor, r.phone)) },
    { header: ENTERPRISE_HEADER.departmentCodes, width: 16, value: (r) => r.department_ids.map((d) => deptCode.get(d) ?? '').filter(Boolean).join(',') },
    { header: '所属网格', width: 20, value: (r) => text(r.grid_name) },
    { header: '专属网格', width: 20, value: (r) => text(r.c_grid_name) },
    { header: '未销号隐患', width: 10, value: (r) => Number(r.open_hazards ?? 0) },
    { header: '更新时间', width: 18, value: (r) => shanghaiTime(r.updated_at) },
  ];
  const db = ctx.db;
  return {
    filename: `企业档案-${shanghaiTime(ctx.now).slice(0, 10)}.xlsx`,
    asciiName: `enterprises-${shanghaiTime(ctx.now).slice(0, 10)}.xlsx`,
    total,
    write: (out) =>
      writeXlsx(
        out,
        ENTERPRISE_SHEET,
        columns,
        (async function* () {
          let after = 0;
          for (;;) {
            const page = await registryPage(db, scope, filter, after, EXPORT_PAGE);
            if (!page.length) return;
            yield page;
            after = page[page.length - 1]!.id;
          }
        })(),
      ),
  };
}
