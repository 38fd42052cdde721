// The rectification notice (隐患整改通知书): its number, per issuer and year — 接庄安〔2026〕第037号 — and the
// words of the issuer. Pure.

/** Beijing-time calendar year of an instant (notices are numbered by the office's year). */
export function beijingYear(at: Date): number {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/** Beijing-time date as 2026年3月5日. */
export function chineseDate(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** 接庄街道 → 接庄; 南集镇 → 南集: the short name an office puts in its document numbers. */
export function streetShortName(streetName: string): string {
  const short = streetName.replace(/(街道办事处|街道|办事处|镇人民政府|镇|乡)$/, '');
  return short || streetName;
}

/** The one character of a department's domain in a document number (安 for 安监, 环 for 环保 …); 网 for the grid centre. */
export function issuerWord(departmentName: string | null): string {
  if (!departmentName) return '网';
  const words: [RegExp, string][] = [
    [/安/, '安'],
    [/环/, '环'],
    [/城管|执法/, '城'],
    [/市场/, '市'],
    [/住建|建设/, '建'],
    [/消防/, '消'],
    [/综治|社区/, '综'],
  ];
  return words.find(([re]) => re.test(departmentName))?.[1] ?? departmentName.slice(0, 1);
}

/** 接庄安〔2026〕第037号 */
export function noticeNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕第${String(seq).padStart(3, '0')}号`;
}

/** What a rectification notice says (its words are laid out by noticeParagraphs). */
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

export interface NoticeParagraph {
  text: string;
  align: 'left' | 'center' | 'right';
  bold: boolean;
  /** half-points (32 = 三号, 16 pt) */
  size: number;
  indent: boolean;
  role: 'title' | 'number' | 'body' | 'signature' | 'receipt' | 'small';
}

/**
 * The notice, paragraph by paragraph: the .docx and the print page are both laid out from this one list, so the
 * paper from either says the same words under the same number.
 */
export function noticeParagraphs(n: NoticeContent): NoticeParagraph[] {
  const p = (text: string, o: Partial<Omit<NoticeParagraph, 'text'>> = {}): NoticeParagraph => ({ text, align: 'left', bold: false, size: 32, indent: false, role: 'body', ...o });
  return [
    p('隐患整改通知书', { align: 'center', bold: true, size: 44, role: 'title' }),
    p(n.number, { align: 'center', role: 'number' }),
    p(`${n.enterpriseName}：`),
    p(`（统一社会信用代码：${n.creditCode}${n.address ? `；地址：${n.address}` : ''}）`, { size: 28 }),
    p(`经${chineseDate(n.issuedAt)}检查，你单位存在以下${n.grade}安全隐患（${n.type}，隐患编号 ${n.hazardNumber}）：`, { indent: true }),
    p(n.description, { indent: true }),
    p(
      `依据《中华人民共和国安全生产法》等有关规定，现责令你单位于${chineseDate(n.deadline)}前整改完毕，并将整改情况书面报告。` +
        '整改期间应采取有效的安全防范措施，防止事故发生。逾期未整改或整改不到位的，将依法移交执法部门处理。',
      { indent: true },
    ),
    p(''),
    p(n.issuerName, { align: 'right', role: 'signature' }),
    p(chineseDate(n.issuedAt), { align: 'right', role: 'signature' }),
    p('企业签收：', { bold: true, role: 'receipt' }),
    p('负责人（签字）：________________　　签收日期：______年____月____日', { role: 'receipt' }),
    p('（本通知书一式两份，一份送达企业，一份存档。）', { size: 24, role: 'small' }),
  ];
}
