// The command centre's, dashboard's and phone pages, loaded on demand (ECharts and the map stay out of the main
// bundle), each behind a spinner.
import { lazy, Suspense } from 'react';
import { Spin } from 'antd';

const fallback = <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />;

const Dashboard = lazy(() => import('../../pages/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })));
const BigScreen = lazy(() => import('../../pages/dashboard/BigScreenPage').then((m) => ({ default: m.BigScreenPage })));
const CommandMap = lazy(() => import('../../pages/command/CommandMapPage').then((m) => ({ default: m.CommandMapPage })));
const phone = () => import('../../pages/phone');
const PhoneHome = lazy(() => phone().then((m) => ({ default: m.PhoneHomePage })));
const PhoneReport = lazy(() => phone().then((m) => ({ default: m.PhoneReportPage })));
const PhoneTasks = lazy(() => phone().then((m) => ({ default: m.PhoneTasksPage })));
const Patrol = lazy(() => phone().then((m) => ({ default: m.PatrolPage })));
const PhoneCases = lazy(() => phone().then((m) => ({ default: m.PhoneCasesPage })));
const PhoneCaseDetail = lazy(() => phone().then((m) => ({ default: m.PhoneCaseDetailPage })));
const PhoneReportSent = lazy(() => phone().then((m) => ({ default: m.PhoneReportSentPage })));
const PhonePoints = lazy(() => phone().then((m) => ({ default: m.PhonePointsPage })));

const wrap = (C: React.ComponentType) =>
  function Lazy() {
    return (
      <Suspense fallback={fallback}>
        <C />
      </Suspense>
    );
  };

export const DashboardPage = wrap(Dashboard);
export const BigScreenPage = wrap(BigScreen);
export const CommandMapPage = wrap(CommandMap);
export const PhoneHomePage = wrap(PhoneHome);
export const PhoneReportPage = wrap(PhoneReport);
export const PhoneTasksPage = wrap(PhoneTasks);
export const PatrolPage = wrap(Patrol);
export const PhoneCasesPage = wrap(PhoneCases);
export const PhoneCaseDetailPage = wrap(PhoneCaseDetail);
export const PhoneReportSentPage = wrap(PhoneReportSent);
export const PhonePointsPage = wrap(PhonePoints);

/** Phones (≤ 480 px) of grid workers open the field app instead of the desktop inbox. */
export const isPhone = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 480px)').matches;
