// Monthly inspection plans (排查计划): each grid inspects its operating enterprises once a month, each with the
// checklist its industry calls for. Which checklist fits an enterprise, which months may be planned, and how
// progress adds up per grid and community. Pure.

export interface TemplateForMatch {
  id: number;
  /** GB/T 4754 code prefix (C, C29, C2922), an industry name, 通用 or empty for every industry */
  industry: string | null;
}

const GENERAL = new Set(['', '通用', '全部', '所有行业']);

/**
 * The checklist for an enterprise: a template whose industry is a prefix of the enterprise's GB/T 4754 code (the
 * longest prefix wins: C2922 before C29 before C) or equals its industry name; else a general one (通用); else none.
 */
export function templateFor(enterprise: { industry_code: string | null; industry_name: string | null }, templates: readonly TemplateForMatch[]): number | null {
  const code = (enterprise.industry_code ?? '').trim().toUpperCase();
  let best: { id: number; score: number } | null = null;
  for (const t of templates) {
    const ind = (t.industry ?? '').trim();
    let score = -1;
    if (GENERAL.has(ind)) score = 0;
    else if (code && /^[A-Z][0-9]{0,4}$/i.test(ind) && code.startsWith(ind.toUpperCase())) score = 10 + ind.length;
    else if (enterprise.industry_name && ind === enterprise.industry_name.trim()) score = 20;
    if (score >= 0 && (!best || score > best.score)) best = { id: t.id, score };
  }
  return best?.id ?? null;
}

/** YYYY-MM of an instant in Beijing time. */
export function beijingMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** A plan may be made for last month (late paperwork), this month and the months ahead, up to a year. */
export function plannableMonth(month: string, now: Date): boolean {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return false;
  const [y, m] = beijingMonth(now).split('-').map(Number) as [number, number];
  const [py, pm] = month.split('-').map(Number) as [number, number];
  const diff = (py - y) * 12 + (pm - m);
  return diff >= -1 && diff <= 12;
}

/** The instants a month spans in Beijing time: [start, end). */
export function monthSpan(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = new Date(`${month}-01T00:00:00+08:00`);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start, end: new Date(`${next}-01T00:00:00+08:00`) };
}

export interface Progress {
  done: number;
  total: number;
  /** whole per cent, 0 when nothing is planned */
  percent: number;
}

export function progress(done: number, total: number): Progress {
  return { done, total, percent: total ? Math.floor((done * 100) / total) : 0 };
}

/** Adds the grids' progress up per community (the grids' parent division). */
export function byCommunity<T extends { communityName: string | null; done: number; total: number }>(grids: readonly T[]): ({ communityName: string } & Progress)[] {
  const sums = new Map<string, { done: number; total: number }>();
  for (const g of grids) {
    const key = g.communityName ?? '—';
    const s = sums.get(key) ?? { done: 0, total: 0 };
    s.done += g.done;
    s.total += g.total;
    sums.set(key, s);
  }
  return [...sums].map(([communityName, s]) => ({ communityName, ...progress(s.done, s.total) })).sort((a, b) => a.communityName.localeCompare(b.communityName, 'zh-CN'));
}

/**
 * What is wrong with a template's industry, or null: one that looks like a GB/T 4754 code (a section letter and up to
 * four digits) must be a section (A–T) or name a division that section holds; a name or 通用 is taken as it is.
 */
export function templateIndustryProblem(industry: string | null | undefined, known: (code: string) => boolean): 'unknown_code' | null {
  const ind = (industry ?? '').trim();
  if (!/^[A-Za-z][0-9]{0,4}$/.test(ind)) return null;
  if (ind.length === 1) return /^[A-Ta-t]$/.test(ind) ? null : 'unknown_code';
  if (ind.length === 2) return 'unknown_code';
  return known(ind) ? null : 'unknown_code';
}

/** Item texts that appear more than once in a checklist (compared trimmed), in their order. */
export function duplicateItemTexts(items: readonly { text: string }[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const i of items) {
    const k = i.text.trim();
    if (seen.has(k)) dup.add(k);
    seen.add(k);
  }
  return [...dup];
}

/** The plan items whose checklist changes when the templates in use change (those not yet inspected). */
export function rematchedItems<I extends { template_id: number | null; industry_code: string | null; industry_name: string | null }>(
  items: readonly I[],
  templates: readonly TemplateForMatch[],
): (I & { next: number | null })[] {
  return items.flatMap((i) => {
    const next = templateFor(i, templates);
    return next === i.template_id ? [] : [{ ...i, next }];
  });
}
