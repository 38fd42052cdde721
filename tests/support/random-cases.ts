// Random cases through the real use cases (reportCase, moveCase) at random past instants — one generator for the
// stats and assessment tests — random patrols (start, track, check in, end) of the grid workers, and random hazards
// (found, noticed with a deadline, re-inspected before or after it, failed and extended, closed out, handed over).
import type { Db } from '../../src/data/db.js';
import type { Actor } from '../../src/domain/access.js';
import type { MoveName } from '../../src/shared/vocabulary.js';
import { reportCase } from '../../src/services/cases/cases.js';
import { moveCase } from '../../src/services/cases/moves.js';
import { addPoints, checkIn, endPatrol, startPatrol } from '../../src/services/patrol.js';
import { createEnterprise } from '../../src/services/hazards/enterprises.js';
import { moveHazard, reportHazard } from '../../src/services/hazards/hazards.js';
import { withCheckChar } from '../../src/domain/hazards/credit-code.js';
import type { HazardMove } from '../../src/domain/hazards/lifecycle.js';

export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function randomCases(db: Db, n: number, seed: number, nowMs = Date.now()) {
  const rand = prng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const users = await db.selectFrom('users').selectAll().execute();
  const actor = (u: (typeof users)[number]): Actor => ({ id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id });
  const operator = actor(users.find((u) => u.username === 'operator')!);
  const leader = actor(users.find((u) => u.username === 'leader')!);
  const citizen = actor(users.find((u) => u.username === 'citizen')!);
  const handlers = new Map(users.filter((u) => u.role === 'department').map((u) => [u.department_id!, actor(u)]));
  const grids = await db.selectFrom('grids').select(['id', 'path', 'min_lng', 'min_lat', 'max_lng', 'max_lat', 'label_lng', 'label_lat']).where('grid_class', '=', 'A').execute();
  const workers = new Map(users.filter((u) => u.role === 'grid_worker').map((u) => [u.scope_paths[0]!, actor(u)]));
  const categories = (await db.selectFrom('categories').select(['id', 'parent_id', 'default_department_id']).execute()).filter((c) => c.parent_id != null);
  const departments = [...handlers.keys()];
  const H = 3_600_000;
  const now = nowMs;
  for (let k = 0; k < n; k++) {
    const grid = pick(grids);
    const worker = workers.get(grid.path)!;
    let t = now - rand() * 100 * 24 * H;
    const reporter = rand() < 0.6 ? worker : rand() < 0.7 ? operator : citizen;
    const outside = reporter !== worker && rand() < 0.15;
    // just outside the street's west edge: the unrouted queue
    const [lng, lat] = outside ? [Math.min(...grids.map((g) => g.min_lng)) - 0.002, grid.label_lat] : [grid.label_lng + (rand() - 0.5) * 1e-4, grid.label_lat + (rand() - 0.5) * 1e-4];
    const fix = reporter === worker && rand() < 0.1;
    const category = pick(categories);
    let id: number;
    try {
      id = await reportCase({ db, actor: reporter, ip: null, now: new Date(t) }, {
        lng, lat, categoryId: category.id, description: '随机案件', photos: [], fixedOnSpot: fix, ...(fix ? { result: '已现场处置' } : {}),
        ...(reporter === operator ? { source: pick(['hotline_12345', 'hotline_12369', 'camera', 'leader_assignment'] as const) } : {}),
        urgency: pick(['normal', 'normal', 'normal', 'urgent', 'critical'] as const),
      });
    } catch {
      continue;
    }
    const step = async (who: Actor, move: MoveName, hours: [number, number], extra: Record<string, unknown> = {}) => {
      const at = t + (hours[0] + rand() * (hours[1] - hours[0])) * H;
      if (at >= now) return false;
      const row = await db.selectFrom('cases').select(['version']).where('id', '=', id).executeTakeFirstOrThrow();
      try {
        await moveCase({ db, actor: who, ip: null, now: new Date(at) }, id, move, { version: row.version, photos: [], ...extra });
      } catch {
        return false;
      }
      t = at;
      return true;
    };
    const verifier = workers.get(grid.path)!;
    const finish = async () => {
      if (!(await step(operator, 'close', [0.5, 30]))) return false;
      if (rand() < 0.75 && (await step(operator, 'evaluate', [1, 60], { rating: pick([1, 2, 3, 4, 4, 5, 5, 5]) }))) {
        if (rand() < 0.5 && (await step(operator, 'reopen', [1, 24], { note: '回头看' }))) return true; // back to accepted
      }
      return false;
    };
    if (fix) {
      if (await step(verifier, 'verify_pass', [1, 30])) await finish();
      continue;
    }
    if (outside && !(await step(operator, 'route', [0.1, 5], { gridId: grid.id }))) continue;
    const r = rand();
    if (r < 0.05) {
      await step(operator, 'reject', [0.1, 5], { note: '不予受理' });
      continue;
    }
    if (r < 0.12) {
      // a duplicate of a case still being worked on (cases are simulated one after another, so ask the store)
      const masters = await db.selectFrom('cases').select('id').where('state', 'in', ['accepted', 'dispatched', 'in_progress', 'handled']).orderBy('id').execute();
      if (masters.length && (await step(operator, 'merge', [0.1, 5], { masterId: pick(masters).id, note: '重复' }))) continue;
    }
    if (rand() < 0.1) await step(leader, 'supervise', [0.1, 5], { note: '督办' });
    if (!(await step(operator, 'accept', [0.1, 8], rand() < 0.2 ? { categoryId: pick(categories).id } : {}))) continue;
    for (let life = 0; life < 2; life++) {
      let dept = category.default_department_id ?? pick(departments);
      const dispatch = async () => {
        const co = rand() < 0.2 ? [pick(departments.filter((d) => d !== dept))] : undefined;
        // a short explicit deadline now and then, so some handlings come late
        const deadline = rand() < 0.3 ? new Date(t + (2 + rand() * 48) * H).toISOString() : undefined;
        return step(operator, 'dispatch', [0.1, 6], { departmentId: dept, ...(co ? { coDepartmentIds: co } : {}), ...(deadline ? { deadline } : {}) });
      };
      if (!(await dispatch())) break;
      if (rand() < 0.1) {
        if (!(await step(handlers.get(dept)!, 'return', [0.1, 2], { note: '非本部门职责' }))) break;
        dept = pick(departments);
        if (!(await dispatch())) break;
      }
      let reopened = false;
      for (let round = 0; round < 2; round++) {
        if (!(await step(handlers.get(dept)!, 'sign', [0.1, 6]))) break;
        if (rand() < 0.1) {
          const row = await db.selectFrom('cases').select('deadline').where('id', '=', id).executeTakeFirstOrThrow();
          const later = new Date(Math.max(row.deadline?.getTime() ?? t, t) + (24 + rand() * 200) * H).toISOString();
          if (await step(handlers.get(dept)!, 'request_extension', [0.5, 12], { note: '申请延期', deadline: later })) {
            await step(operator, rand() < 0.7 ? 'grant_extension' : 'deny_extension', [0.5, 6], { note: '审批' });
          }
        }
        if (!(await step(handlers.get(dept)!, 'handle', [1, 150], { note: '已处置' }))) break;
        if (round === 0 && rand() < 0.2) {
          if (!(await step(verifier, 'verify_fail', [1, 30], { note: '未整改到位' }))) break;
          continue;
        }
        if (await step(verifier, 'verify_pass', [1, 30])) reopened = await finish();
        break;
      }
      if (!reopened) break;
    }
  }
}

