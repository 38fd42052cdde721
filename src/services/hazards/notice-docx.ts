// The rectification notice (隐患整改通知书) as a .docx with the `docx` package and as the content of its print page:
// both laid out from the same paragraphs (src/domain/hazards/notice.ts noticeParagraphs) — number, enterprise, what
// was found, the deadline, the legal wording, the issuer and date, and the receipt (签收) block to sign on paper.
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { DomainError } from '../../domain/errors.js';
import { HAZARD_GRADE_LABELS, HAZARD_TYPE_LABELS } from '../../domain/hazards/lifecycle.js';
import { noticeParagraphs, type NoticeContent, type NoticeParagraph } from '../../domain/hazards/notice.js';
import { findEnterpriseInScope, findHazardInScope, streetNameOf } from '../../data/repos/hazards.js';
import { userDisplayName } from '../../data/repos/hazard-work.js';
import type { NoticePrint } from '../../shared/hazard-work-api.js';
import { caseScope } from '../access.js';
import type { ActorContext } from '../context.js';

export type { NoticeContent } from '../../domain/hazards/notice.js';

const FONT = '仿宋';
const TITLE_FONT = '方正小标宋简体';
const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;
const AFTER: Record<NoticeParagraph['role'], number> = { title: 240, number: 360, body: 120, signature: 120, receipt: 120, small: 120 };

function docxParagraph(p: NoticeParagraph, next: NoticeParagraph | undefined): Paragraph {
  const font = p.role === 'title' ? TITLE_FONT : FONT;
  // the date under the issuer leaves room before the receipt block
  const after = p.role === 'signature' && next?.role === 'receipt' ? 480 : AFTER[p.role];
  return new Paragraph({
    alignment: ALIGN[p.align],
    spacing: { after, line: 560 },
    ...(p.indent ? { indent: { firstLine: 640 } } : {}),
    children: [new TextRun({ text: p.text, bold: p.bold, size: p.size, font: { name: font, eastAsia: font } })],
  });
}

export async function renderNoticeDocx(n: NoticeContent): Promise<Buffer> {
  const paras = noticeParagraphs(n);
  const doc = new Document({
    creator: 'Gridwork',
    title: `隐患整改通知书 ${n.number}`,
    sections: [{ properties: { page: { margin: { top: 2000, bottom: 1800, left: 1600, right: 1500 } } }, children: paras.map((p, i) => docxParagraph(p, paras[i + 1])) }],
  });
  return Packer.toBuffer(doc);
}

/** What the notice of a hazard in the reader's scope says, and the hazard row it was read from. */
async function noticeOf(ctx: ActorContext, id: number) {
  const h = await findHazardInScope(ctx.db, id, caseScope(ctx.actor));
  if (!h) throw new DomainError('not_found');
  if (!h.notice_number || !h.notice_issued_at || !h.deadline) throw new DomainError('not_found');
  const e = (await findEnterpriseInScope(ctx.db, h.enterprise_id, { kind: 'all' }))!;
  const street = (await streetNameOf(ctx.db, h.area_path)) ?? '';
  const content: NoticeContent = {
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
  };
  return { h, content };
}

/** The notice of a hazard in the reader's scope, as a file. */
export async function hazardNoticeDocx(ctx: ActorContext, id: number): Promise<{ filename: string; bytes: Buffer }> {
  const { h, content } = await noticeOf(ctx, id);
  return { filename: `隐患整改通知书-${h.number}.docx`, bytes: await renderNoticeDocx(content) };
}

/** The notice of a hazard in the reader's scope for its print page: the same paragraphs as the .docx. */
export async function hazardNoticePrint(ctx: ActorContext, id: number): Promise<NoticePrint> {
  const { h, content } = await noticeOf(ctx, id);
  return {
    number: content.number,
    hazardId: h.id,
    hazardNumber: h.number,
    paragraphs: noticeParagraphs(content),
    receipt: h.receipt_at ? { at: h.receipt_at.toISOString(), byName: await userDisplayName(ctx.db, h.receipt_by) } : null,
  };
}
