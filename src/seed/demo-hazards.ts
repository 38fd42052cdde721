// The demo street's enterprises and hazards (issue 14), made through the same services as the API: a few
// enterprises in the grids of the first grid workers (among them the 散乱污 plastics workshop of seed 000), and
// hazards in every state of the hazard lifecycle, found over the past weeks.
import { sql } from 'kysely';
import type { Db } from '../data/db.js';
import type { Actor } from '../domain/access.js';
import { withCheckChar } from '../domain/hazards/credit-code.js';
import type { HazardGrade, HazardMove, HazardType } from '../domain/hazards/lifecycle.js';
import type { ActorContext } from '../services/context.js';
import { createEnterprise } from '../services/hazards/enterprises.js';
import { createInspectionTemplate } from '../services/hazards/inspections.js';
import { moveHazard, reportHazard } from '../services/hazards/hazards.js';
import type { HazardMoveInput, InspectionTemplateInput } from '../shared/hazards-api.js';

const DAY = 86_400_000;

const ENTERPRISES = [
  { name: '接庄鑫源塑料颗粒加工点', industry: ['C2922', '塑料板、管、型材制造'], risk: 'high', watch: '散乱污：无环保手续，露天堆放废塑料', dept: 'HB' },
  { name: '济宁恒通机械配件厂', industry: ['C3484', '机械零部件加工'], risk: 'medium', watch: null, dept: 'AJ' },
  { name: '王回庄便民超市', industry: ['F5212', '超级市场零售'], risk: 'low', watch: null, dept: 'SJ' },
  { name: '接庄利民液化气供应站', industry: ['F5265', '燃气零售'], risk: 'high', watch: '液化气储存点，距居民区近', dept: 'AJ' },
  { name: '高新区宏达建材经营部', industry: ['F5165', '建材批发'], risk: 'medium', watch: null, dept: 'ZJ' },
  { name: '鲁南小作坊喷漆点', industry: ['C3360', '金属表面处理'], risk: 'high', watch: '散乱污：露天喷漆，群众多次投诉', dept: 'HB' },
] as const;

const TEMPLATES: InspectionTemplateInput[] = [
  {
    name: '消防安全通用检查表',
    industry: '通用',
    items: [
      { text: '疏散通道、安全出口畅通，无堵塞锁闭', grade: 'general', type: 'fire' },
      { text: '灭火器配置齐全并在有效期内', grade: 'general', type: 'fire' },
      { text: '电气线路规范敷设，无私拉乱接', grade: 'general', type: 'electrical' },
      { text: '生产、储存、住宿未设在同一建筑（“三合一”）', grade: 'major', type: 'fire' },
    ],
  },
  {
    name: '“散乱污”企业排查表',
    industry: '环保',
    items: [
      { text: '有环评手续和排污许可', grade: 'larger', type: 'environmental' },
      { text: '原料、废料无露天堆放', grade: 'general', type: 'environmental' },
      { text: '废气收集处理设施正常运行', grade: 'larger', type: 'environmental' },
    ],
  },
];

type Step = [HazardMove, 'worker' | 'anjian' | 'operator' | 'leader', Partial<HazardMoveInput>];
const PLANS: { grade: HazardGrade; type: HazardType; description: string; steps: Step[] }[] = [
  { grade: 'general', type: 'fire', description: '消防通道被货物堵塞', steps: [] },
  // fixing on the spot and the signed receipt need photos, which the demo seed does not have: those states are
  // made by the tests and the browser test instead
  { grade: 'larger', type: 'fire', description: '灭火器过期未更换', steps: [['issue_notice', 'anjian', { deadlineDays: 5 }]] },
  { grade: 'general', type: 'environmental', description: '废塑料露天堆放，无防尘覆盖', steps: [['issue_notice', 'worker', { deadlineDays: 3 }], ['reinspect_pass', 'worker', { note: '已覆盖并清运' }]] },
  { grade: 'general', type: 'hazmat', description: '油漆桶随意堆放在车间门口', steps: [['issue_notice', 'anjian', { deadlineDays: 3 }], ['reinspect_pass', 'anjian', {}], ['close_out', 'operator', {}]] },
  { grade: 'larger', type: 'special_equipment', description: '叉车未年检', steps: [['issue_notice', 'anjian', { deadlineDays: 5 }], ['reinspect_fail', 'anjian', { note: '复查时仍未年检' }]] },
  { grade: 'major', type: 'hazmat', description: '液化气钢瓶超量存放在营业场所', steps: [['issue_notice', 'anjian', { deadlineDays: 10 }]] },
  { grade: 'major', type: 'fire', description: '仓库与宿舍“三合一”', steps: [['issue_notice', 'anjian', { deadlineDays: 5 }], ['reinspect_pass', 'anjian', {}], ['close_out', 'leader', {}]] },
];

