// The web app's foundations stay single (issue 13, item 5): one HTTP client (web/src/api.ts), every react-query key
// made by a factory in web/src/queryKeys.ts, every MapLibre map made by web/src/map/useMapLibre.ts, every route from
// the page table (web/src/pageTable.tsx). This reads the source text of web/src.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = path.resolve(__dirname, '../../web/src');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (/\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** Files (relative to web/src) other than `except` whose text matches `pattern`. */
function filesMatching(pattern: RegExp, except: readonly string[]): string[] {
  return filesUnder(WEB)
    .map((f) => path.relative(WEB, f))
    .filter((f) => !except.includes(f) && pattern.test(readFileSync(path.join(WEB, f), 'utf8')));
}

describe('web foundations', () => {
  it('the scanner reads web/src (self-check)', () => {
    expect(filesMatching(/export async function request</, [])).toEqual(['api.ts']);
  });

  it('HTTP goes through the one client in api.ts', () => {
    expect(filesMatching(/\bfetch\(|new XMLHttpRequest\b/, ['api.ts'])).toEqual([]);
  });

  it('query keys come from the factories in queryKeys.ts, never a literal array', () => {
    expect(filesMatching(/queryKey:\s*\[|QueryData(?:<[^>]*>)?\(\s*\[/, ['queryKeys.ts'])).toEqual([]);
  });

  it('every MapLibre map is made by useMapLibre', () => {
    expect(filesMatching(/new (?:MlMap|maplibregl\.Map)\b|setWorkerUrl\(/, ['map/useMapLibre.ts'])).toEqual([]);
  });

  it('routes come from the page table', () => {
    // (the catch-all "not found" is the one route of its own)
    expect(filesMatching(/<Route\s+path="(?!\*")/, [])).toEqual([]);
  });
});
