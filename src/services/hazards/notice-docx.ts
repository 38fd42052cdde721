// The rectification notice (隐患整改通知书) as a .docx with the `docx` package: number, enterprise, what was found,
// the deadline, the legal wording, the issuer and date, and the enterprise's receipt (签收) block to sign on paper.
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { DomainError } from '../../domain/errors.js';
import { HAZARD_GRADE_LABELS, HAZARD_TYPE_LABELS } from '../../domain/hazards/lifecycle.js';
import { chineseDate } from '../../domain/hazards/notice.js';
import { findEnterpriseInScope, findHazardInScope, streetNameOf } from '../../data/repos/hazards.js';
import { caseScope } from '../access.js';
import type { ActorContext } from '../context.js';

export interface NoticeContent {
  number: string;
  enterpriseName: string;
  creditCode: string;
  address: string;
  hazardNumber: string;
  grade: string;
  type: string;
  description: string;
  issuedAt: Date;
  deadline: Date;
  issuerName: string;
}

const FONT = '仿宋';
const run = (text: string, o: { bold?: boolean; size?: number; font?: string } = {}) =>
  new TextRun({ text, bold: o.bold ?? false, size: o.size ?? 32, font: { name: o.font ?? FONT, eastAsia: o.font ?? FONT } });
const para = (text: string, o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; bold?: boolean; size?: number; font?: string; after?: number } = {}) =>
  new Paragraph({
    alignment: o.align ?? AlignmentType.LEFT,
    spacing: { after: o.after ?? 120, line: 560 },
    ...(o.indent ? { indent: { firstLine: 640 } } : {}),
    children: [run(text, o)],
  });

export async function renderNoticeDocx(n: NoticeContent): Promise<Buffer> {
  const doc = new Document({
    creator: 'Gridwork',
    title: `隐患整改通知书 ${n.number}`,
    sections: [
      {
        properties: { page: { margin: { top: 2000, bottom: 1800, left: 1600, right: 1500 } } },
        children: [
          para('隐患整改通知书', { align: AlignmentType.CENTER, bold: true, size: 44, font: '方正小标宋简体', after: 240 }),
          para(n.number, { align: AlignmentType.CENTER, after: 360 }),
          para(`${n.enterpriseName}：`),
          para(`（统一社会信用代码：${n.creditCode}${n.address ? `；地址：${n.address}` : ''}）`, { size: 28 }),
          para(
            `经${chineseDate(n.issuedAt)}检查，你单位存在以下${n.grade}安全隐患（${n.type}，隐患编号 ${n.hazardNumber}）：`,
            { indent: true },
          ),
          para(n.description, { indent: true }),
          para(
            `依据《中华人民共和国安全生产法》等有关规定，现责令你单位于${chineseDate(n.deadline)}前整改完毕，并将整改情况书面报告。` +
              '整改期间应采取有效的安全防范措施，防止事故发生。逾期未整改或整改不到位的，将依法移交执法部门处理。',
            { indent: true },
          ),
          para(''),
          para(n.issuerName, { align: AlignmentType.RIGHT }),
          para(chineseDate(n.issuedAt), { align: AlignmentType.RIGHT, after: 480 }),
          para('企业签收：', { bold: true }),
          para('负责人（签字）：________________　　签收日期：______年____月____日'),
          para('（本通知书一式两份，一份送达企业，一份存档。）', { size: 24 }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** The notice of a hazard in the reader's scope, as a file. */
export async function hazardNoticeDocx(ctx: ActorContext, id: number): Promise<{ filename: string; bytes: Buffer }> {
  const scope = caseScope(ctx.actor);
  const h = await findHazardInScope(ctx.db, id, scope);
  if (!h) throw new DomainError('not_found');
  if (!h.notice_number || !h.notice_issued_at || !h.deadline) throw new DomainError('not_found');
  const e = (await findEnterpriseInScope(ctx.db, h.enterprise_id, { kind: 'all' }))!;
  const street = (await streetNameOf(ctx.db, h.area_path)) ?? '';
  const bytes = await renderNoticeDocx({
    number: h.notice_number,
    enterpriseName: e.name,
    creditCode: e.credit_code ?? '',
    address: e.address ?? '',
    hazardNumber: h.number,
    grade: HAZARD_GRADE_LABELS[h.grade],
    type: HAZARD_TYPE_LABELS[h.type] ?? h.type,
    description: h.description,
    issuedAt: h.notice_issued_at,
    deadline: h.deadline,
    issuerName: `${street}${h.notice_issuer ? '（' + h.notice_issuer + '）' : ''}`,
  });
  return { filename: `隐患整改通知书-${h.number}.docx`, bytes };
}
