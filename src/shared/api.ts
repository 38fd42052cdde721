// The HTTP contract shared by the server (validation + OpenAPI) and the web app (types).
// Names follow ../shared/DOMAIN.md: case, move, grid, division, department, category.
import { z } from 'zod';
import { dbCount, dbId, dbIdParam, safeText } from './db-values.js';
import { CASE_STATES, MOVE_NAMES, ROLES, CASE_SOURCES, URGENCIES, WARNING_LEVELS, NOTIFICATION_KINDS } from './vocabulary.js';

export const Role = z.enum(ROLES);
export const CaseState = z.enum(CASE_STATES);
export const MoveName = z.enum(MOVE_NAMES);
export const CaseSource = z.enum(CASE_SOURCES);
export const Urgency = z.enum(URGENCIES);
export const WarningLevel = z.enum(WARNING_LEVELS);

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const Me = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  scopeName: z.string(),
  departmentId: z.number().nullable(),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const Session = z.object({ user: Me, csrfToken: z.string() });
export type Session = z.infer<typeof Session>;

export const LoginInput = z.object({
  username: safeText().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const PasswordChangeInput = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(8).max(256),
});

export const Photo = z.object({
  hash: z.string(),
  mime: z.string(),
  size: z.number(),
  url: z.string(),
  thumbUrl: z.string(),
});
export type Photo = z.infer<typeof Photo>;

const photoHash = z.string().regex(/^[0-9a-f]{64}$/, 'photo id must be a sha256 hex string');

