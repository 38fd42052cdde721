// The page table: every page of the app in one row — its path, what it shows (the phone's variant where a phone
// gets another one), who may open it, and its side-menu entry (label key, icon, group, whose menu shows it). The
// router (App.tsx), the side menu (AppLayout.tsx) and each role's home page (menu.tsx) are all derived from it.
//
// A new page is one row here: `{ path: '/things', page: ThingsPage, roles: [...], menu: { key: 'things', icon:
// <SomeOutlined />, group: 'work' } }` plus its label `menu.things` in both languages (web/src/i18n). Pages that
// pull in ECharts or the map are loaded on demand: `page: lazyPage(() => import('./pages/x/ThingsPage'), 'ThingsPage')`.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Spin } from 'antd';
import { Navigate } from 'react-router-dom';
import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BranchesOutlined,
  CalendarOutlined,
  ClusterOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FormOutlined,
  GlobalOutlined,
  InboxOutlined,
  MobileOutlined,
  OrderedListOutlined,
  ProfileOutlined,
  RocketOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  ShopOutlined,
  TagsOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { Role } from '../../src/shared/vocabulary';
import { AuditPage } from './pages/AuditPage';
import { CalendarPage } from './pages/admin/CalendarPage';
import { CategoriesPage } from './pages/admin/CategoriesPage';
import { DepartmentsPage } from './pages/admin/DepartmentsPage';
import { DivisionsPage } from './pages/admin/DivisionsPage';
import { SetupPage } from './pages/admin/SetupPage';
import { UsersPage } from './pages/admin/UsersPage';
import { AssessmentPage } from './pages/assessment/AssessmentPage';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CasesPage } from './pages/CasesPage';
import { CoveragePage } from './pages/grids/CoveragePage';
import { GridImportPage } from './pages/grids/GridImportPage';
import { GridsPage } from './pages/grids/GridsPage';
import { RoutingRulesPage } from './pages/grids/RoutingRulesPage';
import { EnterprisesPage, HazardsPage, LedgersPage } from './pages/hazards/HazardsPages';
import { InspectPage } from './pages/hazards/InspectPage';
import { EnterprisePage } from './pages/hazards/EnterprisePage';
import { InspectionPlansPage, NoticePrintPage } from './pages/hazards/HazardWorkPages';
import { ChecklistsPage } from './pages/hazards/ChecklistsPage';
import { LoginPage } from './pages/LoginPage';
import { PasswordPage } from './pages/PasswordPage';
import { ReportPage } from './pages/ReportPage';
import { TasksPage } from './pages/TasksPage';

const fallback = <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

/** A page loaded on demand (ECharts and the map stay out of the main bundle), behind a spinner. */
export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): ComponentType {
  const C = lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
  return function Lazy() {
    return (
      <Suspense fallback={fallback}>
        <C />
      </Suspense>
    );
  };
}

// the phone pages are one chunk (so a page opened offline finds the others already loaded)
const phone = () => import('./pages/phone');
const PhoneCasesPage = lazyPage(phone, 'PhoneCasesPage');
const PhoneCaseDetailPage = lazyPage(phone, 'PhoneCaseDetailPage');

/** Phones (≤ 480 px) of grid workers open the field app instead of the desktop inbox. */
export const isPhone = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 480px)').matches;

/** Where a page is drawn: in the app's frame (header and side menu), full screen, or before signing in. */
export type PageFrame = 'app' | 'screen' | 'public';

