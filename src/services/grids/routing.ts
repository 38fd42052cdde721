// Routing rules (which department a category in an area goes to) and the explanation of one case's routing: the
// grid it went to and why, the responsible B/C grid, and the department the rules suggest, in words.
import { DomainError } from '../../domain/errors.js';
import { fillTemplate, INDUSTRY_NAMES, ROUTING_MESSAGES as TEXTS, type Lang } from '../../shared/messages.js';
import { routeDepartment } from '../../domain/cases/routing.js';
import { inTransaction } from '../../data/db.js';
import { insertAudit } from '../../data/repos/audit.js';
import { deleteRoutingRule, findDivision, findGrid, insertRoutingRule, listRoutingRulesNamed } from '../../data/repos/grids/grids.js';
import { findCategory, findDepartment, findKeyUnit, listDepartments } from '../../data/repos/reference.js';
import type { CaseRoutingView, RoutingRule } from '../../shared/grids-api.js';
import { readableCase, requireRole } from '../access.js';
import type { ActorContext } from '../context.js';

// ---- rules -----------------------------------------------------------------------------------------------------

export async function routingRules(ctx: ActorContext): Promise<RoutingRule[]> {
  return (await listRoutingRulesNamed(ctx.db)).map((r) => ({
    id: r.id,
    categoryId: r.category_id,
    categoryName: r.category_name ?? null,
    divisionId: r.division_id,
    divisionName: r.division_name ?? null,
    departmentId: r.department_id,
    departmentName: r.department_name,
    note: r.note,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function createRoutingRule(
  ctx: ActorContext,
  input: { categoryId?: number | null | undefined; divisionId?: number | null | undefined; departmentId: number; note: string },
): Promise<RoutingRule> {
  requireRole(ctx.actor, ['admin']);
  const { db } = ctx;
  const [category, division, department] = await Promise.all([
    input.categoryId != null ? findCategory(db, input.categoryId) : null,
    input.divisionId != null ? findDivision(db, input.divisionId) : null,
    findDepartment(db, input.departmentId),
  ]);
  if (input.categoryId != null && !category) throw new DomainError('unknown_category');
  if (input.divisionId != null && !division) throw new DomainError('unknown_division');
  if (!department) throw new DomainError('unknown_department');
  const row = await inTransaction(db, async (trx) => {
    const row = await insertRoutingRule(trx, { category_id: category?.id ?? null, division_id: division?.id ?? null, department_id: department.id, note: input.note });
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'routing_rule.create',
      targetType: 'routing_rule',
      targetId: row.id,
      summary: `新增分派规则 #${row.id}：${category?.name ?? '全部分类'} / ${division?.name ?? '全部区域'} → ${department.name}`,
      data: { categoryId: row.category_id, divisionId: row.division_id, departmentId: row.department_id, note: row.note },
      ip: ctx.ip,
      at: ctx.now,
    });
    return row;
  });
  return {
    id: row.id,
    categoryId: row.category_id,
    categoryName: category?.name ?? null,
    divisionId: row.division_id,
    divisionName: division?.name ?? null,
    departmentId: row.department_id,
    departmentName: department.name,
    note: row.note,
    createdAt: row.created_at.toISOString(),
  };
}

export async function removeRoutingRule(ctx: ActorContext, id: number): Promise<void> {
  requireRole(ctx.actor, ['admin']);
  await inTransaction(ctx.db, async (trx) => {
    const row = await deleteRoutingRule(trx, id);
    if (!row) throw new DomainError('not_found');
    await insertAudit(trx, {
      actorId: ctx.actor.id,
      action: 'routing_rule.delete',
      targetType: 'routing_rule',
      targetId: id,
      summary: `删除分派规则 #${id}`,
      data: { categoryId: row.category_id, divisionId: row.division_id, departmentId: row.department_id, note: row.note },
      ip: ctx.ip,
      at: ctx.now,
    });
  });
}

// ---- why a case went where it went -----------------------------------------------------------------------------


export async function caseRouting(ctx: ActorContext, caseId: number, lang: Lang): Promise<CaseRoutingView> {
  const { db } = ctx;
  const { row } = await readableCase(db, ctx.actor, caseId);
  const say = (key: keyof typeof TEXTS & string, params: Record<string, string | number> = {}) => fillTemplate(TEXTS[key]![lang], params);
  const routing = row.routing ?? {};
  const ref = async (id: number | null | undefined) => {
    if (id == null) return null;
    const g = await findGrid(db, id);
    return g ? { id: g.id, code: g.code, name: g.name } : null;
  };
  const label = (g: { code: string; name: string } | null) => (g ? (lang === 'zh-CN' ? `${g.name}（${g.code}）` : `${g.name} (${g.code})`) : '');

  // The grid of the position.
  const grid = await ref(row.grid_id);
  const suggestedGrid = await ref(routing.grid?.suggestedGridId);
  const reason = routing.grid?.reason ?? (row.grid_id != null ? 'position' : null);
  const gridText =
    reason === 'operator'
      ? say('operator', { grid: label(grid) })
      : reason === 'outside' && row.grid_id == null
        ? suggestedGrid
          ? say('outside', { grid: label(suggestedGrid), distanceM: routing.grid?.distanceM ?? '?' })
          : say('outside_none')
        : grid
          ? say('position', { grid: label(grid) })
          : say('outside_none');

  // The responsible B/C grid.
  let responsible: CaseRoutingView['responsible'] = null;
  if (routing.responsible) {
    const r = routing.responsible;
    const rGrid = await ref(r.gridId);
    const unit = r.keyUnitId != null ? await findKeyUnit(db, r.keyUnitId) : undefined;
    const industry = r.industry ?? null;
    responsible = {
      reason: r.reason,
      grid: rGrid,
      industry,
      keyUnit: unit ? { id: unit.id, name: unit.name } : null,
      text:
        r.reason === 'key_unit'
          ? say('responsible_key_unit', { unit: unit?.name ?? '', grid: label(rGrid) })
          : say('responsible_industry', { industry: industryName(industry, lang), grid: label(rGrid) }),
    };
  }

  // The department the rules suggest for the case as it is now.
  const category = await findCategory(db, row.category_id);
  const parent = category?.parent_id != null ? await findCategory(db, category.parent_id) : undefined;
  const [rules, departments] = await Promise.all([listRoutingRulesNamed(db), listDepartments(db)]);
  const route = routeDepartment(
    rules.map((r) => ({ id: r.id, categoryId: r.category_id, divisionPath: r.division_path ?? null, departmentId: r.department_id })),
    { categoryId: row.category_id, parentCategoryId: category?.parent_id ?? null, areaPath: row.area_path, defaultDepartmentId: category?.default_department_id ?? null },
  );
  const deptName = new Map(departments.map((d) => [d.id, d.name]));
  const suggested = route.departmentId != null ? { id: route.departmentId, name: deptName.get(route.departmentId) ?? '' } : null;
  let departmentText: string;
  if (route.reason.kind === 'rule') {
    const ruleId = route.reason.ruleId;
    const rule = rules.find((r) => r.id === ruleId)!;
    const area = rule.division_name ?? say('area_all');
    const key = route.reason.category === 'exact' ? 'rule_exact' : route.reason.category === 'parent' ? 'rule_parent' : 'rule_any';
    departmentText = say(key, { rule: rule.id, area, category: (route.reason.category === 'parent' ? parent?.name : category?.name) ?? '', department: suggested?.name ?? '' });
  } else if (route.reason.kind === 'category_default') {
    departmentText = say('category_default', { category: category?.name ?? '', department: suggested?.name ?? '' });
  } else {
    departmentText = say('none');
  }

  return {
    caseId: row.id,
    number: row.number,
    grid: {
      reason,
      grid,
      gridVersion: row.grid_version,
      suggested: suggestedGrid ? { ...suggestedGrid, distanceM: routing.grid?.distanceM ?? null } : null,
      text: gridText,
    },
    responsible,
    department: {
      suggested,
      reason: route.reason.kind,
      ruleId: route.reason.kind === 'rule' ? route.reason.ruleId : null,
      match: route.reason.kind === 'rule' ? route.reason.category : null,
      text: departmentText,
      current: row.department_id != null ? { id: row.department_id, name: deptName.get(row.department_id) ?? '' } : null,
    },
  };
}

function industryName(industry: string | null, lang: Lang): string {
  if (!industry) return '';
  return INDUSTRY_NAMES[industry]?.[lang] ?? industry;
}
