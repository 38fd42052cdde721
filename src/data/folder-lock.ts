// One process per PGlite data folder. PGlite has a single writer and no server: a second process on the same
// folder works on its own copy in memory and what it writes is lost (or the folder is damaged). The lock file
// names the process holding the folder so the message can say what to do.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_NAME = 'gridwork.lock';

interface Holder {
  pid: number;
  since: string;
  command: string;
}

export class DataFolderBusy extends Error {
  constructor(
    readonly folder: string,
    readonly holder: Holder,
  ) {
    super(
      [
        `The data folder ${folder} is in use by another Gridwork process (pid ${holder.pid}, since ${holder.since}: ${holder.command}).`,
        `数据目录 ${folder} 正被另一个网格通进程使用（pid ${holder.pid}）。`,
        '',
        'The embedded database (PGlite) allows one process per data folder. Either:',
        '  - stop that process, run this command, then start the server again; or',
        '  - make the change in the running platform (the admin pages, or its HTTP API under /api); or',
        '  - use PostgreSQL (DATABASE_URL), where the server and the CLI may run at the same time.',
        `If no Gridwork process is running, the lock is left from a crash: delete ${path.join(folder, LOCK_NAME)}.`,
      ].join('\n'),
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock or throws DataFolderBusy; a lock left by a dead process is taken over. Returns the release. */
export function lockDataFolder(folder: string): () => void {
  const file = path.join(folder, LOCK_NAME);
  const me: Holder = { pid: process.pid, since: new Date().toISOString(), command: process.argv.slice(1).map((a) => path.basename(a)).join(' ') };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const now = JSON.parse(readFileSync(file, 'utf8')) as Holder;
          if (now.pid === process.pid) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: Holder | null = null;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as Holder;
      } catch {
        holder = null; // being written right now, or garbage: judged again below
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataFolderBusy(folder, holder);
      if (holder && holder.pid === process.pid) throw new DataFolderBusy(folder, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
