// The phone pages, one chunk (so a page opened offline finds the others already loaded).
export { PhoneHomePage } from './PhoneHomePage';
export { PhoneReportPage } from './PhoneReportPage';
export { PhoneTasksPage } from './PhoneTasksPage';
export { PatrolPage } from './PatrolPage';
export { PhoneCasesPage } from './PhoneCasesPage';
export { PhoneCaseDetailPage } from './PhoneCaseDetailPage';
export { PhoneReportSentPage } from './PhoneReportSentPage';
export { PhonePointsPage } from './PhonePointsPage';
