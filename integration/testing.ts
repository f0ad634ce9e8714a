import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, beforeEach } from 'vitest';
import { natsTransport, type IntegrationTransport, type NatsTransportOptions, type RunningSubscription } from '@/contracts';
import { deleteTestStream, localNatsServer, testNatsUrl, testStreamNames, type LocalNatsServer } from '@/contracts/testing';
import { pino } from 'pino';
import { runConsumers, type Consumer, type ConsumerSource } from '@/db/consumers';
import { createEventStore, type EventStore } from '@/db/event-store';
import { createTestDatabase, type TestDatabase } from '@/db/testing';
import { fulfillmentStreamId, orderStreamId, shipmentStreamId, shopEventSchemas, type ShipmentRequested } from '@/domain';
import type { SqlExecutor } from '@/db/sql';
import { runTimerService } from '@/processes/timers/service';
import { startWarehouse, type Warehouse } from '@/services/warehouse';
import { startShipmentInbox } from './inbox';

/**
 * Shared by the integration specs (the relay, the inbox, and the faults of docs/integration-events.md): a
 * database and a JetStream stream of each test's own, brokers a test may take away, and what the specs read
 * back from the broker to prove "once".
 */

export type IntegrationTestContext = {
  /** A fresh copy of the migrated test database, dropped after the test. */
  readonly db: TestDatabase & { readonly url: string };
  /** The shop's event store on it. */
  readonly store: EventStore;
  readonly source: ConsumerSource;
  /** The test's stream and subject prefix: no other test, and no other run, sees its messages. */
  readonly names: { readonly stream: string; readonly prefix: string };
  /**
   * A JetStream transport on the test's stream: one per process the test plays (the shop, the warehouse), as
   * in production each has its own connection. Closed after the test; the stream on the shared broker deleted.
   */
  transport(options?: Partial<Pick<NatsTransportOptions, 'servers' | 'name' | 'publishTimeoutMs' | 'duplicateWindowMs'>>): IntegrationTransport;
  /** A nats-server of the test's own, started, for a test that takes the broker away; killed after the test. */
  localBroker(): Promise<LocalNatsServer>;
  /** Runs after the test, the last deferred first (consumers before the transports and database they use). */
  defer(cleanup: () => Promise<void>): void;
  /**
   * The warehouse service on the test's database over `transport` (a connection of its own, as its process
   * would have), answering at once; stopped after the test.
   */
  warehouse(transport: IntegrationTransport): Promise<Warehouse>;
  /** The shop's inbox for the warehouse's answers over `transport`; stopped after the test. */
  shopInbox(transport: IntegrationTransport): RunningSubscription;
  /** The consumers and the timer service, running as the worker runs them until the test ends. */
  runWorker(consumers: readonly Consumer[]): void;
};

export function useIntegrationTest(): IntegrationTestContext {
  let current: {
    db: TestDatabase & { url: string };
    store: EventStore;
    names: { stream: string; prefix: string };
    onSharedBroker: boolean;
  } | null = null;
  let cleanups: (() => Promise<void>)[] = [];
  const now = () => {
    if (!current) throw new Error('the test context is only there once beforeEach has run');
    return current;
  };
  beforeEach(async () => {
    const db = await createTestDatabase();
    if (!db.url) throw new Error('the integration specs run against the PostgreSQL server (child processes connect to it)');
    current = { db: { ...db, url: db.url }, store: createEventStore(db.sql, { schemas: shopEventSchemas }), names: testStreamNames(), onSharedBroker: false };
  });
  afterEach(async () => {
    const { db, store } = now();
    const failures: unknown[] = [];
    // Every clean-up runs, even after one failed: a child process or a consumer left running would outlive the test.
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => failures.push(error));
    cleanups = [];
    current = null;
    // A NOTIFY still owed to the consumers would otherwise go to a closed connection.
    await store.settled();
    await db.drop();
    if (failures.length > 0) throw new AggregateError(failures, 'the test did not clean up after itself');
  });
  const defer = (cleanup: () => Promise<void>) => void cleanups.push(cleanup);
  return {
    get db() {
      return now().db;
    },
    get store() {
      return now().store;
    },
    get source() {
      return { orm: now().db.orm, store: now().store };
    },
    get names() {
      return now().names;
    },
    defer,
    transport(options = {}) {
      const test = now();
      const { names } = test;
      const servers = options.servers ?? testNatsUrl;
      // The stream on the shared broker is deleted once, after every transport on it has closed.
      if (servers === testNatsUrl && !test.onSharedBroker) {
        test.onSharedBroker = true;
        defer(() => deleteTestStream(names.stream));
      }
      const transport = natsTransport({ ...options, servers, ...names, name: options.name ?? `hindsight-test-${names.prefix}` });
      defer(() => transport.close());
      return transport;
    },
    async warehouse(transport) {
      const warehouse = await startWarehouse({ sql: now().db.sql, transport, pickMs: 0, packMs: 0, dispatchMs: 0, missingRate: 0 });
      defer(() => warehouse.stop());
      return warehouse;
    },
    shopInbox(transport) {
      const inbox = startShipmentInbox(transport, now().store);
      defer(() => inbox.stop());
      return inbox;
    },
    runWorker(consumers) {
      const { db, store } = now();
      const controller = new AbortController();
      const running = Promise.all([
        runConsumers({ orm: db.orm, store }, consumers, { batchSize: 100, pollMs: 100, logger: pino({ level: 'silent' }), signal: controller.signal }),
        runTimerService(db.orm, store, { signal: controller.signal, pollMs: 50 }),
      ]);
      defer(async () => {
        controller.abort();
        await running;
      });
    },
    async localBroker() {
      const storeDir = await mkdtemp(join(tmpdir(), 'hindsight-nats-'));
      const server = await localNatsServer(storeDir);
      defer(async () => {
        await server.kill();
        await rm(storeDir, { recursive: true, force: true });
      });
      await server.start();
      return server;
    },
  };
}

