import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '@/contracts';
import { shipmentRequest } from '@/contracts/testing';
import { missingItem, trackingNumber } from './picking';
import { cancellationRequest, publishedOutcomesOf, shipmentOf, until, useWarehouse, warehouseCaughtUp } from './testing-hooks';

const ctx = useWarehouse();

/** The time from a publish until the shop received the order's first outcome. */
async function answerTime(broker: Awaited<ReturnType<typeof ctx.broker>>, listener: ReturnType<typeof ctx.listen>, request: OutgoingMessage) {
  const started = performance.now();
  await broker.publish([request]);
  await until(() => listener.of(request.payload.orderId).length > 0, 10_000, 'an outcome');
  return performance.now() - started;
}

describe('a shipment request', () => {
  it('is picked, packed and dispatched, and answered once with shipment.dispatched', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await broker.publish([request]);
    await until(() => listener.of(orderId).length > 0);
    await warehouseCaughtUp(broker.names.stream);

    const [outcome, ...more] = listener.of(orderId);
    expect(more).toEqual([]);
    expect(outcome).toMatchObject({
      contract: 'shipment.dispatched',
      subject: broker.subjects.of('shipment.dispatched'),
      payload: { orderId, carrier: 'Parcel Post', trackingNumber: trackingNumber(orderId), dispatchedAt: expect.any(String) },
      correlationId: request.correlationId,
      causationId: request.id,
    });
    expect(trackingNumber(orderId)).toMatch(/^PP[0-9A-F]{10}$/);
    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({
      status: 'dispatched',
      request_id: request.id,
      tracking_number: trackingNumber(orderId),
      next_step_at: null,
      picked_at: expect.any(Date),
      packed_at: expect.any(Date),
      dispatched_at: expect.any(Date),
    });
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
  });

  it('is answered within milliseconds when every delay is 0, not after a poll interval', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    await answerTime(broker, listener, shipmentRequest());
    const times: number[] = [];
    for (let i = 0; i < 9; i++) times.push(await answerTime(broker, listener, shipmentRequest()));
    times.sort((a, b) => a - b);
    // The fallback poll is 250 ms; the nudges answer in a few ms (a generous bound for a busy machine).
    expect(times[4]).toBeLessThan(60);
  });

  it('waits for picking, packing and dispatch to take their time', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker, { pickMs: 150, packMs: 100, dispatchMs: 100 });
    const request = shipmentRequest();
    const orderId = request.payload.orderId;
    const took = await answerTime(broker, listener, request);
    expect(took).toBeGreaterThanOrEqual(350);
    // Each step when it is due, not a poll interval later.
    expect(took).toBeLessThan(350 + 250);
    const row = (await shipmentOf(ctx.sql, orderId)) as Record<'received_at' | 'picked_at' | 'packed_at' | 'dispatched_at', Date>;
    expect(row.picked_at.getTime() - row.received_at.getTime()).toBeGreaterThanOrEqual(150);
    expect(row.packed_at.getTime() - row.picked_at.getTime()).toBeGreaterThanOrEqual(100);
    expect(row.dispatched_at.getTime() - row.packed_at.getTime()).toBeGreaterThanOrEqual(100);
  });

  it('fails with the missing item when picking finds it missing', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker, { missingRate: 1 });
    const request = shipmentRequest();
    const payload = request.payload as { orderId: string; items: { productId: string; name: string; quantity: number }[] };
    payload.items.push({ productId: randomUUID(), name: 'Red Teapot', quantity: 1 });
    await broker.publish([request]);
    await until(() => listener.of(payload.orderId).length > 0);
    const missing = missingItem(payload.orderId, payload.items, 1);
    expect(listener.of(payload.orderId)).toMatchObject([
      {
        contract: 'shipment.failed',
        payload: { orderId: payload.orderId, reason: 'items-missing', missing: [missing], reportedAt: expect.any(String) },
        correlationId: request.correlationId,
        causationId: request.id,
      },
    ]);
    expect(payload.items).toContainEqual(missing);
    expect(await shipmentOf(ctx.sql, payload.orderId)).toMatchObject({ status: 'failed', missing: [missing], picked_at: null, dispatched_at: null });
  });
});

