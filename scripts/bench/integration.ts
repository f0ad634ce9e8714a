import { jetstream } from '@nats-io/jetstream';
import { connect as connectNats, headers as natsHeaders } from '@nats-io/transport-node';
import { encode, headerNames, natsTransport, type OutgoingMessage } from '@/contracts';
import { connect, type Database } from '@/db/client';
import { catchUp } from '@/db/consumers';
import { createEventStore, ensureCheckpoint, rewindCheckpoint, type EventStore } from '@/db/event-store';
import { shopEventSchemas } from '@/domain';
import { integrationRelay } from '@/integration/relay';
import { benchStreamNames, deleteStream, storedMessages } from './bench-streams';
import { measureWarehouseLatency } from './integration-latency';
import { appendPublishedLog, publishedMessages, relayParts } from './relay-log';
import { formatCount, type BenchContext, type BenchSuite, type Measurement } from './types';

/**
 * Integration events (docs/integration-events.md): how fast the relay drains the log into JetStream, beside a
 * plain publish loop of the same messages in the same run (the floor), and how long a paid order's shipment
 * request takes to reach the warehouse service through the worker, the relay and the broker
 * (./integration-latency.ts).
 */
export const integrationSuite: BenchSuite = {
  name: 'integration',
  async run(context) {
    return [...(await measureRelay(context)), ...(await measureWarehouseLatency(context))];
  },
};

/**
 * The worker's batch size (CONSUMER_BATCH_SIZE's default). The relay publishes a batch with every message in
 * flight at once and waits for all the acknowledgements before its checkpoint moves; the floor publishes the
 * same batches the same way, so both keep the same number of messages in flight.
 */
const relayBatchSize = 500;

/**
 * The relay catching up from zero over a log of the events it publishes: each order's `OrderPlaced`,
 * `PaymentCaptured` and `ShipmentRequested`, as checkout, the payment step and the fulfillment process
 * append them. Each round publishes the whole log to a fresh stream, so no message is a duplicate of an
 * earlier round's; the relay and the floor take turns, starting with a different one each round, so a slow
 * spell of the shared machine slows both alike (see ./appends.ts).
 */
async function measureRelay(context: BenchContext): Promise<Measurement[]> {
  const orders = context.size(7_000, 40);
  // Smoke: several batches, so the read-ahead and the checkpoint's moves run too.
  const batchSize = context.size(relayBatchSize, 25);
  const rounds = context.size(5, 1);
  const databaseUrl = await context.freshDatabase();
  // As the worker connects: a consumer's checkpoint commits without waiting for the WAL flush (a checkpoint
  // lost in a crash publishes its batch again, which JetStream and the inboxes drop as repeats).
  const db = connect(databaseUrl, { max: 4, applicationName: 'hindsight-bench-relay', asyncReadModelCommits: true });
  try {
    await db.migrate();
    const events = await appendPublishedLog(db, orders);
    // Freshly bulk-loaded rows: hint bits and statistics once, so the first round does not pay for them.
    await db.sql.query('vacuum (analyze) events');
    const store = createEventStore(db.sql, { schemas: shopEventSchemas });
    const messages = await publishedMessages(store, events, batchSize);
    context.log(`${formatCount(events)} events in the log; the relay and the floor publish them in ${rounds} round(s)`);

    const turns = { relay: () => relayRound(context, db, store, events, batchSize), floor: () => floorRound(context, messages, batchSize) };
    // A round of each first, not counted: it compiles the hot paths and warms both ends' caches.
    if (!context.smoke) for (const turn of Object.values(turns)) await turn();
    const ms = { relay: 0, floor: 0 };
    for (let round = 0; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? (['relay', 'floor'] as const) : (['floor', 'relay'] as const)) ms[variant] += await turns[variant]();
    }
    const rate = (totalMs: number) => (events * rounds) / (totalMs / 1000);
    const [relay, floor] = [rate(ms.relay), rate(ms.floor)];
    const parts = await relayParts(store, events, batchSize);
    context.log(`integration.relay: ${Math.round(relay)} events/s; floor ${Math.round(floor)} events/s (${((relay / floor) * 100).toFixed(0)}%)`);
    context.log(
      `  per event: relay ${(1e6 / relay).toFixed(1)} µs, floor ${(1e6 / floor).toFixed(1)} µs; alone, reading ${parts.readMicrosecondsPerEvent.toFixed(1)} µs, ` +
        `mapping ${parts.mapMicrosecondsPerEvent.toFixed(1)} µs, encoding ${parts.encodeMicrosecondsPerEvent.toFixed(1)} µs`,
    );
    const common = {
      group: 'integration' as const,
      scale: `${formatCount(events)} events (${formatCount(orders)} orders' OrderPlaced, PaymentCaptured, ShipmentRequested), ${rounds} round(s), interleaved`,
      concurrency: `batches of ${formatCount(batchSize)}, each in flight at once`,
    };
    return [
      {
        ...common,
        id: 'integration.relay',
        label: 'relay: the log to JetStream, acknowledged, from checkpoint zero',
        metrics: { eventsPerSecond: relay, seconds: ms.relay / rounds / 1000, percentOfFloor: (relay / floor) * 100, ...parts },
      },
      {
        ...common,
        id: 'integration.relay.floor',
        label: 'plain JetStream publish loop of the same messages, mapped and encoded beforehand (floor)',
        metrics: { eventsPerSecond: floor, seconds: ms.floor / rounds / 1000 },
      },
    ];
  } finally {
    await db.close();
  }
}

