// Providers (react-query, antd theme + locale, i18n) and the routes; pages behind a session check that also forces
// the password change when the server asks for it.
import { useEffect } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError, setUnauthenticatedHandler } from './api';
import { AppLayout } from './AppLayout';
import { homeOf } from './menu';
import { setMessageApi, showError } from './notify';
import { AuditPage } from './pages/AuditPage';
import { CalendarPage } from './pages/admin/CalendarPage';
import { CategoriesPage } from './pages/admin/CategoriesPage';
import { CaseDetailPage } from './pages/CaseDetailPage';
import { CasesPage } from './pages/CasesPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PasswordPage } from './pages/PasswordPage';
import { ReportPage } from './pages/ReportPage';
import { TasksPage } from './pages/TasksPage';
import { EnterprisesPage, HazardsPage, LedgersPage } from './pages/hazards/HazardsPages';
import { InspectPage } from './pages/hazards/InspectPage';
import { InspectionPlansPage, NoticePrintPage } from './pages/hazards/HazardWorkPages';
import { CoveragePage } from './pages/grids/CoveragePage';
import { GridImportPage } from './pages/grids/GridImportPage';
import { GridsPage } from './pages/grids/GridsPage';
import { RoutingRulesPage } from './pages/grids/RoutingRulesPage';
import { UsersPage } from './pages/admin/UsersPage';
import { DepartmentsPage } from './pages/admin/DepartmentsPage';
import { DivisionsPage } from './pages/admin/DivisionsPage';
import { AdminHome, SetupPage } from './pages/admin/SetupPage';
import { AssessmentPage } from './pages/assessment/AssessmentPage';
import {
  BigScreenPage,
  CommandMapPage,
  DashboardPage,
  isPhone,
  PatrolPage,
  PhoneHomePage,
  PhoneReportPage,
  PhoneTasksPage,
  PhoneReportSentPage,
  PhonePointsPage,
} from './components/command/lazyPages';
import { OutboxSync } from './offline/OutboxSync';
import { SESSION_KEY, storeSession, useSession } from './session';
import type { Role } from '../../src/shared/vocabulary';

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isAuthError = (err: unknown) => err instanceof ApiError && err.status === 401;

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (!query.meta?.silent && !isAuthError(err)) showError(errorText(err));
    },
  }),
  mutationCache: new MutationCache({
    onError: (err, _v, _c, mutation) => {
      if (!mutation.meta?.silent && !isAuthError(err)) showError(errorText(err));
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, err) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

setUnauthenticatedHandler(() => {
  if (queryClient.getQueryData(SESSION_KEY)) storeSession(queryClient, null);
});

function MessageBridge() {
  const { message } = AntApp.useApp();
  useEffect(() => {
    setMessageApi(message);
    return () => setMessageApi(null);
  }, [message]);
  return null;
}

function RequireAuth({ roles, children }: { roles?: Role[]; children: React.ReactNode }) {
  const { user, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <Spin size="large" fullscreen />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (user.mustChangePassword && location.pathname !== '/password') return <Navigate to="/password" replace />;
  if (roles && !roles.includes(user.role)) return <Navigate to={homeOf(user.role)} replace />;
  return <>{children}</>;
}

function Home() {
  const { user } = useSession();
  if (user?.role === 'grid_worker' && !user.mustChangePassword && isPhone()) return <Navigate to="/m" replace />;
  if (user?.role === 'admin' && !user.mustChangePassword) return <AdminHome />;
  return <Navigate to={user ? homeOf(user.role) : '/login'} replace />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        path="/command/map"
        element={
          <RequireAuth roles={['operator', 'leader', 'admin']}>
            <CommandMapPage />
          </RequireAuth>
        }
      />
      <Route
        path="/hazards/:id/notice"
        element={
          <RequireAuth roles={['admin', 'operator', 'leader', 'grid_worker', 'department']}>
            <NoticePrintPage />
          </RequireAuth>
        }
      />
      <Route
        path="/dashboard/screen"
        element={
          <RequireAuth roles={['operator', 'leader', 'admin']}>
            <BigScreenPage />
          </RequireAuth>
        }
      />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="cases" element={<CasesPage />} />
        <Route path="cases/:id" element={<CaseDetailPage />} />
        <Route
          path="report"
          element={
            <RequireAuth roles={['grid_worker', 'operator', 'citizen']}>
              <ReportPage />
            </RequireAuth>
          }
        />
        <Route path="password" element={<PasswordPage />} />
        <Route path="enterprises" element={<RequireAuth roles={['admin', 'operator', 'leader', 'grid_worker', 'department']}><EnterprisesPage /></RequireAuth>} />
        <Route path="hazards" element={<RequireAuth roles={['admin', 'operator', 'leader', 'grid_worker', 'department']}><HazardsPage /></RequireAuth>} />
        <Route path="m/inspect" element={<RequireAuth roles={['grid_worker', 'department', 'operator']}><InspectPage /></RequireAuth>} />
        <Route path="inspection-plans" element={<RequireAuth roles={['admin', 'operator', 'leader', 'grid_worker', 'department']}><InspectionPlansPage /></RequireAuth>} />
        <Route path="ledgers" element={<RequireAuth roles={['admin', 'operator', 'leader', 'grid_worker', 'department']}><LedgersPage /></RequireAuth>} />
        <Route
          path="assessment"
          element={
            <RequireAuth roles={['operator', 'leader', 'admin']}>
              <AssessmentPage />
            </RequireAuth>
          }
        />
        <Route
          path="dashboard"
          element={
            <RequireAuth roles={['operator', 'leader', 'admin']}>
              <DashboardPage />
            </RequireAuth>
          }
        />
        <Route
          path="m"
          element={
            <RequireAuth roles={['grid_worker']}>
              <PhoneHomePage />
            </RequireAuth>
          }
        />
        <Route
          path="m/report"
          element={
            <RequireAuth roles={['grid_worker', 'citizen', 'operator']}>
              <PhoneReportPage />
            </RequireAuth>
          }
        />
        <Route path="m/tasks" element={<PhoneTasksPage />} />
        <Route
          path="m/sent/:id"
          element={
            <RequireAuth roles={['grid_worker', 'citizen', 'operator']}>
              <PhoneReportSentPage />
            </RequireAuth>
          }
        />
        <Route
          path="m/points"
          element={
            <RequireAuth roles={['grid_worker']}>
              <PhonePointsPage />
            </RequireAuth>
          }
        />
        <Route
          path="m/patrol"
          element={
            <RequireAuth roles={['grid_worker']}>
              <PatrolPage />
            </RequireAuth>
          }
        />
        <Route
          path="audit"
          element={
            <RequireAuth roles={['admin']}>
              <AuditPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/categories"
          element={
            <RequireAuth roles={['admin']}>
              <CategoriesPage />
            </RequireAuth>
          }
        />
        <Route
          path="admin/calendar"
          element={
            <RequireAuth roles={['admin']}>
              <CalendarPage />
            </RequireAuth>
          }
        />
        <Route
          path="grids"
          element={
            <RequireAuth roles={['admin', 'operator']}>
              <GridsPage />
            </RequireAuth>
          }
        />
        <Route
          path="grids/import"
          element={
            <RequireAuth roles={['admin']}>
              <GridImportPage />
            </RequireAuth>
          }
        />
        <Route
          path="grids/coverage"
          element={
            <RequireAuth roles={['admin', 'operator']}>
              <CoveragePage />
            </RequireAuth>
          }
        />
        <Route
          path="routing"
          element={
            <RequireAuth roles={['admin']}>
              <RoutingRulesPage />
            </RequireAuth>
          }
        />
        {/* administration: users, departments, divisions, the setup guide of a fresh install */}
        {(
          [
            ['admin/users', <UsersPage />],
            ['admin/departments', <DepartmentsPage />],
            ['admin/divisions', <DivisionsPage />],
            ['admin/setup', <SetupPage />],
          ] as const
        ).map(([path, page]) => (
          <Route key={path} path={path} element={<RequireAuth roles={['admin']}>{page}</RequireAuth>} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={i18n.language === 'en' ? enUS : zhCN}
        button={{ autoInsertSpace: false }}
        theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
        <AntApp>
          <MessageBridge />
          <OutboxSync />
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
