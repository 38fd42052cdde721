// The lists as .xlsx (issue 9, OpenAPI tag `exports`): the case list under any filter, my tasks, the audit log and
// the departments. Each reads its list exactly as the screen does (same scope, same filter) page by page and streams
// it through the one writer in xlsx-export.ts; the file's rows are the list's total.
import { warningLevelAt } from '../domain/cases/time-limits.js';
import { listAudit } from '../data/repos/audit.js';
import type { CaseListRow } from '../data/repos/cases/cases.js';
import type { CaseListQuery } from '../shared/api.js';
import { requireRole } from './access.js';
import { listDepartmentsForAdmin } from './admin-departments.js';
import { caseListSource } from './cases/cases.js';
import type { ActorContext } from './context.js';
import { checkExportSize, EXPORT_PAGE, rowsExport, shanghaiTime, writeXlsx, type ExportColumn, type XlsxExport } from './xlsx-export.js';

const STATE: Record<string, string> = {
  reported: '已上报', accepted: '已受理', rejected: '不予受理', merged: '已合并', dispatched: '已派遣', in_progress: '处置中',
  suspended: '已挂起', handled: '已处置', verified: '已核查', closed: '已结案',
};
const SOURCE: Record<string, string> = {
  patrol: '网格员巡查', hotline_12345: '12345热线', hotline_12369: '12369环保热线', citizen_app: '随手拍', leader_assignment: '领导交办',
  petition: '信访', sensor: '传感器报警', camera: '视频发现',
};
const URGENCY: Record<string, string> = { normal: '一般', urgent: '紧急', critical: '特急' };
const WARNING: Record<string, string> = { green: '正常', yellow: '预警', red: '超期' };
const CLOCKED = ['dispatched', 'in_progress', 'handled'];

function caseColumns(now: Date): ExportColumn<CaseListRow>[] {
  return [
    { header: '案件编号', width: 18, value: (r) => r.number },
    { header: '状态', width: 10, value: (r) => STATE[r.state] ?? r.state },
    { header: '来源', width: 12, value: (r) => SOURCE[r.source] ?? r.source },
    { header: '分类', width: 16, value: (r) => r.category_name },
    { header: '紧急程度', width: 10, value: (r) => URGENCY[r.urgency] ?? r.urgency },
    { header: '社区/村', width: 14, value: (r) => r.community_name },
    { header: '网格', width: 18, value: (r) => r.grid_name },
    { header: '主办部门', width: 16, value: (r) => r.department_name },
    { header: '问题描述', width: 40, value: (r) => r.description },
    { header: '地址', width: 24, value: (r) => r.address },
    { header: '上报时间', width: 17, value: (r) => shanghaiTime(r.reported_at) },
    { header: '截止时间', width: 17, value: (r) => (CLOCKED.includes(r.state) ? shanghaiTime(r.due_at) : shanghaiTime(r.deadline)) },
    { header: '预警', width: 8, value: (r) => (CLOCKED.includes(r.state) ? WARNING[warningLevelAt(now, { warnAt: r.warn_at, dueAt: r.due_at })] : '') },
    { header: '返工次数', width: 9, value: (r) => r.rework_count },
    { header: '督办级别', width: 9, value: (r) => r.escalation_level },
    { header: '评价（星）', width: 10, value: (r) => r.rating },
    { header: '经度', width: 11, value: (r) => r.lng },
    { header: '纬度', width: 11, value: (r) => r.lat },
  ];
}

type CaseExportQuery = Omit<CaseListQuery, 'page' | 'pageSize' | 'after' | 'count'>;

/**
 * The case list (or my tasks) under the query's filter: counted exactly first (refused over 100,000 rows), then
 * streamed in the list's own order, page by page on its keyset cursor.
 */
export async function exportCaseList(ctx: ActorContext, q: CaseExportQuery, kind: 'cases' | 'tasks'): Promise<XlsxExport> {
  const source = caseListSource(ctx, q, kind);
  const names = kind === 'cases' ? { filename: '案件列表.xlsx', asciiName: 'cases.xlsx', sheet: '案件' } : { filename: '我的待办.xlsx', asciiName: 'tasks.xlsx', sheet: '待办' };
  if (!source) return rowsExport(names.filename, names.asciiName, names.sheet, caseColumns(ctx.now), []);
  const first = await source.fetch({ limit: EXPORT_PAGE, offset: 0, order: source.order, exactCount: true });
  checkExportSize(first.total);
  async function* pages() {
    let page = first;
    yield page.items;
    while (page.nextCursor) {
      page = await source!.fetch({ limit: EXPORT_PAGE, offset: 0, after: page.nextCursor, order: source!.order });
      yield page.items;
    }
  }
  return { ...names, total: first.total, write: (out) => writeXlsx(out, names.sheet, caseColumns(ctx.now), pages()) };
}

type AuditExportQuery = { action?: string | undefined; actor?: string | undefined; targetType?: string | undefined; targetId?: string | undefined; q?: string | undefined; from?: string | undefined; to?: string | undefined };

/** The audit log under the audit search's filter, newest first, with what each entry recorded (as JSON). */
export async function exportAudit(ctx: ActorContext, q: AuditExportQuery): Promise<XlsxExport> {
  requireRole(ctx.actor, ['admin']);
  const filter = {
    action: q.action,
    actor: q.actor,
    targetType: q.targetType,
    targetId: q.targetId,
    q: q.q,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
  const first = await listAudit(ctx.db, { ...filter, limit: EXPORT_PAGE, offset: 0, exactCount: true });
  checkExportSize(first.total);
  type Row = (typeof first.items)[number];
  const columns: ExportColumn<Row>[] = [
    { header: '时间', width: 17, value: (r) => shanghaiTime(r.at) },
    { header: '操作人', width: 16, value: (r) => r.actorName },
    { header: '操作', width: 22, value: (r) => r.action },
    { header: '对象类型', width: 10, value: (r) => r.targetType },
    { header: '对象编号', width: 10, value: (r) => r.targetId },
    { header: '摘要', width: 50, value: (r) => r.summary },
    { header: 'IP', width: 15, value: (r) => r.ip },
    { header: '记录内容', width: 60, value: (r) => (r.data == null ? '' : JSON.stringify(r.data)) },
  ];
  async function* pages() {
    let page = first;
    yield page.items;
    while (page.nextBeforeId != null) {
      page = await listAudit(ctx.db, { ...filter, limit: EXPORT_PAGE, offset: 0, beforeId: page.nextBeforeId });
      yield page.items;
    }
  }
  return { filename: '审计日志.xlsx', asciiName: 'audit-log.xlsx', total: first.total, write: (out) => writeXlsx(out, '审计日志', columns, pages()) };
}

/** The departments as in 部门管理: code, name, users, open work orders, retired. */
export async function exportDepartments(ctx: ActorContext): Promise<XlsxExport> {
  const rows = await listDepartmentsForAdmin(ctx);
  return rowsExport('部门.xlsx', 'departments.xlsx', '部门', [
    { header: '部门编码', width: 12, value: (d) => d.code },
    { header: '部门名称', width: 24, value: (d) => d.name },
    { header: '用户数', width: 10, value: (d) => d.userCount },
    { header: '未办结工单', width: 12, value: (d) => d.openWorkOrders },
    { header: '状态', width: 10, value: (d) => (d.retired ? '已撤销' : '在用') },
  ], rows);
}