/** Patrols of every grid worker on random past days: a short track inside its grid and one to three check-ins. */
export async function randomPatrols(db: Db, perWorker: number, seed: number, nowMs = Date.now()) {
  const rand = prng(seed ^ 0x5eed);
  const users = await db.selectFrom('users').selectAll().where('role', '=', 'grid_worker').execute();
  const grids = await db.selectFrom('grids').select(['path', 'label_lng', 'label_lat']).where('grid_class', '=', 'A').execute();
  const H = 3_600_000;
  for (const u of users) {
    const grid = grids.find((g) => g.path === u.scope_paths[0]);
    if (!grid) continue;
    const actor: Actor = { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
    for (let k = 0; k < perWorker; k++) {
      const start = nowMs - (1 + rand() * 95) * 24 * H;
      const at = (h: number) => new Date(start + h * H);
      const { id } = await startPatrol({ db, actor, ip: null, now: at(0) }, { crs: 'WGS84' });
      const pts = Array.from({ length: 4 }, (_, i) => ({ at: at(0.1 * (i + 1)).toISOString(), lng: grid.label_lng + i * 1e-4, lat: grid.label_lat + (rand() - 0.5) * 1e-4, accuracy: 5 }));
      await addPoints({ db, actor, ip: null, now: at(0.5) }, id, { batchKey: `b${k}`, crs: 'WGS84', points: pts });
      const n = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) await checkIn({ db, actor, ip: null, now: at(0.6 + i * 0.1) }, id, { lng: grid.label_lng, lat: grid.label_lat, crs: 'WGS84', accuracy: 10 });
      await endPatrol({ db, actor, ip: null, now: at(1) }, id, {});
    }
  }
}

