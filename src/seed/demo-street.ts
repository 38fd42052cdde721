// The demo street: 接庄街道, 济宁高新区 (seed 000), as plain data. Names of villages follow the seed where it
// gives them (王回庄, 南集一村); positions are laid around the street's real centre.
import { STANDARD_CATEGORIES, type StandardCategory, type StandardClass } from './standard-categories.js';

export const DEMO_PASSWORD = 'Gridwork@2026';

export const DISTRICT = { code: '370871', name: '济宁高新区' };
export const STREET = { code: '370871005', name: '接庄街道' };
/** approximate centre of 接庄街道, WGS-84 */
export const CENTRE: [number, number] = [116.66, 35.43];

/** 6 communities, each a 2×3 block of grids in a 6×6 lattice */
export const COMMUNITIES = [
  { code: '370871005001', name: '王回庄社区' },
  { code: '370871005002', name: '接庄社区' },
  { code: '370871005003', name: '南集一村' },
  { code: '370871005004', name: '柳行社区' },
  { code: '370871005005', name: '付庄村' },
  { code: '370871005006', name: '前王村' },
];

export const DEPARTMENTS = [
  { code: 'CG', name: '城管执法中队', handler: { username: 'chengguan', displayName: '城管 张建国' } },
  { code: 'HB', name: '环保所', handler: { username: 'huanbao', displayName: '环保 李晓梅' } },
  { code: 'AJ', name: '应急管理办（安监）', handler: { username: 'anjian', displayName: '安监 王志强' } },
  { code: 'SJ', name: '市场监管所', handler: { username: 'shichang', displayName: '市场监管 刘芳' } },
  { code: 'ZJ', name: '住建办', handler: { username: 'zhujian', displayName: '住建 陈刚' } },
  { code: 'SQ', name: '社区综治办', handler: { username: 'shequ', displayName: '综治 赵敏' } },
];

interface CategorySeed extends StandardClass {
  children: (StandardCategory & { samples: string[] })[];
}

/** What grid workers write about each standard subclass in the demo street. */
const SAMPLES: Record<string, string[]> = {
  '0101': ['路边堆放生活垃圾，散发异味', '绿化带内有大量建筑垃圾'],
  '0102': ['门店外占道堆放杂物', '人行道上堆放砂石料'],
  '0103': ['路面油污面积较大', '道路积土未清扫'],
  '0201': ['电线杆上张贴大量小广告', '居民楼道内喷涂办证广告'],
  '0202': ['沿街门店私设落地广告牌', '楼顶广告牌破损有坠落风险'],
  '0301': ['工地裸土未覆盖，扬尘严重', '渣土车未密闭运输，沿路撒漏'],
  '0302': ['工地夜间十一点后仍在施工，噪音扰民'],
  '0401': ['路面出现塌陷坑，约一米见方'],
  '0402': ['电动车在楼道内充电', '沿街门店私拉乱接电线'],
  '0501': ['早市摊贩占用机动车道经营', '水果摊占用人行道'],
  '0502': ['共享单车乱停放堵塞盲道', '车辆占用消防通道'],
  '0601': ['居民在楼顶私自搭建彩钢房', '院内新建违章棚屋'],
  '1101': ['窨井盖破损，存在安全隐患', '雨水井盖缺失'],
  '1102': ['路灯不亮，夜间通行不便', '路灯杆倾斜'],
  '1201': ['道路中间护栏被撞坏'],
  '1401': ['绿地内枯枝落叶堆积未清理'],
  '1402': ['大风后行道树倒伏压住人行道'],
};

// Two-level tree: the standard classes (src/seed/standard-categories.ts) with samples, plus the street's own (9x).
export const CATEGORIES: CategorySeed[] = [
  ...STANDARD_CATEGORIES.map((top) => ({ ...top, children: top.children.map((ch) => ({ ...ch, samples: SAMPLES[ch.code] ?? [] })) })),
  {
    code: '91', name: '环保散乱污', kind: 'event', children: [
      { code: '9101', name: '散乱污企业', dept: 'HB', days: 3, industry: 'environment', samples: ['发现一处塑料颗粒加工点，无环保手续', '小作坊露天喷漆'] },
      { code: '9102', name: '露天焚烧', dept: 'HB', days: 1, industry: 'environment', samples: ['村边空地焚烧秸秆', '有人焚烧垃圾，浓烟较大'] },
    ],
  },
  {
    code: '92', name: '安全隐患', kind: 'event', children: [
      { code: '9201', name: '企业安全隐患', dept: 'AJ', days: 3, industry: 'work_safety', samples: ['企业消防通道被货物堵塞', '危化品存放不规范'] },
      { code: '9202', name: '食品安全', dept: 'SJ', days: 2, samples: ['无证餐饮店卫生条件差', '超市销售过期食品'] },
    ],
  },
  {
    code: '93', name: '矛盾纠纷', kind: 'event', children: [
      { code: '9301', name: '邻里纠纷', dept: 'SQ', days: 5, samples: ['邻里因漏水问题发生争执', '楼上住户噪音扰民引发矛盾'] },
    ],
  },
  {
    code: '94', name: '物业管理', kind: 'event', children: [
      { code: '9401', name: '物业服务', dept: 'SQ', days: 5, samples: ['小区电梯故障多日未修', '小区垃圾清运不及时'] },
    ],
  },
];

export const STREET_ADDRESSES = ['崇文大道', '海川路', '同济路', '黄河路', '开源路', '科苑路', '杏林路', '颐高路', '王回庄路', '接庄路'];

/** Key units (重点单位), each with its own C-class grid: seed 000 watches six concrete plants around the clock. */
export const KEY_UNITS: { name: string; industry: string; address: string; dx: number; dy: number; contact: string; phone: string; risk: 'low' | 'medium' | 'high' }[] = [
  { name: '济宁鲁建混凝土有限公司', industry: 'environment', address: '崇文大道东段', dx: -2.3, dy: 1.6, contact: '王经理', phone: '13805371001', risk: 'high' },
  { name: '高新区宏达混凝土搅拌站', industry: 'environment', address: '海川路北首', dx: 1.7, dy: 2.2, contact: '李站长', phone: '13805371002', risk: 'high' },
  { name: '接庄化工仓储有限公司', industry: 'work_safety', address: '开源路 88 号', dx: 0.6, dy: -2.1, contact: '赵主任', phone: '13805371003', risk: 'high' },
  { name: '王回庄小学', industry: 'education', address: '王回庄路 12 号', dx: -1.2, dy: -0.8, contact: '孙校长', phone: '13805371004', risk: 'medium' },
];
