import { describe, expect, it } from 'vitest';
import type { OrderCancelled, OrderDelivered, OrderEvent, OrderPaid, OrderPlaced, OrderShipped } from '@/domain';
import { orderAsOf, orderSteps, type OrderAsOf, type RecordedOrderEvent } from './order-as-of';

const orderId = 'o-1';
const lines = [{ productId: 'p-1', name: 'Blue Mug', unitPriceCents: 1250, quantity: 2 }];
const shippingAddress = { name: 'Maya Okafor', line1: '12 Canal Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

/** The events as the store would hand them on: version n recorded at 09:0n, by the customer unless said. */
function recorded(events: OrderEvent[], actor = 'customer:u-1'): RecordedOrderEvent[] {
  return events.map((event, index) => ({
    ...event,
    streamVersion: index + 1,
    recordedAt: new Date(`2025-03-01T09:0${index}:00.000Z`),
    metadata: { actor },
  }));
}

const placed: OrderPlaced = {
  type: 'OrderPlaced',
  data: { orderId, customerId: 'u-1', cartId: 'c-1', lines, totalCents: 2500, currency: 'USD', shippingAddress, payment: null, placedAt: '2025-03-01T09:00:00.000Z' },
};
const paid: OrderPaid = {
  type: 'OrderPaid',
  data: { orderId, amountCents: 2500, paymentReference: 'demo-1a2b3c4d', paidAt: '2025-03-01T09:01:00.000Z' },
};
const shipped: OrderShipped = {
  type: 'OrderShipped',
  data: { orderId, carrier: 'Parcel Post', trackingNumber: 'PP1', shippedAt: '2025-03-01T09:02:00.000Z' },
};
const delivered: OrderDelivered = { type: 'OrderDelivered', data: { orderId, deliveredAt: '2025-03-01T09:03:00.000Z' } };
const cancelled: OrderCancelled = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'Changed my mind', cancelledBy: 'customer', cancelledAt: '2025-03-01T09:02:00.000Z' },
};

const justPlaced: OrderAsOf = {
  status: 'placed',
  lines,
  totalCents: 2500,
  currency: 'USD',
  shippingAddress,
  placedAt: '2025-03-01T09:00:00.000Z',
  paidAt: null,
  paymentReference: null,
  shippedAt: null,
  carrier: null,
  trackingNumber: null,
  deliveredAt: null,
  cancelledAt: null,
  cancellationReason: null,
  cancelledBy: null,
};

describe('an order stream folded step by step', () => {
  it('lists what the first event set, and after it only what each event changed', () => {
    const steps = orderSteps(recorded([placed, paid, shipped, delivered]));

    // The first step is the order as it was then, though three events followed.

    expect(steps[0]).toEqual({
      version: 1,
      type: 'OrderPlaced',
      recordedAt: new Date('2025-03-01T09:00:00.000Z'),
      actor: 'customer:u-1',
      order: justPlaced,
      changes: [
        { field: 'status', before: null, after: 'placed' },
        { field: 'lines', before: null, after: lines },
        { field: 'totalCents', before: null, after: 2500 },
        { field: 'currency', before: null, after: 'USD' },
        { field: 'shippingAddress', before: null, after: shippingAddress },
        { field: 'placedAt', before: null, after: '2025-03-01T09:00:00.000Z' },
      ],
    });
    expect(steps.slice(1).map(({ version, type, changes }) => ({ version, type, changes }))).toEqual([
      {
        version: 2,
        type: 'OrderPaid',
        changes: [
          { field: 'status', before: 'placed', after: 'paid' },
          { field: 'paidAt', before: null, after: '2025-03-01T09:01:00.000Z' },
          { field: 'paymentReference', before: null, after: 'demo-1a2b3c4d' },
        ],
      },
      {
        version: 3,
        type: 'OrderShipped',
        changes: [
          { field: 'status', before: 'paid', after: 'shipped' },
          { field: 'shippedAt', before: null, after: '2025-03-01T09:02:00.000Z' },
          { field: 'carrier', before: null, after: 'Parcel Post' },
          { field: 'trackingNumber', before: null, after: 'PP1' },
        ],
      },
      {
        version: 4,
        type: 'OrderDelivered',
        changes: [
          { field: 'status', before: 'shipped', after: 'delivered' },
          { field: 'deliveredAt', before: null, after: '2025-03-01T09:03:00.000Z' },
        ],
      },
    ]);
    expect(steps[3]?.order).toEqual({
      ...justPlaced,
      status: 'delivered',
      paidAt: '2025-03-01T09:01:00.000Z',
      paymentReference: 'demo-1a2b3c4d',
      shippedAt: '2025-03-01T09:02:00.000Z',
      carrier: 'Parcel Post',
      trackingNumber: 'PP1',
      deliveredAt: '2025-03-01T09:03:00.000Z',
    });
  });

  it('records a cancellation with its reason and who cancelled, and the actor of each step', () => {
    const [, , cancellation] = orderSteps(recorded([placed, paid, cancelled], 'staff'));
    expect(cancellation).toMatchObject({ version: 3, type: 'OrderCancelled', actor: 'staff' });
    expect(cancellation?.changes).toEqual([
      { field: 'status', before: 'paid', after: 'cancelled' },
      { field: 'cancelledAt', before: null, after: '2025-03-01T09:02:00.000Z' },
      { field: 'cancellationReason', before: null, after: 'Changed my mind' },
      { field: 'cancelledBy', before: null, after: 'customer' },
    ]);
  });

  it('shows no address among the first changes of an order placed before the shop asked for one', () => {
    const legacy: OrderPlaced = { ...placed, data: { ...placed.data, shippingAddress: null } };
    const [first] = orderSteps(recorded([legacy]));
    expect(first?.order.shippingAddress).toBeNull();
    expect(first?.changes.map((change) => change.field)).not.toContain('shippingAddress');
  });

  it('has no steps and no order for a stream without a placed order', () => {
    expect(orderSteps([])).toEqual([]);
    expect(orderAsOf([])).toBeNull();
    expect(orderSteps(recorded([paid]))).toEqual([]);
  });

  it('gives the order as of the last event read', () => {
    expect(orderAsOf([placed])).toEqual(justPlaced);
    expect(orderAsOf([placed, paid, cancelled])).toMatchObject({ status: 'cancelled', cancelledBy: 'customer', paidAt: paid.data.paidAt });
  });
});