export async function seedDemoHazards(db: Db, now: Date): Promise<void> {
  const user = async (username: string): Promise<Actor> => {
    const u = await db.selectFrom('users').select(['id', 'role', 'scope_paths', 'department_id']).where('username', '=', username).executeTakeFirstOrThrow();
    return { id: u.id, role: u.role, scopePaths: u.scope_paths, departmentId: u.department_id };
  };
  const [operator, leader, anjian] = [await user('operator'), await user('leader'), await user('anjian')];
  const workers = await db
    .selectFrom('users')
    .innerJoin('grids', (j) => j.on(sql<boolean>`grids.path = users.scope_paths[1]`))
    .select(['users.id', 'users.scope_paths', 'grids.label_lng', 'grids.label_lat'])
    .where('users.role', '=', 'grid_worker')
    .orderBy('users.id')
    .limit(3)
    .execute();
  const departments = new Map((await db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]));
  const ctx = (actor: Actor, at: number): ActorContext => ({ db, actor, ip: null, now: new Date(at) });
  const admin = await user('admin');
  for (const t of TEMPLATES) await createInspectionTemplate(ctx(admin, now.getTime() - 40 * DAY), t);
  let planNo = 0;
  for (let i = 0; i < ENTERPRISES.length; i++) {
    const e = ENTERPRISES[i]!;
    const w = workers[i % workers.length]!;
    const worker: Actor = { id: w.id, role: 'grid_worker', scopePaths: w.scope_paths, departmentId: null };
    const start = now.getTime() - (30 - i) * DAY;
    const enterprise = await createEnterprise(ctx(operator, start), {
      name: e.name,
      creditCode: withCheckChar(`91370800MA3D${String(1000 + i).padStart(5, '0')}`),
      industryCode: e.industry[0],
      industryName: e.industry[1],
      address: `接庄街道崇文大道${18 + i * 6}号`,
      lng: w.label_lng + (i % 2 ? 0.0004 : -0.0004),
      lat: w.label_lat + 0.0003,
      riskLevel: e.risk,
      status: 'operating',
      watch: e.watch != null,
      watchReason: e.watch ?? undefined,
      contact: '负责人',
      phone: `1380537${String(1000 + i).padStart(4, '0')}`,
      departmentIds: [departments.get(e.dept)!, departments.get('AJ')!].filter((v, k, a) => a.indexOf(v) === k),
    });
    // each enterprise gets a few of the plans, so that together they cover every state
    for (const plan of [PLANS[planNo++ % PLANS.length]!, PLANS[planNo++ % PLANS.length]!]) {
      let t = start + DAY;
      let h = await reportHazard(ctx(worker, t), { enterpriseId: enterprise.id, grade: plan.grade, type: plan.type, description: plan.description, photos: [] });
      for (const [move, who, input] of plan.steps) {
        t += 2 * DAY;
        const actor = who === 'worker' ? worker : who === 'anjian' ? anjian : who === 'leader' ? leader : operator;
        h = await moveHazard(ctx(actor, t), h.id, move, { version: h.version, photos: [], ...input });
      }
    }
  }
}
