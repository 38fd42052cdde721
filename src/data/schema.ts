// The one Database type: every table as Kysely sees it. Mirrors src/data/migrations.
import type { DivisionLevel } from '../domain/division-codes.js';
import type { CaseLimits, CategoryLimits } from '../domain/cases/time-limits.js';
import type { CaseRouting, PendingRequest } from '../domain/cases/case.js';
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { HazardGrade, HazardState, HazardType } from '../domain/hazards/lifecycle.js';
import type { CaseSource, CaseState, MoveName, NotificationKind, Role, Urgency } from '../shared/vocabulary.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface DivisionTable {
  id: Generated<number>;
  code: string;
  name: string;
  level: DivisionLevel;
  parent_id: number | null;
  /** materialized path of ids, e.g. '/1/2/5/'; scope checks are prefix matches on it */
  path: string;
  geometry: ColumnType<GridGeometryJson | null, string | null | undefined, string | null>;
}

export interface GridGeometryJson {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: any;
}

export interface GridTable {
  id: Generated<number>;
  code: string;
  name: string;
  division_id: number;
  parent_id: number | null;
  grid_class: 'A' | 'B' | 'C';
  path: string;
  geometry: JSONColumnType<{ type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }>;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
  label_lng: number;
  label_lat: number;
  created_at: CreatedAt;
  retired_at: Date | null;
  level: Generated<number>;
  version: Generated<number>;
  industry: string | null;
  households: number | null;
  population: number | null;
  enterprises: number | null;
  notes: Generated<string>;
  archive: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: Generated<Date>;
}

export interface GridVersionTable {
  grid_id: number;
  version: number;
  code: string;
  name: string;
  grid_class: 'A' | 'B' | 'C';
  geometry: ColumnType<GridGeometryJson, string, string>;
  valid_from: Date;
  valid_to: Date | null;
  changed_by: number | null;
  change: string;
}

export interface GridPersonTable {
  id: Generated<number>;
  grid_id: number;
  name: string;
  role: 'grid_leader' | 'grid_worker' | 'liaison_cadre';
  phone: string | null;
  note: Generated<string>;
  user_id: number | null;
  created_at: CreatedAt;
}

export interface RoutingRuleTable {
  id: Generated<number>;
  category_id: number | null;
  division_id: number | null;
  department_id: number;
  note: Generated<string>;
  created_at: CreatedAt;
}

export interface DepartmentTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** a retired department takes no new work orders and is hidden from pickers; its history keeps its name */
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** who to call there: names and phones (0017), masked for readers who do not call them */
  contacts: ColumnType<DepartmentContact[], string | undefined, string>;
}

export interface DepartmentContact {
  name: string;
  /** 职务, e.g. 科长 */
  title: string;
  phone: string;
}

export interface CategoryTable {
  id: Generated<number>;
  code: string;
  name: string;
  parent_id: number | null;
  kind: 'event' | 'component';
  default_department_id: number | null;
  /** 立案条件 / 结案条件 */
  accept_criteria: Generated<string>;
  close_criteria: Generated<string>;
  return_hours: Generated<number>;
  /** time limits per urgency; a case copies its urgency's limits at report time */
  limits: ColumnType<CategoryLimits, string | undefined, string>;
  /** B-class grids of this industry are responsible for the category's cases */
  industry: string | null;
  /** a retired category is not offered for new cases; cases filed under it keep it (0017) */
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

// The limit shapes are domain vocabulary (src/domain/cases/time-limits.ts); the columns store them as JSON.
export type { TimeLimitSet, CategoryLimits, CaseLimits } from '../domain/cases/time-limits.js';

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  /**
   * paths of the division or grid subtrees this user covers: one for an operator, leader or community, one or
   * more grids for a grid worker; empty for department handlers, citizens and admins (0013_user_scopes.ts)
   */
  scope_paths: ColumnType<string[], string[] | undefined, string[]>;
  department_id: number | null;
  must_change_password: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: CreatedAt;
  disabled_at: Date | null;
  /** locked by an administrator (not the login throttle): no login until unlocked */
  locked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_login_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  ip: string | null;
}

