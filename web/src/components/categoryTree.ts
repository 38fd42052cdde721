// Categories (a two-level tree via parentId) as antd TreeSelect data; with leavesOnly (choosing a category for a case),
// parents are not selectable and retired categories are not offered.
import type { Category } from '../../../src/shared/api';

export interface CategoryNode {
  value: number;
  title: string;
  selectable: boolean;
  children?: CategoryNode[];
}

export function categoryTree(all: readonly Category[], leavesOnly: boolean): CategoryNode[] {
  const categories = leavesOnly ? all.filter((c) => !c.retired) : all;
  const children = new Map<number | null, Category[]>();
  for (const c of categories) {
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  const ids = new Set(categories.map((c) => c.id));
  const build = (c: Category, depth: number): CategoryNode => {
    const kids = depth < 5 ? (children.get(c.id) ?? []).sort((a, b) => a.code.localeCompare(b.code)) : [];
    const node: CategoryNode = { value: c.id, title: c.name, selectable: !leavesOnly || kids.length === 0 };
    if (kids.length) node.children = kids.map((k) => build(k, depth + 1));
    return node;
  };
  return categories
    .filter((c) => c.parentId == null || !ids.has(c.parentId))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => build(c, 0));
}
