// The side menu of each role and each role's home page, derived from the page table (pageTable.tsx).
import type { ReactNode } from 'react';
import type { Role } from '../../src/shared/vocabulary';
import { MENU_GROUPS, PAGES, type PageMenu } from './pageTable';

export type MenuKey = string;

export interface MenuItem extends PageMenu {
  path: string;
  icon: ReactNode;
}

// made on first use: the page table imports pages that import this module
let items: MenuItem[] | null = null;
function menuItems(): MenuItem[] {
  if (!items) {
    const all = PAGES.filter((p) => p.menu).map((p) => ({ ...p.menu!, path: p.path, roles: p.menu!.roles ?? p.roles }));
    // by group, then in the order of the table
    items = MENU_GROUPS.flatMap((g) => all.filter((m) => m.group === g));
  }
  return items;
}

/** The menu entries a role sees, in order. */
export function menuOf(role: Role): MenuItem[] {
  return menuItems().filter((m) => !m.roles || m.roles.includes(role));
}

/** The menu entry a path belongs to (the longest matching menu path). */
export function menuKeyOf(pathname: string): MenuKey | undefined {
  let best: MenuItem | undefined;
  for (const m of menuItems()) {
    if (m.external) continue;
    if ((pathname === m.path || pathname.startsWith(m.path + '/')) && (!best || m.path.length > best.path.length)) best = m;
  }
  return best?.key;
}

/** Where a role lands after signing in: the page marked its home, else the first entry of its menu. */
export function homeOf(role: Role): string {
  const items = menuOf(role);
  return (items.find((m) => m.homeOf?.includes(role)) ?? items[0])?.path ?? '/cases';
}
