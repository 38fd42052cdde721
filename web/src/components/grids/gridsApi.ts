// Grid administration calls (/api/grids…, /api/routing-rules, /api/cases/:id/routing) and their react-query hooks.
// Everything goes through the app's one `request`: a refused import or edit answers 422 with every problem in
// `errors` (kept in the ApiError's details), and a large import follows its upload progress.
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
import { ApiError, request, type RequestOptions } from '../../api';
import { gridKeys } from '../../queryKeys';

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

export type SendOptions = Pick<RequestOptions, 'onUpload' | 'onSent' | 'signal'>;

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

export const useGridTree = () => useQuery({ queryKey: gridKeys.tree(), queryFn: gridReads.tree, staleTime: 60_000 });
export const useGridDetail = (id: number | null) =>
  useQuery({ queryKey: gridKeys.detail(id ?? 0), queryFn: () => gridReads.detail(id!), enabled: id != null && id > 0 });
export const useRoutingRules = () => useQuery({ queryKey: gridKeys.routingRules(), queryFn: gridReads.routingRules });

// ---- writes -----------------------------------------------------------------------------------------------------

const send = <T,>(method: string, path: string, body?: unknown, opts: SendOptions = {}) => request<T>(path, { method, body, ...opts });

/** Grid writes. */
export const gridWrites = {
  validate: (crs: Crs, geojson: unknown, opts?: SendOptions) =>
    send<GridValidateResult>('POST', '/grids/validate', { crs, geojson, dryRun: true }, opts),
  importGrids: (crs: Crs, geojson: unknown, opts?: SendOptions) =>
    send<GridImportResult>('POST', '/grids/import', { crs, geojson, dryRun: false }, opts),
  update: (id: number, body: GridUpdate) => send<GridDetail>('PUT', `/grids/${id}`, body),
  split: (id: number, body: GridSplit) => send<GridSplitResult>('POST', `/grids/${id}/split`, body),
  retire: (id: number, version: number, note?: string) => send<unknown>('POST', `/grids/${id}/retire`, { version, note }),
  addPerson: (id: number, body: PersonInput) => send<GridPerson>('POST', `/grids/${id}/people`, body),
  removePerson: (id: number, personId: number) => send<void>('DELETE', `/grids/${id}/people/${personId}`),
  importPeople: (file: Blob, name: string, opts?: SendOptions) => {
    const form = new FormData();
    form.append('file', file, name);
    return send<PeopleImportResult>('POST', '/grids/people/import', form, opts);
  },
  addRule: (body: RoutingRuleInput) => send<RoutingRule>('POST', '/routing-rules', body),
  removeRule: (id: number) => send<void>('DELETE', `/routing-rules/${id}`),
};

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
