import { once } from 'node:events';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { bridgedEmbedded } from '@/db/embedded-bridge';
import { rememberServerBroker, type BrokerStats } from '../broker';
import { rememberServerDatabase } from '../db';
import { logger } from '../logger';
import { env } from '../env';
import { rememberServerPayments } from '../payments';
import { startEmbeddedBackend } from './embedded-backend';
import type { FromEmbeddedThread, ToEmbeddedThread } from './embedded-thread-messages';

/**
 * Zero-setup mode, run once when the web server starts without DATABASE_URL (instrumentation.ts): starts the
 * embedded database and every consumer of the log inside this process (server/main/embedded-backend.ts), and
 * resolves once the read models are up to date, before the first request is served.
 *
 * On this thread by default. With EMBEDDED_THREAD, on a worker thread of its own
 * (server/main/embedded-thread.ts): this thread then reaches the database over a MessagePort
 * (db/embedded-bridge.ts), the payment gateway simulator over loopback HTTP, and the broker's stats by
 * message. docs/run-modes.md has what each costs, measured.
 */
let stopBackend: (() => Promise<void>) | null = null;

/** Stops what `startEmbeddedShop` started (server/main/shutdown.ts, once the HTTP server has closed); nothing if it did not. */
export async function stopEmbeddedShop(): Promise<void> {
  const stop = stopBackend;
  stopBackend = null;
  await stop?.();
}

export async function startEmbeddedShop(): Promise<void> {
  const log = logger.child({ process: 'web' });
  const started = Date.now();
  if (env.EMBEDDED_THREAD) return startOnItsOwnThread();
  const backend = await startEmbeddedBackend((error) => {
    log.fatal({ err: error }, 'the consumers stopped; exiting');
    process.exit(1);
  });
  rememberServerDatabase(Promise.resolve(backend.db));
  rememberServerPayments(backend.paymentsUrl);
  rememberServerBroker(backend.brokerStats);
  stopBackend = () => backend.stop();
  log.info({ seconds: (Date.now() - started) / 1000 }, 'ready; every consumer runs in this process');
}

async function startOnItsOwnThread(): Promise<void> {
  const log = logger.child({ process: 'web' });
  const { port1: here, port2: there } = new MessageChannel();
  // Next.js compiles this file into .next/; the thread's code is read from the sources, through tsx, as the
  // worker process's is (so the bundler must not follow the path). `next start` runs in the project's folder.
  const thread = new Worker(/* turbopackIgnore: true */ sourcePath('server/main/embedded-thread-boot.mjs'), {
    workerData: { entry: sourcePath('server/main/embedded-thread.ts'), database: there },
    transferList: [there],
    name: 'embedded database',
  });
  const tell = (message: ToEmbeddedThread) => thread.postMessage(message);

  const ready = new Promise<Extract<FromEmbeddedThread, { type: 'ready' }>>((resolve, reject) => {
    thread.on('message', (message: FromEmbeddedThread) => {
      if (message.type === 'ready') resolve(message);
      if (message.type === 'failed') reject(fromThread(message));
    });
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the embedded database's thread exited (code ${code}) before it was ready`)));
  });
  // Set now, so that nothing asks for the database before the thread is ready and opens the folder itself.
  rememberServerDatabase(ready.then(() => bridgedEmbedded(here)));
  const started = await ready;

  rememberServerPayments(started.paymentsUrl);
  const statsAsked = new Map<number, (stats: BrokerStats | null) => void>();
  let nextStats = 1;
  thread.on('message', (message: FromEmbeddedThread) => {
    if (message.type === 'failed') log.fatal({ err: fromThread(message) }, 'the consumers on the embedded database thread stopped');
    if (message.type !== 'broker-stats') return;
    statsAsked.get(message.id)?.(message.stats);
    statsAsked.delete(message.id);
  });
  rememberServerBroker(
    () =>
      new Promise((resolve) => {
        const id = nextStats++;
        statsAsked.set(id, resolve);
        tell({ type: 'broker-stats', id });
      }),
  );

  // From here on the shop cannot serve without that thread: if it ends, exit, so a supervisor restarts the
  // whole server rather than it answering every request with an error.
  thread.on('error', (error) => log.fatal({ err: error }, 'the embedded database thread failed'));
  const exitWithThread = (code: number) => {
    log.fatal({ code }, 'the embedded database thread stopped; exiting');
    process.exit(1);
  };
  thread.on('exit', exitWithThread);
  // Asked to stop, the thread stops its back end and ends: that exit is no failure.
  stopBackend = async () => {
    thread.off('exit', exitWithThread);
    const exited = once(thread, 'exit');
    tell({ type: 'stop' });
    await exited;
  };
  log.info({ seconds: started.seconds }, 'ready; every consumer runs in this process, on a thread of its own');
}

function fromThread(failure: Extract<FromEmbeddedThread, { type: 'failed' }>): Error {
  return Object.assign(new Error(failure.message), { name: failure.name, stack: failure.stack });
}

function sourcePath(file: string): string {
  return join(/* turbopackIgnore: true */ process.cwd(), file);
}

/**
 * What instrumentation.ts does when `startEmbeddedShop` fails. Next.js would log the error and serve on,
 * answering every request with HTTP 500, so that no supervisor restarts it: exit instead, non-zero. A folder
 * another process holds needs only the lock's message, which names that process.
 */
export function exitAfterFailedStart(error: unknown): never {
  const log = logger.child({ process: 'web' });
  if (error instanceof Error && error.name === 'EmbeddedDatabaseInUseError') log.fatal(error.message);
  else log.fatal({ err: error }, 'the shop could not start');
  process.exit(1);
}
