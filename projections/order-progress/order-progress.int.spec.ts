import { describe, expect, it } from 'vitest';
import { catchUp } from '@/db/consumers';
import { encodeToken } from '@/db/event-store';
import {
  fraudCheckStreamId,
  fulfillmentStreamId,
  orderStreamId,
  paymentStreamId,
  type Line,
  type OrderPayment,
  type ShopEvent,
} from '@/domain';
import { resetProjection } from '../runtime/reset';
import { appendShopEvents, dumpProjection, itAppliesExactlyOnce, metadata, smallBatches, testAddress, useShopDatabase } from '../testing';
import { orderProgressProjection } from './projection';
import { getOrderProgress } from './query';

const ctx = useShopDatabase();
const project = (batchSize = smallBatches.batchSize) => catchUp(ctx.source, orderProgressProjection, { batchSize });

const mug: Line = { productId: 'p-mug', name: 'Mug', unitPriceCents: 2_999, quantity: 1 };
const visa: OrderPayment = { token: 'tok_visa', last4: '4242', brand: 'visa', cardRisk: 'normal' };
const at = (minute: number) => new Date(Date.UTC(2025, 3, 1, 9, minute)).toISOString();

/** The events of one order, each in the stream its writer uses, appended one transaction each in this order. */
const order = (orderId: string) => ({
  placed: (payment: OrderPayment | null = visa): [string, ShopEvent] => [
    orderStreamId(orderId),
    {
      type: 'OrderPlaced',
      data: { orderId, customerId: 'c-ann', cartId: `cart-${orderId}`, lines: [mug], totalCents: 2_999, currency: 'USD', shippingAddress: testAddress, payment, placedAt: at(0) },
    },
  ],
  fraudCheck: (verdict: 'passed' | 'rejected'): [string, ShopEvent] => [
    fraudCheckStreamId('c-ann'),
    { type: 'FraudCheckCompleted', data: { orderId, customerId: 'c-ann', verdict, score: verdict === 'passed' ? 0 : 90, reasons: [], placedAt: at(0), checkedAt: at(1) } },
  ],
  attemptFailed: (): [string, ShopEvent] => [
    paymentStreamId(orderId),
    { type: 'PaymentAttemptFailed', data: { orderId, idempotencyKey: `charge-${orderId}`, attempt: 1, failure: 'timeout', message: 'no answer', failedAt: at(2) } },
  ],
  declined: (): [string, ShopEvent] => [
    paymentStreamId(orderId),
    { type: 'PaymentDeclined', data: { orderId, idempotencyKey: `charge-${orderId}`, reason: 'insufficient_funds', message: 'Insufficient funds', declinedAt: at(3) } },
  ],
  paid: (): [string, ShopEvent] => [
    orderStreamId(orderId),
    { type: 'OrderPaid', data: { orderId, amountCents: 2_999, paymentReference: 'ch_1', paidAt: at(3) } },
  ],
  handedOver: (): [string, ShopEvent] => [
    fulfillmentStreamId(orderId),
    { type: 'ShipmentRequested', data: { orderId, lines: [mug], shippingAddress: testAddress, requestedAt: at(4) } },
  ],
  delayed: (): [string, ShopEvent] => [
    fulfillmentStreamId(orderId),
    { type: 'FulfillmentDelayed', data: { orderId, waitingFor: 'warehouse', since: at(4), alertedAt: at(5) } },
  ],
  shipped: (): [string, ShopEvent] => [
    orderStreamId(orderId),
    { type: 'OrderShipped', data: { orderId, carrier: 'Parcel Post', trackingNumber: 'PP1234', shippedAt: at(6) } },
  ],
  delivered: (): [string, ShopEvent] => [orderStreamId(orderId), { type: 'OrderDelivered', data: { orderId, deliveredAt: at(7) } }],
  cancelled: (reason: string, cancelledBy: 'customer' | 'system'): [string, ShopEvent] => [
    orderStreamId(orderId),
    { type: 'OrderCancelled', data: { orderId, reason, cancelledBy, cancelledAt: at(8) } },
  ],
  compensation: (steps: ('refund-payment' | 'release-stock' | 'cancel-order')[]): [string, ShopEvent] => [
    fulfillmentStreamId(orderId),
    { type: 'CompensationStarted', data: { orderId, cause: 'cancelled-by-customer', reason: 'Changed my mind', steps, startedAt: at(8) } },
  ],
  refundRequested: (attempt: number): [string, ShopEvent] => [
    fulfillmentStreamId(orderId),
    {
      type: 'RefundRequested',
      data: { orderId, idempotencyKey: `refund-${orderId}`, chargeKey: `charge-${orderId}`, amountCents: 2_999, attempt, requestedAt: at(8 + attempt) },
    },
  ],
  refunded: (): [string, ShopEvent] => [
    paymentStreamId(orderId),
    { type: 'PaymentRefunded', data: { orderId, idempotencyKey: `refund-${orderId}`, refundId: 're_1', amountCents: 2_999, refundedAt: at(12) } },
  ],
  parked: (): [string, ShopEvent] => [
    fulfillmentStreamId(orderId),
    { type: 'FulfillmentParked', data: { orderId, reason: 'The refund could not be made (gateway down).', parkedAt: at(13) } },
  ],
});

