// The layers go one way (README, "Architecture"): src/domain is pure and imports nothing from data, services or
// server; routes call services, never repositories. This reads the import lines of every source file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (/\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** Every module a file imports (static, dynamic and re-exports), resolved to a path relative to the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.relative(ROOT, path.resolve(path.dirname(file), s)));
}

function violations(fromDir: string, forbidden: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of filesUnder(path.join(ROOT, fromDir))) {
    for (const target of importsOf(file)) {
      if (forbidden.some((f) => target === f || target.startsWith(`${f}/`))) out.push(`${path.relative(ROOT, file)} → ${target}`);
    }
  }
  return out;
}

describe('layers', () => {
  // Layout-independent (files may sit flat in a layer or in a feature subfolder): services do use the domain, so a
  // scanner that sees no such import is broken, not the code clean.
  it('the import scanner sees imports (self-check)', () => {
    const seen = filesUnder(path.join(ROOT, 'src/services')).flatMap(importsOf);
    expect(seen.some((t) => t.startsWith('src/domain/'))).toBe(true);
    expect(seen.some((t) => t.startsWith('src/data/repos/'))).toBe(true);
  });

  it('src/domain imports nothing from data, services or server', () => {
    expect(violations('src/domain', ['src/data', 'src/services', 'src/server'])).toEqual([]);
  });

  it('routes call services, never repositories', () => {
    expect(violations('src/server/routes', ['src/data/repos'])).toEqual([]);
  });

  // SQL only in src/data (repositories, migrations, the connection). The files listed still hold SQL and are being
  // moved by issue 9's branch; delete each name from the list when its SQL has moved.
  it('services and the server hold no SQL (it lives in src/data/repos)', () => {
    const notYet = ['src/services/admin-users.ts', 'src/services/admin-setup.ts', 'src/services/admin-users-sheet.ts', 'src/services/admin-departments.ts', 'src/services/categories.ts'];
    const sqlLike = /\bsql`|\.(selectFrom|insertInto|updateTable|deleteFrom)\(|from\s+['"]kysely['"]/;
    const offenders = ['src/services', 'src/server']
      .flatMap((d) => filesUnder(path.join(ROOT, d)))
      .map((f) => path.relative(ROOT, f))
      .filter((f) => !notYet.includes(f) && sqlLike.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('routes take their dependencies from server/deps.ts, not from app.ts (which registers them)', () => {
    expect(violations('src/server/routes', ['src/server/app.js'])).toEqual([]);
  });
});
