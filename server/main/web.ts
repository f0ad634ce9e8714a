import { catchUp, runConsumers } from '@/db/consumers';
import { EmbeddedDatabaseInUseError } from '@/db/embedded-lock';
import { serverDatabase } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { serverSearch } from '../search';
import { seedShop } from '../seed';
import { runTimerService } from '@/processes/timers/service';
import { connectBroker, rememberServerBroker } from '../broker';
import { serverPayments } from '../payments';
import { shopMailer } from '../mail';
import { shopConsumers } from './consumers';

/**
 * Zero-setup mode, run once when the web server starts without DATABASE_URL (instrumentation.ts): open (or
 * create) the embedded database, migrate it, seed it on first start, and run every consumer of the log inside
 * this process, since no other process may open the embedded database.
 */
export async function startEmbeddedShop(): Promise<void> {
  const started = Date.now();
  const log = logger.child({ process: 'web' });
  log.info({ folder: env.EMBEDDED_DATA_DIR }, 'opening the embedded database');
  const { db, store } = await serverDatabase();
  log.info('applying migrations');
  await db.migrate();
  if (!(await store.readHead())) {
    log.info('first start: seeding the demo shop');
    const seeded = await seedShop({ db, store }, (done, total) => log.info({ done, total }, 'seeding'));
    log.info(seeded, 'seeded the demo shop');
  }
  const payments = await serverPayments();
  // Before the consumers: the in-process warehouse and the inbox must be subscribed when the relay publishes.
  const broker = await connectBroker(db, store);
  rememberServerBroker(broker);
  const consumers = shopConsumers({ search: serverSearch(), store, payments: payments.client, mailer: shopMailer(db.orm), transport: broker.transport });
  const source = { orm: db.orm, store };
  // Bring the read models up to the log before serving, so the first page shows the shop rather than an
  // empty catalog (after the first start this is whatever was appended while the server was down).
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
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  runConsumers(source, consumers, {
    batchSize: env.CONSUMER_BATCH_SIZE,
    pollMs: env.CONSUMER_POLL_MS,
    delayMs: env.CONSUMER_DELAY_MS,
    logger,
    signal: controller.signal,
  }).catch((error: unknown) => logger.fatal({ err: error }, 'the in-process consumers stopped'));
  runTimerService(db.orm, store, {
    signal: controller.signal,
    onError: (error) => logger.warn({ err: error }, 'could not fire due timers; trying again'),
  }).catch((error: unknown) => logger.fatal({ err: error }, 'the timer service stopped'));
  log.info({ seconds: (Date.now() - started) / 1000 }, 'ready; every consumer runs in this process');
}

/**
 * What instrumentation.ts does when `startEmbeddedShop` fails. Next.js would log the error and serve on,
 * answering every request with HTTP 500, so that no supervisor restarts it: exit instead, non-zero. A folder
 * another process holds needs only the lock's message, which names that process.
 */
export function exitAfterFailedStart(error: unknown): never {
  const log = logger.child({ process: 'web' });
  if (error instanceof EmbeddedDatabaseInUseError) log.fatal(error.message);
  else log.fatal({ err: error }, 'the shop could not start');
  process.exit(1);
}
