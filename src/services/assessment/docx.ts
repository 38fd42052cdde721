// The situation report as .docx (the `docx` package): title and period, 一、总体情况 (a table: this month, last month,
// month-on-month, same month last year, year-on-year), 二、主要问题 (top categories with a bar chart, and the hot-spot
// map of cases per grid, both rendered on the server), 三、超期与督办, 四、隐患整改 (hazards and 隐患按期整改率),
// 五、考核排名 (the community ranking table), 六、下步工作 (the leader's text, blank in a draft).
// Figures are printed exactly as the screen prints them (formatIndicator).
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { formatIndicator, INDICATOR_BY_ID } from '../../domain/assessment/indicators.js';
import { barChartPng, hotSpotMapPng, type HotSpotGrid } from './chart.js';
import type { ReportView } from './report.js';

const FONT = { ascii: 'Noto Serif CJK SC', eastAsia: 'Noto Serif CJK SC', hAnsi: 'Noto Serif CJK SC' };

/** The change from a previous value, as printed: counts '+3' / '−2', rates in percentage points; '—' when either is missing. */
export function change(kind: 'count' | 'rate' | 'distance', now: number | null, before: number | null): string {
  if (now == null || before == null) return '—';
  if (kind === 'rate') {
    const d = Math.round((now - before) * 1000) / 10;
    return `${d > 0 ? '+' : ''}${d.toFixed(1)}个百分点`;
  }
  const d = Math.round((now - before) * 10) / 10;
  const pct = before ? `（${d > 0 ? '+' : ''}${(Math.round((d / before) * 1000) / 10).toFixed(1)}%）` : '';
  return `${d > 0 ? '+' : ''}${d}${pct}`;
}

const p = (text: string, opts: { bold?: boolean; size?: number; center?: boolean; heading?: boolean } = {}) =>
  new Paragraph({
    ...(opts.heading ? { heading: HeadingLevel.HEADING_2 } : {}),
    ...(opts.center ? { alignment: AlignmentType.CENTER } : {}),
    spacing: { after: 120 },
    children: [new TextRun({ text, bold: opts.bold ?? opts.heading ?? false, size: opts.size ?? (opts.heading ? 30 : 24), font: FONT })],
  });

function table(head: string[], rows: string[][]): Table {
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, size: 21, font: FONT })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
  });
}

/** The rows of the 总体情况 table, as printed (also what the tests compare with the API). */
export function overallRows(r: ReportView): string[][] {
  return r.numbers.overall.map((o) => {
    const def = INDICATOR_BY_ID[o.indicator];
    return [def.name['zh-CN'], formatIndicator(o.indicator, o.current), formatIndicator(o.indicator, o.previous), change(def.kind, o.current, o.previous), formatIndicator(o.indicator, o.lastYear), change(def.kind, o.current, o.lastYear)];
  });
}

export function rankingRows(r: ReportView): string[][] {
  return r.numbers.ranking.rows.map((x) => [x.ranked && x.rank != null ? String(x.rank) : '不排名', x.name, x.score == null ? '—' : String(x.score), x.board === 'red' ? '红榜' : x.board === 'black' ? '黑榜' : '']);
}

/** The rows of the 隐患整改 table, as printed (the tests compare them with the API). */
export function hazardRows(r: ReportView): string[][] {
  const h = r.numbers.hazards;
  return [
    ['本月发现隐患', String(h.found)],
    ['其中重大隐患', String(h.major)],
    ['本月完成整改（现场整改或复查通过）', String(h.rectified)],
    ['本月移交执法', String(h.handedOver)],
    ['整改期限在本月的隐患', String(h.due)],
    ['其中按期整改', String(h.onTime)],
    ['隐患按期整改率', formatIndicator('hazard_on_time_rate', h.rate)],
    ['当前未销号隐患', String(h.open)],
    ['当前逾期未整改', String(h.overdue)],
  ];
}

