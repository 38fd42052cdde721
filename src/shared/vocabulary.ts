// The domain's words, one list each, used by the server, the web app and the database checks.
export const ROLES = ['admin', 'operator', 'grid_worker', 'department', 'leader', 'citizen'] as const;
export type Role = (typeof ROLES)[number];

export const CASE_STATES = [
  'reported',
  'accepted',
  'rejected',
  'dispatched',
  'in_progress',
  'handled',
  'verified',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const MOVE_NAMES = [
  'report',
  'accept',
  'reject',
  'dispatch',
  'sign',
  'handle',
  'verify_pass',
  'verify_fail',
  'close',
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
