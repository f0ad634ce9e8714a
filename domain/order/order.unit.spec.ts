import { describe, expect, expectTypeOf, it } from 'vitest';
import { fold } from '../decider';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors';
import type { Line } from '../lines';
import { given } from '../testing';
import {
  orderDecider,
  orderEventSchemas,
  orderEventTypes,
  orderStatuses,
  orderStreamId,
  type OrderEvent,
  type OrderState,
} from './index';

const metadata = { now: new Date('2025-03-01T09:00:00.000Z') };
const at = metadata.now.toISOString();
const orderId = 'o-1';
const lines: Line[] = [
  { productId: 'p-1', name: 'Blue Mug', unitPriceCents: 1250, quantity: 2 },
  { productId: 'p-2', name: 'Green Tea', unitPriceCents: 499, quantity: 1 },
];

const shippingAddress = { name: 'Maya Okafor', line1: '12 Canal Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId, customerId: 'u-1', cartId: 'c-1', lines, shippingAddress, totalCents: 2999, currency: 'USD', payment: null, placedAt: at },
};
const paid: OrderEvent = {
  type: 'OrderPaid',
  data: { orderId, amountCents: 2999, paymentReference: 'pay-1', paidAt: at },
};
const shipped: OrderEvent = {
  type: 'OrderShipped',
  data: { orderId, carrier: 'DHL', trackingNumber: 'T-1', shippedAt: at },
};
const delivered: OrderEvent = { type: 'OrderDelivered', data: { orderId, deliveredAt: at } };
const cancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'Changed my mind', cancelledBy: 'customer', cancelledAt: at },
};

const placeOrder = (orderLines: Line[] = lines) =>
  ({ type: 'PlaceOrder', data: { orderId, customerId: 'u-1', cartId: 'c-1', lines: orderLines, shippingAddress, payment: null }, metadata }) as const;
const payOrder = (amountCents = 2999) =>
  ({ type: 'PayOrder', data: { orderId, amountCents, paymentReference: 'pay-1' }, metadata }) as const;
const shipOrder = { type: 'ShipOrder', data: { orderId, carrier: 'DHL', trackingNumber: 'T-1' }, metadata } as const;
const deliverOrder = { type: 'DeliverOrder', data: { orderId }, metadata } as const;
const cancelOrder = { type: 'CancelOrder', data: { orderId, reason: 'Changed my mind', cancelledBy: 'customer' }, metadata } as const;

