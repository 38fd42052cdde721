// The domain's words, one list each, used by the server, the web app and the database checks.
export const ROLES = ['admin', 'operator', 'grid_worker', 'department', 'leader', 'citizen'] as const;
export type Role = (typeof ROLES)[number];

export const CASE_STATES = [
  'reported',
  'accepted',
  'rejected',
  'merged',
  'dispatched',
  'in_progress',
  'suspended',
  'handled',
  'verified',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];
/** States in which a case is still being worked on; the others are final. The case lifecycle's open states. */
export const OPEN_CASE_STATES = ['reported', 'accepted', 'dispatched', 'in_progress', 'suspended', 'handled', 'verified'] as const satisfies readonly CaseState[];
export const FINAL_CASE_STATES = ['rejected', 'merged', 'closed'] as const satisfies readonly CaseState[];

export const MOVE_NAMES = [
  'report',
  'fix_on_spot',
  'route',
  'accept',
  'reject',
  'merge',
  'dispatch',
  'sign',
  'return',
  'request_extension',
  'grant_extension',
  'deny_extension',
  'co_report',
  'request_suspend',
  'suspend',
  'deny_suspend',
  'resume',
  'handle',
  'verify_pass',
  'verify_fail',
  'close',
  'follow_master',
  'evaluate',
  'reopen',
  'supervise',
] as const;
export type MoveName = (typeof MOVE_NAMES)[number];

export const CASE_SOURCES = [
  'patrol',
  'hotline_12345',
  'hotline_12369',
  'citizen_app',
  'leader_assignment',
  'petition',
  'sensor',
  'camera',
] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意 */
export const RATINGS = [5, 4, 3, 2, 1] as const;
export type Rating = (typeof RATINGS)[number];
export const UNSATISFIED_MAX: Rating = 2;

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const WARNING_LEVELS = ['green', 'yellow', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const NOTIFICATION_KINDS = [
  'new_task',
  'returned',
  'warning',
  'overdue',
  'escalated',
  'supervised',
  'extension_requested',
  'extension_answered',
  'suspend_requested',
  'suspend_answered',
  'to_verify',
  'to_close',
  'reopened',
  'deadline_changed',
  'unsatisfied',
  'account_locked',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