/** The side menu's sections, in the order they are shown. */
export const MENU_GROUPS = ['work', 'field', 'command', 'grids', 'safety', 'admin'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

export interface PageMenu {
  /** the menu key: label `menu.<key>`, test id `menu-<key>` */
  key: string;
  icon: ReactNode;
  group: MenuGroup;
  /** whose menu shows it (default: every role that may open the page) */
  roles?: readonly Role[];
  /** the first page of these roles after signing in */
  homeOf?: readonly Role[];
  /** a link out of the app (opened in a new tab), not a route */
  external?: boolean;
}

export interface PageEntry {
  path: string;
  /** the page (on a desktop; on a phone too unless `phone` names another) */
  page?: ComponentType;
  /** what a phone (≤ 480 px) shows instead */
  phone?: ComponentType;
  /** who may open it (default: every signed-in user); anyone else is sent to their home page */
  roles?: readonly Role[];
  frame?: PageFrame;
  menu?: PageMenu;
}

const STAFF: readonly Role[] = ['admin', 'operator', 'leader', 'grid_worker', 'department'];
const COMMAND: readonly Role[] = ['operator', 'leader', 'admin'];
const REPORTERS: readonly Role[] = ['grid_worker', 'operator', 'citizen'];
const ADMIN: readonly Role[] = ['admin'];

/** The menu order within a group is the order of this table. */
export const PAGES: readonly PageEntry[] = [
  { path: '/login', page: LoginPage, frame: 'public' },
  { path: '/password', page: PasswordPage },

  // work: the inbox, reporting, the cases
  { path: '/tasks', page: TasksPage, menu: { key: 'tasks', icon: <InboxOutlined />, group: 'work', roles: ['operator', 'grid_worker', 'department'], homeOf: ['operator', 'grid_worker', 'department'] } },
  {
    path: '/report',
    page: ReportPage,
    // a phone reports from the field app's form, with the position from GPS
    phone: () => <Navigate to="/m/report" replace />,
    roles: REPORTERS,
    menu: { key: 'report', icon: <FormOutlined />, group: 'work', homeOf: ['citizen'] },
  },
  { path: '/cases', page: CasesPage, phone: PhoneCasesPage, menu: { key: 'cases', icon: <FileSearchOutlined />, group: 'work', homeOf: ['admin'] } },
  { path: '/cases/:id', page: CaseDetailPage, phone: PhoneCaseDetailPage },

  // the field app (phones of grid workers)
  { path: '/m', page: lazyPage(phone, 'PhoneHomePage'), roles: ['grid_worker'], menu: { key: 'phone', icon: <MobileOutlined />, group: 'field' } },
  { path: '/m/report', page: lazyPage(phone, 'PhoneReportPage'), roles: REPORTERS },
  { path: '/m/tasks', page: lazyPage(phone, 'PhoneTasksPage') },
  { path: '/m/sent/:id', page: lazyPage(phone, 'PhoneReportSentPage'), roles: REPORTERS },
  { path: '/m/points', page: lazyPage(phone, 'PhonePointsPage'), roles: ['grid_worker'] },
  { path: '/m/patrol', page: lazyPage(phone, 'PatrolPage'), roles: ['grid_worker'] },
  {
    path: '/m/inspect',
    page: InspectPage,
    roles: ['grid_worker', 'department', 'operator'],
    menu: { key: 'inspect', icon: <SafetyOutlined />, group: 'field', roles: ['grid_worker', 'department'] },
  },

  // the command centre
  {
    path: '/command/map',
    page: lazyPage(() => import('./pages/command/CommandMapPage'), 'CommandMapPage'),
    roles: COMMAND,
    frame: 'screen',
    menu: { key: 'map', icon: <GlobalOutlined />, group: 'command' },
  },
  {
    path: '/dashboard',
    page: lazyPage(() => import('./pages/dashboard/DashboardPage'), 'DashboardPage'),
    roles: COMMAND,
    menu: { key: 'dashboard', icon: <DashboardOutlined />, group: 'command', homeOf: ['leader'] },
  },
  { path: '/dashboard/screen', page: lazyPage(() => import('./pages/dashboard/BigScreenPage'), 'BigScreenPage'), roles: COMMAND, frame: 'screen' },
  { path: '/assessment', page: AssessmentPage, roles: COMMAND, menu: { key: 'assessment', icon: <TrophyOutlined />, group: 'command' } },

  // grids and routing
  { path: '/grids', page: GridsPage, roles: ['admin', 'operator'], menu: { key: 'grids', icon: <ApartmentOutlined />, group: 'grids' } },
  { path: '/grids/import', page: GridImportPage, roles: ADMIN },
  { path: '/grids/coverage', page: CoveragePage, roles: ['admin', 'operator'] },
  { path: '/routing', page: RoutingRulesPage, roles: ADMIN, menu: { key: 'routing', icon: <BranchesOutlined />, group: 'grids' } },

  // work safety: hazards, enterprises, ledgers
  { path: '/hazards', page: HazardsPage, roles: STAFF, menu: { key: 'hazards', icon: <WarningOutlined />, group: 'safety' } },
  {
    path: '/enterprises',
    page: EnterprisesPage,
    roles: STAFF,
    menu: { key: 'enterprises', icon: <ShopOutlined />, group: 'safety', roles: ['admin', 'operator', 'grid_worker', 'department'] },
  },
  { path: '/enterprises/:id', page: EnterprisePage, roles: STAFF },
  { path: '/inspection-plans', page: InspectionPlansPage, roles: STAFF, menu: { key: 'plans', icon: <ScheduleOutlined />, group: 'safety' } },
  // the administrator's industry checklists (排查表), in the work-safety menu
  { path: '/admin/inspection-templates', page: ChecklistsPage, roles: ADMIN, menu: { key: 'checklists', icon: <OrderedListOutlined />, group: 'safety' } },
  // the notice printed on A4, without the app's frame
  { path: '/hazards/:id/notice', page: NoticePrintPage, roles: STAFF, frame: 'screen' },
  {
    path: '/ledgers',
    page: LedgersPage,
    roles: STAFF,
    menu: { key: 'ledgers', icon: <ProfileOutlined />, group: 'safety', roles: ['admin', 'operator', 'leader', 'department'] },
  },

  // administration
  { path: '/admin/users', page: UsersPage, roles: ADMIN, menu: { key: 'users', icon: <UserOutlined />, group: 'admin' } },
  { path: '/admin/departments', page: DepartmentsPage, roles: ADMIN, menu: { key: 'departments', icon: <TeamOutlined />, group: 'admin' } },
  { path: '/admin/divisions', page: DivisionsPage, roles: ADMIN, menu: { key: 'divisions', icon: <ClusterOutlined />, group: 'admin' } },
  { path: '/admin/categories', page: CategoriesPage, roles: ADMIN, menu: { key: 'categories', icon: <TagsOutlined />, group: 'admin' } },
  { path: '/admin/calendar', page: CalendarPage, roles: ADMIN, menu: { key: 'calendar', icon: <CalendarOutlined />, group: 'admin' } },
  { path: '/audit', page: AuditPage, roles: ADMIN, menu: { key: 'audit', icon: <AuditOutlined />, group: 'admin' } },
  { path: '/admin/setup', page: SetupPage, roles: ADMIN, menu: { key: 'setup', icon: <RocketOutlined />, group: 'admin' } },
  { path: '/api/docs', roles: ADMIN, menu: { key: 'apiDocs', icon: <ApiOutlined />, group: 'admin', external: true } },
];
