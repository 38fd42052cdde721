// Cases and their event history. Every read takes a Scope and filters in SQL: a case outside it is not found.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { normaliseScopePaths, type Scope } from '../../../domain/access.js';
import { prefixEnd } from '../../../domain/area-path.js';
import type { CaseSource, CaseState, MoveName, Role, Urgency, WarningLevel } from '../../../shared/vocabulary.js';
import { UNSATISFIED_MAX } from '../../../shared/vocabulary.js';
import type { InboxRule } from '../../../domain/cases/workflow.js';
import { PREPARED, type DbOrTx } from '../../db.js';
import type { CaseTable, Database } from '../../schema.js';
import { OPEN_STATES } from '../../../domain/cases/workflow.js';
import { CLOCKED_STATES } from '../../../domain/cases/time-limits.js';

export type CaseRow = Selectable<CaseTable>;

/** A Scope as a WHERE condition on `cases`; statistics and map data apply the very same condition. */
export function scopeWhere(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'cases'>) => {
    switch (scope.kind) {
      case 'all':
        return eb.lit(true);
      case 'none':
        return eb.lit(false);
      case 'department':
        // its work orders: main department now, or assigned at any time (co-handler, returned, earlier life)
        return eb.or([eb('cases.department_id', '=', scope.departmentId), assignedTo(eb, scope.departmentId)]);
      case 'reporter':
        return eb('cases.reporter_id', '=', scope.reporterId);
      case 'area':
        return eb.or([
          ...scope.paths.map((p) => eb('cases.area_path', 'like', `${escapeLike(p)}%`)),
          eb('cases.reporter_id', '=', scope.reporterId),
          responsibleUnder(scope.paths),
        ]);
    }
  };
}

/** The case was assigned to the department at some time (co-handler, returned, an earlier life). */
function assignedTo(eb: ExpressionBuilder<Database, 'cases'>, departmentId: number) {
  return eb.exists(
    eb
      .selectFrom('case_assignments as ca')
      .select(eb.lit(1).as('one'))
      .whereRef('ca.case_id', '=', 'cases.id')
      .where('ca.department_id', '=', departmentId),
  );
}

/**
 * B/C-class grids: cases of their industry or key unit, wherever the position lies. The grids are looked up once
 * (an array), so each of the alternatives can use its own index (a BitmapOr).
 */
function responsibleUnder(paths: readonly string[]) {
  return sql<SqlBool>`cases.responsible_grid_id = ANY(ARRAY(SELECT rg.id FROM grids rg WHERE ${underAny('rg.path', paths)}))`;
}

/**
 * A Scope as disjoint conditions whose union is scopeWhere(scope), each a key range of one index, for counting
 * part by part (countCases): an area scope is each of its subtrees (they never nest), then the actor's own reports
 * outside them, then B/C responsibility outside both; a department's, its main work orders and then the ones
 * assigned to it that another department (or none) leads now.
 */
function scopeParts(scope: Scope): CaseWhere[] {
  switch (scope.kind) {
    case 'all':
      return [(eb) => eb.lit(true)];
    case 'none':
      return [];
    case 'reporter':
      return [scopeWhere(scope)];
    case 'department': {
      const d = scope.departmentId;
      return [
        (eb) => eb('cases.department_id', '=', d),
        (eb) => eb.and([eb.or([eb('cases.department_id', 'is', null), eb('cases.department_id', '<>', d)]), assignedTo(eb, d)]),
      ];
    }
    case 'area': {
      const paths = normaliseScopePaths(scope.paths); // already so (caseScope); a repeat would be counted twice
      const outside = outsideAreas(paths);
      return [
        ...paths.map((p): CaseWhere => (eb) => eb('cases.area_path', 'like', `${escapeLike(p)}%`)),
        (eb) => eb.and([eb('cases.reporter_id', '=', scope.reporterId), outside]),
        (eb) => eb.and([responsibleUnder(paths), outside, eb('cases.reporter_id', '<>', scope.reporterId)]),
      ];
    }
  }
}

