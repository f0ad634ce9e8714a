import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { resolve } from 'node:path';
import { catchUp, runConsumers } from '@/db/consumers';
import { serveEmbedded } from '@/db/embedded-bridge';
import { openEmbedded } from '@/db/embedded';
import { createEventStore } from '@/db/event-store';
import { runTimerService } from '@/processes/timers/service';
import { brokerStatsOf, connectBroker } from '../broker';
import { shopStoreOptions } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { shopMailer } from '../mail';
import { connectPayments } from '../payments';
import { serverSearch } from '../search';
import { seedShop } from '../seed';
import { shopConsumers } from './consumers';
import type { FromEmbeddedThread, ToEmbeddedThread } from './embedded-thread-messages';

/**
 * The zero-setup shop's second thread (started by server/main/web.ts): it opens the embedded database,
 * migrates it, seeds it on first start, brings the read models up to the log, and then runs what the worker
 * process runs in the full stack (every consumer, the timers, the in-process warehouse and payment gateway),
 * while serving the database to the web thread over the port it was given. No other thread or process may
 * open the database, so everything that touches it goes through here.
 */
const control = parentPort!;
const { database } = workerData as { database: MessagePort };
const log = logger.child({ process: 'web', thread: 'embedded' });
const send = (message: FromEmbeddedThread) => control.postMessage(message);
let serving = false;

try {
  await run();
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  // Before it serves, the web thread reports the failure (server/main/web.ts `exitAfterFailedStart`).
  if (serving) log.fatal({ err: failure }, 'the embedded database thread stopped');
  send({ type: 'failed', name: failure.name, message: failure.message, stack: failure.stack });
}

async function run(): Promise<void> {
  const started = Date.now();
  log.info({ folder: env.EMBEDDED_DATA_DIR }, 'opening the embedded database');
  const db = await openEmbedded(resolve(env.EMBEDDED_DATA_DIR));
  const store = createEventStore(db.sql, shopStoreOptions);
  log.info('applying migrations');
  await db.migrate();
  if (!(await store.readHead())) {
    log.info('first start: seeding the demo shop');
    const seeded = await seedShop({ db, store }, (done, total) => log.info({ done, total }, 'seeding'));
    log.info(seeded, 'seeded the demo shop');
  }
  const payments = await connectPayments(db);
  const mailer = shopMailer(db.orm);
  // Before the consumers: the in-process warehouse and the inbox must be subscribed when the relay publishes.
  const broker = await connectBroker(db, store);
  const consumers = shopConsumers({ search: serverSearch(), store, payments: payments.client, mailer, transport: broker.transport });
  const source = { orm: db.orm, store };
  // Bring the read models up to the log before the web thread serves, so the first page shows the shop rather
  // than an empty catalog (after the first start this is whatever was appended while the server was down).
  log.info('bringing the read models up to date');
  for (const consumer of consumers) {
    if (consumer.kind !== 'transactional') continue;
    try {
      await catchUp(source, consumer, { batchSize: 5_000, timeoutMs: 120_000 });
    } catch (error) {
      // Serve anyway: the engine below retries this consumer with a growing pause, and the status page shows
      // it behind, rather than one bad batch keeping the whole shop down.
      log.error({ err: error, consumer: consumer.name }, 'could not bring the read model up to date; retrying in the background');
    }
  }

  control.on('message', (message: ToEmbeddedThread) => {
    brokerStatsOf(broker).then(
      (stats) => send({ type: 'broker-stats', id: message.id, stats }),
      () => send({ type: 'broker-stats', id: message.id, stats: null }),
    );
  });
  serveEmbedded(db.pglite, database);
  serving = true;
  send({ type: 'ready', paymentsUrl: payments.url, seconds: (Date.now() - started) / 1000 });
  log.info({ consumers: consumers.length }, 'every consumer runs on this thread; the web thread reaches the database through it');

  // These run as long as the process does (see server/main/web.ts); a failure of either ends this thread,
  // and with it the server.
  const untilExit = new AbortController().signal;
  await Promise.all([
    runConsumers(source, consumers, {
      batchSize: env.CONSUMER_BATCH_SIZE,
      pollMs: env.CONSUMER_POLL_MS,
      delayMs: env.CONSUMER_DELAY_MS,
      logger,
      signal: untilExit,
    }),
    runTimerService(db.orm, store, {
      signal: untilExit,
      onError: (error) => log.warn({ err: error }, 'could not fire due timers; trying again'),
    }),
  ]);
}
