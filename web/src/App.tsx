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
import { NotFoundPage } from './pages/NotFoundPage';
import { AdminHome } from './pages/admin/SetupPage';
import { isPhone, PAGES, type PageEntry } from './pageTable';
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

function RequireAuth({ roles, children }: { roles?: readonly Role[]; children: React.ReactNode }) {
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

/** The page, or its phone variant on a phone. */
function PageElement({ entry }: { entry: PageEntry }) {
  const Page = (entry.phone && isPhone() ? entry.phone : entry.page)!;
  return <Page />;
}

/** A page's route: public, or behind the session (and the page's roles). */
function pageRoute(entry: PageEntry) {
  const page = <PageElement entry={entry} />;
  // a full-screen page sits outside the app's frame, which checks the session for every other page
  const element =
    entry.frame === 'public' ? page : entry.roles || entry.frame === 'screen' ? <RequireAuth roles={entry.roles}>{page}</RequireAuth> : page;
  return <Route key={entry.path} path={entry.path} element={element} />;
}

// routes come from the page table (pageTable.tsx); links out of the app (the API docs) have no page
const routed = PAGES.filter((p) => p.page);
const framed = (frame: 'app' | 'screen' | 'public') => routed.filter((p) => (p.frame ?? 'app') === frame);

function AppRoutes() {
  return (
    <Routes>
      {framed('public').map(pageRoute)}
      {framed('screen').map(pageRoute)}
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        {framed('app').map(pageRoute)}
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
