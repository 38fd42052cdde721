// Request and response shapes of administration: divisions, departments, users, the setup guide.
import { z } from 'zod';
import { ROLES } from './vocabulary.js';
import { dbId } from './db-values.js';

export const DIVISION_LEVELS = ['district', 'street', 'community', 'village'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

const name = z.string().trim().min(1).max(100);
/** GeoJSON Polygon or MultiPolygon, WGS-84; checked like a grid's boundary, every fault named. */
const Boundary = z.unknown().describe('GeoJSON Polygon or MultiPolygon (WGS-84), or null to remove the boundary');

export const DivisionAdmin = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  level: z.enum(DIVISION_LEVELS),
  parentId: z.number().nullable(),
  hasBoundary: z.boolean(),
  gridCount: z.number(),
  geometry: z.unknown().nullable(),
});
export type DivisionAdmin = z.infer<typeof DivisionAdmin>;

export const DivisionCreate = z.object({
  level: z.enum(DIVISION_LEVELS),
  code: z.string().trim().min(1).max(12),
  name,
  /** the parent division; a street may name its district by code and name instead, created if missing */
  parentId: z.number().int().positive().optional(),
  district: z.object({ code: z.string().trim().min(1).max(12), name: name.optional() }).optional(),
  geometry: Boundary.optional(),
});
export type DivisionCreate = z.infer<typeof DivisionCreate>;

export const DivisionUpdate = z.object({ name: name.optional(), geometry: Boundary.optional() });
export type DivisionUpdate = z.infer<typeof DivisionUpdate>;

/** Who to call in a department: a mobile, or an office line with its area code (0537-2345678). */
export const DepartmentContact = z.object({
  name: z.string().trim().min(1).max(50),
  title: z.string().trim().max(50).default(''),
  phone: z.string().trim().min(1).max(30),
});
export type DepartmentContactInput = z.input<typeof DepartmentContact>;
const CategoryRef = z.object({ id: z.number(), code: z.string(), name: z.string() });

export const DepartmentAdmin = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  retired: z.boolean(),
  userCount: z.number(),
  openWorkOrders: z.number(),
  contacts: z.array(z.object({ name: z.string(), title: z.string(), phone: z.string() })),
  /** the categories whose new cases go to this department by default */
  defaultCategories: z.array(CategoryRef),
});
export type DepartmentAdmin = z.infer<typeof DepartmentAdmin>;

/** One department as any member of staff sees it: phones masked for roles that do not call them. */
export const DepartmentDetail = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  retired: z.boolean(),
  contacts: z.array(z.object({ name: z.string(), title: z.string(), phone: z.string() })),
  defaultCategories: z.array(CategoryRef),
});
export type DepartmentDetail = z.infer<typeof DepartmentDetail>;

export const DepartmentCreate = z.object({ code: z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9_-]+$/), name });
export const DepartmentUpdate = z.object({ name });
export const DepartmentContacts = z.object({ contacts: z.array(DepartmentContact).max(50) });
export const DepartmentCategories = z.object({ categoryIds: z.array(dbId()).max(1000) });
export const DepartmentMerge = z.object({ intoId: dbId() });
export const DepartmentMergeResult = z.object({ workOrders: z.number(), coWorkOrders: z.number(), users: z.number(), routingRules: z.number(), categories: z.number() });
export type DepartmentMergeResult = z.infer<typeof DepartmentMergeResult>;
/** The open work orders of a department (main or unreported co-handling), listed before it is retired. */
export const DepartmentWorkOrders = z.object({
  total: z.number(),
  items: z.array(z.object({ id: z.number(), number: z.string(), state: z.string(), category: z.string().nullable(), deadline: z.string().nullable(), main: z.boolean() })),
});
export type DepartmentWorkOrders = z.infer<typeof DepartmentWorkOrders>;

export const UserScope = z.object({ type: z.enum(['division', 'grid']), id: z.number().int().positive() });
export type UserScope = z.infer<typeof UserScope>;

/** One part of a user's scope, as the grid or division it names. */
export const UserScopePlace = z.object({
  type: z.enum(['division', 'grid']),
  /** null when the stored path names nothing any more */
  id: z.number().nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  path: z.string(),
});
export type UserScopePlace = z.infer<typeof UserScopePlace>;