export async function reportDocx(r: ReportView, opts: { grids?: HotSpotGrid[] } = {}): Promise<Buffer> {
  const n = r.numbers;
  const [y, m] = [n.period.slice(0, 4), Number(n.period.slice(5, 7))];
  const get = (id: string) => n.overall.find((o) => o.indicator === id);
  const reported = get('reported')!;
  const chart = n.topCategories.length
    ? await barChartPng({ title: `${y}年${m}月 主要问题类别（件）`, labels: n.topCategories.map((c) => c.name), values: n.topCategories.map((c) => c.count) })
    : null;
  const grids = opts.grids ?? [];
  const map = grids.length ? await hotSpotMapPng({ title: `${y}年${m}月 案件热点分布（按网格，件）`, grids }) : null;
  const hot = [...grids].filter((g) => g.count > 0).sort((a, b) => b.count - a.count || a.id - b.id).slice(0, 5);
  const h = n.hazards;
  const draftMark = r.state === 'draft' ? '（草稿）' : '';
  const children = [
    p(`${r.title}${draftMark}`, { bold: true, size: 36, center: true }),
    p(`统计时段：${n.from} 至 ${n.to}（北京时间）`, { center: true }),
    p('一、总体情况', { heading: true }),
    p(
      `${m}月，${n.area}共上报案件 ${reported.current ?? 0} 件，环比${change('count', reported.current, reported.previous)}，同比${change('count', reported.current, reported.lastYear)}；` +
        `按期处置率 ${formatIndicator('on_time_rate', get('on_time_rate')!.current)}，结案率 ${formatIndicator('closure_rate', get('closure_rate')!.current)}，满意率 ${formatIndicator('satisfaction_rate', get('satisfaction_rate')!.current)}。`,
    ),
    table(['指标', `本月（${n.period}）`, `上月（${n.previous}）`, '环比', `去年同月（${n.lastYear}）`, '同比'], overallRows(r)),
    ...(r.sections.remarks ? [p(r.sections.remarks)] : []),
    p('二、主要问题', { heading: true }),
    p(n.topCategories.length ? `本月上报较多的问题类别：${n.topCategories.map((c) => `${c.name}（${c.count} 件）`).join('、')}。` : '本月无上报案件。'),
    table(['序号', '问题类别', '件数'], n.topCategories.map((c, i) => [String(i + 1), c.name, String(c.count)])),
    ...(chart ? [new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: chart, transformation: { width: 560, height: 280 } })] })] : []),
    ...(map
      ? [
          p(hot.length ? `案件较集中的网格：${hot.map((g) => `${g.name}（${g.count} 件）`).join('、')}。` : '本月各网格均无上报案件。'),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: map, transformation: { width: 520, height: 390 } })] }),
        ]
      : []),
    p('三、超期与督办', { heading: true }),
    p(`本月超期处置 ${n.overdue.handledLate} 件；截至出稿时仍超期未办结 ${n.overdue.openOverdue} 件；本月督办 ${n.overdue.supervised} 件。`),
    table(['项目', '件数'], [['本月超期处置', String(n.overdue.handledLate)], ['当前超期未办结', String(n.overdue.openOverdue)], ['本月督办', String(n.overdue.supervised)]]),
    p('四、隐患整改', { heading: true }),
    ...(h
      ? [
          p(
            `本月发现安全隐患 ${h.found} 处（其中重大隐患 ${h.major} 处），完成整改 ${h.rectified} 处，移交执法 ${h.handedOver} 处；` +
              `整改期限在本月的 ${h.due} 处中按期整改 ${h.onTime} 处，隐患按期整改率 ${formatIndicator('hazard_on_time_rate', h.rate)}；截至出稿时未销号 ${h.open} 处，其中逾期未整改 ${h.overdue} 处。`,
          ),
          table(['项目', '数量'], hazardRows(r)),
        ]
      : [p('本报告起草时尚无隐患整改数据。')]),
    p('五、考核排名', { heading: true }),
    p(n.ranking.source === 'published' ? `社区/村月度考核排名（已发布第 ${n.ranking.edition} 版）：` : '社区/村月度考核排名（按当前数据计算，尚未发布）：'),
    table(['名次', '社区/村', '得分', '榜单'], rankingRows(r)),
    p('六、下步工作', { heading: true }),
    ...(r.sections.nextSteps ? r.sections.nextSteps.split('\n').map((line) => p(line)) : [p('')]),
  ];
  const doc = new Document({
    creator: 'Gridwork',
    title: r.title,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
