// The enterprise registry to and from Excel (issue 14): the template, the import — new enterprises created, registered
// credit codes updated (the sheet's columns only, audited before/after), all or nothing, every problem
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
  type EnterpriseColumn,
  type EnterpriseSheetProblem,
} from '../../domain/hazards/enterprise-sheet.js';
import { phoneFor } from '../../domain/phone-mask.js';
import { checkSpreadsheet } from '../../domain/spreadsheet-limits.js';
import { inTransaction } from '../../data/db.js';
import { followImportedIntoPlans } from './plans.js';
import { insertAudit } from '../../data/repos/audit.js';
import { activeCGrids, countRegistry, departmentCodes, enterprisesByCreditCode, exampleGridPoint, insertEnterprises, registryPage, type EnterpriseChanges, type NewEnterprise, type RegistryRow } from '../../data/repos/enterprises.js';
import { updateEnterpriseIfVersion, type EnterpriseRow } from '../../data/repos/hazards.js';
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

/** An archive field as compared and audited: dates as YYYY-MM-DD, department lists as JSON. */
function comparable(key: string, v: unknown): unknown {
  if (v == null) return null;
  if (key === 'watch_review_on') return v instanceof Date ? new Date(v.getTime() - v.getTimezoneOffset() * 60_000).toISOString().slice(0, 10) : String(v).slice(0, 10);
  if (key === 'department_ids') return typeof v === 'string' ? v : JSON.stringify(v);
  return v;
}

/**
 * The sheet into the registry, all or nothing: a row whose 统一社会信用代码 is registered updates that enterprise
 * (only the sheet's columns; a required cell left blank keeps the archive's value; each change audited with what
 * it was and what it became), any other row creates one. Every problem of every row is named before anything is
 * written. Answers how many were created, updated and left as they were.
 */
