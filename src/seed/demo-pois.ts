// The demo street's points of interest, stored through the same checks as an import.
import type { DbOrTx } from '../data/db.js';
import { countPois, upsertPois } from '../data/repos/poi.js';
import { validateDrafts, type PoiDraft } from '../services/poi.js';
import { CENTRE } from './demo-street.js';

/**
 * A few points of each type around the demo street's centre (call after the street's grids exist). Does nothing
 * when points of interest are already stored, so running it twice is harmless.
 */
export async function seedDemoPois(db: DbOrTx, now: Date): Promise<number> {
  if ((await countPois(db)) > 0) return 0;
  const [cx, cy] = CENTRE;
  // Offsets in grid cells of the demo lattice (≈ 770 m × 720 m).
  const at = (dx: number, dy: number) => ({ lng: String(Math.round((cx + dx * 0.0085) * 1e6) / 1e6), lat: String(Math.round((cy + dy * 0.0065) * 1e6) / 1e6) });
  const rows: PoiDraft['fields'][] = [
    { type: '重点单位', code: 'QY001', name: '济宁鲁建混凝土有限公司', industry: '建材', riskLevel: '高', contact: '王经理', phone: '13805371001', address: '崇文大道东段', ...at(-2.3, 1.6) },
    { type: '企业', code: 'QY002', name: '高新区宏达混凝土搅拌站', industry: '建材', riskLevel: '高', contact: '李站长', phone: '13805371002', address: '海川路北首', ...at(1.7, 2.2) },
    { type: '企业', code: 'QY003', name: '接庄化工仓储有限公司', industry: '危化品仓储', riskLevel: '高', contact: '赵主任', phone: '13805371003', address: '开源路 88 号', ...at(0.6, -2.1) },
    { type: '企业', code: 'QY004', name: '鸿运汽修厂', industry: '机动车维修', riskLevel: '中', contact: '孙师傅', phone: '13805371011', address: '同济路 56 号', ...at(-0.4, 0.9) },
    { type: '污染源', code: 'WR001', name: '鲁建混凝土搅拌站扬尘点', subtype: '扬尘', riskLevel: '高', address: '崇文大道东段', ...at(-2.2, 1.5) },
    { type: '污染源', code: 'WR002', name: '接庄路餐饮油烟排放点', subtype: '餐饮油烟', riskLevel: '中', address: '接庄路 120 号', ...at(0.9, 0.3) },
    { type: '污染源', code: 'WR003', name: '王回庄河道排污口', subtype: '入河排污口', riskLevel: '中', address: '王回庄路南', ...at(-1.6, -1.2) },
    { type: '学校', code: 'MG001', name: '王回庄小学', contact: '孙校长', phone: '13805371004', address: '王回庄路 12 号', ...at(-1.2, -0.8) },
    { type: '医院', code: 'MG002', name: '接庄街道社区卫生服务中心', contact: '刘主任', phone: '13805371012', address: '黄河路 9 号', ...at(0.2, 0.5) },
    { type: '幼儿园', code: 'MG003', name: '柳行社区幼儿园', contact: '陈园长', phone: '13805371013', address: '科苑路 30 号', ...at(1.3, -0.6) },
    { type: '空气站', code: 'JC001', name: '接庄街道空气质量微站', subtype: '空气站', address: '街道办事处楼顶', ...at(0, 0) },
    { type: '水质站', code: 'JC002', name: '洸府河接庄断面水质站', subtype: '水质站', address: '洸府河接庄桥', ...at(-2.5, -2.4) },
    { type: '监测站', code: 'JC003', name: '开源路扬尘在线监测点', subtype: '扬尘', address: '开源路与海川路口', ...at(0.7, -1.9) },
    { type: '摄像头', code: 'SP001', name: '崇文大道与海川路口', streamUrl: 'rtsp://video.example.invalid/jiezhuang/sp001', address: '崇文大道与海川路口', ...at(0.5, 1.1) },
    { type: '摄像头', code: 'SP002', name: '接庄路农贸市场', streamUrl: 'rtsp://video.example.invalid/jiezhuang/sp002', address: '接庄路农贸市场东门', ...at(1.1, 0.2) },
    { type: '摄像头', code: 'SP003', name: '王回庄小学门口', streamUrl: 'https://video.example.invalid/hls/sp003.m3u8', address: '王回庄路 12 号', ...at(-1.15, -0.75) },
  ];
  const drafts = rows.map((fields, i) => ({ row: i, fields, extra: {} }));
  const { records, problems } = await validateDrafts(db, drafts, 'WGS84');
  if (problems.length) throw new Error(`demo points of interest: ${JSON.stringify(problems)}`);
  // enterprise points land in the registry, where a key unit of the same name already is: count what was written
  const { created, updated } = await upsertPois(db, records, null, now);
  return created + updated;
}