async function happen(...events: [string, ShopEvent][]) {
  let last = null;
  for (const [streamId, event] of events) last = await appendShopEvents(ctx.store, { streamId, events: [event] }, metadata('progress-test'));
  return last!;
}

const messagesOf = async (orderId: string) => (await getOrderProgress(ctx.db.orm, orderId)).steps.map((step) => step.message);

describe('order progress', () => {
  it('tells the shopper each step of an order from placed to delivered, in their words and in order', async () => {
    const o = order('o-happy');
    const last = await happen(
      o.placed(),
      o.fraudCheck('passed'),
      o.attemptFailed(),
      o.paid(),
      o.handedOver(),
      o.delayed(),
      o.shipped(),
      o.delivered(),
    );
    await project();

    const view = await getOrderProgress(ctx.db.orm, 'o-happy');
    expect(view.checkpoint).toBe(encodeToken(last));
    expect(view.steps.map((step) => [step.step, step.message])).toEqual([
      ['placed', 'Order placed, paying with Visa •••• 4242'],
      ['fraud-check-passed', 'Fraud check passed'],
      ['payment-retrying', 'The payment service did not answer; trying again'],
      ['payment-authorised', 'Payment authorised: $29.99'],
      ['handed-to-warehouse', 'Handed to the warehouse'],
      ['warehouse-delayed', 'Taking longer than usual at the warehouse'],
      ['shipped', 'Shipped with Parcel Post, tracking number PP1234'],
      ['delivered', 'Delivered'],
    ]);
    // Each step at its event's own time, keyed by the event's place in the log.
    expect(view.steps.map((step) => step.at)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((minute) => new Date(at(minute))));
    const positions = view.steps.map((step) => step.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('tells the steps of one decision in the order an order takes them, whatever the order of its streams', async () => {
    // With no handover delay the process pays the order and hands it over in one append, which writes
    // `fulfillment-…` before `order-…`: the log has the handover first.
    const o = order('o-at-once');
    await happen(o.placed(), o.fraudCheck('passed'));
    const [, paid] = o.paid();
    const [, handedOver] = o.handedOver();
    await appendShopEvents(ctx.store, [
      { streamId: fulfillmentStreamId('o-at-once'), events: [{ ...handedOver, data: { ...handedOver.data, requestedAt: at(3) } } as ShopEvent] },
      { streamId: orderStreamId('o-at-once'), events: [paid] },
    ]);
    await project();
    expect((await getOrderProgress(ctx.db.orm, 'o-at-once')).steps.map((step) => step.step)).toEqual([
      'placed',
      'fraud-check-passed',
      'payment-authorised',
      'handed-to-warehouse',
    ]);
  });

  it('says why a declined payment cancelled the order, and that the stock went back', async () => {
    const o = order('o-declined');
    await happen(
      o.placed(),
      o.fraudCheck('passed'),
      o.declined(),
      o.compensation(['release-stock', 'cancel-order']),
      o.cancelled('Payment declined: the card has insufficient funds.', 'system'),
    );
    await project();

    expect(await messagesOf('o-declined')).toEqual([
      'Order placed, paying with Visa •••• 4242',
      'Fraud check passed',
      'Payment declined: the card has insufficient funds',
      'The items were put back in stock',
      'Order cancelled: Payment declined: the card has insufficient funds.',
    ]);
  });

  it('follows a cancelled paid order to its refund, once however often the refund is retried', async () => {
    const o = order('o-refunded');
    await happen(
      o.placed(),
      o.fraudCheck('passed'),
      o.paid(),
      o.cancelled('Changed my mind', 'customer'),
      o.compensation(['refund-payment', 'release-stock']),
      o.refundRequested(1),
      o.refundRequested(2),
      // A compensation that only refunds (a charge that went through late) tells nothing about stock.
      o.compensation(['refund-payment']),
      o.refunded(),
    );
    await project();

    expect(await messagesOf('o-refunded')).toEqual([
      'Order placed, paying with Visa •••• 4242',
      'Fraud check passed',
      'Payment authorised: $29.99',
      'Order cancelled: Changed my mind',
      'The items were put back in stock',
      'Refund of $29.99 on its way',
      'Refunded $29.99 to your card',
    ]);
  });

  it('says a rejected fraud check and a parked process in words that keep staff reasons to staff', async () => {
    const rejected = order('o-rejected');
    const parked = order('o-parked');
    const amex: OrderPayment = { token: 'tok_amex', last4: '0005', brand: 'amex', cardRisk: 'normal' };
    await happen(rejected.placed(), rejected.fraudCheck('rejected'), parked.placed(amex), parked.parked());
    await project();

    expect(await messagesOf('o-rejected')).toEqual(['Order placed, paying with Visa •••• 4242', 'Our fraud check could not approve this order']);
    expect(await messagesOf('o-parked')).toEqual([
      'Order placed, paying with American Express •••• 0005',
      'We are looking into a problem with this order',
    ]);
  });

  it('shows nothing for an order from before cards until something happens to it, and nothing for an unknown order', async () => {
    const o = order('o-legacy');
    await happen(o.placed(null));
    await project();
    expect(await messagesOf('o-legacy')).toEqual([]);

    await happen(o.paid());
    await project();
    expect(await messagesOf('o-legacy')).toEqual(['Payment authorised: $29.99']);
    expect(await messagesOf('o-unknown')).toEqual([]);
  });

  it('rebuilds from zero in one batch to exactly the rows it built event by event', async () => {
    const o = order('o-rebuilt');
    await happen(
      o.placed(),
      o.fraudCheck('passed'),
      o.paid(),
      o.cancelled('Changed my mind', 'customer'),
      o.compensation(['refund-payment', 'release-stock']),
      o.refundRequested(1),
      o.refunded(),
    );
    await project(1);
    const incremental = await dumpProjection(ctx.db.orm, orderProgressProjection);

    await resetProjection(ctx.db.orm, orderProgressProjection);
    await project(1_000);
    expect(await dumpProjection(ctx.db.orm, orderProgressProjection)).toEqual(incremental);
  });

  itAppliesExactlyOnce(orderProgressProjection, {
    ctx,
    appendBatch: (key) => {
      const o = order(`o-${key}`);
      const [streamId, placed] = o.placed();
      return appendShopEvents(ctx.store, { streamId, events: [placed, o.paid()[1]] });
    },
  });
});
