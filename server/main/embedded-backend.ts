import { resolve } from 'node:path';
import { catchUp, runConsumers } from '@/db/consumers';
import { openEmbedded, type EmbeddedDatabase } from '@/db/embedded';
import { runTimerService } from '@/processes/timers/service';
import { brokerStatsOf, connectBroker, type BrokerStats } from '../broker';
import { shopEventStore } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { shopMailer } from '../mail';
import { connectPayments } from '../payments';
import { serverSearch } from '../search';
import { seedShop } from '../seed';
import { runShopRebuilds, shopConsumers } from './consumers';

export type EmbeddedBackend = {
  readonly db: EmbeddedDatabase;
  /** The payment gateway simulator it runs, on a loopback port. */
  readonly paymentsUrl: string;
  readonly brokerStats: () => Promise<BrokerStats>;
  /**
   * Stops the consumers and the timers (a batch under way commits with its checkpoint, or rolls back), then
   * closes the broker, the payment gateway, the mailer and the database, whose folder is then free.
   */
  stop(): Promise<void>;
};

/**
 * Zero setup's back end, on whichever thread calls it (server/main/web.ts): opens (or creates) the embedded
 * database, migrates it, seeds it on first start, brings the read models up to the log, and then runs what
 * the worker process runs in the full stack (every consumer, the timers, the in-process warehouse and payment
 * gateway) in the background. No other thread or process may open the database. `onStopped` hears of the
 * consumers or the timers stopping, which they do only on a failure.
 */
export async function startEmbeddedBackend(onStopped: (error: unknown) => void): Promise<EmbeddedBackend> {
  const log = logger.child({ process: 'web' });
  log.info({ folder: env.EMBEDDED_DATA_DIR }, 'opening the embedded database');
  const db = await openEmbedded(resolve(env.EMBEDDED_DATA_DIR));
  const store = shopEventStore(db.sql);
  log.info('applying migrations');
  await db.migrate();
  if (!(await store.readHead())) {
    log.info('first start: seeding the demo shop');
    const seeded = await seedShop({ db, store }, (done, total) => log.info({ done, total }, 'seeding'));
    log.info(seeded, 'seeded the demo shop');
  }
  const payments = await connectPayments(db);
  // Before the consumers: the in-process warehouse and the inbox must be subscribed when the relay publishes.
  const broker = await connectBroker(db, store);
  const mailer = shopMailer(db.orm);
  const consumers = shopConsumers({ search: serverSearch(), store, payments: payments.client, mailer, transport: broker.transport });
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
  // They run until `stop` (the web server's SIGTERM, server/main/shutdown.ts), or as long as the process does:
  // it may end at any moment, which the log and the consumers are built to survive (a command is answered
  // after its append commits; a batch commits with its checkpoint).
  const stopping = new AbortController();
  const untilExit = stopping.signal;
  const running = Promise.all([
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
    runShopRebuilds(source, serverSearch(), untilExit),
  ]).then(
    () => {
      if (!stopping.signal.aborted) onStopped(new Error('the consumers stopped'));
    },
    (error: unknown) => {
      if (!stopping.signal.aborted) onStopped(error);
    },
  );
  let stopped: Promise<void> | undefined;
  return {
    db,
    paymentsUrl: payments.url,
    brokerStats: () => brokerStatsOf(broker),
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await running;
        await broker.close();
        await mailer.close();
        await payments.close();
        await db.close();
      })();
      return stopped;
    },
  };
}