/**
 * Outside every one of these subtrees: as byte-ordered key ranges, which the (…, area_path COLLATE "C") indexes serve
 * (a path ends with '/', and '0' follows '/'), else as NOT LIKE.
 */
function outsideAreas(paths: readonly string[]): RawBuilder<SqlBool> {
  if (!paths.length) return sql<SqlBool>`true`;
  if (!paths.every((p) => p.endsWith('/'))) return sql<SqlBool>`NOT ${underAny('cases.area_path', paths)}`;
  return sql<SqlBool>`(${sql.join(
    paths.map((p) => sql`((cases.area_path COLLATE "C") < ${p} OR (cases.area_path COLLATE "C") >= ${prefixEnd(p)})`),
    sql` AND `,
  )})`;
}

/**
 * `column` lies under one of the subtree paths (a scope's areas): `column LIKE p1% OR column LIKE p2% …`, false for
 * none. Every query that filters by a scope's areas goes through this (or scopeWhere).
 */
export function underAny(column: string, paths: readonly string[]): RawBuilder<boolean> {
  if (!paths.length) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    paths.map((p) => sql`${sql.ref(column)} LIKE ${`${escapeLike(p)}%`}`),
    sql` OR `,
  )})`;
}

/** SQL: the users whose scope holds this area path (an expression), for notices by area. */
export function userCoversArea(usersAlias: string, areaPath: RawBuilder<unknown> | string): RawBuilder<boolean> {
  const area = typeof areaPath === 'string' ? sql`${areaPath}::text` : areaPath;
  return sql<boolean>`EXISTS (SELECT 1 FROM unnest(${sql.ref(`${usersAlias}.scope_paths`)}) AS sp(p) WHERE starts_with(${area}, sp.p))`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function nextCaseId(db: DbOrTx): Promise<number> {
  const r = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('cases', 'id'))::int AS id`.execute(db);
  return r.rows[0]!.id;
}

export async function insertCase(db: DbOrTx, c: Insertable<CaseTable>): Promise<CaseRow> {
  return db.insertInto('cases').values(c).returningAll().executeTakeFirstOrThrow();
}

