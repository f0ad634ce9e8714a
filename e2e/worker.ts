import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The worker as its own process, exactly as `npm run worker` runs it, so a test can stop it and start it
 * again. A small artificial delay per batch keeps the consistency banner on screen long enough to be seen.
 */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly settings: {
      databaseUrl: string;
      indexPrefix: string;
      delayMs: number;
      /** The suite's payment gateway process and SMTP listener, and the fulfillment waits (run-mode.ts). */
      env: Record<string, string>;
    },
  ) {}

  /**
   * Starts the worker; resolves once every consumer has caught up with the log. A worker that has not within
   * `readyWithinMs` is killed, and the start fails naming what it waited for, with the worker's log: before
   * the fixture's own timeout, which would leave the process running and say only that time ran out.
   */
  async start(readyWithinMs = 60_000): Promise<void> {
    if (this.child) return;
    this.output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main/worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: this.settings.databaseUrl,
        ELASTICSEARCH_INDEX_PREFIX: this.settings.indexPrefix,
        CONSUMER_DELAY_MS: String(this.settings.delayMs),
        ...this.settings.env,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const caughtUp = new CatchUpWatch();
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        this.child = null;
        child.kill('SIGKILL');
        reject(new Error(`the worker's consumers had not all caught up with the log after ${readyWithinMs / 1_000} s (${caughtUp.describe()}); its log:\n${this.output}`));
      }, readyWithinMs);
      let pending = '';
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        if (lines.some((line) => caughtUp.read(line))) {
          clearTimeout(deadline);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(deadline);
        this.child = null;
        reject(new Error(`the worker exited with ${code} before its consumers caught up:\n${this.output}`));
      });
    });
  }

  /** SIGTERM: the worker finishes its current batches (or rolls them back) and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Follows the worker's structured log (one JSON object per line): its start line names every consumer, and
 * each consumer logs "caught up" once it has read everything committed so far.
 */
class CatchUpWatch {
  private consumers: string[] | null = null;
  private readonly caughtUp = new Set<string>();

  /** Takes one log line; true once every consumer has caught up. */
  read(line: string): boolean {
    const entry = parse(line);
    if (entry?.msg === 'worker started' && Array.isArray(entry.consumers)) this.consumers = entry.consumers.map(String);
    if (entry?.msg === 'caught up' && typeof entry.consumer === 'string') this.caughtUp.add(entry.consumer);
    return this.consumers !== null && this.consumers.every((name) => this.caughtUp.has(name));
  }

  /** Which consumers it still waits for, for an error message. */
  describe(): string {
    if (!this.consumers) return 'no "worker started" line yet';
    const waiting = this.consumers.filter((name) => !this.caughtUp.has(name));
    return `still waiting for ${waiting.join(', ')}`;
  }
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    // Not every line a process prints is one of its log's (a warning from Node itself, say).
    return null;
  }
}
