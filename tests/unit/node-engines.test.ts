// Every installed package must run on the Node.js lines package.json promises (20 today, 22 next): a dependency
// that moves to "node >= 22" is pinned to its last line for 20, or overridden in package.json, never let through.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; os?: string[]; cpu?: string[] }>;
};

function forThisMachine(entry: { os?: string[]; cpu?: string[] }): boolean {
  const admits = (list: string[] | undefined, value: string) =>
    !list || (list.some((x) => !x.startsWith('!')) ? list.includes(value) : !list.includes(`!${value}`));
  return admits(entry.os, process.platform) && admits(entry.cpu, process.arch);
}

describe('Node.js engines of the installed packages', () => {
  const ours = semver.minVersion(pkg.engines.node)!.version;
  const lines = [ours, '22.13.0'];

  it('package.json promises Node.js 20', () => {
    expect(semver.satisfies('20.19.0', pkg.engines.node)).toBe(true);
  });

  it.each(lines)('every package in the lock file accepts Node.js %s', (node) => {
    const refused: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!where || !range) continue;
      // a prebuilt binary for another platform is never installed here
      if (!forThisMachine(entry)) continue;
      if (!semver.satisfies(node, range, { includePrerelease: false, loose: true })) refused.push(`${where.replace(/^.*node_modules\//, '')}@${entry.version}: node ${range}`);
    }
    expect(refused).toEqual([]);
  });
});
