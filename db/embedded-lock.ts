import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * PGlite keeps its data in a folder and has no locking of its own: two processes that open the same folder
 * each write their own copy and silently lose the other's writes. This lock file makes the second opener
 * fail loudly instead, naming the process that holds the folder.
 */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(folder: string, holder: LockHolder) {
    super(
      `The embedded database in ${folder} is in use by process ${holder.pid} (${holder.command}) on ` +
        `${holder.host}, since ${holder.since}. Only one process may open it: stop that process, or set ` +
        'DATABASE_URL to use a PostgreSQL server, which any number of processes can share.',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

type LockHolder = { pid: number; host: string; command: string; since: string };

/** Takes the folder's lock (replacing one left by a process that no longer runs); returns its release. */
export function lockEmbeddedFolder(folder: string): () => void {
  const path = `${folder}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' ').slice(0, 200) || process.title,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && isRunning(holder)) throw new EmbeddedDatabaseInUseError(folder, holder);
      // The holder is gone (a crash, a kill -9): its lock is stale.
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}.`);
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    // Unreadable or half-written: treat it as a lock nobody holds.
    return null;
  }
}

function isRunning(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // Another machine's process: we cannot tell, so assume so.
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
