import { readdirSync, readFileSync } from 'node:fs';

export type MemorySampler = {
  /** The highest resident memory sampled from `since` (a `performance.now()`) until now, in MiB. */
  maxMiBSince(since: number): number;
  /** Samples once more and returns it, in MiB. */
  nowMiB(): number;
  stop(): void;
};

/**
 * Samples the resident memory (VmRSS) of a process and every process below it every `intervalMs`: the
 * memory the machine gives it, whatever its runtime says of its heap. `next start` serves from its own
 * process today; its descendants are counted too, so a version that forks workers is measured whole.
 */
export function sampleMemory(rootPid: number, intervalMs = 250): MemorySampler {
  const samples: { at: number; bytes: number }[] = [];
  const sample = () => {
    const bytes = processTree(rootPid).reduce((sum, pid) => sum + residentBytes(pid), 0);
    samples.push({ at: performance.now(), bytes });
    return bytes;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    maxMiBSince(since) {
      const bytes = samples.filter((entry) => entry.at >= since).map((entry) => entry.bytes);
      return toMiB(Math.max(0, ...bytes));
    },
    nowMiB: () => toMiB(sample()),
    stop: () => clearInterval(timer),
  };
}

const toMiB = (bytes: number) => bytes / 2 ** 20;

/** `rootPid` and its descendants, from the parent id in each /proc/<pid>/stat. */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    if (stat === null) continue;
    // "pid (comm) state ppid …": the command name may hold spaces and brackets, so fields count from its end.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

function residentBytes(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readProc(`/proc/${pid}/status`) ?? '')?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

/** A file under /proc, or null if its process has exited since the folder was listed (its files go with it). */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH') return null;
    throw error;
  }
}
