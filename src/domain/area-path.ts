// Area paths: where a division or grid sits in the tree, as a string of ids ('/1/2/5/g12/': divisions 1 › 2 › 5,
// grid 12). Scopes, case areas and rollups are prefixes of these paths, so building and reading them is one rule,
// here. Pure.

/** The path of a division under its parent division's path (a street's parent is the root, '/'). */
export function divisionPathOf(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

/** The path of a grid under its parent's path (a division or another grid). */
export function gridPathOf(parentPath: string, id: number): string {
  return `${parentPath}g${id}/`;
}

/** The grid id at the end of an area path ('/1/2/5/g12/' → 12), or null for a division path (unrouted case). */
export function gridIdOfPath(path: string): number | null {
  const m = /g(\d+)\/$/.exec(path);
  return m ? Number(m[1]) : null;
}

/** The path without its last grid ('/1/2/5/g12/' → '/1/2/5/'): the division holding a grid. */
export function divisionPathAbove(gridPath: string): string {
  return gridPath.replace(/g\d+\/$/, '');
}

/** The parent path: one segment up ('/1/2/5/' → '/1/2/'). */
export function parentPathOf(path: string): string {
  return path.split('/').slice(0, -2).join('/') + '/';
}

/** Whether `path` lies in the subtree of `prefix` (itself included). */
export function isUnder(path: string, prefix: string): boolean {
  return path.startsWith(prefix);
}

/** The exclusive upper bound of the byte-ordered key range holding every path under a prefix ending in '/'. */
export function prefixEnd(prefix: string): string {
  if (!prefix.endsWith('/')) throw new Error(`scope path must end with '/': ${prefix}`);
  return `${prefix.slice(0, -1)}0`; // '0' follows '/' in byte order
}