export async function importEnterprises(ctx: ActorContext, bytes: Buffer, opts: { dryRun: boolean }) {
  const { db, actor, now } = ctx;
  requireRole(actor, ENTERPRISE_EDITORS);
  checkSpreadsheet(bytes, { maxRows: ENTERPRISE_SHEET_MAX_ROWS, maxUncompressedBytes: 64 * 1024 * 1024 });
  const { rows, problems } = await parseEnterpriseSheet(bytes);
  if (problems.some((p) => p.row <= 1)) refuse(problems);
  const registered = new Map((await enterprisesByCreditCode(db, rows.map((r) => r.creditCode))).map((e) => [e.credit_code!, e]));
  const depts = new Map((await departmentCodes(db)).filter((d) => !d.retired_at).map((d) => [d.code.toUpperCase(), d.id]));
  const cGrids = await activeCGrids(db);
  const cByCode = new Map(cGrids.map((g) => [g.code, g]));
  const values: NewEnterprise[] = [];
  const updates: { before: EnterpriseRow; set: EnterpriseChanges }[] = [];
  let unchanged = 0;
  for (const r of rows) {
    const bad = (column: keyof typeof ENTERPRISE_HEADER | null, code: EnterpriseSheetProblem['code'], params: Record<string, string | number>) =>
      problems.push({ row: r.row, ...(column ? { column: ENTERPRISE_HEADER[column] } : {}), code, params: { row: r.row, ...(column ? { column: ENTERPRISE_HEADER[column] } : {}), ...params } });
    const before = problems.length;
    const has = (c: EnterpriseColumn) => r.columns.has(c);
    const existing = registered.get(r.creditCode);
    // an enterprise outside the editor's scope is not theirs to change
    if (existing && actor.role !== 'admin' && !inAreas(actor.scopePaths, existing.area_path)) bad('creditCode', 'credit_code_taken', { value: r.creditCode, name: existing.name });
    // a new enterprise needs every required cell; an update keeps what the archive says for a blank one
    if (!existing) for (const c of r.blank) bad(c, 'required', {});
    const moved = r.lng != null && r.lat != null;
    let place: { gridId: number | null; path: string | null } = existing ? { gridId: existing.grid_id, path: existing.area_path } : { gridId: null, path: null };
    if (moved) {
      place = await locate(db, r.lng!, r.lat!);
      if (place.gridId == null || place.path == null || (actor.role !== 'admin' && !inAreas(actor.scopePaths, place.path))) bad('lng', 'outside_street', { lng: r.lng!, lat: r.lat! });
    }
    const departmentIds: number[] = [];
    for (const c of r.departmentCodes) {
      const id = depts.get(c);
      if (id == null) bad('departmentCodes', 'department_unknown', { value: c });
      else if (!departmentIds.includes(id)) departmentIds.push(id);
    }
    const keyUnit = has('keyUnit') || !existing ? r.keyUnit : existing.key_unit;
    // the parser checks this against the sheet's 重点单位; without that column, against the archive
    if (r.cGridCode && !keyUnit && !has('keyUnit')) bad('cGridCode', 'not_key_unit', { value: r.cGridCode });
    const lng = moved ? r.lng! : existing?.lng;
    const lat = moved ? r.lat! : existing?.lat;
    let cGridId: number | null = null;
    if (keyUnit) {
      if (r.cGridCode) {
        const g = cByCode.get(r.cGridCode);
        if (!g) bad('cGridCode', 'c_grid_unknown', { value: r.cGridCode });
        else cGridId = g.id;
      } else if (existing?.key_unit && !moved && !has('cGridCode')) cGridId = existing.c_grid_id;
      else if (lng != null && lat != null) cGridId = cGridAt(cGrids, lng, lat)?.id ?? null;
    }
    if (problems.length > before) continue;
    if (!existing) {
      values.push({
        name: r.name,
        credit_code: r.creditCode,
        industry_code: r.industryCode,
        industry_name: r.industryName,
        address: r.address,
        lng: r.lng!,
        lat: r.lat!,
        grid_id: place.gridId,
        area_path: place.path!,
        risk_level: r.riskLevel,
        status: r.status,
        watch: r.watch,
        watch_reason: r.watch ? r.watchReason : null,
        watch_review_on: r.watch ? r.watchReviewOn : null,
        contact: r.contact,
        phone: r.phone,
        department_ids: JSON.stringify(departmentIds),
        key_unit: r.keyUnit,
        c_grid_id: cGridId,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      });
      continue;
    }
    // an update: the sheet's columns only
    const set: EnterpriseChanges = {};
    if (has('name') && !r.blank.has('name')) set.name = r.name;
    if (has('industryCode') && !r.blank.has('industryCode')) set.industry_code = r.industryCode;
    if ((has('industryName') || set.industry_code) && r.industryName != null) set.industry_name = r.industryName;
    if (has('address')) set.address = r.address;
    if (moved) Object.assign(set, { lng: r.lng!, lat: r.lat!, grid_id: place.gridId, area_path: place.path! });
    if (has('riskLevel')) set.risk_level = r.riskLevel;
    if (has('status')) set.status = r.status;
    if (has('keyUnit') || has('cGridCode') || moved) Object.assign(set, { key_unit: keyUnit, c_grid_id: cGridId });
    if (has('watch') || has('watchReason') || has('watchReviewOn')) {
      const watch = has('watch') ? r.watch : existing.watch;
      const reason = has('watchReason') ? r.watchReason : existing.watch_reason;
      const review = has('watchReviewOn') ? r.watchReviewOn : (comparable('watch_review_on', existing.watch_review_on) as string | null);
      Object.assign(set, { watch, watch_reason: watch ? reason : null, watch_review_on: watch ? review : null });
    }
    if (has('contact')) set.contact = r.contact;
    if (has('phone')) set.phone = r.phone;
    if (has('departmentCodes')) set.department_ids = JSON.stringify(departmentIds);
    const changed = Object.fromEntries(Object.entries(set).filter(([k, v]) => comparable(k, v) !== comparable(k, existing[k as keyof EnterpriseRow])));
    if (Object.keys(changed).length) updates.push({ before: existing, set: changed });
    else unchanged++;
  }
  if (problems.length) refuse(problems);
  const answer = { created: values.length, updated: updates.length, unchanged };
  if (opts.dryRun) return { ...answer, dryRun: true };
  await inTransaction(db, async (trx) => {
    const ids = await insertEnterprises(trx, values);
    for (const u of updates) {
      const after = await updateEnterpriseIfVersion(trx, u.before.id, u.before.version, { ...u.set, updated_at: now });
      // changed by someone else since the sheet was checked: nothing of the import stays
      if (!after) throw new DomainError('version_conflict');
      const keys = Object.keys(u.set);
      await insertAudit(trx, {
        actorId: actor.id,
        action: 'enterprise.update',
        targetType: 'enterprise',
        targetId: after.id,
        summary: `从表格更新企业档案 ${after.name}`,
        data: {
          import: true,
          before: Object.fromEntries(keys.map((k) => [k, comparable(k, u.before[k as keyof EnterpriseRow])])),
          after: Object.fromEntries(keys.map((k) => [k, comparable(k, after[k as keyof EnterpriseRow])])),
        },
        ip: ctx.ip,
        at: now,
      });
    }
    await insertAudit(trx, {
      actorId: actor.id,
      action: 'enterprise.import',
      targetType: 'enterprise',
      targetId: null,
      summary: `从表格导入企业：新建 ${ids.length} 家，更新 ${updates.length} 家`,
      data: { count: ids.length, ids, updated: updates.map((u) => u.before.id), unchanged },
      ip: ctx.ip,
      at: now,
    });
    // enterprises placed in a grid whose month is planned join the plan
    await followImportedIntoPlans(trx, ctx, ids.map((id, i) => ({ id, grid_id: values[i]!.grid_id ?? null, status: values[i]!.status ?? 'operating', industry_code: values[i]!.industry_code ?? null, industry_name: values[i]!.industry_name ?? null })));
  });
  return { ...answer, dryRun: false };
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