export interface PhotoTable {
  hash: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  uploaded_by: number | null;
  created_at: CreatedAt;
}

export interface CaseTable {
  id: Generated<number>;
  number: string;
  state: CaseState;
  source: CaseSource;
  category_id: number;
  grid_id: number | null;
  /** the routed grid's path, copied so scope filters need no join and past cases keep their grid */
  area_path: string;
  department_id: number | null;
  description: string;
  address: string | null;
  lng: number;
  lat: number;
  photos: JSONColumnType<string[]>;
  reporter_id: number;
  reported_at: Timestamp;
  updated_at: Timestamp;
  deadline: Date | null;
  version: Generated<number>;
  urgency: Generated<Urgency>;
  master_id: number | null;
  life: Generated<number>;
  rework_count: Generated<number>;
  escalation_level: Generated<number>;
  limits: ColumnType<CaseLimits, string | undefined, string>;
  dispatched_at: Date | null;
  return_open_until: Date | null;
  clock_kind: 'sign' | 'handle' | 'verify' | null;
  clock_started_at: Date | null;
  warn_at: Date | null;
  due_at: Date | null;
  escalate_at: Date | null;
  /** the running limits (clock, deadline) were counted over days of a provisional calendar year */
  limits_provisional: Generated<boolean>;
  /** the deadline is a date a person chose (dispatch with a date, a granted extension): a recompute keeps it */
  deadline_fixed: Generated<boolean>;
  /** 0 none, 1 warning sent, 2 overdue sent, 3 escalated to the leader: each threshold notifies once */
  notified_level: Generated<number>;
  pending_extension: ColumnType<PendingRequest | null, string | null | undefined, string | null>;
  pending_suspend: ColumnType<PendingRequest | null, string | null | undefined, string | null>;
  suspended_from: CaseState | null;
  suspended_at: Date | null;
  rating: number | null;
  rated_at: Date | null;
  closed_at: Date | null;
  grid_version: number | null;
  /** the B-class (industry) or C-class (key unit) grid responsible, besides the A-class grid of the position */
  responsible_grid_id: number | null;
  key_unit_id: number | null;
  /** idempotency key of an offline report, unique per reporter */
  client_key: string | null;
  /** why the case went where it went, for the operator */
  routing: ColumnType<CaseRouting, string | undefined, string>;
}

// Routing and pending requests are the case's domain shapes (src/domain/cases/case.ts); the columns store them as JSON.
export type { CaseRouting, PendingRequest } from '../domain/cases/case.js';

export interface CaseAssignmentTable {
  case_id: number;
  life: number;
  department_id: number;
  role: 'main' | 'co';
  assigned_at: Date;
  reported_at: Date | null;
  report_note: string | null;
  /** set when the department's part ended without handling: returned, or re-dispatched elsewhere */
  ended_at: Date | null;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  case_id: number | null;
  /** the text of a notice written before titles were codes (migration 0022), or of one written as text */
  title: string | null;
  /** the title as a message code (src/shared/messages.ts) with its parameters, rendered when read */
  title_code: ColumnType<string | null, string | null | undefined, string | null>;
  title_params: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  body: Generated<string>;
  body_code: ColumnType<string | null, string | null | undefined, string | null>;
  body_params: ColumnType<Record<string, string | number> | null, string | null | undefined, string | null>;
  dedupe_key: string | null;
  created_at: Date;
  read_at: Date | null;
  /** the hazard a hazard notice is about (0023): the bell opens it */
  hazard_id: Generated<number | null>;
}

export interface OutboxTable {
  id: Generated<number>;
  notification_id: number;
  channel: string;
  payload: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
  sent_at: Date | null;
  attempts: Generated<number>;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  move: MoveName;
  from_state: CaseState | null;
  to_state: CaseState;
  actor_id: number;
  actor_role: Role;
  note: string | null;
  department_id: number | null;
  deadline: Date | null;
  photos: JSONColumnType<string[]>;
  at: Timestamp;
  life: Generated<number>;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface AuditTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: string;
  data: JSONColumnType<Record<string, unknown>>;
  ip: string | null;
}

