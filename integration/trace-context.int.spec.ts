import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { useTestDatabase } from '@/db/testing-hooks';
import { fulfillmentStreamId, shipmentStreamId } from '@/domain';
import { fulfillmentChain, orderFixture, quickPolicy, settle } from '@/processes/testing';
import { useGateway } from '@/processes/testing-hooks';
import { attribute, spanKind, startCollector, type Collector, type OtlpSpan } from '@/server/telemetry/collector.fixture';
import { measuredConsumer } from '@/server/telemetry/measured-consumer';
import { measuredEventStore } from '@/server/telemetry/measured-store';
import { flushTracing, startTracing, stopTracing, tracer } from '@/server/telemetry/tracing';
import { shipmentInboxName, startShipmentInbox } from './inbox';
import { integrationRelay } from './relay';
import { shipmentRequestedEvent, until, useIntegrationTest } from './testing';

/**
 * One trace across the broker: a command appends a shipment request; the relay publishes it later, in a batch
 * of its own; the warehouse handles it and answers from its outbox, a step later; the shop's inbox appends the
 * answer. W3C trace context travels in the messages' headers and in the event's metadata and the warehouse's
 * rows between, so every span of that path has the command's trace id. Against a real nats-server, with a
 * loopback listener standing for the collector.
 */
const ctx = useIntegrationTest();
const gateway = useGateway(useTestDatabase(), { clientTimeoutMs: 5_000 });
let collector: Collector;

beforeAll(async () => {
  collector = await startCollector();
  startTracing({ endpoint: collector.endpoint, serviceName: 'hindsight-test' });
});
afterAll(async () => {
  await stopTracing();
  await collector.close();
});

/** The one span named `name` (and matching `where`) the collector has, once it has it. */
async function spanNamed(name: string, where: (span: OtlpSpan) => boolean = () => true): Promise<OtlpSpan> {
  let found: OtlpSpan | undefined;
  await until(
    async () => {
      await flushTracing();
      found = collector.spans().find((span) => span.name === name && where(span));
      return found !== undefined;
    },
    `the span ${name}`,
  );
  return found!;
}

