import { createHash, randomUUID } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * PGlite keeps its data in a folder and has no locking of its own: two processes that open the same folder
 * each write their own copy and silently lose the other's writes. This lock makes the second opener fail
 * loudly instead, naming the process that holds the folder.
 *
 * The holder listens on a Unix domain socket beside the folder (`<folder>.lock.sock`). Ownership is the
 * listening socket itself, which the operating system closes when the holder dies, however it dies: nothing
 * trusts a process id or a host name, so a killed holder whose pid now belongs to another process, or a
 * recreated container with another host name, cannot wedge the folder. An opener connects first:
 * - the connection is accepted: a live holder. It answers with one JSON line naming itself, which the error
 *   quotes; one too busy to answer in time is still alive, so the opener is refused all the same.
 * - ENOENT: nobody holds it; ECONNREFUSED: the socket file of a holder that died, which the opener deletes
 *   (`removeIfDead`, safe against another opener doing the same). Then the opener listens on the path.
 * - listening fails with EADDRINUSE: another opener bound it first; connect again.
 * The socket server is unref'd (it keeps no script alive) and closed on release and at exit, which removes
 * its file. A path too long for a socket (about 100 bytes) falls back to os.tmpdir(), named after a hash of
 * the folder's real path; on Windows the socket is a named pipe, which leaves no file behind at all.
 */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(folder: string, holder: LockHolder | null) {
    const who = holder ? describeHolder(holder) : `a live process that did not say which within ${replyTimeoutMs / 1000} s`;
    super(
      `The embedded database in ${folder} is in use by ${who}. ` +
        'Only one process may open it: stop that process, or set DATABASE_URL to use a PostgreSQL server, ' +
        'which any number of processes can share.',
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

type LockHolder = { pid: number; host: string; command: string; since: string };

/** How long an opener waits for a holder to say who it is; PGlite can block its event loop for a while. */
const replyTimeoutMs = 2_000;
/**
 * Socket paths are limited to 104 bytes (macOS) or 108 (Linux), counting the terminating NUL; the second
 * name a dead socket is given for judging (`removeIfDead`) is `pinnedSuffixBytes` longer.
 */
const maxSocketPathBytes = 100;
const pinnedSuffixBytes = 9;

/** Takes the folder's lock; resolves to its release, or rejects with EmbeddedDatabaseInUseError. */
export async function lockEmbeddedFolder(folder: string): Promise<() => void> {
  mkdirSync(dirname(folder), { recursive: true });
  // Earlier versions wrote a JSON lock file here and trusted its pid; it means nothing now.
  rmSync(`${folder}.lock`, { force: true });
  const path = socketPath(folder);
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(1).join(' ').slice(0, 200) || process.title,
    since: new Date().toISOString(),
  };
  // Each round either ends or follows a change by another opener (a bind, a removal), so a few suffice.
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await probe(path);
    if (found.live) throw new EmbeddedDatabaseInUseError(folder, found.holder);
    if (found.stale) await removeIfDead(path);
    const server = await listen(path, me);
    if (server) return releaseOf(server);
  }
  throw new Error(`Could not take the lock ${path}: other processes kept taking and leaving it.`);
}

function socketPath(folder: string): string {
  const real = join(realpathSync(dirname(folder)), basename(folder));
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\hindsight-pglite-${hash}`;
  const beside = `${real}.lock.sock`;
  return Buffer.byteLength(beside) + pinnedSuffixBytes <= maxSocketPathBytes ? beside : join(tmpdir(), `hindsight-pglite-${hash}.lock.sock`);
}

type Probe = { live: true; holder: LockHolder | null } | { live: false; stale: boolean };

/** Connects to the lock's socket: a live holder (and what it says of itself), or none, and whether a dead one's file is left. */
function probe(path: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let connected = false;
    let reply = '';
    const settle = (outcome: Probe) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setEncoding('utf8');
    socket.setTimeout(replyTimeoutMs, () => settle({ live: true, holder: parseHolder(reply) }));
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (reply.includes('\n')) settle({ live: true, holder: parseHolder(reply) });
    });
    socket.on('end', () => settle({ live: true, holder: parseHolder(reply) }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // Accepted, then cut off: the holder was alive a moment ago, which is all an opener may go by.
      if (connected) return settle({ live: true, holder: parseHolder(reply) });
      if (error.code === 'ENOENT') return settle({ live: false, stale: false });
      if (error.code === 'ECONNREFUSED') return settle({ live: false, stale: true });
      // A full backlog: a holder that is alive but not accepting yet.
      if (error.code === 'EAGAIN') return settle({ live: true, holder: null });
      socket.destroy();
      reject(error);
    });
  });
}

function parseHolder(reply: string): LockHolder | null {
  try {
    const holder = JSON.parse(reply.split('\n')[0]!) as Partial<LockHolder>;
    return typeof holder.pid === 'number' ? { pid: holder.pid, host: String(holder.host), command: String(holder.command), since: String(holder.since) } : null;
  } catch {
    // Cut off mid-line or not ours: the holder is alive all the same, just unnamed.
    return null;
  }
}

/**
 * Deletes the socket file at `path` if its process is gone. Judged and deleted by path alone, it would race
 * another opener that saw the same dead file, deleted it first and bound its own there: this one would then
 * delete that live socket. So the file is first given a second name only this process uses, which also
 * keeps its inode from being reused; it is judged there, and `path` deleted only if it is still that inode.
 */
async function removeIfDead(path: string): Promise<void> {
  const pinned = `${path}.${randomUUID().slice(0, pinnedSuffixBytes - 1)}`;
  try {
    linkSync(path, pinned);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // Another opener removed it first.
    // A file system without hard links: delete it by path, and leave the race described above open there.
    rmSync(path, { force: true });
    return;
  }
  try {
    if ((await probe(pinned)).live) return;
    const dead = lstatSync(pinned);
    const now = lstatSync(path, { throwIfNoEntry: false });
    if (now?.ino === dead.ino && now.dev === dead.dev) rmSync(path, { force: true });
  } finally {
    rmSync(pinned, { force: true });
  }
}

/** Listens on the lock's socket, answering every connection with who holds it; null if another opener bound it first. */
function listen(path: string, me: LockHolder): Promise<Server | null> {
  const server = createServer((socket) => {
    // An opener that hangs up before reading the answer is no concern of the holder's.
    socket.on('error', () => {});
    socket.end(`${JSON.stringify(me)}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(null) : reject(error)));
    server.listen(path, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** Closing the server removes its socket file (libuv unlinks a bound path on close, before the descriptor). */
function releaseOf(server: Server): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    server.close();
  };
  process.on('exit', release);
  return release;
}

function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} (${holder.command}) on ${holder.host}, since ${holder.since}`;
}