export async function findCaseInScope(db: DbOrTx, id: number, scope: Scope, forUpdate = false): Promise<CaseRow | undefined> {
  const q = db.selectFrom('cases').selectAll().where('id', '=', id).where(scopeWhere(scope));
  // A move locks its case: concurrent moves queue, and the loser sees the new version.
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function findCaseByClientKey(db: DbOrTx, reporterId: number, clientKey: string) {
  return db.selectFrom('cases').select(['id']).where('reporter_id', '=', reporterId).where('client_key', '=', clientKey).executeTakeFirst();
}

export async function findCaseById(db: DbOrTx, id: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active assignments of a life of the case. */
export async function listAssignments(db: DbOrTx, caseId: number, life: number) {
  return db.selectFrom('case_assignments').selectAll().where('case_id', '=', caseId).where('life', '=', life).where('ended_at', 'is', null).execute();
}

/** Dispatch: the life's active assignments end, the new main and co-handlers start (history is kept). */
export async function replaceAssignments(
  db: DbOrTx,
  caseId: number,
  life: number,
  mainId: number,
  coIds: readonly number[],
  at: Date,
): Promise<void> {
  await endAssignments(db, caseId, life, at);
  await db
    .insertInto('case_assignments')
    .values([
      { case_id: caseId, life, department_id: mainId, role: 'main', assigned_at: at },
      ...coIds.map((d) => ({ case_id: caseId, life, department_id: d, role: 'co' as const, assigned_at: at })),
    ])
    .onConflict((oc) =>
      oc.columns(['case_id', 'life', 'department_id']).doUpdateSet((eb) => ({
        role: eb.ref('excluded.role'),
        assigned_at: eb.ref('excluded.assigned_at'),
        ended_at: null,
        reported_at: null,
        report_note: null,
      })),
    )
    .execute();
}

export async function endAssignments(db: DbOrTx, caseId: number, life: number, at: Date): Promise<void> {
  await db.updateTable('case_assignments').set({ ended_at: at }).where('case_id', '=', caseId).where('life', '=', life).where('ended_at', 'is', null).execute();
}

export async function recordCoReport(db: DbOrTx, caseId: number, life: number, departmentId: number, note: string, at: Date) {
  await db
    .updateTable('case_assignments')
    .set({ reported_at: at, report_note: note })
    .where('case_id', '=', caseId)
    .where('life', '=', life)
    .where('department_id', '=', departmentId)
    .execute();
}

export async function listMergedInto(db: DbOrTx, masterId: number) {
  return db.selectFrom('cases').selectAll().where('master_id', '=', masterId).where('state', '=', 'merged').forUpdate().execute();
}

/** Optimistic update: succeeds only if nobody moved the case since `version` was read. */
export type CaseUpdate = Updateable<CaseTable> & { state: CaseState; updated_at: Date };

export async function updateCaseIfVersion(db: DbOrTx, id: number, version: number, set: CaseUpdate): Promise<CaseRow | undefined> {
  return db
    .updateTable('cases')
    .set({ ...set, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export async function insertCaseEvent(
  db: DbOrTx,
  e: {
    caseId: number;
    move: MoveName;
    fromState: CaseState | null;
    toState: CaseState;
    actorId: number;
    actorRole: Role;
    note: string | null;
    departmentId: number | null;
    deadline: Date | null;
    photos: readonly string[];
    at: Date;
    life: number;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      move: e.move,
      from_state: e.fromState,
      to_state: e.toState,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      note: e.note,
      department_id: e.departmentId,
      deadline: e.deadline,
      photos: JSON.stringify(e.photos),
      at: e.at,
      life: e.life,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
}

export async function listCaseEvents(db: DbOrTx, caseId: number) {
  return db
    .selectFrom('case_events')
    .innerJoin('users', 'users.id', 'case_events.actor_id')
    .leftJoin('departments', 'departments.id', 'case_events.department_id')
    .selectAll('case_events')
    .select(['users.display_name as actor_name', 'departments.name as department_name'])
    .where('case_events.case_id', '=', caseId)
    .orderBy('case_events.id')
    .execute();
}

export interface CaseFilter {
  states?: readonly CaseState[] | undefined;
  warningLevel?: WarningLevel | undefined;
  urgency?: Urgency | undefined;
  departmentId?: number | undefined;
  /** a role's inbox (see domain/workflow inboxOf) */
  inbox?: (InboxRule & { actorId: number }) | undefined;
  /** the instant warning colours are judged at */
  now?: Date | undefined;
  categoryId?: number | undefined;
  gridId?: number | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  q?: string | undefined;
  source?: CaseSource | undefined;
  /** which instant from/to select on (default: reported_at); see CaseListQuery */
  event?: 'reported' | 'accepted' | 'dispatched' | 'handled' | 'closed' | 'rated' | undefined;
  divisionId?: number | undefined;
  open?: boolean | undefined;
  onTime?: boolean | undefined;
  reworked?: boolean | undefined;
  satisfied?: boolean | undefined;
  unrouted?: boolean | undefined;
  noDepartment?: boolean | undefined;
}


/** A condition on `cases` alone (what lies in other tables is asked in a subquery). */
export type CaseWhere = (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>;

/**
 * A filter as conditions on `cases` alone, so the list (which joins the names it shows) and its count (which joins
 * nothing) apply the very same ones. `now` must be set (listCases fixes it once for both).
 */
export function filterConditions(f: CaseFilter & { now: Date }): CaseWhere[] {
  const w: CaseWhere[] = [];
  if (f.states?.length) w.push((eb) => eb('cases.state', 'in', f.states!));
  // the category or one of its subcategories (every case has its category: the foreign key is not null)
  if (f.categoryId) {
    const id = f.categoryId;
    w.push((eb) =>
      eb('cases.category_id', 'in', eb.selectFrom('categories as fc').select('fc.id').where((c) => c.or([c('fc.id', '=', id), c('fc.parent_id', '=', id)]))),
    );
  }
  if (f.gridId) w.push((eb) => eb('cases.grid_id', '=', f.gridId!));
  const event = f.event ?? 'reported';
  if (event === 'reported') {
    if (f.from) w.push((eb) => eb('cases.reported_at', '>=', f.from!));
    if (f.to) w.push((eb) => eb('cases.reported_at', '<', f.to!));
  } else if (event === 'closed' || event === 'rated') {
    // the statistics' definitions (0006_command_centre.ts stats_atoms): a duplicate closed with its master is not 结案
    const at = event === 'closed' ? 'cases.closed_at' : 'cases.rated_at';
    if (event === 'closed') w.push((eb) => eb.and([eb('cases.state', '=', 'closed'), eb('cases.master_id', 'is', null)]));
    else w.push((eb) => eb('cases.rating', 'is not', null));
    w.push((eb) => eb(at, 'is not', null));
    if (f.from) w.push((eb) => eb(at, '>=', f.from!));
    if (f.to) w.push((eb) => eb(at, '<', f.to!));
  } else {
    const at = event === 'accepted' ? 'accepted_at' : event === 'dispatched' ? 'dispatched_at' : 'handled_at';
    w.push((eb) => {
      let facts = eb.selectFrom('case_facts').select('case_facts.case_id').where(at, 'is not', null);
      if (f.from) facts = facts.where(at, '>=', f.from);
      if (f.to) facts = facts.where(at, '<', f.to);
      return eb('cases.id', 'in', facts);
    });
  }
  if (f.onTime != null) {
    w.push((eb) => eb('cases.id', 'in', eb.selectFrom('case_facts').select('case_facts.case_id').where('handled_on_time', '=', f.onTime!)));
  }
  if (f.divisionId) {
    w.push((eb) =>
      eb.exists(
        eb
          .selectFrom('divisions as sd')
          .select(eb.lit(1).as('one'))
          .where('sd.id', '=', f.divisionId!)
          .where(sql<boolean>`starts_with(cases.area_path, sd.path)`),
      ),
    );
  }
  if (f.open != null) w.push((eb) => (f.open ? eb('cases.state', 'in', OPEN_STATES) : eb('cases.state', 'not in', OPEN_STATES)));
  if (f.reworked != null) w.push((eb) => eb('cases.rework_count', f.reworked ? '>' : '=', 0));
  if (f.satisfied != null) w.push((eb) => eb('cases.rating', f.satisfied ? '>=' : '<', 4));
  if (f.unrouted != null) w.push((eb) => eb('cases.grid_id', f.unrouted ? 'is' : 'is not', null));
  if (f.noDepartment != null) w.push((eb) => eb('cases.department_id', f.noDepartment ? 'is' : 'is not', null));
  if (f.source) w.push((eb) => eb('cases.source', '=', f.source!));
  if (f.urgency) w.push((eb) => eb('cases.urgency', '=', f.urgency!));
  if (f.departmentId) w.push((eb) => eb('cases.department_id', '=', f.departmentId!));
  const now = f.now;
  if (f.warningLevel) {
    const clocked = (eb: ExpressionBuilder<Database, 'cases'>) => eb('cases.state', 'in', CLOCKED_STATES);
    if (f.warningLevel === 'red') w.push((eb) => eb.and([clocked(eb), eb('cases.due_at', '<=', now)]));
    else if (f.warningLevel === 'yellow') w.push((eb) => eb.and([clocked(eb), eb('cases.warn_at', '<=', now), eb('cases.due_at', '>', now)]));
    else w.push((eb) => eb.or([eb.not(clocked(eb)), eb('cases.warn_at', 'is', null), eb('cases.warn_at', '>', now)]));
  }
  if (f.inbox) {
    const box = f.inbox;
    // Redundant when every state of the inbox is open, but it lets the planner use the queue's partial index
    // (0011_speed.ts, 0021_queue_unsatisfied.ts): it does not infer it through the OR below. With 回头看 the OR
    // itself implies that index's predicate (open, or closed and rated unsatisfied), and the operator's inbox
    // index (0028_list_counts.ts) has this very OR as its predicate.
    if (!box.unsatisfied && box.states.every((st) => (OPEN_STATES as readonly string[]).includes(st))) w.push((eb) => eb('cases.state', 'in', OPEN_STATES));
    w.push((eb) => {
      const parts = [];
      if (box.states.length) {
        const inStates = eb('cases.state', 'in', box.states);
        parts.push(box.overdueOnly ? eb.and([inStates, eb('cases.due_at', '<=', now)]) : inStates);
      }
      if (box.pendingRequests) {
        parts.push(eb.and([eb('cases.state', '=', 'in_progress'), eb.or([eb('cases.pending_extension', 'is not', null), eb('cases.pending_suspend', 'is not', null)])]));
      }
      // 回头看: rated 不满意 (reopening clears the rating, so a reopened case leaves this part)
      if (box.unsatisfied) parts.push(eb.and([eb('cases.state', '=', 'closed'), eb('cases.rating', '<=', UNSATISFIED_MAX)]));
      const any = parts.length ? eb.or(parts) : eb.lit(false);
      return box.unratedOwn ? eb.and([any, eb('cases.reporter_id', '=', box.actorId), eb('cases.rating', 'is', null)]) : any;
    });
  }
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    w.push((eb) => eb.or([eb('cases.number', 'like', like), eb('cases.description', 'like', like), eb('cases.address', 'like', like)]));
  }
  return w;
}

function summaryQuery(db: DbOrTx, scope: Scope, f: CaseFilter & { now: Date }) {
  let q = db
    .selectFrom('cases')
    .innerJoin('categories', 'categories.id', 'cases.category_id')
    .leftJoin('grids', 'grids.id', 'cases.grid_id')
    .leftJoin('divisions', 'divisions.id', 'grids.division_id')
    .leftJoin('departments', 'departments.id', 'cases.department_id')
    .where(scopeWhere(scope));
  for (const c of filterConditions(f)) q = q.where(c);
  return q;
}

/**
 * How many cases the list holds, up to `cap` + 1 (null: all of them). The scope's disjoint parts are counted one
 * after another (UNION ALL) rather than through the OR of scopeWhere: each part is a key range of an index that
 * also holds the filter's columns (area path, state; the operator's inbox), so the count reads the index alone
 * and stops at the cap, instead of fetching every row of the scope from the table behind a bitmap.
 */
async function countCases(db: DbOrTx, scope: Scope, f: CaseFilter & { now: Date }, cap: number | null): Promise<number> {
  const parts = scopeParts(scope);
  if (!parts.length) return 0;
  const conditions = filterConditions(f);
  const part = (where: CaseWhere) => conditions.reduce((q, c) => q.where(c), db.selectFrom('cases').select(sql<number>`1`.as('one')).where(where));
  let rows = part(parts[0]!);
  for (const p of parts.slice(1)) rows = rows.unionAll(part(p));
  if (cap != null) rows = rows.limit(cap + 1);
  const r = await db.selectFrom(rows.as('counted')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return r.n;
}

/** Counts above this are shown as "10,000+": counting a million cases on every page is what made lists slow. */
export const COUNT_CAP = 10_000;

/** One key of a list's order: the SQL expression, its direction, and how to read its value off a row for a cursor. */
interface OrderKey {
  expr: RawBuilder<unknown>;
  dir: 'asc' | 'desc';
  cast: 'timestamptz' | 'int';
  of: (row: CaseRow) => string | number;
}

const URGENCY_RANK = { critical: 0, urgent: 1, normal: 2 } as const;

/** The case list's order: newest report first. */
const REPORTED_DESC: OrderKey[] = [
  { expr: sql`cases.reported_at`, dir: 'desc', cast: 'timestamptz', of: (r) => r.reported_at.toISOString() },
  { expr: sql`cases.id`, dir: 'desc', cast: 'int', of: (r) => r.id },
];

/**
 * An inbox: supervised (督办) first, then by the running time limit, so overdue work leads and then the nearest time
 * limit; among cases without a running clock, new reports (已上报) and then 回头看 before older work; then urgent first,
 * the oldest first; the id breaks ties. The index cases_queue_idx (migrations 0011_speed, 0021) has the same expressions.
 */
const URGENCY_ORDER: OrderKey[] = [
  { expr: sql`cases.escalation_level`, dir: 'desc', cast: 'int', of: (r) => r.escalation_level },
  { expr: sql`coalesce(cases.due_at, 'infinity')`, dir: 'asc', cast: 'timestamptz', of: (r) => r.due_at?.toISOString() ?? 'infinity' },
  { expr: sql`CASE cases.state WHEN 'reported' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END`, dir: 'asc', cast: 'int', of: (r) => STATE_RANK(r.state) },
  { expr: sql`CASE cases.urgency WHEN 'critical' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END`, dir: 'asc', cast: 'int', of: (r) => URGENCY_RANK[r.urgency] },
  { expr: sql`cases.reported_at`, dir: 'asc', cast: 'timestamptz', of: (r) => r.reported_at.toISOString() },
  { expr: sql`cases.id`, dir: 'asc', cast: 'int', of: (r) => r.id },
];

function STATE_RANK(state: CaseRow['state']): number {
  return state === 'reported' ? 0 : state === 'closed' ? 1 : 2;
}

/** A cursor names the last row of a page by its order keys: the next page starts after it (keyset pagination). */
export function cursorOf(keys: readonly OrderKey[], row: CaseRow): string {
  return Buffer.from(JSON.stringify(keys.map((k) => k.of(row)))).toString('base64url');
}

/** Whether a cursor could have come from this order's pages (the service refuses others with a message). */
export function cursorFits(order: ListPage['order'], cursor: string): boolean {
  return cursorValues(order === 'urgency' ? URGENCY_ORDER : REPORTED_DESC, cursor) != null;
}

function cursorValues(keys: readonly OrderKey[], cursor: string): (string | number)[] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (!Array.isArray(v) || v.length !== keys.length) return null;
    const ok = v.every((x, i) => (keys[i]!.cast === 'int' ? Number.isInteger(x) : typeof x === 'string' && (x === 'infinity' || !Number.isNaN(Date.parse(x)))));
    return ok ? (v as (string | number)[]) : null;
  } catch {
    return null;
  }
}

/** Rows after the cursor in this order: a row comparison when all keys run one way (one index range), else ORs. */
function afterCursor(keys: readonly OrderKey[], values: readonly (string | number)[]) {
  const val = (i: number) => (keys[i]!.cast === 'int' ? sql`${values[i]}::int` : sql`${values[i]}::timestamptz`);
  if (keys.every((k) => k.dir === keys[0]!.dir)) {
    const op = sql.raw(keys[0]!.dir === 'desc' ? '<' : '>');
    return sql<boolean>`(${sql.join(keys.map((k) => k.expr))}) ${op} (${sql.join(keys.map((_, i) => val(i)))})`;
  }
  const alternatives = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((e, j) => sql`${e.expr} = ${val(j)}`);
    const beyond = sql`${k.expr} ${sql.raw(k.dir === 'desc' ? '<' : '>')} ${val(i)}`;
    return sql`(${sql.join([...equal, beyond], sql` AND `)})`;
  });
  return sql<boolean>`(${sql.join(alternatives, sql` OR `)})`;
}

export interface ListPage {
  limit: number;
  /** rows to skip (page numbers); ignored when `after` is given */
  offset: number;
  /** a cursor from the previous page's nextCursor: the page starts after its last row, without skipping rows */
  after?: string | undefined;
  order?: 'reported_desc' | 'urgency';
  /** count every row in the filter instead of stopping at the cap */
  exactCount?: boolean | undefined;
  /** where the count stops (default COUNT_CAP) */
  countCap?: number | undefined;
}

export async function listCases(db: DbOrTx, scope: Scope, f: CaseFilter, page: ListPage) {
  const filter = { ...f, now: f.now ?? new Date() }; // one instant for the page and its count
  const keys = page.order === 'urgency' ? URGENCY_ORDER : REPORTED_DESC;
  const after = page.after ? cursorValues(keys, page.after) : null;
  let itemsQ = summaryQuery(db, scope, filter)
    .selectAll('cases')
    .select([
      'categories.name as category_name',
      'grids.name as grid_name',
      'divisions.name as community_name',
      'departments.name as department_name',
    ]);
  for (const k of keys) itemsQ = itemsQ.orderBy(sql`${k.expr} ${sql.raw(k.dir)}`);
  itemsQ = after ? itemsQ.where(afterCursor(keys, after)) : itemsQ.offset(page.offset);
  // The count stops at COUNT_CAP + 1 rows unless asked for exactly: a page never scans the whole scope. It runs
  // beside the page (another connection of the pool).
  const cap = page.countCap ?? COUNT_CAP;
  const [rows, n] = await Promise.all([itemsQ.limit(page.limit + 1).execute(), countCases(db, scope, filter, page.exactCount ? null : cap)]);
  const items = rows.slice(0, page.limit);
  const capped = !page.exactCount && n > cap;
  return {
    items,
    total: capped ? cap : n,
    /** true when there are more than `total` rows (shown as "10,000+") */
    totalCapped: capped,
    nextCursor: rows.length > page.limit ? cursorOf(keys, items[items.length - 1]!) : null,
  };
}

export type CaseListRow = Awaited<ReturnType<typeof listCases>>['items'][number];

export async function findCaseSummary(db: DbOrTx, id: number, scope: Scope) {
  return summaryQuery(db, scope, { now: new Date() })
    .selectAll('cases')
    .select([
      'categories.name as category_name',
      'grids.name as grid_name',
      'divisions.name as community_name',
      'departments.name as department_name',
    ])
    .where('cases.id', '=', id)
    .executeTakeFirst();
}

export async function countCasesByState(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}


export interface IntakeWrite {
  /** the case's columns except id and number, which the statement draws from the sequence */
  case: Omit<Insertable<CaseTable>, 'id' | 'number'>;
  /** the case number is `${numberPrefix}` + the id, six digits at least */
  numberPrefix: string;
  event: { move: MoveName; actorRole: Role; note: string | null };
  audit: { action: string; summaryBefore: string; summaryAfter: string; data: Record<string, unknown>; ip: string | null };
  notice: { kind: string; role: Role; titleBefore: string; titleAfter: string };
}

export type IntakeRow = CaseRow & {
  grid_name: string | null;
  community_name: string | null;
  event_id: number;
  told: number[];
};

/**
 * A report as ONE statement: the case, its first event, its audit row, the notices to the area's operators (or
 * grid workers) and their outbox rows, all from one snapshot and atomic as any single statement is. Answers with
 * the row as written plus the names the answer shows, so nobody re-reads the case. With a client key already used
 * by this reporter nothing is written and no row comes back (the caller answers with the earlier case).
 */
export async function insertReport(db: DbOrTx, w: IntakeWrite): Promise<IntakeRow | undefined> {
  const cols = Object.keys(w.case) as (keyof IntakeWrite['case'])[];
  const r = await sql<IntakeRow>`${sql.raw(PREPARED)}
WITH n AS (SELECT nextval(pg_get_serial_sequence('cases', 'id'))::int AS id),
c AS (
  INSERT INTO cases (id, number, ${sql.join(cols.map((k) => sql.ref(k)))})
  VALUES ((SELECT id FROM n),
          ${w.numberPrefix}::text || (SELECT lpad(id::text, greatest(6, length(id::text)), '0') FROM n),
          ${sql.join(cols.map((k) => sql`${w.case[k] as unknown}`))})
  ON CONFLICT (reporter_id, client_key) WHERE client_key IS NOT NULL DO NOTHING
  RETURNING *
),
e AS (
  INSERT INTO case_events (case_id, move, from_state, to_state, actor_id, actor_role, note, department_id, deadline, photos, at, life, data)
  SELECT c.id, ${w.event.move}::text, NULL, c.state, c.reporter_id, ${w.event.actorRole}::text, ${w.event.note}::text, NULL, NULL,
         c.photos, c.reported_at, 1, '{}'::jsonb
  FROM c
  RETURNING id
),
a AS (
  INSERT INTO audit_log (actor_id, action, target_type, target_id, summary, data, ip, at)
  SELECT c.reporter_id, ${w.audit.action}::text, 'case', c.id::text,
         ${w.audit.summaryBefore}::text || c.number || ${w.audit.summaryAfter}::text,
         ${JSON.stringify(w.audit.data)}::jsonb, ${w.audit.ip}::text, c.reported_at
  FROM c
),
sent AS (
  INSERT INTO notifications (user_id, kind, case_id, title, body, dedupe_key, created_at)
  SELECT u.id, ${w.notice.kind}::text, c.id, ${w.notice.titleBefore}::text || c.number || ${w.notice.titleAfter}::text, '', NULL, c.reported_at
  FROM c JOIN users u ON u.role = ${w.notice.role}::text AND ${userCoversArea('u', sql`c.area_path`)}
  WHERE u.disabled_at IS NULL AND u.id <> c.reporter_id
  RETURNING id, user_id, title
),
o AS (
  INSERT INTO outbox (notification_id, channel, payload)
  SELECT sent.id, 'external', json_build_object('userId', sent.user_id, 'kind', ${w.notice.kind}::text, 'caseId', c.id, 'title', sent.title)
  FROM sent CROSS JOIN c
)
SELECT c.*, g.name AS grid_name, d.name AS community_name, e.id AS event_id,
       (SELECT coalesce(array_agg(user_id), '{}') FROM sent) AS told
FROM c CROSS JOIN e
LEFT JOIN grids g ON g.id = c.grid_id
LEFT JOIN divisions d ON d.id = g.division_id`.execute(db);
  return r.rows[0];
}

/** An active A-class grid a case may be routed to by hand, or undefined. */
export async function findRoutableGrid(db: DbOrTx, id: number) {
  return db
    .selectFrom('grids')
    .select(['id', 'path', 'version', 'name'])
    .where('id', '=', id)
    .where('grid_class', '=', 'A')
    .where('retired_at', 'is', null)
    .executeTakeFirst();
}

/** Active B-class grids of an industry (for the responsible grid of a report). */
export async function listIndustryGrids(db: DbOrTx, industry: string) {
  return db.selectFrom('grids').select(['id', 'path']).where('grid_class', '=', 'B').where('industry', '=', industry).where('retired_at', 'is', null).execute();
}

/** The duplicates merged into a case that the reader's scope reaches. */
export async function listDuplicatesInScope(db: DbOrTx, masterId: number, scope: Scope) {
  return db.selectFrom('cases').select(['id', 'number', 'state']).where('master_id', '=', masterId).where(scopeWhere(scope)).orderBy('id').execute();
}

/** The number of a case (a merged case names its master). */
export async function findCaseNumber(db: DbOrTx, id: number) {
  return db.selectFrom('cases').select('number').where('id', '=', id).executeTakeFirst();
}

/** Open cases whose clock passed a threshold not yet notified, locked for this sweeper (others skip them). */
export async function lockCasesPastThresholds(db: DbOrTx, now: Date, limit: number) {
  return db
    .selectFrom('cases')
    .selectAll()
    .where('state', 'in', CLOCKED_STATES)
    .where('clock_kind', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('notified_level', '<', 1), eb('warn_at', '<=', now)]),
        eb.and([eb('notified_level', '<', 2), eb('due_at', '<=', now)]),
        eb.and([eb('notified_level', '<', 3), eb('escalate_at', '<=', now)]),
      ]),
    )
    .orderBy('warn_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Records the threshold level a case was notified at. */
export async function setNotifiedLevel(db: DbOrTx, id: number, level: number): Promise<void> {
  await db.updateTable('cases').set({ notified_level: level }).where('id', '=', id).execute();
}
