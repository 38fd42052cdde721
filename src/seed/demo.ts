// Seeds the demo street on first start: divisions, a 6×6 tiling of A-class grids, departments, the category
// tree, one user per role (and a handler per department, a grid worker per grid), and several hundred cases
// over the past 90 days in every state. Cases go through the same use cases (and so the same workflow table,
// transactions and audit) as the API, with the clock set back.
import type { Polygon } from 'geojson';
import type { Db } from '../data/db.js';
import { insertCategory, insertDepartment, insertDivision, insertGrid } from '../data/repos/reference.js';
import { bboxOf, labelPointOf, gridAt } from '../domain/grids/geometry.js';
import type { Actor } from '../domain/access.js';
import { createUser, hashPassword } from '../services/auth.js';
import { syncGridPeople } from '../services/admin-users.js';
import { setDepartmentContacts } from '../services/admin-departments.js';
import { reportCase } from '../services/cases/cases.js';
import { seedDemoPois } from './demo-pois.js';
import { createKeyUnit } from '../services/grids/key-units.js';
import { moveCase, type MoveRequest } from '../services/cases/moves.js';
import { DEFAULT_CLOSE_CRITERIA, defaultAcceptCriteria, limitsFor } from './standard-categories.js';
import type { MoveName } from '../shared/vocabulary.js';
import { insertAudit } from '../data/repos/audit.js';
import { KEY_UNITS, CATEGORIES, CENTRE, COMMUNITIES, DEMO_PASSWORD, DEPARTMENTS, DISTRICT, STREET, STREET_ADDRESSES } from './demo-street.js';

import { seedDemoHazards } from './demo-hazards.js';

export interface SeedOptions {
  now: Date;
  /** number of cases; default 250 */
  cases?: number;
  /** PRNG seed, for a reproducible street */
  seed?: number;
  /** told after each case, for the progress line a first start prints */
  onProgress?: (done: number, total: number) => void;
}

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLS = 6;
const ROWS = 6;
const CELL_LNG = 0.0085; // ≈ 770 m at 35.4°N
const CELL_LAT = 0.0065; // ≈ 720 m

