import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import postgres from 'postgres';
import { connect } from '../../db/client';
import { localBackends, statusBytes } from './proc';
import { formatCount, type BenchContext, type Measurement } from './types';

/**
 * Memory over a million appends to existing streams: the appending process (append-memory-process.ts, the
 * event store over a pool the web server's size) and the PostgreSQL backends serving its pool, sampled from
 * /proc/<pid>/status every twentieth of the run. A statement whose text changes with the stream's version
 * is kept, prepared, by postgres.js and by each backend for as long as the connection lives, so its cost
 * grows with every append; a statement that depends only on the append's shape is prepared once per
 * connection and the memory stays flat. Flat is judged from the sample after the first tenth of the
 * appends (pools open, plans cached, the heap grown to its working size) to the last.
 *
 * A backend's VmRSS also counts the pages of shared buffers it has touched, which grows towards
 * `shared_buffers` as the log grows, whether or not anything leaks; its private memory (RssAnon) is where a
 * backend keeps its prepared statements and plans, so that is what the flat target holds it to. Both are
 * shown.
 */
const writers = 10;
/** The web server's pool (server/db.ts). */
const pool = 10;

type Sample = { readonly appended: number; readonly processRss: number; readonly backendsAnon: number; readonly backendsRss: number };

export async function measureAppendMemory(context: BenchContext): Promise<Measurement[]> {
  const appends = context.size(1_000_000, 2_000);
  const every = appends / 20;
  const databaseUrl = await context.freshDatabase();
  const db = connect(databaseUrl, { max: 1 });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  const name = `hindsight-bench-memory-${randomUUID().slice(0, 8)}`;
  context.log(`memory: ${formatCount(appends)} appends by ${writers} writers over a pool of ${pool} …`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/append-memory-process.ts', '--url', databaseUrl, '--name', name,
      '--appends', String(appends), '--writers', String(writers), '--pool', String(pool), '--every', String(every)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => void (errors = (errors + chunk.toString()).slice(-4_000)));
  const exited = once(child, 'exit');
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const samples: Sample[] = [];
  let backends: number[] | null = null;
  let eventsPerSecond = 0;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const message = JSON.parse(line) as { appended?: number; done?: boolean; eventsPerSecond?: number };
      if (message.done) {
        eventsPerSecond = message.eventsPerSecond ?? 0;
        continue;
      }
      // By the first sample every writer has appended, so the whole pool is open.
      backends ??= await localBackends(admin, name);
      samples.push({
        appended: message.appended ?? 0,
        processRss: statusBytes(child.pid!, 'VmRSS'),
        backendsAnon: backends.reduce((sum, pid) => sum + statusBytes(pid, 'RssAnon'), 0),
        backendsRss: backends.reduce((sum, pid) => sum + statusBytes(pid, 'VmRSS'), 0),
      });
    }
    const [code] = (await exited) as [number | null];
    if (code !== 0) throw new Error(`append-memory-process.ts exited with ${code}:\n${errors}`);
  } finally {
    await admin.end();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  const tenth = samples.find((sample) => sample.appended >= appends / 10);
  const last = samples.at(-1);
  if (!tenth || !last || last.appended !== appends) throw new Error(`memory: ${samples.length} samples, the last at ${last?.appended ?? 0} appends`);
  context.log(`memory: ${Math.round(eventsPerSecond)} events/s; ${samples.map((s) => `${s.appended}: ${mib(s.processRss)}/${mib(s.backendsAnon)}`).join(', ')}`);
  const scale = `${formatCount(appends)} appends × 1 event, each writer on its own stream, sampled every ${formatCount(every)}`;
  const row = (id: string, label: string, of: (sample: Sample) => number, extra: Record<string, number> = {}): Measurement => ({
    id: `append.memory.${id}`,
    group: 'appends',
    label,
    scale,
    concurrency: `${writers} writers, a pool of ${pool}`,
    metrics: {
      ...extra,
      firstTenthMiB: mib(of(tenth)),
      endMiB: mib(of(last)),
      maxMiB: mib(Math.max(...samples.map(of))),
      growthPercent: ((of(last) - of(tenth)) / of(tenth)) * 100,
    },
  });
  const rows = [row('process', 'the appending process (the event store, as in the web server): resident memory (VmRSS)', (s) => s.processRss, { eventsPerSecond })];
  if (backends && backends.length > 0) {
    const its = `its ${backends.length} PostgreSQL backends`;
    rows.push(row('backends', `${its}: private memory (RssAnon, summed)`, (s) => s.backendsAnon));
    rows.push(row('backends.rss', `${its}: resident memory (VmRSS, summed; counts the shared buffers each touched)`, (s) => s.backendsRss));
  } else {
    context.log('memory: no backend of the appending process is a process on this machine; their memory is not measured');
  }
  return rows;
}

const mib = (bytes: number) => bytes / 2 ** 20;
