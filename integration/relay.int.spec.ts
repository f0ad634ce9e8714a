import { describe, expect, it } from 'vitest';
import { decode, type PublishReceipt, type ReceivedMessage } from '@/contracts';
import { catchUp } from '@/db/consumers';
import { logStart, readCheckpoint, rewindCheckpoint } from '@/db/event-store';
import { useTestDatabase } from '@/db/testing-hooks';
import { fulfillmentChain, orderFixture, quickPolicy, settle, testEnvelope } from '@/processes/testing';
import { useGateway } from '@/processes/testing-hooks';
import { cancelOrder } from '@/server/commands/orders';
import { integrationEventOf, publishedEventTypes, type PublishedEvent } from './published';
import { integrationRelay } from './relay';
import { consumerCaughtUp, storedMessages, until, useIntegrationTest } from './testing';

/**
 * The relay over a real nats-server. The event log is the relay's outbox: an event is published from the log
 * with its event id as `Nats-Msg-Id`, and the relay's checkpoint moves only once JetStream acknowledged the
 * batch. So a broker that is away loses nothing (the events stay after the checkpoint and go out when it is
 * back), and a batch published twice (a crash after the publish, before the checkpoint) is stored once,
 * because JetStream drops a message id it has seen within its duplicate window.
 */
const ctx = useIntegrationTest();
// The payment gateway is a service of its own, on a database of its own for the file.
// Every order pays with the approving card: a client timeout long enough for a busy machine (the default's
// 250 ms, there for the timeout card, would send an order down the lost-answer path under load).
const gateway = useGateway(useTestDatabase(), { clientTimeoutMs: 5_000 });
const later = () => new Date(Date.now() + 24 * 60 * 60_000);

/** Every event of the log the relay handles, in log order. */
async function publishedEvents(): Promise<PublishedEvent[]> {
  const page = await ctx.store.readAll({ after: logStart, limit: 10_000, types: publishedEventTypes });
  return page.events as PublishedEvent[];
}

async function relayAtHead(): Promise<boolean> {
  const [checkpoint, head] = await Promise.all([readCheckpoint(ctx.db.orm, 'integration_relay'), ctx.store.readHead()]);
  return head !== null && checkpoint.transactionId === head.transactionId && checkpoint.position === head.position;
}

