// Every react-query key of the web app, made by one factory per kind of data. A page reads with
// `useQuery({ queryKey: caseKeys.detail(id), … })` and a write invalidates `caseKeys.all` (every list and filter of
// cases) or one entry: because both come from here, an invalidation cannot miss a key spelt differently elsewhere.
// A key's first element names its family; `all` is that prefix, so invalidating it reaches every key below it.
// New data: add a factory here (a family of its own, or a member of an existing one), never a literal at the call.

export const sessionKeys = {
  all: ['session'] as const,
};

/** Reference data shared by the pages (long-lived). */
export const refKeys = {
  categories: () => ['categories'] as const,
  departments: () => ['departments'] as const,
  /** one department's detail (its contacts): below `departments`, so a change to the list refreshes it too */
  department: (id: number) => ['departments', id] as const,
  divisions: () => ['divisions'] as const,
  lifecycle: (kind: string) => ['lifecycle', kind] as const,
  basemap: () => ['basemap'] as const,
};

export const caseKeys = {
  /** every list of cases (desktop, phone, search) */
  all: ['cases'] as const,
  list: <F extends object>(filters: F, exact?: boolean) => ['cases', filters, exact] as const,
  search: (q: string, pageSize: number) => ['cases', { q, pageSize }] as const,
  phoneList: (filter: { q: string; state: string | undefined }) => ['cases', 'phone', filter] as const,
  /** one case (its detail; its routing explanation below it) */
  detail: (id: number) => ['case', id] as const,
  routing: (id: number) => ['case', id, 'routing'] as const,
  similarTo: (id: number) => ['similar', id] as const,
  similarAt: (at: { lng: number; lat: number; categoryId: number }) => ['similar', at] as const,
};

export const taskKeys = {
  all: ['tasks'] as const,
  page: (paging: { page: number; pageSize: number }) => ['tasks', paging] as const,
  phone: () => ['tasks', 'phone'] as const,
};

export const notificationKeys = {
  all: ['notifications'] as const,
};

export const calendarKeys = {
  all: ['calendar'] as const,
  year: (year: number) => ['calendar', year] as const,
  status: () => ['calendar', 'status'] as const,
};

export const auditKeys = {
  list: <S extends object>(state: S) => ['audit', state] as const,
};

export const gridKeys = {
  /** the grid collection itself, and the prefix of every grid key (tree, details) */
  all: ['grids'] as const,
  collection: () => ['grids'] as const,
  tree: () => ['grids', 'tree'] as const,
  details: () => ['grids', 'detail'] as const,
  detail: (id: number) => ['grids', 'detail', id] as const,
  routingRules: () => ['routing-rules'] as const,
};

export const mapKeys = {
  gridsLoad: () => ['grids-load'] as const,
  cases: (...view: unknown[]) => ['map-cases', ...view] as const,
  heat: (...view: unknown[]) => ['map-heat', ...view] as const,
  poi: () => ['poi'] as const,
  enterprises: (...filter: unknown[]) => ['map-enterprises', ...filter] as const,
  stats: <Q extends object>(q: Q) => ['stats', q] as const,
};

export const patrolKeys = {
  all: ['patrols'] as const,
  of: (userId: number) => ['patrols', userId] as const,
};

export const adminKeys = {
  all: ['admin'] as const,
  setup: () => ['admin', 'setup'] as const,
  divisions: () => ['admin', 'divisions'] as const,
  departments: () => ['admin', 'departments'] as const,
  users: <F extends object>(filters: F) => ['admin', 'users', filters] as const,
  scopeTree: () => ['admin', 'scopeTree'] as const,
  userTasks: (id: number) => ['admin', 'userTasks', id] as const,
  workOrders: (departmentId: number) => ['admin', 'workOrders', departmentId] as const,
  gbt2260: (q: string) => ['admin', 'gbt2260', q] as const,
};

export const hazardKeys = {
  all: ['hazards'] as const,
  list: <F extends object>(filters: F) => ['hazards', filters] as const,
  detail: (id: number) => ['hazard', id] as const,
  ledger: <F extends object>(kind: string, filters: F) => ['ledger', kind, filters] as const,
  inspectionTemplates: () => ['inspection-templates'] as const,
  /** with the retired ones (the administrator's screen) */
  inspectionTemplatesAll: () => ['inspection-templates', 'all'] as const,
  /** every ledger's list */
  ledgers: () => ['ledger'] as const,
  notice: (id: number) => ['notice', id] as const,
  plans: () => ['inspection-plans'] as const,
  planBoard: (month: string) => ['inspection-plans', month] as const,
  plan: (id: number) => ['inspection-plan', id] as const,
  planOptions: (id: number) => ['inspection-plan', id, 'options'] as const,
};

export const enterpriseKeys = {
  all: ['enterprises'] as const,
  list: <F extends object>(filters: F) => ['enterprises', filters] as const,
  /** every enterprise, for pickers */
  picker: () => ['enterprises', 'all'] as const,
  detail: (id: number) => ['enterprise', id] as const,
  timeline: (id: number) => ['enterprise-timeline', id] as const,
};

export const assessmentKeys = {
  all: ['assessment'] as const,
  indicators: (unit: string, period: string) => ['assessment', 'indicators', unit, period] as const,
  definitions: () => ['assessment', 'definitions'] as const,
  rankings: (unit: string, period: string) => ['assessment', 'rankings', unit, period] as const,
  ranking: (id: number) => ['assessment', 'ranking', id] as const,
  reports: (period: string) => ['assessment', 'reports', period] as const,
  report: (id: number) => ['assessment', 'report', id] as const,
  points: (month: string) => ['assessment', 'points', month] as const,
};
