import { describe, expect, it } from 'vitest';
import { encodeToken, type EventMetadata } from '@/db/event-store';
import { useShopDatabase } from '@/projections/testing';
import { orderStreamId, paymentStreamId, type Line, type OrderEvent, type OrderPayment, type PaymentRefunded } from '@/domain';
import { catchUp } from '@/db/consumers';
import { appendShopEvents, itAppliesExactlyOnce, metadata, smallBatches, testAddress } from '../testing';
import { orderDetailProjection } from './projection';
import { getOrderDetail } from './query';

const ctx = useShopDatabase();
const project = () => catchUp(ctx.source, orderDetailProjection, smallBatches);

const lines: Line[] = [
  { productId: 'p-mug', name: 'Mug', unitPriceCents: 1_200, quantity: 2 },
  { productId: 'p-lamp', name: 'Desk lamp', unitPriceCents: 4_500, quantity: 1 },
];
const placed = (orderId: string, placedAt: string, payment: OrderPayment | null = null): OrderEvent => ({
  type: 'OrderPlaced',
  data: { orderId, customerId: 'c-ann', cartId: `cart-${orderId}`, lines, totalCents: 6_900, currency: 'USD', shippingAddress: testAddress, payment, placedAt },
});

const onOrder = (orderId: string, event: OrderEvent, meta: EventMetadata) =>
  appendShopEvents(ctx.store, { streamId: orderStreamId(orderId), events: [event] }, meta);

/** Catches up, then reads the order, checking the token names the event just appended. */
async function projectedAfter(orderId: string, append: Promise<{ transactionId: number; position: number }>) {
  const last = await append;
  await project();
  const view = await getOrderDetail(ctx.db.orm, orderId);
  expect(view.checkpoint).toBe(encodeToken(last));
  return { order: view.order, position: last.position };
}