/** A lattice of shared vertices, jittered inside so the grids look drawn, yet tile the street exactly. */
function lattice(rand: () => number): [number, number][][] {
  const west = CENTRE[0] - (COLS / 2) * CELL_LNG;
  const south = CENTRE[1] - (ROWS / 2) * CELL_LAT;
  const pts: [number, number][][] = [];
  for (let i = 0; i <= COLS; i++) {
    pts.push([]);
    for (let j = 0; j <= ROWS; j++) {
      const inner = i > 0 && i < COLS && j > 0 && j < ROWS;
      const jx = inner ? (rand() - 0.5) * CELL_LNG * 0.3 : 0;
      const jy = inner ? (rand() - 0.5) * CELL_LAT * 0.3 : 0;
      pts[i]!.push([round(west + i * CELL_LNG + jx), round(south + j * CELL_LAT + jy)]);
    }
  }
  return pts;
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;

export async function seedDemo(db: Db, opts: SeedOptions): Promise<{ cases: number }> {
  const rand = prng(opts.seed ?? 20260101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  // --- space, organisation and categories, in one transaction with one audit record
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // the key units' C grids are drawn with the street; the units join the enterprise registry once an administrator exists
  const keyUnitGrids: { unit: (typeof KEY_UNITS)[number]; gridId: number; lng: number; lat: number }[] = [];
  const setup = await db.transaction().execute(async (trx) => {
    const district = await insertDivision(trx, { code: DISTRICT.code, name: DISTRICT.name, level: 'district', parent_id: null }, null);
    const street = await insertDivision(trx, { code: STREET.code, name: STREET.name, level: 'street', parent_id: district.id }, district.path);
    const pts = lattice(rand);
    const grids: { id: number; path: string; code: string; name: string; geometry: Polygon; community: number }[] = [];
    for (let c = 0; c < COMMUNITIES.length; c++) {
      const com = COMMUNITIES[c]!;
      const div = await insertDivision(trx, { code: com.code, name: com.name, level: 'community', parent_id: street.id }, street.path);
      const bx = (c % 3) * 2;
      const by = Math.floor(c / 3) * 3;
      // The community's boundary walks the lattice around its 2×3 block, so its grids tile it exactly.
      const outline: [number, number][] = [];
      for (let i = bx; i <= bx + 2; i++) outline.push(pts[i]![by]!);
      for (let j = by + 1; j <= by + 3; j++) outline.push(pts[bx + 2]![j]!);
      for (let i = bx + 1; i >= bx; i--) outline.push(pts[i]![by + 3]!);
      for (let j = by + 2; j >= by; j--) outline.push(pts[bx]![j]!);
      await trx.updateTable('divisions').set({ geometry: JSON.stringify({ type: 'Polygon', coordinates: [outline] }) }).where('id', '=', div.id).execute();
      let n = 0;
      for (let dy = 0; dy < 3; dy++)
        for (let dx = 0; dx < 2; dx++) {
          n++;
          const i = bx + dx, j = by + dy;
          const ring = [pts[i]![j]!, pts[i + 1]![j]!, pts[i + 1]![j + 1]!, pts[i]![j + 1]!, pts[i]![j]!];
          const geometry: Polygon = { type: 'Polygon', coordinates: [ring] };
          const [minLng, minLat, maxLng, maxLat] = bboxOf(geometry);
          const [labelLng, labelLat] = labelPointOf(geometry);
          const code = `${com.code}${String(n).padStart(2, '0')}`;
          const name = `${com.name}第${n}网格`;
          const g = await insertGrid(
            trx,
            {
              code, name, division_id: div.id, parent_id: null, grid_class: 'A',
              geometry: JSON.stringify(geometry),
              min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat, label_lng: labelLng, label_lat: labelLat,
            },
            div.path,
          );
          grids.push({ id: g.id, path: g.path, code, name, geometry, community: c });
        }
    }
    const streetRing = [pts[0]![0]!, pts[COLS]![0]!, pts[COLS]![ROWS]!, pts[0]![ROWS]!, pts[0]![0]!];
    const streetGeometry: Polygon = { type: 'Polygon', coordinates: [streetRing] };
    await trx.updateTable('divisions').set({ geometry: JSON.stringify(streetGeometry) }).where('id', '=', street.id).execute();
    // B-class grids by industry overlay the whole street; C-class grids are the premises of key units.
    const overlay = async (code: string, name: string, gridClass: 'B' | 'C', geometry: Polygon, industry: string | null) => {
      const [minLng, minLat, maxLng, maxLat] = bboxOf(geometry);
      const [labelLng, labelLat] = labelPointOf(geometry);
      return insertGrid(
        trx,
        { code, name, division_id: street.id, parent_id: null, grid_class: gridClass, industry, geometry: JSON.stringify(geometry), min_lng: minLng, min_lat: minLat, max_lng: maxLng, max_lat: maxLat, label_lng: labelLng, label_lat: labelLat },
        street.path,
      );
    };
    await overlay(`${STREET.code}901`, '环保专业网格', 'B', streetGeometry, 'environment');
    await overlay(`${STREET.code}902`, '安全生产专业网格', 'B', streetGeometry, 'work_safety');
    for (let k = 0; k < KEY_UNITS.length; k++) {
      const u = KEY_UNITS[k]!;
      const [lng, lat] = [round(CENTRE[0] + u.dx * CELL_LNG), round(CENTRE[1] + u.dy * CELL_LAT)];
      const d = 0.0012;
      const premises: Polygon = { type: 'Polygon', coordinates: [[[lng - d, lat - d], [lng + d, lat - d], [lng + d, lat + d], [lng - d, lat + d], [lng - d, lat - d]].map(([x, y]) => [round(x!), round(y!)])] };
      const g = await overlay(`${STREET.code}95${k + 1}`, `${u.name}网格`, 'C', premises, u.industry);
      keyUnitGrids.push({ unit: u, gridId: g.id, lng, lat });
    }
    const departments = new Map<string, number>();
    for (const d of DEPARTMENTS) departments.set(d.code, (await insertDepartment(trx, { code: d.code, name: d.name })).id);
    const categories: { id: number; days: number; samples: string[]; departmentId: number }[] = [];
    for (const top of CATEGORIES) {
      const parent = await insertCategory(trx, { code: top.code, name: top.name, kind: top.kind, parent_id: null });
      for (const ch of top.children) {
        const row = await insertCategory(trx, {
          code: ch.code, name: ch.name, kind: top.kind, parent_id: parent.id,
          default_department_id: departments.get(ch.dept)!,
          accept_criteria: ch.accept ?? defaultAcceptCriteria(top.name),
          close_criteria: ch.close ?? DEFAULT_CLOSE_CRITERIA,
          limits: JSON.stringify(limitsFor(ch.days)),
          industry: ch.industry ?? null,
        });
        categories.push({ id: row.id, days: ch.days, samples: ch.samples, departmentId: departments.get(ch.dept)! });
      }
    }
    await insertAudit(trx, {
      actorId: null, action: 'seed.demo', targetType: 'division', targetId: street.id,
      summary: `初始化演示街道 ${STREET.name}：${COMMUNITIES.length} 个社区/村，${grids.length} 个网格`, ip: null,
    });
    return { street, grids, departments, categories };
  });


  // --- users: one per role, plus a handler per department and a grid worker per grid
  const users: Record<string, Actor> = {};
  const add = async (username: string, displayName: string, role: Actor['role'], scopePath: string | null, departmentId: number | null) => {
    const row = await createUser(db, { username, displayName, password: DEMO_PASSWORD, role, scopePath, departmentId }, null, null, passwordHash);
    users[username] = { id: row.id, role, scopePaths: scopePath ? [scopePath] : [], departmentId };
    return users[username]!;
  };
  const admin = await add('admin', '系统管理员', 'admin', null, null);
  // key units and then the points of interest, into the one enterprise registry through the services (a point naming
  // a key unit is that unit, not a second enterprise)
  for (const k of keyUnitGrids) {
    await createKeyUnit({ db, actor: admin, ip: null, now: opts.now }, {
      name: k.unit.name, industry: k.unit.industry, address: k.unit.address, lng: k.lng, lat: k.lat, crs: 'WGS84', gridId: k.gridId,
      contact: k.unit.contact, phone: k.unit.phone, riskLevel: k.unit.risk,
    });
  }
  await seedDemoPois(db, opts.now);
  const operator = await add('operator', '指挥中心 孙丽', 'operator', setup.street.path, null);
  const leader = await add('leader', '分管领导 杨主任', 'leader', setup.street.path, null);
  await add('citizen', '市民 周先生', 'citizen', null, null);
  const handlers = new Map<number, Actor>();
  for (const d of DEPARTMENTS) {
    const id = setup.departments.get(d.code)!;
    handlers.set(id, await add(d.handler.username, d.handler.displayName, 'department', null, id));
  }
  const workers = new Map<number, Actor>();
  const SURNAMES = ['杨', '王', '李', '张', '刘', '陈', '赵', '孙', '周', '吴', '郑', '冯'];
  const GIVEN = ['德龙', '秀英', '建华', '海燕', '志强', '丽娟', '国栋', '春梅', '明', '静', '伟', '芳'];
  for (let k = 0; k < setup.grids.length; k++) {
    const g = setup.grids[k]!;
    // The documented demo logins: gridworker covers the first grid, gridworker2 a grid in another community.
    const username = k === 0 ? 'gridworker' : k === 8 ? 'gridworker2' : `gw${g.code.slice(-4)}`;
    const name = `网格员 ${SURNAMES[k % SURNAMES.length]}${GIVEN[(k * 5) % GIVEN.length]}`;
    workers.set(g.id, await add(username, name, 'grid_worker', g.path, null));
  }
  // Grid people follow the accounts (用户管理): each demo grid worker is the 网格员 record of its grid, made by the
  // same use case an administrator's change runs, so the grid page shows the account beside the person.
  await db.transaction().execute(async (trx) => {
    for (const w of workers.values()) await syncGridPeople(trx, w.id, opts.now);
  });
  // Who to call in each department, entered as an administrator would (one audited change per department).
  const adminCtx = { db, actor: users.admin!, ip: null, now: opts.now };
  for (const [k, d] of DEPARTMENTS.entries()) {
    await setDepartmentContacts(adminCtx, setup.departments.get(d.code)!, [
      { name: d.handler.displayName.split(' ').at(-1)!, title: '联络员', phone: `1390537${String(1000 + k * 111).padStart(4, '0')}` },
      { name: `${d.name}值班室`, title: '值班电话', phone: `0537-23${String(45000 + k * 17).padStart(5, '0')}` },
    ]);
  }

  // --- cases: each walks the loop from its report time as far as the clock allows
  const total = opts.cases ?? 250;
  const now = opts.now.getTime();
  // One transaction for the whole history: the demo street appears complete or not at all, and fast.
  const openByCategory = new Map<string, number>();
  await db.transaction().execute(async (trx) => {
  const H = 3600_000;
  for (let n = 0; n < total; n++) {
    if (n > 0) opts.onProgress?.(n, total);
    const grid = pick(setup.grids);
    const worker = workers.get(grid.id)!;
    const category = pick(setup.categories);
    const [minLng, minLat, maxLng, maxLat] = bboxOf(grid.geometry);
    let lng = 0, lat = 0;
    for (let tries = 0; tries < 50; tries++) {
      lng = round(minLng + rand() * (maxLng - minLng));
      lat = round(minLat + rand() * (maxLat - minLat));
      if (gridAt(lng, lat, [{ id: grid.id, code: grid.code, geometry: grid.geometry }])) break;
    }
    // Recent days are busier in the seed, as in a live system: skew report times towards now.
    let t = now - Math.pow(rand(), 1.6) * 90 * 24 * H;
    const reporter = rand() < 0.8 ? worker : operator;
    const source = reporter === operator ? pick(['hotline_12345', 'hotline_12369', 'leader_assignment', 'camera'] as const) : 'patrol';
    const urgency = rand() < 0.03 ? 'critical' : rand() < 0.1 ? 'urgent' : 'normal';
    const fixedOnSpot = reporter === worker && rand() < 0.08;
    const id = await reportCase(
      { db: trx, actor: reporter, ip: null, now: new Date(t) },
      {
        lng, lat, categoryId: category.id, description: pick(category.samples), urgency,
        address: `${pick(STREET_ADDRESSES)}${1 + Math.floor(rand() * 300)}号附近`, source, photos: [],
        fixedOnSpot, ...(fixedOnSpot ? { result: '已现场劝离并清理完毕' } : {}),
      },
    );
    let version = 0;
    const step = async (actor: Actor, move: MoveName, afterHours: [number, number], extra: Omit<MoveRequest, 'version' | 'photos'> = {}) => {
      const at = t + (afterHours[0] + rand() * (afterHours[1] - afterHours[0])) * H;
      if (at >= now) return false;
      t = at;
      await moveCase({ db: trx, actor, ip: null, now: new Date(t) }, id, move, { version, photos: [], ...extra });
      version++;
      return true;
    };
    const finish = async () => {
      if (!(await step(operator, 'close', [0.5, 8]))) return;
      // 回访: the operator calls back most reporters; the unsatisfied are sometimes looked at again (回头看).
      if (rand() < 0.7) {
        const rating = pick([5, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 1] as const);
        if (!(await step(operator, 'evaluate', [2, 48], { rating }))) return;
        if (rating <= 2 && rand() < 0.5) await step(operator, 'reopen', [2, 24], { note: '群众不满意，回头看重新办理' });
      }
    };
    if (fixedOnSpot) {
      if (await step(worker, 'verify_pass', [1, 8])) await finish();
      continue;
    }
    if (rand() < 0.06) {
      await step(operator, 'reject', [0.2, 3], { note: pick(['重复上报，已有案件在办', '不属于本街道管辖范围', '信息不全，无法核实']) });
      continue;
    }
    const masterOf = openByCategory.get(`${category.id}:${grid.id}`);
    const master = masterOf != null ? await trx.selectFrom('cases').select('state').where('id', '=', masterOf).executeTakeFirst() : undefined;
    if (master && !['merged', 'rejected', 'closed'].includes(master.state) && rand() < 0.5) {
      await step(operator, 'merge', [0.2, 3], { masterId: masterOf!, note: '同一问题重复上报，合并办理' });
      continue;
    }
    openByCategory.set(`${category.id}:${grid.id}`, id);
    if (!(await step(operator, 'accept', [0.2, 3]))) continue;
    let deptId = category.departmentId;
    if (rand() < 0.05) {
      // A work order sent to the wrong department comes back (退单) and goes to the community office instead.
      if (!(await step(operator, 'dispatch', [0.1, 2], { departmentId: deptId }))) continue;
      if (!(await step(handlers.get(deptId)!, 'return', [0.1, 1], { note: '不属于本部门职责范围' }))) continue;
      deptId = setup.departments.get('SQ')!;
      if (deptId === category.departmentId) deptId = setup.departments.get('CG')!;
    }
    const co = rand() < 0.15 ? [...setup.departments.values()].filter((d) => d !== deptId)[Math.floor(rand() * 5)]! : null;
    if (!(await step(operator, 'dispatch', [0.1, 2], { departmentId: deptId, ...(co ? { coDepartmentIds: [co] } : {}) }))) continue;
    const handler = handlers.get(deptId)!;
    let reworked = false;
    let done = false;
    while (!done) {
      if (!(await step(handler, 'sign', [0.3, 5]))) break;
      if (co && !reworked && !(await step(handlers.get(co)!, 'co_report', [1, 24], { note: '协办部门已配合完成现场检查' }))) break;
      if (rand() < 0.08) {
        // an extension asks for five more days than the deadline in force (which holidays can push past ten days)
        const { deadline } = await trx.selectFrom('cases').select('deadline').where('id', '=', id).executeTakeFirstOrThrow();
        const asked = new Date(Math.max(deadline?.getTime() ?? 0, t + 24 * H) + 5 * 24 * H).toISOString();
        if (!(await step(handler, 'request_extension', [2, 24], { note: '需协调产权单位，申请延期', deadline: asked }))) break;
        const granted = rand() < 0.7;
        if (!(await step(operator, granted ? 'grant_extension' : 'deny_extension', [0.5, 6], granted ? {} : { note: '情况不复杂，请按期办结' }))) break;
      }
      if (rand() < 0.02) {
        if (!(await step(handler, 'request_suspend', [2, 24], { note: '当事人外出，暂无法处置' }))) break;
        if (!(await step(operator, 'suspend', [0.5, 6]))) break;
        if (!(await step(operator, 'resume', [24, 96]))) break;
      }
      if (rand() < 0.05 && !(await step(leader, 'supervise', [4, 48], { note: '请加快办理进度' }))) break;
      if (!(await step(handler, 'handle', [2, category.days * 30], { note: pick(['已现场处置完毕', '已督促责任人整改到位', '已清理完毕，恢复原状', '已约谈当事人并整改']) }))) break;
      if (!reworked && rand() < 0.1) {
        reworked = true;
        if (!(await step(worker, 'verify_fail', [1, 20], { note: '现场复核仍未整改到位' }))) break;
        continue;
      }
      if (!(await step(worker, 'verify_pass', [1, 20]))) break;
      await finish();
      done = true;
    }
  }
  });
  opts.onProgress?.(total, total);
  // enterprises and hazards come with the demo cases (a bare test platform, cases: 0, has none)
  if (total > 0) await seedDemoHazards(db, opts.now);
  return { cases: total };
}
