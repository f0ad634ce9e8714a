import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A zero-setup shop of its own: `next start` (as `npm start` runs it once built) on an embedded folder, with
 * every setting that would select an outside backend emptied (empty means unset, server/env.ts), so none of
 * the caller's leaks in: the embedded database, search by PostgreSQL full text, the broker in process, the
 * payment gateway simulator inside the web server and mail in the mailbox. The end-to-end specs that need a
 * second shop and the zero-setup benchmark start it here; it imports nothing of the shop, so both may.
 */
export type ZeroSetupShopOptions = {
  /** The project's folder, where the build is. */
  readonly root: string;
  /** The embedded database's folder, relative to `root` or absolute. */
  readonly dataDir: string;
  /** Defaults to a free one (`freePort`). */
  readonly port?: number;
  /** Settings of the caller's, over the emptied ones (PAYMENTS_URL, say) and LOG_LEVEL=warn. */
  readonly env?: Readonly<Record<string, string>>;
  /** Arguments for node before next's (`--cpu-prof`, say). */
  readonly nodeArgs?: readonly string[];
  /** Where its output goes: kept in memory for `output()` (default), or a file descriptor. */
  readonly stdout?: 'keep' | number;
};

export type ZeroSetupShop = {
  readonly port: number;
  readonly baseUrl: string;
  readonly process: ChildProcess;
  /** Resolves with its exit code and signal once it has exited. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** What it printed so far (with `stdout: 'keep'`). */
  output(): string;
  running(): boolean;
  /**
   * Resolves once it answers `session.current`; fails after `timeoutMs`, or as soon as it exits, naming what
   * it waited for and with the end of its output: before the test runner's own timeout, which says neither.
   */
  serving(timeoutMs: number): Promise<void>;
  /** Its exit code and signal once it exits by itself; fails after `timeoutMs`, with its output, and stops it. */
  exitWithin(timeoutMs: number): Promise<[number | null, NodeJS.Signals | null]>;
  /** SIGTERM, then its exit. */
  stop(): Promise<[number | null, NodeJS.Signals | null]>;
};

export async function startZeroSetupShop(options: ZeroSetupShopOptions): Promise<ZeroSetupShop> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'node_modules/next/dist/bin/next', 'start', '--port', String(port)], {
    cwd: options.root,
    env: {
      ...process.env,
      DATABASE_URL: '',
      ELASTICSEARCH_URL: '',
      NATS_URL: '',
      PAYMENTS_URL: '',
      SMTP_URL: '',
      EMBEDDED_DATA_DIR: options.dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: options.stdout === undefined || options.stdout === 'keep' ? ['ignore', 'pipe', 'pipe'] : ['ignore', options.stdout, options.stdout],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const running = () => child.exitCode === null && child.signalCode === null;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    port,
    baseUrl,
    process: child,
    exited,
    output: () => output,
    running,
    async serving(timeoutMs) {
      const url = `${baseUrl}/api/trpc/session.current`;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!running()) throw new Error(`next start on ${baseUrl} exited with ${child.exitCode ?? child.signalCode} before it answered ${url}:\n${output.slice(-4_000)}`);
        if ((await fetch(url).catch(() => null))?.ok) return;
        if (Date.now() > deadline) throw new Error(`next start on ${baseUrl} did not answer ${url} within ${timeoutMs / 1_000} s:\n${output.slice(-4_000)}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async exitWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGTERM');
          reject(new Error(`next start on ${baseUrl} had not exited after ${timeoutMs / 1_000} s; its output:\n${output.slice(-4_000)}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * A port nothing listens on now (the kernel's choice), so two runs of a suite side by side, or a suite beside
 * the developer's own shop, do not meet on a fixed one.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}
