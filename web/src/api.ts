// The one HTTP client: JSON, cookie session, CSRF header on every non-GET, UI language, and errors as ApiError
// carrying the server's message (already in the user's language).
import type {
  AuditList,
  CaseDetail,
  CaseList,
  Category,
  Department,
  Division,
  GridCollection,
  LifecycleDescription,
  MoveInput,
  Photo,
  ReportInput,
  Session,
} from '../../src/shared/api';
import type {
  CategoryUpdate as CategoryUpdateSchema,
  NotificationList as NotificationListSchema,
  SimilarList as SimilarListSchema,
} from '../../src/shared/api';
import type { CalendarImportResult, CalendarStatus, CalendarYear, WorkingPeriod } from '../../src/shared/calendar-api';
import type { DepartmentDetail } from '../../src/shared/admin-api';
import type { z } from 'zod';

export type SimilarList = z.infer<typeof SimilarListSchema>;
export type NotificationList = z.infer<typeof NotificationListSchema>;
export type CategoryUpdate = z.infer<typeof CategoryUpdateSchema>;
import type { MoveName } from '../../src/shared/vocabulary';
import i18n, { currentLang } from './i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request (other than the session probe and login) comes back 401. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  /** don't call the unauthenticated handler on 401 (session probe, login) */
  quiet401?: boolean;
  /** 0…1 of the request body sent (a large upload shows its progress; sent through XMLHttpRequest) */
  onUpload?: (fraction: number) => void;
  /** the body is sent and the server is working */
  onSent?: () => void;
  signal?: AbortSignal;
}

interface RawResponse {
  status: number;
  statusText: string;
  text: string;
}

/** fetch, or XMLHttpRequest where the caller follows the upload (fetch reports no upload progress). */
function transport(url: string, method: string, headers: Record<string, string>, body: BodyInit | undefined, opts: RequestOptions): Promise<RawResponse> {
  if (!opts.onUpload && !opts.onSent) {
    return fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal }).then(
      async (res) => ({ status: res.status, statusText: res.statusText, text: await res.text() }),
      (err: unknown) => {
        throw opts.signal?.aborted ? new ApiError(0, 'aborted', 'aborted') : err;
      },
    );
  }
  return new Promise<RawResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    if (opts.onUpload) xhr.upload.onprogress = (e) => e.lengthComputable && opts.onUpload!(e.loaded / e.total);
    xhr.upload.onload = () => opts.onSent?.();
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    xhr.onload = () => resolve({ status: xhr.status, statusText: xhr.statusText, text: xhr.responseText });
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send((body ?? null) as XMLHttpRequestBodyInit | null);
  });
}

/**
 * The one HTTP client of the web app. A refusal becomes an ApiError with the server's message; a 422 that lists
 * every problem (`errors`: an import, a grid edit, a users sheet) keeps that list in `details`.
 */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLang() };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: RawResponse;
  try {
    res = await transport(withQuery(`/api${path}`, opts.query), method, headers, body, opts);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(0, 'network', i18n.t('common.networkError'));
  }
  if (res.status === 401 && !opts.quiet401) onUnauthenticated?.();
  if (res.status < 200 || res.status >= 300) throw toError(res);
  if (res.status === 204 || !res.text) return undefined as T;
  return JSON.parse(res.text) as T;
}

/**
 * A file the server sends (an export): the blob and the server's file name. A refusal becomes an ApiError with the
 * server's message, like request's, so a page can show it instead of saving a JSON error as a file.
 * `url` is the whole path ("/api/…?…"), as export links carry it.
 */
export async function download(url: string): Promise<{ blob: Blob; fileName: string }> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { 'Accept-Language': currentLang() } });
  } catch {
    throw new ApiError(0, 'network', i18n.t('common.networkError'));
  }
  if (res.status === 401) onUnauthenticated?.();
  if (!res.ok) throw toError({ status: res.status, statusText: res.statusText, text: await res.text().catch(() => '') });
  return { blob: await res.blob(), fileName: fileNameOf(res, url) };
}

/** The file name the server gave (RFC 5987 filename* first), else the last part of the path. */
function fileNameOf(res: Response, url: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd)?.[1];
  return plain ?? url.split('?')[0]!.split('/').pop() ?? 'export';
}