describe('trace context across the broker', () => {
  it("carries a command's trace through the relay's publish, the warehouse's handling and its answer, to the shop's inbox", async () => {
    const shop = ctx.transport();
    await shop.ensureStream();
    await ctx.warehouse(ctx.transport({ name: 'hindsight-test-warehouse' }));
    const store = measuredEventStore(ctx.store);
    const inbox = startShipmentInbox(shop, store);
    ctx.defer(() => inbox.stop());

    const event = shipmentRequestedEvent();
    const orderId = event.data.orderId;
    const correlationId = randomUUID();
    // The command: its span, and the append inside it.
    await tracer().startActiveSpan('checkout', async (span) => {
      await store.append(fulfillmentStreamId(orderId), [event], {
        expectedVersion: 'no_stream',
        metadata: { correlationId, causationId: randomUUID(), actor: 'system:fulfillment', source: 'test' },
      });
      span.end();
    });
    const [stored] = await ctx.store.readStream(fulfillmentStreamId(orderId));
    // Later, and on its own: the relay's batch.
    await catchUp(ctx.source, measuredConsumer(integrationRelay(shop)), { batchSize: 100 });

    const command = await spanNamed('checkout');
    const trace = command.traceId;
    const append = await spanNamed('eventstore.append', (span) => span.parentSpanId === command.spanId);
    expect(stored!.metadata.traceparent).toBe(`00-${trace}-${append.spanId}-01`);

    const batch = await spanNamed('consume integration_relay', (span) => span.traceId === trace);
    expect(batch.parentSpanId).toBe(append.spanId);
    const requested = shop.subjects.of('shipment.requested');
    const publish = await spanNamed(`publish ${requested}`, (span) => span.traceId === trace);
    expect(publish.kind).toBe(spanKind.producer);
    expect(publish.parentSpanId).toBe(batch.spanId);
    expect(attribute(publish, 'messaging.system')).toBe('nats');
    expect(attribute(publish, 'messaging.destination.name')).toBe(requested);
    expect(attribute(publish, 'messaging.message.id')).toBe(stored!.eventId);
    expect(attribute(publish, 'hindsight.correlation_id')).toBe(correlationId);

    const handled = await spanNamed(`process ${requested}`, (span) => span.traceId === trace);
    expect(handled.kind).toBe(spanKind.consumer);
    expect(handled.parentSpanId).toBe(publish.spanId);
    expect(attribute(handled, 'messaging.consumer.group.name')).toBe('warehouse');

    // The answer is published from the outbox by another loop, after the steps: it continues the request's trace.
    const dispatched = shop.subjects.of('shipment.dispatched');
    const answer = await spanNamed(`publish ${dispatched}`, (span) => span.traceId === trace);
    expect(answer.parentSpanId).toBe(handled.spanId);
    const answered = await spanNamed(`process ${dispatched}`, (span) => span.traceId === trace);
    expect(answered.parentSpanId).toBe(answer.spanId);
    expect(attribute(answered, 'messaging.consumer.group.name')).toBe(shipmentInboxName);
    const recorded = await spanNamed('eventstore.append', (span) => span.parentSpanId === answered.spanId);
    expect(recorded.traceId).toBe(trace);

    await until(async () => (await ctx.store.readStream(shipmentStreamId(orderId))).length > 0, 'the dispatch to be appended');
    const [shipment] = await ctx.store.readStream(shipmentStreamId(orderId));
    expect(shipment!.type).toBe('ShipmentDispatched');
    expect(shipment!.metadata.traceparent).toBe(`00-${trace}-${recorded.spanId}-01`);
  });

  it("links a batch of several commands' events to each, and publishes each message in its own command's trace", async () => {
    const shop = ctx.transport();
    await shop.ensureStream();
    const store = measuredEventStore(ctx.store);
    const commands: OtlpSpan['traceId'][] = [];
    for (let i = 0; i < 2; i++) {
      const event = shipmentRequestedEvent();
      await tracer().startActiveSpan(`command ${i}`, async (span) => {
        commands.push(span.spanContext().traceId);
        await store.append(fulfillmentStreamId(event.data.orderId), [event], {
          expectedVersion: 'no_stream',
          metadata: { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:fulfillment', source: 'test' },
        });
        span.end();
      });
    }
    await catchUp(ctx.source, measuredConsumer(integrationRelay(shop)), { batchSize: 100 });

    const batch = await spanNamed('consume integration_relay', (span) => (span.links ?? []).length === 2);
    expect(commands).not.toContain(batch.traceId);
    expect(new Set(batch.links!.map((link) => link.traceId))).toEqual(new Set(commands));
    for (const trace of commands) {
      const publish = await spanNamed(`publish ${shop.subjects.of('shipment.requested')}`, (span) => span.traceId === trace);
      expect(publish.links?.map((link) => link.spanId)).toEqual([batch.spanId]);
    }
  });

  it("keeps a checkout in one trace through the fulfillment process's batches, to the payment gateway's charge and the relay's publish", async () => {
    const shop = ctx.transport();
    await shop.ensureStream();
    const store = measuredEventStore(ctx.store);
    const source = { orm: ctx.db.orm, store };
    const chain = fulfillmentChain(store, gateway.payments, quickPolicy, shop).map(measuredConsumer);
    const fixture = await orderFixture(store, gateway.payments);
    // The fixture's own events applied first, so the checkout's batches hold its events alone, as live ones do.
    await settle(source, chain);

    const { orderId, trace } = await tracer().startActiveSpan('checkout', async (span) => {
      const placed = await fixture.placeOrder('4242 4242 4242 4242');
      span.end();
      return { orderId: placed.orderId, trace: span.spanContext().traceId };
    });
    await settle(source, chain);
    const paymentStep = await spanNamed('consume payment_step', (span) => span.traceId === trace);
    const charge = await spanNamed('POST /v1/charges', (span) => span.traceId === trace && span.kind === spanKind.client);
    expect(charge.parentSpanId).toBe(paymentStep.spanId);
    const served = await spanNamed('POST /v1/charges', (span) => span.kind === spanKind.server && span.parentSpanId === charge.spanId);
    expect(served.traceId).toBe(trace);
    const publish = await spanNamed(`publish ${shop.subjects.of('order.placed')}`, (span) => span.traceId === trace);
    expect(attribute(publish, 'messaging.destination.name')).toBe(shop.subjects.of('order.placed'));
    const paid = (await ctx.store.readStream(`order-${orderId}`)).find((event) => event.type === 'OrderPaid');
    expect(paid?.metadata.traceparent).toContain(trace);
  });
});