/** Polls `check` until it holds; fails after `timeoutMs` naming what it waited for. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export type StoredMessage = {
  readonly seq: number;
  readonly subject: string;
  /** Its `Nats-Msg-Id`. */
  readonly id: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/**
 * Every message the stream holds under `filter`, in the stream's order, read with an ordered consumer (which
 * leaves no durable state behind): what JetStream actually stored, repeats included.
 */
export async function storedMessages(stream: string, filter: string, servers = testNatsUrl): Promise<StoredMessage[]> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream, { subjects_filter: filter });
    const total = Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
    const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: filter });
    const messages: StoredMessage[] = [];
    while (messages.length < total) {
      const before = messages.length;
      const batch = await consumer.fetch({ max_messages: total - messages.length, expires: 2_000 });
      for await (const message of batch) {
        const headers: Record<string, string> = {};
        for (const [key, values] of message.headers ?? []) if (values[0] !== undefined) headers[key] = values[0];
        messages.push({ seq: message.seq, subject: message.subject, id: headers['Nats-Msg-Id'] ?? '', headers, body: message.string() });
      }
      if (messages.length === before) throw new Error(`the stream ${stream} holds ${total} messages under ${filter}, but only ${before} could be read`);
    }
    return messages;
  } finally {
    await nc.close();
  }
}

/** A durable consumer's backlog: messages not yet delivered to it, and delivered but not yet acknowledged. */
export async function consumerBacklog(stream: string, consumer: string, servers = testNatsUrl): Promise<{ pending: number; unacknowledged: number }> {
  const nc = await connect({ servers });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(stream, consumer);
    return { pending: info.num_pending, unacknowledged: info.num_ack_pending };
  } finally {
    await nc.close();
  }
}

/**
 * Resolves once a durable consumer has been delivered, and has acknowledged, everything in its stream: nothing
 * is left for it, and nothing will be delivered again.
 */
export async function consumerCaughtUp(stream: string, consumer: string, servers = testNatsUrl, timeoutMs = 20_000): Promise<void> {
  await until(
    async () => {
      const backlog = await consumerBacklog(stream, consumer, servers);
      return backlog.pending === 0 && backlog.unacknowledged === 0;
    },
    `the durable consumer ${consumer} to acknowledge everything in ${stream}`,
    timeoutMs,
  );
}

/** How many events of each type an order's streams hold: its order, its fulfillment process, its shipment. */
export type OrderEventCounts = Readonly<Record<string, number>>;

/** The counts of the given event types in each order's streams, one query for all the orders. */
export async function eventCountsByOrder(sql: SqlExecutor, orderIds: readonly string[], types: readonly string[]): Promise<Map<string, OrderEventCounts>> {
  const streams = orderIds.flatMap((orderId) => [orderStreamId(orderId), fulfillmentStreamId(orderId), shipmentStreamId(orderId)]);
  const rows = await sql.query<{ streamId: string; type: string; count: number }>(
    `select stream_id as "streamId", event_type as type, count(*)::int as count from events
     where stream_id in (select jsonb_array_elements_text($1::text::jsonb))
       and event_type in (select jsonb_array_elements_text($2::text::jsonb))
     group by stream_id, event_type`,
    [JSON.stringify(streams), JSON.stringify(types)],
  );
  const counts = new Map<string, Record<string, number>>(orderIds.map((orderId) => [orderId, Object.fromEntries(types.map((type) => [type, 0]))]));
  for (const row of rows) {
    // `order-…`, `fulfillment-…`, `shipment-…`: the order id follows the first dash.
    const ofOrder = counts.get(row.streamId.slice(row.streamId.indexOf('-') + 1));
    if (ofOrder) ofOrder[row.type] = (ofOrder[row.type] ?? 0) + row.count;
  }
  return counts;
}

/** The orders whose counts are not exactly `expected`, with their counts: `[]` when every order is as expected. */
export function ordersNotMatching(counts: Map<string, OrderEventCounts>, expected: OrderEventCounts): { orderId: string; counts: OrderEventCounts }[] {
  return [...counts]
    .filter(([, actual]) => Object.entries(expected).some(([type, count]) => actual[type] !== count))
    .map(([orderId, actual]) => ({ orderId, counts: actual }));
}

/** True once every order has been delivered, once. */
export async function allDelivered(sql: SqlExecutor, orderIds: readonly string[]): Promise<boolean> {
  return ordersNotMatching(await eventCountsByOrder(sql, orderIds, ['OrderDelivered']), { OrderDelivered: 1 }).length === 0;
}

/** Each order's steps in the order-progress read model, in the order the order page shows them. */
export async function progressSteps(sql: SqlExecutor, orderIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await sql.query<{ orderId: string; steps: string[] }>(
    `select order_id as "orderId", json_agg(step order by global_position) as steps from order_progress
     where order_id in (select jsonb_array_elements_text($1::text::jsonb))
     group by order_id`,
    [JSON.stringify(orderIds)],
  );
  return new Map(rows.map((row) => [row.orderId, row.steps]));
}

/** A `ShipmentRequested` as the fulfillment process records it for a paid order, for a fresh order id. */
export function shipmentRequestedEvent(orderId: string = randomUUID()): ShipmentRequested {
  return {
    type: 'ShipmentRequested',
    data: {
      orderId,
      lines: [{ productId: randomUUID(), name: 'Blue Mug', unitPriceCents: 1_250, quantity: 2 }],
      shippingAddress: { name: 'Maya Okafor', line1: '12 Canal Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' },
      requestedAt: new Date().toISOString(),
    },
  };
}
