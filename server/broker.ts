import { inProcessTransport, natsTransport, type IntegrationTransport, type TransportProblem, type TransportStats } from '@/contracts';
import type { Database } from '@/db/client';
import type { EventStore } from '@/db/event-store';
import { startShipmentInbox } from '@/integration/inbox';
import { startWarehouse, warehouseCounts, type WarehouseCounts } from '@/services/warehouse';
import { env } from './env';
import { logger } from './logger';

export type BrokerConnection = {
  readonly transport: IntegrationTransport;
  /** The warehouse's shipments and outbox, when it runs in this process (no broker). */
  readonly warehouse: (() => Promise<WarehouseCounts>) | null;
  close(): Promise<void>;
};

/**
 * The broker side of a process that runs the consumers (the worker, or the web server in zero-setup mode):
 * the transport the relay publishes to, and the shop's inbox for the warehouse's outcomes.
 *
 * With NATS_URL: JetStream, and the warehouse is a service of its own (`npm run warehouse`). Without it, the
 * contracts travel inside this process, and the warehouse runs here too, over the shop's database (its tables
 * in the schema `warehouse`): the shop still meets it only through the contracts. The subscribers start
 * before the relay does, since the in-process transport keeps nothing for a subscriber that comes later.
 */
export async function connectBroker(db: Database, store: EventStore): Promise<BrokerConnection> {
  const log = logger.child({ component: 'broker' });
  const onProblem = (problem: TransportProblem) =>
    problem.kind === 'dead-lettered'
      ? log.warn({ subject: problem.subject, reason: problem.reason, subscription: problem.subscription }, 'refused a message that breaks its contract')
      : log.warn({ err: 'error' in problem ? problem.error : undefined, subscription: problem.subscription }, `${problem.kind}; trying again`);
  if (env.NATS_URL) {
    const transport = shopNatsTransport(env.NATS_URL, 'hindsight-shop');
    const inbox = startShipmentInbox(transport, store, onProblem);
    log.info({ url: env.NATS_URL, stream: env.NATS_STREAM }, 'integration events go through NATS JetStream');
    return {
      transport,
      warehouse: null,
      async close() {
        await inbox.stop();
        await transport.close();
      },
    };
  }
  const transport = inProcessTransport(env.NATS_SUBJECT_PREFIX);
  // The inbox first: the warehouse's first pass may publish answers left in its outbox by the last run.
  const inbox = startShipmentInbox(transport, store, onProblem);
  const warehouse = await startWarehouse({
    sql: db.sql,
    transport,
    pickMs: env.WAREHOUSE_PICK_MS,
    packMs: env.WAREHOUSE_PACK_MS,
    dispatchMs: env.WAREHOUSE_DISPATCH_MS,
    missingRate: env.WAREHOUSE_MISSING_RATE,
    carrier: env.WAREHOUSE_CARRIER,
    logger: logger.child({ process: 'warehouse' }),
  });
  log.info('no NATS_URL: integration events travel inside this process, and the warehouse runs here');
  return {
    transport,
    warehouse: () => warehouseCounts(db.sql),
    async close() {
      await inbox.stop();
      await warehouse.stop();
      await transport.close();
    },
  };
}

function shopNatsTransport(servers: string, name: string): IntegrationTransport {
  return natsTransport({ servers, stream: env.NATS_STREAM, prefix: env.NATS_SUBJECT_PREFIX, name });
}

/** What the status page shows of the broker: the stream's size, the dead letters by consumer, and the warehouse's shipments when it runs in this process. */
export type BrokerStats = TransportStats & { readonly warehouse: WarehouseCounts | null };

/** The broker stats of a connection this process holds. */
export async function brokerStatsOf(connection: BrokerConnection): Promise<BrokerStats> {
  return { ...(await connection.transport.stats()), warehouse: connection.warehouse ? await connection.warehouse().catch(() => null) : null };
}

const globalForBroker = globalThis as unknown as { hindsightBrokerStats?: () => Promise<BrokerStats | null>; hindsightBrokerClient?: IntegrationTransport };

/**
 * Where the web server's status page gets the broker's stats when it runs the consumers itself (zero setup:
 * server/main/web.ts), on this thread or another.
 */
export function rememberServerBroker(stats: () => Promise<BrokerStats | null>): void {
  globalForBroker.hindsightBrokerStats = stats;
}

/**
 * What a web server publishes a retried dead letter through: JetStream, over the connection the status page's
 * stats use. Null without NATS_URL: then the messages travel inside the process that runs the consumers,
 * which need not be this one, and a retry has no broker to publish to here.
 */
export function brokerPublisher(): IntegrationTransport | null {
  if (!env.NATS_URL) return null;
  globalForBroker.hindsightBrokerClient ??= shopNatsTransport(env.NATS_URL, 'hindsight-web');
  return globalForBroker.hindsightBrokerClient;
}

/**
 * The broker as the status page shows it. In zero setup, the thread that runs the consumers answers; a web
 * server that runs no consumers asks JetStream over a connection of its own, opened on first use.
 */
export async function brokerStats(): Promise<BrokerStats | null> {
  const own = globalForBroker.hindsightBrokerStats;
  if (own) return own();
  const transport = brokerPublisher();
  if (!transport) return null;
  // The warehouse service's own database is its business: the broker is all a web server sees of it.
  return { ...(await transport.stats()), warehouse: null };
}