/**
 * Hazards at enterprises of random grids, each walked from 发现 at a random past instant: fixed nowhere (fixes need
 * photos), otherwise a notice with a deadline of 1–10 working days, then a re-inspection that passes before or after
 * the deadline, or fails and is extended (then passes) or handed over; some passed ones are closed out.
 */
export async function randomHazards(db: Db, n: number, seed: number, nowMs = Date.now()) {
  const rand = prng(seed ^ 0x4a2d);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const users = await db.selectFrom('users').selectAll().execute();
  const actor = (u: (typeof users)[number]): Actor => ({ id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id });
  const operator = actor(users.find((u) => u.username === 'operator')!);
  const leader = actor(users.find((u) => u.username === 'leader')!);
  const departments = users.filter((u) => u.role === 'department').map((u) => u.department_id!);
  const grids = await db.selectFrom('grids').select(['id', 'label_lng', 'label_lat']).where('grid_class', '=', 'A').execute();
  const H = 3_600_000;
  const enterprises: number[] = [];
  for (let k = 0; k < 8; k++) {
    const g = pick(grids);
    const e = await createEnterprise({ db, actor: operator, ip: null, now: new Date(nowMs - 120 * 24 * H) }, {
      name: `随机企业${k + 1}`, creditCode: withCheckChar(`91370800MA3D${String(seed % 1000).padStart(3, '0')}${String(k).padStart(2, '0')}`),
      lng: g.label_lng, lat: g.label_lat, riskLevel: 'low', status: 'operating', watch: false, departmentIds: [],
    });
    enterprises.push(e.id);
  }
  for (let k = 0; k < n; k++) {
    let t = nowMs - rand() * 100 * 24 * H;
    const grade = pick(['general', 'general', 'larger', 'major'] as const);
    let h: { id: number; version: number; deadline?: string | null };
    try {
      h = await reportHazard({ db, actor: operator, ip: null, now: new Date(t) }, { enterpriseId: pick(enterprises), grade, type: pick(['fire', 'electrical', 'other'] as const), description: '随机隐患', photos: [] });
    } catch {
      continue;
    }
    const step = async (who: Actor, move: HazardMove, at: number, extra: Record<string, unknown> = {}) => {
      if (at >= nowMs) return false;
      try {
        h = await moveHazard({ db, actor: who, ip: null, now: new Date(at) }, h.id, move, { version: h.version, photos: [], ...extra } as never);
      } catch {
        return false;
      }
      t = at;
      return true;
    };
    if (!(await step(operator, 'issue_notice', t + rand() * 24 * H, { deadlineDays: 1 + Math.floor(rand() * 10) }))) continue;
    const deadline = () => new Date(h.deadline!).getTime();
    // re-inspected before the deadline (on time), or up to five days after it (late)
    const inspectAt = () => (rand() < 0.6 ? t + rand() * (deadline() - t) : deadline() + rand() * 5 * 24 * H);
    const r = rand();
    if (r < 0.65) {
      if (!(await step(operator, 'reinspect_pass', inspectAt()))) continue;
    } else if (r < 0.9) {
      if (!(await step(operator, 'reinspect_fail', inspectAt(), { note: '未整改到位' }))) continue;
      if (rand() < 0.7) {
        if (!(await step(operator, 'extend', t + rand() * 24 * H, { deadlineDays: 1 + Math.floor(rand() * 5) }))) continue;
        if (!(await step(operator, 'reinspect_pass', inspectAt()))) continue;
      } else {
        await step(operator, 'hand_over', t + rand() * 24 * H, { note: '移交执法', departmentId: pick(departments) });
        continue;
      }
    } else continue; // still rectifying
    if (rand() < 0.6) await step(grade === 'major' ? leader : operator, 'close_out', t + rand() * 48 * H);
  }
}
