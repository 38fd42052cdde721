// The GB/T 2260 county-level list shipped with the project (./data.ts): look a district up by its code, or search
// by name or code for the setup guide's picker. Pure; parsed once on first use.
import { CITIES, COUNTIES, PROVINCES } from './data.js';

export interface Gbt2260District {
  code: string;
  name: string;
  city: string;
  province: string;
  /** 山东省 济宁市 任城区 */
  fullName: string;
}

const parse = (text: string) => new Map(text.trim().split('\n').map((l) => l.split('\t') as [string, string]));

let cache: Gbt2260District[] | null = null;
function districts(): Gbt2260District[] {
  if (cache) return cache;
  const provinces = parse(PROVINCES);
  const cities = parse(CITIES);
  cache = [...parse(COUNTIES)].map(([code, name]) => {
    const province = provinces.get(code.slice(0, 2)) ?? '';
    const city = cities.get(code.slice(0, 4)) ?? '';
    // 北京市 市辖区 东城区 reads as 北京市 东城区
    const shown = [province, city === '市辖区' || city === '县' || city === province ? '' : city, name].filter(Boolean);
    return { code, name, city, province, fullName: shown.join(' ') };
  });
  return cache;
}

export function findGbt2260District(code: string): Gbt2260District | null {
  return districts().find((d) => d.code === code) ?? null;
}

/** Districts whose code starts with, or whose full name contains, the query; codes first, at most `limit`. */
export function searchGbt2260Districts(query: string, limit = 30): Gbt2260District[] {
  const q = query.trim();
  if (!q) return [];
  if (/^\d+$/.test(q)) return districts().filter((d) => d.code.startsWith(q)).slice(0, limit);
  const parts = q.split(/\s+/);
  return districts()
    .filter((d) => parts.every((p) => d.fullName.includes(p)))
    .slice(0, limit);
}

export function gbt2260Size(): number {
  return districts().length;
}