describe('repeats', () => {
  it('ships a message delivered twice once, and answers once', async () => {
    // A duplicate window of 100 ms: the repeat below is stored and delivered, so only the inbox stands in its way.
    const broker = await ctx.broker(undefined, { duplicateWindowMs: 100 });
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await broker.publish([request]);
    await until(() => listener.of(orderId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const [again] = await broker.publish([request]);
    expect(again).toEqual({ id: request.id, duplicate: false });
    await warehouseCaughtUp(broker.names.stream);
    expect(listener.of(orderId)).toHaveLength(1);
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
    const inbox = await ctx.sql.query<{ handled: number }>('select count(*)::integer as handled from warehouse.inbox where message_id = $1', [request.id]);
    expect(inbox).toEqual([{ handled: 1 }]);
  });

  it('publishes an outcome again with the same message id when the row was not marked (a crash in between)', async () => {
    const broker = await ctx.broker(undefined, { duplicateWindowMs: 100 });
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await broker.publish([request]);
    await publishedOutcomesOf(ctx.sql, orderId);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // As if the process had died after the broker's acknowledgement and before the row was marked.
    await ctx.sql.query('update warehouse.outbox set published_at = null where order_id = $1', [orderId]);
    await until(() => listener.of(orderId).length === 2, 5_000, 'the outcome again');
    const [first, again] = listener.of(orderId);
    // Past the duplicate window the stream stores it twice; the shop's inbox knows the id.
    expect(again!.id).toBe(first!.id);
    expect(again!.payload).toEqual(first!.payload);
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
  });

  it('ignores a second request for an order that has a shipment', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await broker.publish([request]);
    await until(() => listener.of(orderId).length > 0);
    const second = shipmentRequest(orderId);
    await broker.publish([second]);
    await warehouseCaughtUp(broker.names.stream);
    expect(listener.of(orderId)).toHaveLength(1);
    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({ status: 'dispatched', request_id: request.id });
  });
});

describe('a cancellation request', () => {
  it('stops a shipment before dispatch and answers shipment.cancelled; the shipment never leaves', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker, { pickMs: 100, packMs: 50, dispatchMs: 50 });
    const request = shipmentRequest();
    const cancellation = cancellationRequest(request);
    const { orderId } = request.payload;
    await broker.publish([request, cancellation]);
    await until(() => listener.of(orderId).length > 0);
    // Past the time it would have been dispatched.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(listener.of(orderId)).toMatchObject([
      { contract: 'shipment.cancelled', payload: { orderId }, correlationId: cancellation.correlationId, causationId: cancellation.id },
    ]);
    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({ status: 'cancelled', dispatched_at: null, next_step_at: null });
  });

  it('changes nothing after dispatch', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    await broker.publish([request]);
    await until(() => listener.of(orderId).length > 0);
    await broker.publish([cancellationRequest(request)]);
    await warehouseCaughtUp(broker.names.stream);
    expect(listener.of(orderId).map((message) => message.contract)).toEqual(['shipment.dispatched']);
    expect(await publishedOutcomesOf(ctx.sql, orderId)).toEqual(['shipment.dispatched']);
    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({ status: 'dispatched', cancelled_at: null });
  });

  it('for an order never requested is answered, and the request that arrives later is not shipped', async () => {
    const broker = await ctx.broker();
    const listener = ctx.listen(broker);
    await ctx.start(broker);
    const request = shipmentRequest();
    const { orderId } = request.payload;
    const cancellation = cancellationRequest(request);
    await broker.publish([cancellation]);
    await until(() => listener.of(orderId).length > 0);
    await broker.publish([request]);
    await warehouseCaughtUp(broker.names.stream);
    expect(listener.of(orderId)).toMatchObject([{ contract: 'shipment.cancelled', causationId: cancellation.id }]);
    expect(await shipmentOf(ctx.sql, orderId)).toMatchObject({ status: 'cancelled', request_id: null, items: [] });
  });
});

describe('two warehouses on one database', () => {
  it('ship each request once', async () => {
    const first = await ctx.broker();
    const second = await ctx.broker(first.names);
    const listener = ctx.listen(first);
    // Small delays, so both processes' step loops come for the same due shipments.
    await ctx.start(first, { pickMs: 20, packMs: 20, dispatchMs: 20 });
    await ctx.start(second, { pickMs: 20, packMs: 20, dispatchMs: 20 });
    const requests = Array.from({ length: 40 }, () => shipmentRequest());
    for (let i = 0; i < requests.length; i += 8) await first.publish(requests.slice(i, i + 8));
    await until(() => requests.every((request) => listener.of(request.payload.orderId).length > 0), 20_000, 'every outcome');
    await warehouseCaughtUp(first.names.stream);
    for (const request of requests) {
      expect(listener.of(request.payload.orderId).map((message) => message.contract)).toEqual(['shipment.dispatched']);
      expect(await publishedOutcomesOf(ctx.sql, request.payload.orderId)).toEqual(['shipment.dispatched']);
    }
  });
});
