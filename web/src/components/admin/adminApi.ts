// Administration calls (/api/users, /api/departments, /api/divisions, /api/admin/…) and their react-query hooks.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  AdoptResult as AdoptResultSchema,
  DepartmentAdmin,
  DepartmentContactInput,
  DepartmentMergeResult,
  DepartmentWorkOrders,
  DivisionAdmin,
  DivisionCreate,
  DivisionUpdate,
  SetupStatus,
  UserAdmin,
  UserCreate,
  UserList as UserListSchema,
  UserTasks,
  UserUpdate,
  UserWithPassword as UserWithPasswordSchema,
} from '../../../../src/shared/admin-api';
import type { GridTree } from '../../../../src/shared/grids-api';
import { ApiError, messagesOf, request } from '../../api';
import { adminKeys } from '../../queryKeys';

export type UserList = z.infer<typeof UserListSchema>;
export type UserWithPassword = z.infer<typeof UserWithPasswordSchema>;
export type AdoptResult = z.infer<typeof AdoptResultSchema>;
export type { DepartmentAdmin, DepartmentContactInput, DepartmentMergeResult, DepartmentWorkOrders, DivisionAdmin, SetupStatus, UserAdmin, UserCreate, UserTasks, UserUpdate, DivisionCreate, DivisionUpdate };

export interface UserFilters {
  q?: string;
  role?: string;
  departmentId?: number;
  status?: 'active' | 'locked' | 'deactivated' | 'all';
  page?: number;
  pageSize?: number;
}

export const adminApi = {
  setup: () => request<SetupStatus>('/admin/setup'),
  divisions: () => request<DivisionAdmin[]>('/admin/divisions'),
  createDivision: (body: DivisionCreate) => request<{ id: number }>('/divisions', { method: 'POST', body }),
  updateDivision: (id: number, body: DivisionUpdate) => request<null>(`/divisions/${id}`, { method: 'PUT', body }),
  departments: () => request<DepartmentAdmin[]>('/admin/departments'),
  createDepartment: (body: { code: string; name: string }) => request<{ id: number }>('/departments', { method: 'POST', body }),
  renameDepartment: (id: number, name: string) => request<null>(`/departments/${id}`, { method: 'PUT', body: { name } }),
  retireDepartment: (id: number) => request<null>(`/departments/${id}/retire`, { method: 'POST' }),
  departmentWorkOrders: (id: number) => request<DepartmentWorkOrders>(`/departments/${id}/work-orders`),
  setDepartmentContacts: (id: number, contacts: DepartmentContactInput[]) => request<null>(`/departments/${id}/contacts`, { method: 'PUT', body: { contacts } }),
  setDepartmentCategories: (id: number, categoryIds: number[]) => request<null>(`/departments/${id}/categories`, { method: 'PUT', body: { categoryIds } }),
  mergeDepartment: (id: number, intoId: number) => request<DepartmentMergeResult>(`/departments/${id}/merge`, { method: 'POST', body: { intoId } }),
  moveCategory: (id: number, parentId: number, code?: string) => request<{ code: string }>(`/categories/${id}/move`, { method: 'POST', body: { parentId, ...(code ? { code } : {}) } }),
  retireCategory: (id: number) => request<{ retired: string[]; openCases: number }>(`/categories/${id}/retire`, { method: 'POST' }),
  restoreCategory: (id: number) => request<null>(`/categories/${id}/restore`, { method: 'POST' }),
  gbt2260: (q: string) => request<{ code: string; name: string; fullName: string }[]>('/admin/gbt2260', { query: { q } }),
  adoptStandardCategories: () => request<AdoptResult>('/categories/adopt-standard', { method: 'POST' }),
  users: (f: UserFilters) => request<UserList>('/users', { query: { ...f } as Record<string, string | number | undefined> }),
  createUser: (body: UserCreate) => request<UserWithPassword>('/users', { method: 'POST', body }),
  updateUser: (id: number, body: UserUpdate) => request<UserAdmin>(`/users/${id}`, { method: 'PUT', body }),
  resetPassword: (id: number) => request<UserWithPassword>(`/users/${id}/reset-password`, { method: 'POST', body: {} }),
  lockUser: (id: number, locked: boolean) => request<UserAdmin>(`/users/${id}/${locked ? 'lock' : 'unlock'}`, { method: 'POST' }),
  deactivateUser: (id: number, successorId?: number) =>
    request<UserAdmin>(`/users/${id}/deactivate`, { method: 'POST', ...(successorId ? { body: { successorId } } : {}) }),
  userTasks: (id: number) => request<UserTasks>(`/users/${id}/tasks`),
  gridTree: () => request<GridTree>('/grids/tree'),
};

export const useSetupStatus = () => useQuery({ queryKey: adminKeys.setup(), queryFn: adminApi.setup });
export const useAdminDivisions = () => useQuery({ queryKey: adminKeys.divisions(), queryFn: adminApi.divisions });
export const useAdminDepartments = () => useQuery({ queryKey: adminKeys.departments(), queryFn: adminApi.departments });
export const useUsers = (f: UserFilters) => useQuery({ queryKey: adminKeys.users(f), queryFn: () => adminApi.users(f) });
export const useScopeTree = () => useQuery({ queryKey: adminKeys.scopeTree(), queryFn: adminApi.gridTree });

export interface UsersImportResult {
  created: number;
  users: { username: string; displayName: string; temporaryPassword: string }[];
}

/** Uploads the users sheet; a refusal carries every bad row's message. */
export async function importUsersSheet(file: File): Promise<{ ok: true; result: UsersImportResult } | { ok: false; messages: string[] }> {
  const body = new FormData();
  body.append('file', file);
  try {
    return { ok: true, result: await request<UsersImportResult>('/users/import', { method: 'POST', body }) };
  } catch (err) {
    if (err instanceof ApiError && err.status > 0) return { ok: false, messages: messagesOf(err) };
    throw err;
  }
}

export interface DivisionsImportResult {
  created: number;
  updated: number;
  withBoundary: number;
}

/** Uploads communities/villages (.xlsx or GeoJSON); a refusal carries every bad row's or feature's message. */
export async function importDivisionsFile(file: File): Promise<{ ok: true; result: DivisionsImportResult } | { ok: false; messages: string[] }> {
  const body = new FormData();
  body.append('file', file);
  try {
    return { ok: true, result: await request<DivisionsImportResult>('/divisions/import', { method: 'POST', body }) };
  } catch (err) {
    if (err instanceof ApiError && err.status > 0) return { ok: false, messages: messagesOf(err) };
    throw err;
  }
}