describe('order detail', () => {
  it('follows an order from placed to delivered and records each step on its timeline', async () => {
    const orderId = 'o-1';
    const customer = metadata('checkout-1', 'customer:c-ann');
    const staff = metadata('fulfil-1', 'staff');

    const place = placed(orderId, '2025-03-05T10:00:00.000Z');
    const first = await projectedAfter(orderId, onOrder(orderId, place, customer));
    expect(first.order).toMatchObject({ status: 'placed', customerId: 'c-ann', lines, totalCents: 6_900 });
    expect(first.order).toMatchObject({ paidAt: null, shippedAt: null, deliveredAt: null, cancelledAt: null });

    const pay = {
      type: 'OrderPaid',
      data: { orderId, amountCents: 6_900, paymentReference: 'pay-123', paidAt: '2025-03-05T10:01:00.000Z' },
    } as const;
    const paid = await projectedAfter(orderId, onOrder(orderId, pay, customer));
    expect(paid.order).toMatchObject({
      status: 'paid',
      paymentReference: 'pay-123',
      paidAt: new Date(pay.data.paidAt),
    });

    const ship = {
      type: 'OrderShipped',
      data: { orderId, carrier: 'DHL', trackingNumber: 'JD0001', shippedAt: '2025-03-06T08:00:00.000Z' },
    } as const;
    const shipped = await projectedAfter(orderId, onOrder(orderId, ship, staff));
    expect(shipped.order).toMatchObject({ status: 'shipped', carrier: 'DHL', trackingNumber: 'JD0001' });

    const deliver = { type: 'OrderDelivered', data: { orderId, deliveredAt: '2025-03-07T15:00:00.000Z' } } as const;
    const delivered = await projectedAfter(orderId, onOrder(orderId, deliver, staff));
    expect(delivered.order).toMatchObject({
      status: 'delivered',
      placedAt: new Date('2025-03-05T10:00:00.000Z'),
      paidAt: new Date(pay.data.paidAt),
      shippedAt: new Date(ship.data.shippedAt),
      deliveredAt: new Date(deliver.data.deliveredAt),
      cancelledAt: null,
      cancellationReason: null,
    });

    expect(delivered.order?.timeline.map((entry) => [entry.eventType, entry.correlationId, entry.actor])).toEqual([
      ['OrderPlaced', 'checkout-1', 'customer:c-ann'],
      ['OrderPaid', 'checkout-1', 'customer:c-ann'],
      ['OrderShipped', 'fulfil-1', 'staff'],
      ['OrderDelivered', 'fulfil-1', 'staff'],
    ]);
    // In stream order, each entry pointing at the logged event it came from.
    const recorded = await ctx.store.readStream(orderStreamId(orderId));
    const positions = [first, paid, shipped, delivered].map((step) => step.position);
    expect(recorded.map((event) => event.globalPosition)).toEqual(positions);
    expect(delivered.order?.timeline).toEqual(
      recorded.map((event) => ({
        orderId,
        streamVersion: event.streamVersion,
        globalPosition: event.globalPosition,
        eventType: event.type,
        recordedAt: event.recordedAt,
        correlationId: event.metadata.correlationId,
        actor: event.metadata.actor,
      })),
    );
  });

  it('shows a cancelled order with its reason, after it was paid', async () => {
    const orderId = 'o-2';
    const last = await appendShopEvents(
      ctx.store,
      {
        streamId: orderStreamId(orderId),
        events: [
          placed(orderId, '2025-03-06T09:00:00.000Z'),
          {
            type: 'OrderPaid',
            data: { orderId, amountCents: 6_900, paymentReference: 'pay-456', paidAt: '2025-03-06T09:01:00.000Z' },
          },
          {
            type: 'OrderCancelled',
            data: { orderId, reason: 'Changed my mind', cancelledBy: 'customer', cancelledAt: '2025-03-06T12:00:00.000Z' },
          },
        ],
      },
      metadata('checkout-2', 'customer:c-ann'),
    );
    await project();

    const { checkpoint, order } = await getOrderDetail(ctx.db.orm, orderId);
    expect(checkpoint).toBe(encodeToken(last));
    expect(order).toMatchObject({
      status: 'cancelled',
      paymentReference: 'pay-456',
      cancelledAt: new Date('2025-03-06T12:00:00.000Z'),
      cancellationReason: 'Changed my mind',
      shippedAt: null,
    });
    expect(order?.timeline.map((entry) => entry.eventType)).toEqual(['OrderPlaced', 'OrderPaid', 'OrderCancelled']);
    expect((await getOrderDetail(ctx.db.orm, 'o-unknown')).order).toBeNull();
  });

  it('shows the card an order was paid with and what was refunded, keeping the refund off the timeline', async () => {
    const orderId = 'o-card';
    const visa: OrderPayment = { token: 'tok_1', last4: '4242', brand: 'visa', cardRisk: 'normal' };
    await onOrder(orderId, placed(orderId, '2025-03-08T09:00:00.000Z', visa), metadata('checkout-card', 'customer:c-ann'));
    await onOrder(
      orderId,
      { type: 'OrderCancelled', data: { orderId, reason: 'Changed my mind', cancelledBy: 'customer', cancelledAt: '2025-03-08T09:05:00.000Z' } },
      metadata('cancel-card', 'customer:c-ann'),
    );
    const refunded: PaymentRefunded = {
      type: 'PaymentRefunded',
      data: { orderId, idempotencyKey: `refund-${orderId}`, refundId: 're_1', amountCents: 6_900, refundedAt: '2025-03-08T09:06:00.000Z' },
    };
    // The same refund answered twice (a retried request) is still one refund.
    const last = await appendShopEvents(ctx.store, { streamId: paymentStreamId(orderId), events: [refunded, refunded] }, metadata('refund-card', 'system:payments'));
    await project();

    const { checkpoint, order } = await getOrderDetail(ctx.db.orm, orderId);
    expect(checkpoint).toBe(encodeToken(last));
    expect(order).toMatchObject({ status: 'cancelled', cardBrand: 'visa', cardLast4: '4242', refundedCents: 6_900 });
    expect(order?.timeline.map((entry) => entry.eventType)).toEqual(['OrderPlaced', 'OrderCancelled']);
    // An order from before cards has none, and nothing refunded.
    const legacy = await projectedAfter('o-legacy', onOrder('o-legacy', placed('o-legacy', '2025-03-08T10:00:00.000Z'), metadata('checkout-legacy')));
    expect(legacy.order).toMatchObject({ cardBrand: null, cardLast4: null, refundedCents: 0 });
  });

  itAppliesExactlyOnce(orderDetailProjection, {
    ctx,
    appendBatch: (key) => {
      const orderId = `o-${key}`;
      return appendShopEvents(ctx.store, {
        streamId: orderStreamId(orderId),
        events: [
          placed(orderId, '2025-03-07T09:00:00.000Z'),
          {
            type: 'OrderCancelled',
            data: { orderId, reason: 'Out of stock', cancelledBy: 'staff', cancelledAt: '2025-03-07T09:05:00.000Z' },
          },
        ],
      });
    },
  });
});