describe('the relay', () => {
  it('publishes each event it handles once, in log order, as its contract on its subject, with the event id as Nats-Msg-Id', async () => {
    const transport = ctx.transport();
    const shop = await orderFixture(ctx.store, gateway.payments, { customers: 2 });
    const kept = await shop.placeOrder('4242 4242 4242 4242', 2);
    const cancelled = await shop.placeOrder('4242 4242 4242 4242', 1);
    // Paid and handed to the warehouse (none answers here), then one is cancelled: every published contract.
    const chain = fulfillmentChain(ctx.store, gateway.payments, quickPolicy, transport);
    await settle(ctx.source, chain, { timersDueBy: later() });
    await cancelOrder(ctx.store, testEnvelope(), { orderId: cancelled.orderId, customerId: cancelled.customerId, reason: 'Changed my mind' });
    await settle(ctx.source, chain, { timersDueBy: later() });

    const events = await publishedEvents();
    const stored = await storedMessages(ctx.names.stream, `${ctx.names.prefix}.>`);
    expect(stored.map((message) => message.id)).toEqual(events.map((event) => event.eventId));
    expect(new Set(stored.map((message) => message.headers['Hindsight-Contract']))).toEqual(
      new Set(['order.placed', 'payment.captured', 'shipment.requested', 'order.cancelled', 'shipment.cancellation-requested']),
    );
    for (const [index, event] of events.entries()) {
      const message = stored[index]!;
      const expected = integrationEventOf(event);
      expect(message.subject).toBe(transport.subjects.of(expected.contract));
      const decoded = decode(transport.subjects, message);
      expect(decoded).toMatchObject({ ok: true, message: { contract: expected.contract, correlationId: event.metadata.correlationId } });
      expect(decoded.ok && decoded.message.payload).toEqual(expected.payload);
    }
    expect(events.filter((event) => event.data.orderId === kept.orderId).map((event) => event.type)).toEqual([
      'OrderPlaced',
      'PaymentCaptured',
      'ShipmentRequested',
    ]);
    expect(await relayAtHead()).toBe(true);
  });

  it('moves its checkpoint only after the acknowledgement: with the broker down it stays, and the batch goes out once the broker is back', async () => {
    const broker = await ctx.localBroker();
    // A short publish timeout: a broker that is away fails the batch in a second instead of five.
    const transport = ctx.transport({ servers: broker.url, publishTimeoutMs: 1_000 });
    const relay = integrationRelay(transport);
    const shop = await orderFixture(ctx.store, gateway.payments);
    await shop.placeOrder('4242 4242 4242 4242');
    await catchUp(ctx.source, relay, { batchSize: 100 });
    expect(await relayAtHead()).toBe(true);
    const acknowledged = await readCheckpoint(ctx.db.orm, relay.name);

    await broker.kill();
    await shop.placeOrder('4242 4242 4242 4242');
    await shop.placeOrder('4242 4242 4242 4242');
    await expect(catchUp(ctx.source, relay, { batchSize: 100 })).rejects.toThrow();
    expect(await readCheckpoint(ctx.db.orm, relay.name)).toEqual(acknowledged);

    await broker.start();
    // The client reconnects by itself; a catch-up that still finds it reconnecting fails, and is tried again.
    await until(
      () => catchUp(ctx.source, relay, { batchSize: 100 }).then(() => true, () => false),
      'a catch-up to succeed once the broker is back',
      20_000,
    );
    expect(await relayAtHead()).toBe(true);
    const stored = await storedMessages(ctx.names.stream, `${ctx.names.prefix}.>`, broker.url);
    // A publish that timed out while the broker was away may still have been sent on reconnection: stored once.
    expect(stored.map((message) => message.id)).toEqual((await publishedEvents()).map((event) => event.eventId));
  });

  it('publishes a batch again after a crash before its checkpoint, and JetStream stores it once: a consumer receives each message once', async () => {
    const transport = ctx.transport();
    const receipts: PublishReceipt[] = [];
    // The real transport, with its receipts kept: they say whether JetStream took a message as a repeat.
    const relay = integrationRelay({
      ...transport,
      publish: async (messages) => {
        const batch = await transport.publish(messages);
        receipts.push(...batch);
        return batch;
      },
    });
    const shop = await orderFixture(ctx.store, gateway.payments, { customers: 3 });
    for (let i = 0; i < 3; i++) await shop.placeOrder('4242 4242 4242 4242');
    await catchUp(ctx.source, relay, { batchSize: 2 });
    const events = await publishedEvents();
    expect(receipts).toEqual(events.map((event) => ({ id: event.eventId, duplicate: false })));
    const storedBefore = (await transport.stats()).messages;

    // The crash window: the batches were acknowledged, but the checkpoint is back where it was before them.
    await ctx.db.orm.transaction((tx) => rewindCheckpoint(tx, relay.name));
    receipts.length = 0;
    await catchUp(ctx.source, relay, { batchSize: 2 });
    expect(receipts).toEqual(events.map((event) => ({ id: event.eventId, duplicate: true })));
    expect((await transport.stats()).messages).toBe(storedBefore);
    expect(await relayAtHead()).toBe(true);

    const received: ReceivedMessage[] = [];
    const auditor = transport.subscribe({
      name: 'auditor',
      filter: `${transport.subjects.prefix}.shop.>`,
      keyOf: (message) => message.id,
      handle: async (message) => void received.push(message),
    });
    ctx.defer(() => auditor.stop());
    await until(() => received.length >= events.length, 'the auditor to receive the messages');
    await consumerCaughtUp(ctx.names.stream, 'auditor');
    expect(received.map((message) => message.id).sort()).toEqual(events.map((event) => event.eventId).sort());
  });
});
