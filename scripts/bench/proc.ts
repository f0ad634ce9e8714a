import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

/**
 * What /proc says of a process on this machine: its memory and its CPU time. For PostgreSQL backends, found
 * by the application name their pool connected with; a server on another machine has pids that mean
 * nothing here, so only backends that are PostgreSQL processes on this machine are returned.
 */
export async function localBackends(admin: postgres.Sql, applicationName: string): Promise<number[]> {
  const rows = await admin<{ pid: number }[]>`select pid from pg_stat_activity where application_name = ${applicationName}`;
  return rows.map((row) => row.pid).filter((pid) => /^Name:\s+postgres$/m.test(readProc(`/proc/${pid}/status`) ?? ''));
}

/** A field of /proc/<pid>/status (VmRSS, RssAnon, …) in bytes; 0 once the process has gone. */
export function statusBytes(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readProc(`/proc/${pid}/status`) ?? '')?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

let ticksPerSecond: number | undefined;

/** The CPU time (user and system) the process has used, in microseconds; 0 once it has gone. */
export function cpuMicroseconds(pid: number): number {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === null) return 0;
  // "pid (comm) state …": the command name may hold spaces, so fields count from its closing bracket;
  // utime and stime are the 14th and 15th fields, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1_000_000;
}

/** A file under /proc, or null if its process has exited (its files go with it). */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    throw error;
  }
}
