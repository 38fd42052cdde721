// Routing: which department a case's category in an area goes to. Rules pair an optional category with an
// optional division; the most specific rule wins, and the category's default department is the fallback.
// The answer carries its reason, so the operator can see why.

export interface RoutingRule {
  id: number;
  categoryId: number | null;
  /** path of the division the rule covers, e.g. '/1/2/'; null = everywhere */
  divisionPath: string | null;
  departmentId: number;
}

export interface RoutingCase {
  categoryId: number;
  parentCategoryId: number | null;
  /** the case's area path, e.g. '/1/2/5/g12/' */
  areaPath: string;
  defaultDepartmentId: number | null;
}

export type RouteReason =
  | { kind: 'rule'; ruleId: number; category: 'exact' | 'parent' | 'any'; divisionPath: string | null }
  | { kind: 'category_default' }
  | { kind: 'none' };

export interface Route {
  departmentId: number | null;
  reason: RouteReason;
}

/**
 * Specificity: a rule naming the case's own category beats one naming its parent category, which beats one
 * naming no category; among equals, the rule on the deeper (smaller) division wins; then the older rule.
 */
export function routeDepartment(rules: readonly RoutingRule[], c: RoutingCase): Route {
  let best: { rule: RoutingRule; cat: number; depth: number } | null = null;
  for (const rule of rules) {
    const cat = rule.categoryId == null ? 0 : rule.categoryId === c.categoryId ? 2 : rule.categoryId === c.parentCategoryId ? 1 : -1;
    if (cat < 0) continue;
    if (rule.divisionPath != null && !c.areaPath.startsWith(rule.divisionPath)) continue;
    const depth = rule.divisionPath ? rule.divisionPath.split('/').length : 0;
    if (!best || cat > best.cat || (cat === best.cat && (depth > best.depth || (depth === best.depth && rule.id < best.rule.id)))) {
      best = { rule, cat, depth };
    }
  }
  if (best) {
    return {
      departmentId: best.rule.departmentId,
      reason: { kind: 'rule', ruleId: best.rule.id, category: best.cat === 2 ? 'exact' : best.cat === 1 ? 'parent' : 'any', divisionPath: best.rule.divisionPath },
    };
  }
  if (c.defaultDepartmentId != null) return { departmentId: c.defaultDepartmentId, reason: { kind: 'category_default' } };
  return { departmentId: null, reason: { kind: 'none' } };
}
