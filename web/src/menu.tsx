// The side menu of each role and each role's home page.
import type { ReactNode } from 'react';
import { ApiOutlined, AuditOutlined, FileSearchOutlined, FormOutlined, InboxOutlined } from '@ant-design/icons';
import type { Role } from '../../src/shared/vocabulary';

export type MenuKey = 'tasks' | 'cases' | 'report' | 'audit' | 'apiDocs';

export const ROLE_MENUS: Record<Role, MenuKey[]> = {
  admin: ['cases', 'audit', 'apiDocs'],
  operator: ['tasks', 'cases', 'report'],
  grid_worker: ['tasks', 'report', 'cases'],
  department: ['tasks', 'cases'],
  leader: ['cases'],
  citizen: ['report', 'cases'],
};

export const MENU_PATHS: Record<MenuKey, string> = {
  tasks: '/tasks',
  cases: '/cases',
  report: '/report',
  audit: '/audit',
  apiDocs: '/api/docs',
};

export const MENU_ICONS: Record<MenuKey, ReactNode> = {
  tasks: <InboxOutlined />,
  cases: <FileSearchOutlined />,
  report: <FormOutlined />,
  audit: <AuditOutlined />,
  apiDocs: <ApiOutlined />,
};

export function homeOf(role: Role): string {
  return MENU_PATHS[ROLE_MENUS[role][0] ?? 'cases'];
}
