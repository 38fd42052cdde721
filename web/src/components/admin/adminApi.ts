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
import { request } from '../../api';
import { currentLang } from '../../i18n';

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

export const useSetupStatus = () => useQuery({ queryKey: ['admin', 'setup'], queryFn: adminApi.setup });
export const useAdminDivisions = () => useQuery({ queryKey: ['admin', 'divisions'], queryFn: adminApi.divisions });
export const useAdminDepartments = () => useQuery({ queryKey: ['admin', 'departments'], queryFn: adminApi.departments });
export const useUsers = (f: UserFilters) => useQuery({ queryKey: ['admin', 'users', f], queryFn: () => adminApi.users(f) });
export const useScopeTree = () => useQuery({ queryKey: ['admin', 'scopeTree'], queryFn: adminApi.gridTree });

export interface UsersImportResult {
  created: number;
  users: { username: string; displayName: string; temporaryPassword: string }[];
}

/** Uploads the users sheet; a refusal carries every bad row's message (the app's `request` keeps only the first). */
export async function importUsersSheet(csrf: string | null, file: File): Promise<{ ok: true; result: UsersImportResult } | { ok: false; messages: string[] }> {
  const body = new FormData();
  body.append('file', file);
  const res = await fetch('/api/users/import', {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': currentLang(), ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
  });
  const data = await res.json().catch(() => ({}));
  if (res.ok) return { ok: true, result: data as UsersImportResult };
  const errors = (data.errors ?? []) as { message: string }[];
  return { ok: false, messages: errors.length ? errors.map((e) => e.message) : [data.error?.message ?? `${res.status}`] };
}

export interface DivisionsImportResult {
  created: number;
  updated: number;
  withBoundary: number;
}

/** Uploads communities/villages (.xlsx or GeoJSON); a refusal carries every bad row's or feature's message. */
export async function importDivisionsFile(csrf: string | null, file: File): Promise<{ ok: true; result: DivisionsImportResult } | { ok: false; messages: string[] }> {
  const body = new FormData();
  body.append('file', file);
  const res = await fetch('/api/divisions/import', {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': currentLang(), ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
  });
  const data = await res.json().catch(() => ({}));
  if (res.ok) return { ok: true, result: data as DivisionsImportResult };
  const errors = (data.errors ?? []) as { message: string }[];
  return { ok: false, messages: errors.length ? errors.map((e) => e.message) : [data.error?.message ?? `${res.status}`] };
}