export const ReportInput = z.object({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  categoryId: dbId(),
  description: z.string().trim().min(2).max(2000),
  address: z.string().trim().max(200).optional(),
  source: CaseSource.optional(),
  urgency: Urgency.optional(),
  photos: z.array(photoHash).max(9).default([]),
  /** idempotency key made by the phone for an offline report: the same key from the same reporter is stored once */
  clientKey: z.string().trim().min(8).max(100).optional(),
  /** a key unit (重点单位) the case concerns: its C-class grid becomes responsible */
  keyUnitId: dbId().optional(),
  /** 现场处置: the grid worker fixed it on the spot; `result` says how, and the case waits for verification */
  fixedOnSpot: z.boolean().default(false),
  result: z.string().trim().max(2000).optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const MoveInput = z.object({
  version: dbCount(),
  note: z.string().trim().max(2000).optional(),
  departmentId: dbId().optional(),
  deadline: z.iso.datetime({ offset: true }).optional(),
  photos: z.array(photoHash).max(9).default([]),
  coDepartmentIds: z.array(dbId()).max(10).optional(),
  masterId: dbId().optional(),
  rating: z.number().int().min(1).max(5).optional(),
  categoryId: dbId().optional(),
  urgency: Urgency.optional(),
  gridId: dbId().optional(),
});
export type MoveInput = z.infer<typeof MoveInput>;

export const CaseSummary = z.object({
  id: z.number(),
  number: z.string(),
  state: CaseState,
  source: CaseSource,
  categoryId: z.number(),
  categoryName: z.string(),
  /** null while the case waits in the unrouted queue (its position is outside every grid) */
  gridId: z.number().nullable(),
  gridName: z.string().nullable(),
  communityName: z.string().nullable(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  description: z.string(),
  address: z.string().nullable(),
  lng: z.number(),
  lat: z.number(),
  reportedAt: z.string(),
  updatedAt: z.string(),
  deadline: z.string().nullable(),
  version: z.number(),
  urgency: Urgency,
  /** the running clock: to sign, to handle or to verify */
  clockKind: z.enum(['sign', 'handle', 'verify']).nullable(),
  dueAt: z.string().nullable(),
  /** the deadline or the running clock was counted over days of a provisional calendar year: it is recomputed when the official schedule is imported */
  limitsProvisional: z.boolean(),
  warningLevel: WarningLevel,
  reworkCount: z.number(),
  escalationLevel: z.number(),
  rating: z.number().nullable(),
  masterId: z.number().nullable(),
  life: z.number(),
  pendingExtension: z.object({ note: z.string(), deadline: z.string().optional(), at: z.string() }).nullable(),
  pendingSuspend: z.object({ note: z.string(), at: z.string() }).nullable(),
  /** in an inbox, a case rated 不满意 (回头看): what the reporter said with the rating */
  ratingNote: z.string().optional(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseEvent = z.object({
  id: z.number(),
  move: MoveName,
  fromState: CaseState.nullable(),
  toState: CaseState,
  actorName: z.string(),
  actorRole: Role,
  note: z.string().nullable(),
  departmentName: z.string().nullable(),
  deadline: z.string().nullable(),
  photos: z.array(Photo),
  at: z.string(),
  life: z.number(),
  data: z.record(z.string(), z.unknown()),
});
export type CaseEvent = z.infer<typeof CaseEvent>;

export const CaseDetail = CaseSummary.extend({
  reporterName: z.string(),
  photos: z.array(Photo),
  events: z.array(CaseEvent),
  allowedMoves: z.array(MoveName),
  assignments: z.array(
    z.object({ departmentId: z.number(), departmentName: z.string(), role: z.enum(['main', 'co']), reportedAt: z.string().nullable(), reportNote: z.string().nullable() }),
  ),
  duplicates: z.array(z.object({ id: z.number(), number: z.string(), state: CaseState })),
  masterNumber: z.string().nullable(),
  categoryCriteria: z.object({ accept: z.string(), close: z.string() }),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseListQuery = z.object({
  state: CaseState.optional(),
  warningLevel: WarningLevel.optional(),
  urgency: Urgency.optional(),
  departmentId: dbIdParam().optional(),
  categoryId: dbIdParam().optional(),
  gridId: dbIdParam().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  q: z.string().trim().max(100).optional(),
  // Filters the dashboard links with (src/shared/stats-api.ts): each number there names the filter that lists it.
  /** which instant from/to select on: reported (default), accepted (受理), first dispatched, first handled, closed (结案, not duplicates), rated */
  event: z.enum(['reported', 'accepted', 'dispatched', 'handled', 'closed', 'rated']).optional(),
  source: CaseSource.optional(),
  /** cases whose area lies in this division (community, street …) */
  divisionId: dbIdParam().optional(),
  /** in an open state (not rejected, merged or closed) */
  open: z.enum(['true', 'false']).optional(),
  /** the first handling met the deadline then in force (现场处置 counts as on time) */
  onTime: z.enum(['true', 'false']).optional(),
  /** sent back for rework (返工) at least once in the current life */
  reworked: z.enum(['true', 'false']).optional(),
  /** rated 满意 or 非常满意 (4 or 5) */
  satisfied: z.enum(['true', 'false']).optional(),
  /** outside every grid, waiting to be routed */
  unrouted: z.enum(['true', 'false']).optional(),
  /** without a main department now (never dispatched, returned, reopened or fixed on the spot) */
  noDepartment: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  // Lists at a million cases (issue 12): keyset paging and capped counts.
  /** the previous page's nextCursor: this page starts after its last row (page is then ignored) */
  after: z.string().max(400).optional(),
  /** 'exact': count every case in the filter; by default the count stops above 10,000 (totalCapped) */
  count: z.enum(['exact', 'capped']).optional(),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CaseList = z.object({
  items: z.array(CaseSummary),
  /** the number of cases in the filter, or 10,000 when totalCapped */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** more than `total` cases: shown as "10,000+"; ask again with count=exact for the number */
  totalCapped: z.boolean(),
  /** pass as `after` for the next page; null on the last page */
  nextCursor: z.string().nullable(),
});
export type CaseList = z.infer<typeof CaseList>;

export const Category = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  parentId: z.number().nullable(),
  kind: z.enum(['event', 'component']),
  defaultDepartmentId: z.number().nullable(),
  acceptCriteria: z.string(),
  closeCriteria: z.string(),
  returnHours: z.number(),
  limits: z.record(Urgency, z.object({ signHours: z.number().positive(), handleDays: z.number().positive(), verifyHours: z.number().positive() })),
  /** a retired category is not offered for new cases; cases filed under it keep it */
  retired: z.boolean(),
});
export type Category = z.infer<typeof Category>;

/**
 * A lifecycle (the case workflow, and later hazards, instructions …) as the server defines it: its states and its
 * moves with who may make them and what input each requires. The web builds its move forms from `requires`.
 */
export const LifecycleDescription = z.object({
  kind: z.string(),
  states: z.array(z.string()),
  open: z.array(z.string()),
  final: z.array(z.string()),
  moves: z.array(
    z.object({
      name: z.string(),
      from: z.array(z.string().nullable()),
      to: z.string(),
      roles: z.array(z.enum(ROLES)),
      relation: z.string().nullable(),
      requires: z.array(z.string()),
      system: z.boolean(),
    }),
  ),
});
export type LifecycleDescription = z.infer<typeof LifecycleDescription>;

/**
 * The moves a page offers as buttons (web: case pages), read from the lifecycle definition: not a move that creates the
 * item (its `from` holds null: made on the report form, e.g. report, fix_on_spot) nor one the system makes
 * (`system`, e.g. follow_master). None while the definition loads: the move forms need it anyway.
 */
export function buttonMoves<M extends string>(lifecycle: LifecycleDescription | undefined, allowed: readonly M[]): M[] {
  if (!lifecycle) return [];
  const offered = new Set(lifecycle.moves.filter((m) => !m.system && !m.from.includes(null)).map((m) => m.name));
  return allowed.filter((m) => offered.has(m));
}

export const Department = z.object({ id: z.number(), code: z.string(), name: z.string() });
export type Department = z.infer<typeof Department>;

export const Division = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  level: z.enum(['district', 'street', 'community', 'village']),
  parentId: z.number().nullable(),
});
export type Division = z.infer<typeof Division>;

export const GridFeature = z.object({
  type: z.literal('Feature'),
  id: z.number(),
  properties: z.object({
    id: z.number(),
    code: z.string(),
    name: z.string(),
    gridClass: z.enum(['A', 'B', 'C']),
    divisionId: z.number(),
    communityName: z.string(),
    labelLng: z.number(),
    labelLat: z.number(),
  }),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.any() }),
});
export const GridCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(GridFeature),
  bbox: z.array(z.number()).length(4).nullable(),
});
export type GridCollection = z.infer<typeof GridCollection>;

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  summary: z.string(),
  ip: z.string().nullable(),
  /** what the change recorded, e.g. { before, after } */
  data: z.record(z.string(), z.unknown()),
});
export const AuditQuery = z.object({
  action: z.string().max(64).optional(),
  /** who: part of the actor's username or name */
  actor: z.string().trim().max(50).optional(),
  targetType: z.string().max(32).optional(),
  targetId: z.string().max(64).optional(),
  /** part of the summary */
  q: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditList = z.object({ items: z.array(AuditEntry), total: z.number() });
export type AuditList = z.infer<typeof AuditList>;

export const SimilarQuery = z.object({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  categoryId: dbIdParam(),
  excludeId: dbIdParam().optional(),
});
/** A case outside the asker's scope (readable: false) shows only that it exists, its state and a rounded distance. */
export const SimilarCase = z.object({
  readable: z.boolean(),
  id: z.number().nullable(),
  number: z.string().nullable(),
  state: CaseState,
  description: z.string().nullable(),
  distanceM: z.number(),
  reportedAt: z.string().nullable(),
});
export const SimilarList = z.object({ items: z.array(SimilarCase), radiusM: z.number(), days: z.number() });

export const CategoryUpdate = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  defaultDepartmentId: dbId().nullable().optional(),
  acceptCriteria: z.string().max(2000).optional(),
  closeCriteria: z.string().max(2000).optional(),
  returnHours: z.number().positive().max(240).optional(),
  limits: z
    .record(Urgency, z.object({ signHours: z.number().positive().max(240), handleDays: z.number().positive().max(365), verifyHours: z.number().positive().max(240) }))
    .optional(),
});

export const Notification = z.object({
  id: z.number(),
  kind: z.enum(NOTIFICATION_KINDS),
  caseId: z.number().nullable(),
  caseNumber: z.string().nullable(),
  /** a notice about a hazard (major hazard, awaiting close-out approval, deadline warnings): the bell opens it */
  hazardId: z.number().nullable(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof Notification>;
export const NotificationList = z.object({ items: z.array(Notification), unread: z.number() });
export const MarkRead = z.object({ ids: z.union([z.array(dbId()).max(500), z.literal('all')]) });
