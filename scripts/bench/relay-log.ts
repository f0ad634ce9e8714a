import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { encode, subjects, type OutgoingMessage } from '@/contracts';
import type { Database } from '@/db/client';
import { bulkAppend, eventCodec, logStart, type BulkEvent, type EventStore, type LogPosition } from '@/db/event-store';
import { fulfillmentStreamId, orderStreamId, paymentStreamId, shopCurrency, shopEventSchemas, type ShopEvent } from '@/domain';
import { integrationEventOf, publishedEventTypes, type PublishedEvent } from '@/integration/published';
import { formatCount } from './types';

/**
 * The relay benchmark's log (./integration.ts): what the relay publishes, generated in bulk, and read back
 * as the relay reads it.
 */
/** Loads `orders` orders' published events in bulk, an order's three together; returns how many. */
export async function appendPublishedLog(db: Database, orders: number): Promise<number> {
  const codec = eventCodec(shopEventSchemas);
  const at = new Date().toISOString();
  const address = { name: 'Bench Shopper', line1: '1 Load Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };
  const productIds = Array.from({ length: 50 }, () => randomUUID());
  let total = 0;
  // 1,000 orders a statement: 21,000 parameters, a third of what one statement takes.
  for (let first = 0; first < orders; first += 1_000) {
    const chunk: BulkEvent[] = [];
    for (let n = first; n < Math.min(orders, first + 1_000); n++) {
      const orderId = randomUUID();
      const lines = Array.from({ length: 1 + (n % 3) }, (_, i) => ({
        productId: productIds[(n + i) % productIds.length]!,
        name: `Bench Mug ${(n + i) % productIds.length}`,
        unitPriceCents: 1_250,
        quantity: 1 + (i % 2),
      }));
      const totalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
      const metadata = { correlationId: `bench-${orderId}`, causationId: randomUUID(), actor: 'system:bench', source: 'bench' };
      const history: [string, ShopEvent][] = [
        [
          orderStreamId(orderId),
          {
            type: 'OrderPlaced',
            data: {
              orderId,
              customerId: randomUUID(),
              cartId: randomUUID(),
              lines,
              totalCents,
              placedAt: at,
              shippingAddress: address,
              currency: shopCurrency,
              payment: { token: `tok_${orderId.slice(0, 18)}`, last4: '4242', brand: 'visa', cardRisk: 'normal' },
            },
          },
        ],
        [
          paymentStreamId(orderId),
          { type: 'PaymentCaptured', data: { orderId, idempotencyKey: `charge-${orderId}`, chargeId: `ch_${orderId.slice(0, 18)}`, amountCents: totalCents, capturedAt: at } },
        ],
        [fulfillmentStreamId(orderId), { type: 'ShipmentRequested', data: { orderId, lines, shippingAddress: address, requestedAt: at } }],
      ];
      for (const [streamId, { type, data }] of history) {
        chunk.push({ streamId, streamVersion: 1, type, schemaVersion: codec.currentVersion(type), data, metadata });
      }
    }
    await bulkAppend(db.sql, codec, chunk);
    total += chunk.length;
  }
  return total;
}

/**
 * The log's events as the relay reads them: in log order, through the store (each decoded by its schema),
 * in pages of `batchSize`. Read until all are in hand: a transaction open elsewhere on the server holds the
 * reader's horizon back for a moment.
 */
async function readPublished(store: EventStore, events: number, batchSize: number): Promise<PublishedEvent[]> {
  const read: PublishedEvent[] = [];
  let after: LogPosition = logStart;
  for (let attempt = 0; read.length < events; attempt++) {
    const page = await store.readAll({ after, limit: batchSize, types: publishedEventTypes });
    // The log holds only the published types, appended in their current shapes: these are published events.
    read.push(...(page.events as readonly PublishedEvent[]));
    after = page.checkpoint;
    if (page.read === 0) {
      if (attempt > 1_000) throw new Error(`integration: only ${formatCount(read.length)} of ${formatCount(events)} events could be read`);
      await sleep(10);
    }
  }
  return read;
}

/** The messages the relay publishes for the log, in log order: the floor's, mapped before its clock starts. */
export async function publishedMessages(store: EventStore, events: number, batchSize: number): Promise<OutgoingMessage[]> {
  return (await readPublished(store, events, batchSize)).map(integrationEventOf);
}

/** What the relay does per event beyond the floor's publish, each part timed alone, in microseconds. */
export type RelayParts = { readonly readMicrosecondsPerEvent: number; readonly mapMicrosecondsPerEvent: number; readonly encodeMicrosecondsPerEvent: number };

/**
 * The relay's own work, one part at a time: reading the log (the query, the driver's parsing, each event's
 * schema), mapping each event to its contract, and encoding it (the contract's schema, the JSON). In the
 * relay they share one thread with the publishing, so they are the share of its time the floor does not pay.
 */
export async function relayParts(store: EventStore, events: number, batchSize: number): Promise<RelayParts> {
  const perEvent = (started: number) => ((performance.now() - started) * 1_000) / events;
  let started = performance.now();
  const read = await readPublished(store, events, batchSize);
  const readMicrosecondsPerEvent = perEvent(started);
  started = performance.now();
  const messages = read.map(integrationEventOf);
  const mapMicrosecondsPerEvent = perEvent(started);
  const names = subjects('bench-parts');
  started = performance.now();
  for (const message of messages) encode(names, message);
  return { readMicrosecondsPerEvent, mapMicrosecondsPerEvent, encodeMicrosecondsPerEvent: perEvent(started) };
}
