// Grid administration calls (/api/grids…, /api/routing-rules, /api/cases/:id/routing) and their react-query hooks.
// Reads go through the app's `request`; writes go through XMLHttpRequest here, because a refused import or edit
// answers 422 with every problem in `errors` (which `request` drops) and a large import wants upload progress.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CaseRoutingView,
  CoverageResult,
  GridDetail,
  GridPerson,
  GridProblemOut,
  GridTree,
  GridTreeNode,
  GridImportResult,
  GridValidateResult,
  RoutingRule,
  GridUpdateInput as GridUpdateInputSchema,
  GridSplitInput as GridSplitInputSchema,
  GridPersonInput as GridPersonInputSchema,
  RoutingRuleInput as RoutingRuleInputSchema,
  GridSearchResult as GridSearchResultSchema,
} from '../../../../src/shared/grids-api';
import { ApiError, request } from '../../api';
import i18n, { currentLang } from '../../i18n';
import { useSession } from '../../session';

export type { CaseRoutingView, CoverageResult, GridDetail, GridPerson, GridProblemOut, GridTree, GridTreeNode, RoutingRule };
export type Crs = 'WGS84' | 'GCJ02' | 'BD09';
export const CRS_LIST: readonly Crs[] = ['WGS84', 'GCJ02', 'BD09'];
export type GridUpdate = z.input<typeof GridUpdateInputSchema>;
export type GridSplit = z.input<typeof GridSplitInputSchema>;
export type PersonInput = z.input<typeof GridPersonInputSchema>;
export type RoutingRuleInput = z.input<typeof RoutingRuleInputSchema>;
export type GridSearchResult = z.infer<typeof GridSearchResultSchema>;
export type PeopleImportResult = { rows: number; grids: number; removed: number };
export type GridSplitResult = { retired: { id: number; code: string; name: string }; created: { id: number; code: string; name: string }[] };

/** The problems a 422 carried (import, edit, split, people sheet), or none. */
export function problemsOf(err: unknown): GridProblemOut[] {
  return err instanceof ApiError && Array.isArray(err.details) ? (err.details as GridProblemOut[]) : [];
}

export interface SendOptions {
  /** 0…1 of the request body sent */
  onUpload?: (fraction: number) => void;
  /** the body is sent and the server is working */
  onSent?: () => void;
  signal?: AbortSignal;
}

function send<T>(csrf: string | null, method: string, path: string, body?: unknown, opts: SendOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, `/api${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLang());
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    let payload: XMLHttpRequestBodyInit | null = null;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      xhr.setRequestHeader('Content-Type', 'application/json');
      payload = JSON.stringify(body);
    }
    if (opts.onUpload) xhr.upload.onprogress = (e) => e.lengthComputable && opts.onUpload!(e.loaded / e.total);
    xhr.upload.onload = () => opts.onSent?.();
    xhr.onerror = () => reject(new ApiError(0, 'network', i18n.t('common.networkError')));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const d = (data ?? {}) as { errors?: GridProblemOut[]; error?: { code?: string; message?: string; details?: unknown } };
      reject(
        new ApiError(
          xhr.status,
          d.error?.code ?? `http_${xhr.status}`,
          d.error?.message ?? `${xhr.status} ${xhr.statusText}`,
          Array.isArray(d.errors) ? d.errors : d.error?.details,
        ),
      );
    };
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(payload);
  });
}

// ---- reads ------------------------------------------------------------------------------------------------------

export const gridReads = {
  tree: () => request<GridTree>('/grids/tree'),
  detail: (id: number) => request<GridDetail>(`/grids/${id}`),
  search: (q: string) => request<GridSearchResult>('/grids/search', { query: { q, limit: 20 } }),
  coverage: (parentCode: string, sliverM2: number, sliverWidthM: number) =>
    request<CoverageResult>('/grids/coverage', { query: { parentCode, sliverM2, sliverWidthM } }),
  routingRules: () => request<{ items: RoutingRule[] }>('/routing-rules'),
  caseRouting: (caseId: number) => request<CaseRoutingView>(`/cases/${caseId}/routing`),
};

export const GRID_TREE_KEY = ['grids', 'tree'] as const;
export const gridDetailKey = (id: number) => ['grids', 'detail', id] as const;

export const useGridTree = () => useQuery({ queryKey: GRID_TREE_KEY, queryFn: gridReads.tree, staleTime: 60_000 });
export const useGridDetail = (id: number | null) =>
  useQuery({ queryKey: gridDetailKey(id ?? 0), queryFn: () => gridReads.detail(id!), enabled: id != null && id > 0 });
export const useRoutingRules = () => useQuery({ queryKey: ['routing-rules'], queryFn: gridReads.routingRules });

// ---- writes -----------------------------------------------------------------------------------------------------

/** Grid writes bound to the session's CSRF token. */
export function useGridWrites() {
  const csrf = useSession().session?.csrfToken ?? null;
  return {
    validate: (crs: Crs, geojson: unknown, opts?: SendOptions) =>
      send<GridValidateResult>(csrf, 'POST', '/grids/validate', { crs, geojson, dryRun: true }, opts),
    importGrids: (crs: Crs, geojson: unknown, opts?: SendOptions) =>
      send<GridImportResult>(csrf, 'POST', '/grids/import', { crs, geojson, dryRun: false }, opts),
    update: (id: number, body: GridUpdate) => send<GridDetail>(csrf, 'PUT', `/grids/${id}`, body),
    split: (id: number, body: GridSplit) => send<GridSplitResult>(csrf, 'POST', `/grids/${id}/split`, body),
    retire: (id: number, version: number, note?: string) => send<unknown>(csrf, 'POST', `/grids/${id}/retire`, { version, note }),
    addPerson: (id: number, body: PersonInput) => send<GridPerson>(csrf, 'POST', `/grids/${id}/people`, body),
    removePerson: (id: number, personId: number) => send<void>(csrf, 'DELETE', `/grids/${id}/people/${personId}`),
    importPeople: (file: Blob, name: string, opts?: SendOptions) => {
      const form = new FormData();
      form.append('file', file, name);
      return send<PeopleImportResult>(csrf, 'POST', '/grids/people/import', form, opts);
    },
    addRule: (body: RoutingRuleInput) => send<RoutingRule>(csrf, 'POST', '/routing-rules', body),
    removeRule: (id: number) => send<void>(csrf, 'DELETE', `/routing-rules/${id}`),
  };
}

// ---- downloads (plain links: the session cookie goes along) ------------------------------------------------------

export const DOWNLOADS = {
  geojson: (crs: Crs, parentCode?: string) =>
    `/api/grids/export.geojson?crs=${crs}${parentCode ? `&parentCode=${encodeURIComponent(parentCode)}` : ''}`,
  people: '/api/grids/people.xlsx',
  peopleTemplate: '/api/grids/people-template.xlsx',
};

// ---- tree helpers -----------------------------------------------------------------------------------------------

/** Every grid node of the tree, with the names of the divisions above it. */
export function gridNodes(tree: GridTree | undefined): (GridTreeNode & { path: string[] })[] {
  const out: (GridTreeNode & { path: string[] })[] = [];
  const walk = (nodes: GridTreeNode[], path: string[]) => {
    for (const n of nodes) {
      if (n.kind === 'grid') out.push({ ...n, path });
      walk(n.children, [...path, n.name]);
    }
  };
  walk(tree?.roots ?? [], []);
  return out;
}
