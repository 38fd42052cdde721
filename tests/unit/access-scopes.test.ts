// A scope as a set of subtree paths (a grid worker for several grids): normalised without repeats or nesting, read
// and acted on exactly where one of the paths is a prefix of the case's area.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canActOn, caseScope, commonAreaPath, inAreas, normaliseScopePaths, type Actor } from '../../src/domain/access.js';

const segment = fc.oneof(fc.integer({ min: 1, max: 4 }).map(String), fc.integer({ min: 1, max: 4 }).map((n) => `g${n}`));
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.map((x) => `${x}/`).join('')}`);

describe('scope paths', () => {
  it('normalising keeps the covered areas and drops repeats and nested paths', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 6 }), fc.array(path, { minLength: 1, maxLength: 20 }), (paths, probes) => {
        const n = normaliseScopePaths(paths);
        for (const p of probes) expect(inAreas(n, p)).toBe(inAreas(paths, p));
        for (const a of n) for (const b of n) if (a !== b) expect(a.startsWith(b)).toBe(false);
        expect([...n].sort()).toEqual(n);
        expect(normaliseScopePaths(n)).toEqual(n);
      }),
    );
  });

  it('the common path is the deepest division every path lies under', () => {
    expect(commonAreaPath(['/1/2/g7/', '/1/2/g9/'])).toBe('/1/2/');
    expect(commonAreaPath(['/1/2/g7/', '/1/3/g9/'])).toBe('/1/');
    expect(commonAreaPath(['/1/2/g7/'])).toBe('/1/2/g7/');
    expect(commonAreaPath([])).toBeNull();
    fc.assert(fc.property(fc.array(path, { minLength: 1, maxLength: 5 }), (paths) => {
      const c = commonAreaPath(paths)!;
      for (const p of paths) expect(p.startsWith(c)).toBe(true);
    }));
  });

  it('a grid worker with two grids reads and acts in both, and nowhere else', () => {
    const actor: Actor = { id: 7, role: 'grid_worker', scopePaths: ['/1/2/g9/', '/1/3/g4/', '/1/2/g9/g11/'], departmentId: null };
    expect(caseScope(actor)).toEqual({ kind: 'area', paths: ['/1/2/g9/', '/1/3/g4/'], reporterId: 7 });
    const at = (areaPath: string) => canActOn(actor, { areaPath, departmentId: null, coDepartmentIds: [], reporterId: 1 });
    expect(at('/1/2/g9/')).toBe(true);
    expect(at('/1/3/g4/g12/')).toBe(true);
    expect(at('/1/2/g10/')).toBe(false);
    expect(at('/1/3/')).toBe(false);
    expect(caseScope({ ...actor, scopePaths: [] })).toEqual({ kind: 'none' });
  });
});
