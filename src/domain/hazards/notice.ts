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
