// Reference data (categories, departments, divisions, grids) loaded once and shared by the pages.
import { useQuery } from '@tanstack/react-query';
import type { Category } from '../../src/shared/api';
import type { Urgency } from '../../src/shared/vocabulary';
import { api } from './api';
import { refKeys, gridKeys } from './queryKeys';

const REFERENCE = { staleTime: 10 * 60_000 } as const;

export const useCategories = () => useQuery({ queryKey: refKeys.categories(), queryFn: api.categories, ...REFERENCE });
export const useDepartments = () => useQuery({ queryKey: refKeys.departments(), queryFn: api.departments, ...REFERENCE });
export const useDivisions = () => useQuery({ queryKey: refKeys.divisions(), queryFn: api.divisions, ...REFERENCE });
/** The case lifecycle as the server defines it: each move's roles and required input. */
export const useCaseLifecycle = () => useQuery({ queryKey: refKeys.lifecycle('case'), queryFn: () => api.lifecycle('case'), staleTime: Infinity });
export const useGrids = () => useQuery({ queryKey: gridKeys.collection(), queryFn: api.grids, ...REFERENCE });

/** A category and its ancestors, nearest first. */
export function categoryLineage(categories: readonly Category[], id: number): Category[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const out: Category[] = [];
  let current = byId.get(id);
  while (current && out.length < 10) {
    out.push(current);
    current = current.parentId == null ? undefined : byId.get(current.parentId);
  }
  return out;
}

/** The default department of a category, inherited from its parent when the leaf names none. */
export function defaultDepartmentOf(categories: readonly Category[], id: number): number | undefined {
  return categoryLineage(categories, id).find((c) => c.defaultDepartmentId != null)?.defaultDepartmentId ?? undefined;
}

/** Working days to handle a case of a category at an urgency (inherited from the parent); 3 when nothing says. */
export function handleDaysOf(categories: readonly Category[], id: number, urgency: Urgency = 'normal'): number {
  return categoryLineage(categories, id).find((c) => c.limits?.[urgency]?.handleDays)?.limits[urgency]?.handleDays ?? 3;
}