function toError(res: RawResponse): ApiError {
  let data: { errors?: unknown; error?: { code?: string; message?: string; details?: unknown } } = {};
  try {
    data = (res.text ? JSON.parse(res.text) : {}) ?? {};
  } catch {
    /* not JSON */
  }
  return new ApiError(
    res.status,
    data.error?.code ?? `http_${res.status}`,
    data.error?.message ?? `${res.status} ${res.statusText}`,
    Array.isArray(data.errors) ? data.errors : data.error?.details,
  );
}

/** The messages of every problem a refusal listed (`errors`), or its one message. */
export function messagesOf(err: unknown): string[] {
  if (err instanceof ApiError && Array.isArray(err.details) && err.details.length) {
    return (err.details as { message?: string }[]).map((d) => d.message ?? String(d));
  }
  return [err instanceof Error ? err.message : String(err)];
}

export interface CaseFilters {
  state?: string;
  warningLevel?: string;
  urgency?: string;
  departmentId?: number;
  categoryId?: number;
  gridId?: number;
  from?: string;
  to?: string;
  q?: string;
  page?: number;
  pageSize?: number;
  /** keyset paging: the previous page's nextCursor */
  after?: string;
  /** 'exact' counts every case in the filter (the default count stops above 10,000) */
  count?: 'exact';
}

export const api = {
  session: () => request<Session>('/auth/session', { quiet401: true }),
  login: (username: string, password: string) =>
    request<Session>('/auth/login', { method: 'POST', body: { username, password }, quiet401: true }),
  logout: () => request<void>('/auth/logout', { method: 'POST', quiet401: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('/auth/password', { method: 'POST', body: { currentPassword, newPassword } }),

  tasks: (page = 1, pageSize = 20) => request<CaseList>('/tasks', { query: { page, pageSize } }),
  cases: (filters: CaseFilters) => request<CaseList>('/cases', { query: { ...filters } }),
  case: (id: number) => request<CaseDetail>(`/cases/${id}`),
  similar: (q: { lng: number; lat: number; categoryId: number; excludeId?: number }) =>
    request<SimilarList>('/cases/similar', { query: q }),
  report: (input: ReportInput) => request<CaseDetail>('/cases', { method: 'POST', body: input }),
  move: (id: number, move: MoveName, input: Partial<MoveInput> & { version: number }) =>
    request<CaseDetail>(`/cases/${id}/moves/${move}`, { method: 'POST', body: input }),
  uploadPhoto: (file: Blob, name = 'photo') => {
    const form = new FormData();
    form.append('file', file, name);
    return request<Photo>('/photos', { method: 'POST', body: form });
  },

  notifications: (limit = 20) => request<NotificationList>('/notifications', { query: { limit } }),
  markRead: (ids: number[] | 'all') =>
    request<{ updated: number; unread: number }>('/notifications/read', { method: 'POST', body: { ids } }),

  updateCategory: (id: number, body: CategoryUpdate) => request<void>(`/categories/${id}`, { method: 'PUT', body }),
  calendar: (year: number) => request<CalendarYear>('/calendar', { query: { year } }),
  setCalendarDay: (date: string, kind: 'holiday' | 'workday', note?: string) =>
    request<unknown>(`/calendar/days/${date}`, { method: 'PUT', body: { kind, note } }),
  deleteCalendarDay: (date: string) => request<unknown>(`/calendar/days/${date}`, { method: 'DELETE' }),
  importCalendar: (format: 'list' | 'ics' | 'json', text: string, options: { dryRun?: boolean; complete?: boolean } = {}) =>
    request<CalendarImportResult>('/calendar/import', { method: 'POST', body: { format, text, ...options } }),
  calendarStatus: () => request<CalendarStatus>('/calendar/status'),
  setWorkingHours: (periods: WorkingPeriod[]) => request<unknown>('/calendar/working-hours', { method: 'PUT', body: periods }),

  categories: () => request<Category[]>('/categories'),
  lifecycle: (kind: 'case') => request<LifecycleDescription>(`/lifecycles/${kind}`),
  departments: () => request<Department[]>('/departments'),
  /** one department with its contacts (phones masked for roles that do not call them) */
  department: (id: number) => request<DepartmentDetail>(`/departments/${id}`),
  divisions: () => request<Division[]>('/divisions'),
  grids: () => request<GridCollection>('/grids'),
  audit: (page: number, pageSize: number, action?: string) =>
    request<AuditList>('/audit', { query: { page, pageSize, action } }),
};
