import { connect } from '@/db/client';
import { runConsumers } from '@/db/consumers';
import { shopEventStore } from '../db';
import { env } from '../env';
import { logger } from '../logger';
import { serverSearch } from '../search';
import { runTimerService } from '@/processes/timers/service';
import { connectBroker } from '../broker';
import { connectPayments } from '../payments';
import { shopMailer } from '../mail';
import { startMetricsServer } from '../telemetry/metrics-server';
import { startTracing, stopTracing } from '../telemetry/tracing';
import { runShopRebuilds, shopConsumers } from './consumers';

/**
 * `npm run worker`: runs every consumer of the log (read models, the fulfillment process and its timers, the
 * payment step, the relay to the broker, the fraud check and the mail) and the shop's inbox for the warehouse's answers as a process of its own beside the web server. Stop it at any moment (Ctrl-C, SIGTERM, a crash): a transactional consumer's batch commits with
 * its checkpoint, and an external one's checkpoint moves only after the outside system acknowledged, so the
 * next start continues where the last batch ended and applies nothing twice. Several workers may run at once.
 */
if (!env.DATABASE_URL) {
  logger.error(
    'The worker runs as its own process only against a PostgreSQL server (set DATABASE_URL). With the ' +
      'embedded database, the web server runs every consumer itself: `npm start` is all you need.',
  );
  process.exit(1);
}

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'worker stopping');
    controller.abort();
  });
}

startTracing({ endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: 'hindsight-worker' });
// Its own batches, appends and process figures; the lag of every consumer is the web server's /api/metrics.
const metricsServer =
  env.WORKER_METRICS_PORT === undefined ? null : await startMetricsServer({ host: env.METRICS_HOST, port: env.WORKER_METRICS_PORT });
const search = serverSearch();
// Read models are rebuilt from the log, so their commits need not wait for the disk (see `connect`). The
// process's decisions go through the event store's own pool, which always commits durably. The process and
// the steps append side by side for many orders at once, so that pool is the larger; a read model holds one
// connection per batch. 28 in all: a PostgreSQL server allows 100 by default, and the web server and the
// payment gateway need theirs.
const db = connect(env.DATABASE_URL, { max: 20, readModelMax: 8, applicationName: 'hindsight-worker', asyncReadModelCommits: true });
const store = shopEventStore(db.sql);
const payments = await connectPayments(db);
const mailer = shopMailer(db.orm);
// Before the consumers: its subscribers must be listening when the relay first publishes.
const broker = await connectBroker(db, store);
const consumers = shopConsumers({ search, store, payments: payments.client, mailer, transport: broker.transport });
logger.info(
  {
    consumers: consumers.map((consumer) => consumer.name),
    batchSize: env.CONSUMER_BATCH_SIZE,
    search: search.kind === 'elasticsearch' ? env.ELASTICSEARCH_URL : 'postgres full text',
    broker: env.NATS_URL ?? 'in process (no NATS_URL)',
    metrics: metricsServer?.url ?? 'off (no WORKER_METRICS_PORT)',
  },
  'worker started',
);
try {
  await Promise.all([
    runConsumers({ orm: db.orm, store }, consumers, {
      batchSize: env.CONSUMER_BATCH_SIZE,
      pollMs: env.CONSUMER_POLL_MS,
      delayMs: env.CONSUMER_DELAY_MS,
      lease: { ttlMs: env.CONSUMER_LEASE_TTL_MS, heartbeatMs: env.CONSUMER_HEARTBEAT_MS },
      logger,
      signal: controller.signal,
    }),
    runTimerService(db.orm, store, {
      signal: controller.signal,
      onError: (error) => logger.warn({ err: error }, 'could not fire due timers; trying again'),
    }),
    runShopRebuilds({ orm: db.orm, store }, search, controller.signal),
  ]);
} finally {
  await broker.close();
  await mailer.close();
  await payments.close();
  await Promise.all([db.close(), search.client?.close(), metricsServer?.close(), stopTracing()]);
}
logger.info('worker stopped');