describe('Order', () => {
  it('names its stream and lists every event type and status', () => {
    expect(orderStreamId(orderId)).toBe('order-o-1');
    expectTypeOf<(typeof orderEventTypes)[number]>().toEqualTypeOf<OrderEvent['type']>();
    expect(orderStatuses).toEqual(['placed', 'paid', 'shipped', 'delivered', 'cancelled']);
  });

  it('remembers whether money was taken before cancelling', () => {
    const cancelledFrom = (state: OrderState) => (state.status === 'none' ? undefined : state.cancelledFrom);
    expect(cancelledFrom(fold(orderDecider, [placed, cancelled]))).toBe('placed');
    expect(cancelledFrom(fold(orderDecider, [placed, paid, cancelled]))).toBe('paid');
  });

  it('remembers whether the fulfillment process moves it: only an order paid by card at checkout', () => {
    // The staff's own pay, ship and deliver actions are for the others (server/commands/orders.ts).
    const byProcess = (state: OrderState) => (state.status === 'none' ? undefined : state.fulfilledByProcess);
    const card = { token: 'tok_visa_4242', last4: '4242', brand: 'Visa', cardRisk: 'normal' } as const;
    expect(byProcess(fold(orderDecider, [placed]))).toBe(false);
    expect(byProcess(fold(orderDecider, [{ ...placed, data: { ...placed.data, payment: card } }]))).toBe(true);
  });

  describe('PlaceOrder', () => {
    it('places an order and computes its total', () => {
      given(orderDecider).when(placeOrder()).then([placed]);
    });

    it('refuses placing twice', () => {
      given(orderDecider, [placed]).when(placeOrder()).thenThrows(IllegalStateError, /already been placed/);
    });

    it('refuses an order with no lines', () => {
      given(orderDecider).when(placeOrder([])).thenThrows(IllegalStateError, /at least one item/);
    });

    it('refuses a line whose quantity is not a positive integer', () => {
      given(orderDecider)
        .when(placeOrder([{ ...lines[0]!, quantity: 0 }]))
        .thenThrows(ValidationError, /quantity/);
    });

    it('refuses a line whose price is not a positive integer', () => {
      given(orderDecider)
        .when(placeOrder([{ ...lines[0]!, unitPriceCents: 9.99 }]))
        .thenThrows(ValidationError, /price/);
    });
  });

  describe('PayOrder', () => {
    it('pays a placed order', () => {
      given(orderDecider, [placed]).when(payOrder()).then([paid]);
    });

    it('refuses paying twice', () => {
      given(orderDecider, [placed, paid]).when(payOrder()).thenThrows(IllegalStateError, /^This order has already been paid\.$/);
    });

    it('refuses paying a shipped order', () => {
      given(orderDecider, [placed, paid, shipped]).when(payOrder()).thenThrows(IllegalStateError, /already been paid/);
    });

    it('refuses an amount other than the total', () => {
      given(orderDecider, [placed])
        .when(payOrder(2000))
        .thenThrows(IllegalStateError, /payment of 20\.00 does not match the order total of 29\.99/);
    });

    it.each([0, -5, 29.99])('refuses amount %s', (amountCents) => {
      given(orderDecider, [placed]).when(payOrder(amountCents)).thenThrows(ValidationError, /payment amount/);
    });

    it('refuses an order that does not exist', () => {
      given(orderDecider).when(payOrder()).thenThrows(NotFoundError, /does not exist/);
    });
  });

  describe('ShipOrder', () => {
    it('ships a paid order', () => {
      given(orderDecider, [placed, paid]).when(shipOrder).then([shipped]);
    });

    it('refuses shipping before payment', () => {
      given(orderDecider, [placed]).when(shipOrder).thenThrows(IllegalStateError, /before it is paid/);
    });

    it('refuses shipping twice', () => {
      given(orderDecider, [placed, paid, shipped]).when(shipOrder).thenThrows(IllegalStateError, /already been shipped/);
    });

    it('refuses an order that does not exist', () => {
      given(orderDecider).when(shipOrder).thenThrows(NotFoundError, /does not exist/);
    });
  });

  describe('DeliverOrder', () => {
    it('delivers a shipped order', () => {
      given(orderDecider, [placed, paid, shipped]).when(deliverOrder).then([delivered]);
    });

    it.each([
      ['placed', [placed]],
      ['paid', [placed, paid]],
    ])('refuses delivering a %s order', (_status, history) => {
      given(orderDecider, history).when(deliverOrder).thenThrows(IllegalStateError, /before it is shipped/);
    });

    it('refuses delivering twice', () => {
      given(orderDecider, [placed, paid, shipped, delivered])
        .when(deliverOrder)
        .thenThrows(IllegalStateError, /already been delivered/);
    });

    it('refuses an order that does not exist', () => {
      given(orderDecider).when(deliverOrder).thenThrows(NotFoundError, /does not exist/);
    });
  });

  describe('CancelOrder', () => {
    it.each([
      ['placed', [placed]],
      ['paid', [placed, paid]],
    ])('cancels a %s order', (_status, history) => {
      given(orderDecider, history).when(cancelOrder).then([cancelled]);
    });

    it.each([
      ['shipped', [placed, paid, shipped]],
      ['delivered', [placed, paid, shipped, delivered]],
    ])('refuses cancelling a %s order', (_status, history) => {
      given(orderDecider, history)
        .when(cancelOrder)
        .thenThrows(IllegalStateError, /^A shipped order can no longer be cancelled\.$/);
    });

    it('refuses an order that does not exist', () => {
      given(orderDecider).when(cancelOrder).thenThrows(NotFoundError, /does not exist/);
    });
  });

  describe('a cancelled order', () => {
    it.each([
      ['PlaceOrder', placeOrder()],
      ['PayOrder', payOrder()],
      ['ShipOrder', shipOrder],
      ['DeliverOrder', deliverOrder],
      ['CancelOrder', cancelOrder],
    ])('refuses %s', (_type, command) => {
      given(orderDecider, [placed, paid, cancelled])
        .when(command)
        .thenThrows(IllegalStateError, /^This order was cancelled\.$/);
    });
  });
});

describe('Order event versions', () => {
  const upcast = <T>(versions: readonly object[], previous: T) =>
    (versions[1] as { upcast: (previous: T) => object }).upcast(previous);

  it('reads an OrderPlaced v1, from before addresses were asked for, as unaddressed and in USD', () => {
    const { shippingAddress: _address, currency: _currency, ...v1 } = placed.data as Extract<OrderEvent, { type: 'OrderPlaced' }>['data'];
    expect(upcast(orderEventSchemas.OrderPlaced, v1)).toEqual({ ...v1, shippingAddress: null, currency: 'USD' });
  });

  it("reads an OrderCancelled v1 as the customer's own cancellation", () => {
    const v1 = { orderId, reason: 'Changed my mind', cancelledAt: at };
    expect(upcast(orderEventSchemas.OrderCancelled, v1)).toEqual({ ...v1, cancelledBy: 'customer' });
  });
});