export const UserAdmin = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  /** the subtrees the user covers: one for operators and leaders, one or more grids for a grid worker */
  scopePaths: z.array(z.string()),
  scopes: z.array(UserScopePlace),
  /** the scopes' names, joined with 、 */
  scopeName: z.string().nullable(),
  departmentId: z.number().nullable(),
  departmentName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  /** locked by an administrator */
  locked: z.boolean(),
  /** locked for a while by the login throttle (too many wrong passwords) */
  throttledUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  deactivatedAt: z.string().nullable(),
});
export type UserAdmin = z.infer<typeof UserAdmin>;

export const UserListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  role: z.enum(ROLES).optional(),
  departmentId: z.coerce.number().int().positive().optional(),
  status: z.enum(['active', 'locked', 'deactivated', 'all']).default('active'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const UserList = z.object({ items: z.array(UserAdmin), total: z.number() });

/** Several grids for a grid worker; `scope` is the one-place form (both may be given: they are joined). */
const Scopes = z.array(UserScope).min(1).max(100).describe('several grids for a grid worker; other roles one place');

export const UserCreate = z.object({
  username: z.string().trim().min(2).max(40).regex(/^[A-Za-z0-9_.@-]+$/),
  displayName: name,
  role: z.enum(ROLES),
  scope: UserScope.nullable().optional(),
  scopes: Scopes.optional(),
  departmentId: z.number().int().positive().nullable().optional(),
  /** the first password; one is generated when left out. Either way it must be changed at first login. */
  password: z.string().min(8).max(200).optional(),
});
export type UserCreate = z.infer<typeof UserCreate>;

export const UserUpdate = z.object({
  displayName: name.optional(),
  role: z.enum(ROLES).optional(),
  scope: UserScope.nullable().optional(),
  scopes: Scopes.optional(),
  departmentId: z.number().int().positive().nullable().optional(),
});
export type UserUpdate = z.infer<typeof UserUpdate>;

/** What an account still holds, listed before it is deactivated. */
export const UserTasks = z.object({
  /** grids of a grid worker, with their open cases and how many of them wait for verification */
  grids: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), openCases: z.number(), toVerify: z.number() })),
  /** open cases in those grids (or, for a handler or operator, the cases only this account can act on), at most 50 */
  cases: z.array(z.object({ id: z.number(), number: z.string(), state: z.string(), gridName: z.string().nullable() })),
  openCases: z.number(),
  /** true when deactivation would be refused until the tasks are given to someone else */
  mustReassign: z.boolean(),
  /** why, in the reader's language, when mustReassign */
  reason: z.string().nullable(),
});
export type UserTasks = z.infer<typeof UserTasks>;

/** Gives all of a grid worker's grids to another grid worker (who keeps their own). */
export const UserReassign = z.object({ toUserId: z.number().int().positive() });

export const PasswordReset = z.object({ password: z.string().min(8).max(200).optional() });
/** A created user or a reset password: the temporary password is shown once, to the administrator. */
export const UserWithPassword = z.object({ user: UserAdmin, temporaryPassword: z.string() });

export const SetupStatus = z.object({
  /** true when nothing is missing */
  complete: z.boolean(),
  streets: z.number(),
  communities: z.number(),
  communitiesWithoutBoundary: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  departments: z.number(),
  categories: z.number(),
  grids: z.number(),
  users: z.number(),
  /** what is still missing, in the guide's order */
  missing: z.array(z.enum(['street', 'communities', 'boundaries', 'departments', 'categories', 'grids', 'users'])),
});
export type SetupStatus = z.infer<typeof SetupStatus>;

/** A county-level division of the GB/T 2260 list shipped with the project. */
export const Gbt2260District = z.object({ code: z.string(), name: z.string(), fullName: z.string() });
export const Gbt2260Query = z.object({ q: z.string().trim().max(40).default('') });
export const DivisionImportResult = z.object({ created: z.number(), updated: z.number(), withBoundary: z.number() });
export const CategoryMove = z.object({ parentId: dbId(), code: z.string().trim().regex(/^\d{4}$/).optional() });
export const CategoryRetireResult = z.object({ retired: z.array(z.string()), openCases: z.number() });

export const AdoptResult = z.object({ classes: z.number(), categories: z.number(), withDepartment: z.number() });
