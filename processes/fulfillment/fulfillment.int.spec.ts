import { beforeAll, describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { fulfillmentStreamId, orderStreamId, paymentStreamId } from '@/domain';
import { useShopDatabase } from '@/projections/testing';
import type { PaymentGatewayClient } from '@/services/payment-gateway/client';
import { cancelOrder } from '@/server/commands/orders';
import { fulfillmentChain, orderFixture, quickPolicy, settle, settleFulfillment, startTestWarehouse, testEnvelope } from '../testing';
import { useGateway } from '../testing-hooks';
import { decideFulfillment } from './handle-input';

/**
 * The fulfillment process with everything it talks to for real: the event store on PostgreSQL, the payment
 * gateway simulator over HTTP, the fraud check, the warehouse simulator and the timers. Each test places its
 * own orders and runs the consumers until nothing more happens, firing timers as if time had passed.
 */
const policy = quickPolicy;
const cards = {
  approved: '4242 4242 4242 4242',
  insufficientFunds: '4000 0000 0000 9995',
  expired: '4000 0000 0000 0069',
  timeout: '4000 0000 0000 0119',
  lostAnswer: '4000 0000 0000 0259',
  flagged: '4100 0000 0000 0019',
};
/** Far enough ahead that every timer the process could set is due. */
const later = () => new Date(Date.now() + 24 * 60 * 60_000);

const ctx = useShopDatabase();
const gateway = useGateway(ctx);
let payments: PaymentGatewayClient;
let shop: Awaited<ReturnType<typeof orderFixture>>;

beforeAll(async () => {
  payments = gateway.payments;
  shop = await orderFixture(ctx.store, payments, { customers: 3 });
});

const run = (options: { missingRate?: number; timersDueBy?: Date } = {}) =>
  settleFulfillment({ ...ctx.source, sql: ctx.db.sql }, payments, policy, options);

async function types(streamId: string): Promise<string[]> {
  return (await ctx.store.readStream(streamId)).map((event) => event.type);
}

async function orderStatus(orderId: string): Promise<string[]> {
  return (await types(orderStreamId(orderId))).filter((type) => type !== 'OrderPlaced');
}

async function stockMoves(orderId: string): Promise<{ reserved: number; released: number }> {
  const [row] = await ctx.db.sql.query<{ reserved: number; released: number }>(
    `select coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReserved'), 0)::int as reserved,
            coalesce(sum((data->>'quantity')::int) filter (where event_type = 'StockReleased'), 0)::int as released
     from events where event_type in ('StockReserved', 'StockReleased') and data->>'orderId' = $1`,
    [orderId],
  );
  return row!;
}

describe('the fulfillment process', () => {
  it('takes an approved order from placed to delivered by itself', async () => {
    const order = await shop.placeOrder(cards.approved, 2);
    await run({ timersDueBy: later() });

    expect(await orderStatus(order.orderId)).toEqual(['OrderPaid', 'OrderShipped', 'OrderDelivered']);
    expect(await types(fulfillmentStreamId(order.orderId))).toEqual([
      'FulfillmentStarted',
      'TimerScheduled',
      'PaymentRequested',
      'TimerCancelled',
      'PaymentSettled',
      'TimerScheduled',
      'ShipmentRequested',
      'TimerScheduled',
      'TimerCancelled',
      'ShipmentConfirmed',
      'TimerScheduled',
      'DeliveryConfirmed',
      'FulfillmentCompleted',
    ]);
    const charge = await payments.lookupCharge(`charge-${order.orderId}`);
    expect(charge).toMatchObject({ status: 'captured', amountCents: order.totalCents });
    expect(await stockMoves(order.orderId)).toEqual({ reserved: 2, released: 0 });
  });

  it('carries the checkout correlation id and each cause through every stream', async () => {
    const order = await shop.placeOrder(cards.approved);
    await run({ timersDueBy: later() });
    const streams = [orderStreamId(order.orderId), fulfillmentStreamId(order.orderId), paymentStreamId(order.orderId)];
    const events = (await Promise.all(streams.map((streamId) => ctx.store.readStream(streamId)))).flat();
    expect(new Set(events.map((event) => event.metadata.correlationId))).toEqual(new Set([order.correlationId]));
    // Every event the process appended names the event it reacted to.
    const processEvents = await ctx.store.readStream(fulfillmentStreamId(order.orderId));
    const [rows] = [await ctx.db.sql.query<{ id: string }>('select event_id::text as id from events')];
    const ids = new Set(rows.map((row) => row.id));
    for (const event of processEvents) expect(ids.has(event.metadata.causationId)).toBe(true);
  });

  it.each([
    ['insufficient funds', cards.insufficientFunds, /insufficient funds/],
    ['an expired card', cards.expired, /expired/],
  ])('cancels an order declined for %s and gives its stock back, charging nothing', async (_name, card, reason) => {
    const order = await shop.placeOrder(card, 3);
    await run({ timersDueBy: later() });

    const cancelled = (await ctx.store.readStream(orderStreamId(order.orderId))).at(-1);
    expect(cancelled).toMatchObject({ type: 'OrderCancelled', data: { cancelledBy: 'system', reason: expect.stringMatching(reason) } });
    expect(await stockMoves(order.orderId)).toEqual({ reserved: 3, released: 3 });
    expect(await payments.lookupCharge(`charge-${order.orderId}`)).toMatchObject({ status: 'declined' });
    expect(await types(fulfillmentStreamId(order.orderId))).toContain('FulfillmentCancelled');
  });

  it('stops an order the fraud check rejects before charging the card', async () => {
    const order = await shop.placeOrder(cards.flagged);
    await run({ timersDueBy: later() });

    expect(await orderStatus(order.orderId)).toEqual(['OrderCancelled']);
    expect(await types(fulfillmentStreamId(order.orderId))).not.toContain('PaymentRequested');
    expect(await payments.lookupCharge(`charge-${order.orderId}`)).toMatchObject({ status: 'not_found' });
  });

  it('retries a charge whose answer was lost with the same key, and charges once', async () => {
    const before = await payments.ledger();
    const order = await shop.placeOrder(cards.lostAnswer);
    await run({ timersDueBy: later() });

    expect(await orderStatus(order.orderId)).toEqual(['OrderPaid', 'OrderShipped', 'OrderDelivered']);
    expect(await types(paymentStreamId(order.orderId))).toEqual(['PaymentAttemptFailed', 'PaymentCaptured']);
    const after = await payments.ledger();
    expect(after.charges - before.charges).toBe(1);
    expect(after.capturedCents - before.capturedCents).toBe(order.totalCents);
  });

  it('retries a gateway that never answers, looks the charge up, and cancels when nothing was charged', async () => {
    const order = await shop.placeOrder(cards.timeout);
    // Time enough for the retries (1 s, 2 s), not for the payment deadline (a minute).
    await run({ timersDueBy: new Date(Date.now() + 30_000) });

    expect(await types(paymentStreamId(order.orderId))).toEqual([
      'PaymentAttemptFailed',
      'PaymentAttemptFailed',
      'PaymentAttemptFailed',
      'PaymentNotFound',
    ]);
    expect(await orderStatus(order.orderId)).toEqual(['OrderCancelled']);
    expect(await stockMoves(order.orderId)).toEqual({ reserved: 1, released: 1 });
  });

  it('refunds a paid order its customer cancels, once, and releases its stock', async () => {
    const order = await shop.placeOrder(cards.approved, 2);
    // No timers: the order is paid and waits for its handover to the warehouse.
    await run();
    expect(await orderStatus(order.orderId)).toEqual(['OrderPaid']);

    await cancelOrder(ctx.store, testEnvelope(`customer:${order.customerId}`), {
      orderId: order.orderId,
      customerId: order.customerId,
      reason: 'Changed my mind',
    });
    await run({ timersDueBy: later() });

    expect(await types(paymentStreamId(order.orderId))).toEqual(['PaymentCaptured', 'PaymentRefunded']);
    expect(await payments.lookupCharge(`charge-${order.orderId}`)).toMatchObject({ refundedCents: order.totalCents });
    expect(await stockMoves(order.orderId)).toEqual({ reserved: 2, released: 2 });
    // The handover timer was cancelled: the warehouse never heard of the order.
    expect(await types(fulfillmentStreamId(order.orderId))).not.toContain('ShipmentRequested');
    expect((await types(fulfillmentStreamId(order.orderId))).at(-1)).toBe('FulfillmentCancelled');
  });

  it('refunds and cancels when the warehouse finds an item missing after payment', async () => {
    const order = await shop.placeOrder(cards.approved);
    await run({ missingRate: 1, timersDueBy: later() });

    expect(await orderStatus(order.orderId)).toEqual(['OrderPaid', 'OrderCancelled']);
    expect(await types(paymentStreamId(order.orderId))).toEqual(['PaymentCaptured', 'PaymentRefunded']);
    expect(await stockMoves(order.orderId)).toEqual({ reserved: 1, released: 1 });
  });

  it('parks a process whose refund keeps failing, and a retry by staff finishes it', async () => {
    const order = await shop.placeOrder(cards.approved);
    await run();
    // The gateway goes away; the customer cancels; every refund attempt fails.
    await gateway.gateway.close();
    await cancelOrder(ctx.store, testEnvelope(`customer:${order.customerId}`), {
      orderId: order.orderId,
      customerId: order.customerId,
      reason: 'Too slow',
    });
    await run({ timersDueBy: later() });
    const parked = await types(fulfillmentStreamId(order.orderId));
    expect(parked.filter((type) => type === 'RefundRequested')).toHaveLength(3);
    // Parked, holding the last failure for the retry to answer.
    expect(parked.slice(-2)).toEqual(['FulfillmentParked', 'FulfillmentInputHeld']);

    await gateway.restart();
    await decideFulfillment(ctx.store, policy, { type: 'RetryFulfillment', data: { orderId: order.orderId, by: 'staff:test' }, metadata: { now: new Date() } }, testEnvelope());
    await run({ timersDueBy: later() });

    expect(await types(paymentStreamId(order.orderId))).toEqual([
      'PaymentCaptured',
      'RefundAttemptFailed',
      'RefundAttemptFailed',
      'RefundAttemptFailed',
      'PaymentRefunded',
    ]);
    expect((await types(fulfillmentStreamId(order.orderId))).at(-1)).toBe('FulfillmentCancelled');
  });

  it('changes nothing when every consumer reads the whole log again', async () => {
    const order = await shop.placeOrder(cards.approved);
    await run({ timersDueBy: later() });
    const [before] = await ctx.db.sql.query<{ count: number }>('select count(*)::int as count from events');
    await ctx.db.sql.query("update consumer_checkpoints set transaction_id = '0'::xid8, position = 0");
    // The relay publishes every shipment request again, with the same message ids: the warehouse's inbox drops them.
    const warehouse = await startTestWarehouse(ctx.db.sql, ctx.store);
    for (const consumer of fulfillmentChain(ctx.store, payments, policy, warehouse.transport)) await catchUp(ctx.source, consumer, { batchSize: 7 });
    await settle(ctx.source, [], { warehouse });
    await warehouse.stop();
    const [after] = await ctx.db.sql.query<{ count: number }>('select count(*)::int as count from events');
    expect(after!.count).toBe(before!.count);
    expect(await orderStatus(order.orderId)).toEqual(['OrderPaid', 'OrderShipped', 'OrderDelivered']);
  });
});