/** One round of the relay: its checkpoint back to zero, a fresh stream, and the catch-up timed. */
async function relayRound(context: BenchContext, db: Database, store: EventStore, events: number, batchSize: number): Promise<number> {
  const names = benchStreamNames('relay');
  const transport = natsTransport({ servers: context.natsUrl, ...names, name: 'hindsight-bench-relay' });
  try {
    // The connection and the stream before the clock starts, as for the floor; the relay's own look at the
    // stream (one request before its first batch) stays in its time.
    await transport.ensureStream();
    const relay = integrationRelay(transport);
    await ensureCheckpoint(db.orm, relay.name);
    await db.orm.transaction((tx) => rewindCheckpoint(tx, relay.name));
    const started = performance.now();
    const read = await catchUp({ orm: db.orm, store }, relay, { batchSize, timeoutMs: 300_000 });
    const took = performance.now() - started;
    await expectStored(context, names.stream, events, `the relay read ${formatCount(read)} events`);
    return took;
  } finally {
    await transport.close();
    await deleteStream(context.natsUrl, names.stream);
  }
}

/**
 * One round of the floor: the same messages, subjects and headers (encoded before the clock starts),
 * published with `@nats-io/jetstream` directly, a batch at a time, each batch's acknowledgements awaited
 * together, to a stream with the relay's settings (file storage, a duplicate window remembering every id).
 */
async function floorRound(context: BenchContext, messages: readonly OutgoingMessage[], batchSize: number): Promise<number> {
  const names = benchStreamNames('floor');
  const setUp = natsTransport({ servers: context.natsUrl, ...names, name: 'hindsight-bench-floor-setup' });
  // The client's defaults, as the transport connects (its own options are about reconnecting): a client
  // option that made publishing cheaper (`noAsyncTraces`) would belong to both or to neither.
  const nc = await connectNats({ servers: context.natsUrl.split(',').map((server) => server.trim()), name: 'hindsight-bench-floor' });
  try {
    await setUp.ensureStream();
    const wire = messages.map((message) => encode(setUp.subjects, message));
    const js = jetstream(nc);
    const started = performance.now();
    for (let from = 0; from < wire.length; from += batchSize) {
      await Promise.all(
        wire.slice(from, from + batchSize).map(({ subject, headers, body }) => {
          const hdrs = natsHeaders();
          for (const [key, value] of Object.entries(headers)) hdrs.set(key, value);
          return js.publish(subject, body, { msgID: headers[headerNames.messageId], headers: hdrs, timeout: 5_000 });
        }),
      );
    }
    const took = performance.now() - started;
    await expectStored(context, names.stream, messages.length, 'the floor');
    return took;
  } finally {
    await nc.close();
    await setUp.close();
    await deleteStream(context.natsUrl, names.stream);
  }
}

/** A round counts only if the stream holds every message: a publish that was dropped would flatter it. */
async function expectStored(context: BenchContext, stream: string, expected: number, who: string): Promise<void> {
  const stored = await storedMessages(context.natsUrl, stream);
  if (stored !== expected) throw new Error(`integration: ${who}, and the stream holds ${formatCount(stored)} of ${formatCount(expected)} messages`);
}
