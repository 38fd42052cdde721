// The side menu of each role and each role's home page.
import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BranchesOutlined,
  CalendarOutlined,
  DashboardOutlined,
  GlobalOutlined,
  MobileOutlined,
  FileSearchOutlined,
  FormOutlined,
  InboxOutlined,
  TagsOutlined,
  TeamOutlined,
  ClusterOutlined,
  UserOutlined,
  RocketOutlined,
  TrophyOutlined,
  ShopOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  WarningOutlined,
  ProfileOutlined,
} from '@ant-design/icons';
import type { Role } from '../../src/shared/vocabulary';

export type MenuKey =
  | 'tasks' | 'cases' | 'report' | 'categories' | 'calendar' | 'audit' | 'apiDocs' | 'map' | 'dashboard' | 'phone' | 'grids' | 'routing'
  | 'users' | 'departments' | 'divisions' | 'setup' | 'assessment' | 'enterprises' | 'hazards' | 'ledgers' | 'inspect' | 'plans';

export const ROLE_MENUS: Record<Role, MenuKey[]> = {
  admin: ['cases', 'grids', 'routing', 'map', 'dashboard', 'assessment', 'enterprises', 'plans', 'hazards', 'ledgers', 'users', 'departments', 'divisions', 'categories', 'calendar', 'audit', 'setup', 'apiDocs'],
  operator: ['tasks', 'cases', 'report', 'map', 'dashboard', 'assessment', 'grids', 'enterprises', 'plans', 'hazards', 'ledgers'],
  grid_worker: ['tasks', 'report', 'cases', 'phone', 'inspect', 'plans', 'hazards', 'enterprises'],
  department: ['tasks', 'cases', 'inspect', 'plans', 'hazards', 'enterprises', 'ledgers'],
  leader: ['dashboard', 'map', 'cases', 'assessment', 'plans', 'hazards', 'ledgers'],
  citizen: ['report', 'cases'],
};

export const MENU_PATHS: Record<MenuKey, string> = {
  tasks: '/tasks',
  cases: '/cases',
  report: '/report',
  categories: '/admin/categories',
  calendar: '/admin/calendar',
  audit: '/audit',
  grids: '/grids',
  routing: '/routing',
  apiDocs: '/api/docs',
  map: '/command/map',
  dashboard: '/dashboard',
  phone: '/m',
  users: '/admin/users',
  departments: '/admin/departments',
  divisions: '/admin/divisions',
  setup: '/admin/setup',
  assessment: '/assessment',
  enterprises: '/enterprises',
  hazards: '/hazards',
  ledgers: '/ledgers',
  inspect: '/m/inspect',
  plans: '/inspection-plans',
};

export const MENU_ICONS: Record<MenuKey, ReactNode> = {
  tasks: <InboxOutlined />,
  cases: <FileSearchOutlined />,
  report: <FormOutlined />,
  categories: <TagsOutlined />,
  calendar: <CalendarOutlined />,
  audit: <AuditOutlined />,
  grids: <ApartmentOutlined />,
  routing: <BranchesOutlined />,
  apiDocs: <ApiOutlined />,
  map: <GlobalOutlined />,
  dashboard: <DashboardOutlined />,
  phone: <MobileOutlined />,
  users: <UserOutlined />,
  departments: <TeamOutlined />,
  divisions: <ClusterOutlined />,
  setup: <RocketOutlined />,
  assessment: <TrophyOutlined />,
  enterprises: <ShopOutlined />,
  hazards: <WarningOutlined />,
  ledgers: <ProfileOutlined />,
  inspect: <SafetyOutlined />,
  plans: <ScheduleOutlined />,
};

/** The menu entry a path belongs to (the longest matching menu path). */
export function menuKeyOf(pathname: string): MenuKey | undefined {
  let best: MenuKey | undefined;
  for (const [key, path] of Object.entries(MENU_PATHS) as [MenuKey, string][]) {
    if ((pathname === path || pathname.startsWith(path + '/')) && (!best || path.length > MENU_PATHS[best].length)) best = key;
  }
  return best;
}

export function homeOf(role: Role): string {
  return MENU_PATHS[ROLE_MENUS[role][0] ?? 'cases'];
}