/** A day an administrator set on top of the built-in official calendar (src/domain/calendar/builtin.ts). */
/** Years whose whole schedule an administrator imported: official like the built-in years. */
export interface CalendarYearTable {
  year: number;
  source: string;
  confirmed_by: number | null;
  confirmed_at: Timestamp;
}

export interface CalendarDayTable {
  /** a PostgreSQL date; always select it as text (to_char(day, 'YYYY-MM-DD')): pg would turn it into a local-midnight Date */
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  note: string | null;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** Small platform settings edited by administrators, e.g. 'working_hours'. */
export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

/** Milestones of a case its row forgets (src/data/migrations/0006_command_centre.ts), kept by a trigger. */
export interface CaseFactsTable {
  case_id: number;
  accepted_at: Date | null;
  dispatched_at: Date | null;
  handled_at: Date | null;
  handled_on_time: boolean | null;
}

/** Statistics rollup kept by triggers: grain d(ay)/m(onth), dim t(otal)/c(ategory)/s(ource)/a(rea path alone, day rows, department 0: 0027). */
export interface StatsRollupTable {
  grain: 'd' | 'm';
  dim: 't' | 'c' | 's' | 'a';
  /** a PostgreSQL date: select it as text */
  bucket: ColumnType<string, string, string>;
  area_path: string;
  department_id: number;
  dim_value: string;
  /** which writer's row of the key (0011_speed.ts): reads sum a key's shards */
  shard: Generated<number>;
  reported: number;
  accepted: number;
  accepted_closed: number;
  dispatched: number;
  handled: number;
  handled_on_time: number;
  handled_reworked: number;
  closed: number;
  rated: number;
  satisfied: number;
}

/** Open cases now, kept by triggers (0027_stats_open.ts): dim c(ategory)/s(ource); reads sum a key's shards. */
export interface StatsOpenTable {
  dim: 'c' | 's';
  area_path: string;
  department_id: number;
  dim_value: string;
  shard: Generated<number>;
  /** open cases */
  n_open: number;
  /** of them, those whose clock runs (dispatched, in progress, handled) with a deadline */
  n_clocked: number;
}

export interface PatrolTable {
  id: Generated<number>;
  user_id: number;
  /** the worker's scope when the patrol started */
  area_path: string;
  client_key: string | null;
  started_at: Date;
  ended_at: Date | null;
  start_lng: number | null;
  start_lat: number | null;
  distance_m: Generated<number>;
  point_count: Generated<number>;
  note: Generated<string>;
}

export interface PatrolBatchTable {
  patrol_id: number;
  batch_key: string;
  received_at: Date;
  point_count: number;
}

export interface PatrolPointTable {
  patrol_id: number;
  at: Date;
  lng: number;
  lat: number;
  accuracy_m: number | null;
  batch_key: string;
}

export interface PatrolCheckinTable {
  id: Generated<number>;
  patrol_id: number;
  user_id: number;
  grid_id: number;
  grid_path: string;
  at: Date;
  lng: number;
  lat: number;
  accuracy_m: number | null;
  client_key: string | null;
}

/** 'enterprise' points are read from the enterprise registry (migration 0018); the table keeps the others */
export type PoiType = 'enterprise' | 'pollution_source' | 'sensitive_point' | 'monitoring_station' | 'camera';

export interface PoiTable {
  id: Generated<number>;
  type: PoiType;
  code: string | null;
  name: string;
  subtype: string | null;
  lng: number;
  lat: number;
  address: string | null;
  grid_id: number | null;
  area_path: string;
  industry: string | null;
  risk_level: 'low' | 'medium' | 'high' | null;
  contact: string | null;
  phone: string | null;
  stream_url: string | null;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Failed logins per (account, source): src/services/auth.ts locks a source out, not the account. */
export interface LoginFailureTable {
  user_id: number;
  source: string;
  failures: number;
  locks: number;
  last_failed_at: Date;
  locked_until: Date | null;
}

export interface Database {
  divisions: DivisionTable;
  grids: GridTable;
  departments: DepartmentTable;
  categories: CategoryTable;
  users: UserTable;
  sessions: SessionTable;
  photos: PhotoTable;
  login_failures: LoginFailureTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  audit_log: AuditTable;
  case_assignments: CaseAssignmentTable;
  grid_versions: GridVersionTable;
  grid_people: GridPersonTable;
  routing_rules: RoutingRuleTable;
  notifications: NotificationTable;
  outbox: OutboxTable;
  calendar_days: CalendarDayTable;
  calendar_years: CalendarYearTable;
  settings: SettingTable;
  case_facts: CaseFactsTable;
  stats_rollup: StatsRollupTable;
  stats_open: StatsOpenTable;
  patrols: PatrolTable;
  patrol_batches: PatrolBatchTable;
  patrol_points: PatrolPointTable;
  patrol_checkins: PatrolCheckinTable;
  pois: PoiTable;
  assessment_schemes: AssessmentSchemeTable;
  assessment_rankings: AssessmentRankingTable;
  assessment_events: AssessmentEventTable;
  assessment_reports: AssessmentReportTable;
  enterprises: EnterpriseTable;
  hazards: HazardTable;
  hazard_events: HazardEventTable;
  notice_counters: NoticeCounterTable;
  inspection_templates: InspectionTemplateTable;
  inspections: InspectionTable;
  inspection_plans: InspectionPlanTable;
  inspection_plan_items: InspectionPlanItemTable;
}

// --- assessment (0015_assessment.ts) ---------------------------------------------------------------------------

export interface AssessmentSchemeTable {
  year: number;
  config: ColumnType<Record<string, unknown>, string, string>;
  updated_by: number | null;
  updated_at: Date;
}

export interface AssessmentRankingTable {
  id: Generated<number>;
  period: string;
  unit_kind: 'grid' | 'community' | 'department';
  scope_path: string | null;
  state: 'draft' | 'published' | 'corrected' | 'discarded';
  version: Generated<number>;
  edition: Generated<number>;
  reason: string | null;
  supersedes_id: number | null;
  scheme: ColumnType<Record<string, unknown>, string, string>;
  rows: ColumnType<unknown[], string, string>;
  computed_at: Date;
  created_by: number;
  created_at: Date;
  published_at: Date | null;
  published_by: number | null;
  updated_at: Date;
}

export interface AssessmentEventTable {
  id: Generated<number>;
  item_type: string;
  item_id: number;
  move: string;
  from_state: string | null;
  to_state: string;
  actor_id: number;
  note: string | null;
  at: Date;
}

export interface AssessmentReportTable {
  id: Generated<number>;
  period: string;
  scope_path: string | null;
  state: 'draft' | 'issued' | 'discarded';
  version: Generated<number>;
  title: string;
  sections: ColumnType<Record<string, unknown>, string, string>;
  numbers: ColumnType<Record<string, unknown>, string, string>;
  created_by: number;
  created_at: Date;
  issued_at: Date | null;
  issued_by: number | null;
  updated_at: Date;
}

/** The enterprise archive (企业档案), one registry: src/data/migrations/0016_hazards.ts. */
export interface EnterpriseTable {
  id: Generated<number>;
  name: string;
  /** null only for rows that came from key units or points of interest without one (migration 0018) */
  credit_code: string | null;
  industry_code: string | null;
  industry_name: string | null;
  address: string | null;
  lng: number;
  lat: number;
  /** the A-class grid holding the position; null just outside every grid (then area_path is the community's) */
  grid_id: number | null;
  area_path: string;
  risk_level: 'low' | 'medium' | 'high';
  status: 'operating' | 'suspended' | 'closed';
  watch: boolean;
  watch_reason: string | null;
  /** YYYY-MM-DD */
  watch_review_on: ColumnType<string | null, string | null | undefined, string | null>;
  contact: string | null;
  phone: string | null;
  department_ids: ColumnType<number[], string | undefined, string>;
  /** 重点单位: a key unit, answered for by its own C-class grid (专属网格) */
  key_unit: Generated<boolean>;
  c_grid_id: number | null;
  /** the code of the enterprise point of interest it was imported as (编码), the key of a re-import */
  poi_code: string | null;
  subtype: string | null;
  properties: ColumnType<Record<string, unknown>, string | undefined, string>;
  version: Generated<number>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface HazardTable {
  id: Generated<number>;
  number: string;
  enterprise_id: number;
  grid_id: number;
  area_path: string;
  grade: HazardGrade;
  type: HazardType;
  description: string;
  state: HazardState;
  photos: ColumnType<string[], string | undefined, string>;
  found_by: number;
  found_at: Timestamp;
  notice_number: string | null;
  notice_issuer: string | null;
  notice_issued_by: number | null;
  notice_issued_at: Timestamp | null;
  notice_days: number | null;
  deadline: Timestamp | null;
  warn_at: Timestamp | null;
  receipt_at: Timestamp | null;
  receipt_photos: ColumnType<string[], string | undefined, string>;
  reinspected_at: Timestamp | null;
  reinspected_by: number | null;
  extensions: Generated<number>;
  closed_at: Timestamp | null;
  closed_by: number | null;
  case_id: number | null;
  inspection_id: number | null;
  version: Generated<number>;
  updated_at: Timestamp;
  /** the enterprise's signed receipt of the notice (0019): who recorded it, the stored file (sha-256) and its type */
  receipt_by: Generated<number | null>;
  receipt_file: Generated<string | null>;
  receipt_mime: Generated<string | null>;
  /** deadline notices sent by the sweeper: 0 none, 1 yellow warning, 2 red overdue */
  notified_level: Generated<number>;
}

export interface HazardEventTable {
  id: Generated<string>;
  hazard_id: number;
  move: string;
  from_state: string | null;
  to_state: string;
  actor_id: number;
  actor_role: Role;
  note: string | null;
  photos: ColumnType<string[], string | undefined, string>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  at: Timestamp;
}

export interface NoticeCounterTable {
  issuer: string;
  year: number;
  last: number;
}

export interface InspectionTemplateItem {
  text: string;
  /** the hazard a failed item becomes */
  grade: HazardGrade;
  type: HazardType;
}

export interface InspectionTemplateTable {
  id: Generated<number>;
  name: string;
  industry: string | null;
  items: ColumnType<InspectionTemplateItem[], string, string>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** retired templates stay for the inspections and plans that used them, but are no longer offered (0023) */
  retired_at: Date | null;
  retired_by: number | null;
}

export interface InspectionItemResult {
  text: string;
  result: 'pass' | 'fail' | 'na';
  note: string | null;
  photos: string[];
  hazardId: number | null;
}

export interface InspectionTable {
  id: Generated<number>;
  enterprise_id: number;
  template_id: number | null;
  area_path: string;
  inspector_id: number;
  at: Timestamp;
  lng: number | null;
  lat: number | null;
  items: ColumnType<InspectionItemResult[], string, string>;
  failed: number;
  note: string | null;
  /** the monthly plan this inspection fulfilled (0019) */
  plan_id: Generated<number | null>;
}

/** A grid's inspection plan for a month (0019_hazard_notices_plans.ts). */
export interface InspectionPlanTable {
  id: Generated<number>;
  grid_id: number;
  area_path: string;
  /** YYYY-MM */
  month: string;
  created_by: number | null;
  created_at: Timestamp;
  /** the inspector the month's plan is assigned to (0023) */
  inspector_id: number | null;
  version: Generated<number>;
}

export interface InspectionPlanItemTable {
  plan_id: number;
  enterprise_id: number;
  template_id: number | null;
  inspection_id: number | null;
}
