import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

type LogEntry = Record<string, unknown>;

export type EntryPoint = {
  waitFor(predicate: (entry: LogEntry) => boolean, timeoutMs: number): Promise<LogEntry>;
  /** Throws, with what it printed, if the process has exited. */
  assertRunning(): void;
  /** The messages it logged at error level or above. */
  problems(): string[];
  stop(): Promise<void>;
};

/**
 * One of the shop's entry points (server/main/*.ts) as a process of its own, as `npm run worker` or
 * `npm run payments` start it, following its JSON log: to wait for a line, to report what it logged at error
 * level, and to say what it printed when it exited early. `env` is added to this process's environment.
 */
export function startEntryPoint(script: string, env: Record<string, string>): EntryPoint {
  // BENCH_CPU_PROFILE=DIR writes each entry point's CPU profile there when it stops (open it in Chrome's
  // DevTools, Performance tab): where the processes under test spend their time.
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let pending = '';
  const problems: string[] = [];
  const listeners = new Set<(entry: LogEntry) => void>();
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    // Only the end is kept: enough to explain an exit, bounded however long the process runs.
    output = (output + text).slice(-20_000);
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const entry = parseLine(line);
      if (!entry) continue;
      if (typeof entry.level === 'number' && entry.level >= 50) problems.push(`${String(entry.msg)}: ${JSON.stringify(entry.err ?? '')}`.slice(0, 500));
      for (const listener of listeners) listener(entry);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // A spawn failure is an 'error' event, which `once` rejects with; assertRunning reports the exit itself.
  const exited = once(child, 'exit').catch(() => undefined);
  const describeExit = () => new Error(`${script} exited with ${child.exitCode ?? child.signalCode}:\n${output}`);
  return {
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (outcome: () => void) => {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
          outcome();
        };
        const listener = (entry: LogEntry) => predicate(entry) && done(() => resolve(entry));
        const onExit = () => done(() => reject(describeExit()));
        const timer = setTimeout(() => done(() => reject(new Error(`${script} was not ready within ${timeoutMs} ms:\n${output}`))), timeoutMs);
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    assertRunning() {
      if (child.exitCode !== null || child.signalCode !== null) throw describeExit();
    },
    problems: () => problems,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function parseLine(line: string): LogEntry | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as LogEntry) : null;
  } catch {
    // Not every line a process prints is one of its log's (a warning from Node itself, say).
    return null;
  }
}

/**
 * The payment gateway simulator as its own process over the bench database, answering at once and never
 * failing (the shop's own processes would otherwise each run one in process, competing with the web server
 * for its event loop); returns its URL. It is added to `running`, which the caller stops.
 */
export async function startPaymentsProcess(databaseUrl: string, running: EntryPoint[]): Promise<string> {
  const gateway = startEntryPoint('server/main/payments.ts', {
    PAYMENTS_DATABASE_URL: databaseUrl,
    PAYMENTS_PORT: '0',
    PAYMENTS_LATENCY_MS: '0',
    PAYMENTS_LATENCY_JITTER_MS: '0',
    PAYMENTS_FAILURE_RATE: '0',
    // Its start line (info) names the port it took; it logs nothing per request.
    LOG_LEVEL: 'info',
  });
  running.push(gateway);
  const listening = await gateway.waitFor((entry) => entry.msg === 'payment gateway listening', 60_000);
  return String(listening.url);
}
