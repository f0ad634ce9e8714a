import { describe, expect, it } from 'vitest';
import { decode, encode, subjects, type ReceivedMessage } from '@/contracts';
import { shipmentEventOf } from './inbox';
import { integrationEventOf, type PublishedEvent } from './published';

const names = subjects('hindsight');
const recordedAt = new Date('2026-12-01T10:00:01.000Z');

function stored<E extends PublishedEvent>(type: E['type'], data: E['data']): E {
  return {
    globalPosition: 42,
    transactionId: 7,
    streamId: `stream-${type}`,
    streamVersion: 3,
    eventId: 'event-42',
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: 'checkout-1', causationId: 'cause-1', actor: 'system:fulfillment', source: 'fulfillment' },
    recordedAt,
  } as E;
}

const address = { name: 'Ada', line1: '1 Street', postalCode: '3511 AA', city: 'Utrecht', country: 'NL' };

describe('what the shop publishes', () => {
  it('an order placed, with money in minor units and nothing of the payment token or the cart', () => {
    const message = integrationEventOf(
      stored('OrderPlaced', {
        orderId: 'order-1',
        customerId: 'customer-1',
        cartId: 'cart-1',
        lines: [{ productId: 'p-1', name: 'Blue Mug', unitPriceCents: 1_250, quantity: 2 }],
        totalCents: 2_500,
        placedAt: '2026-12-01T10:00:00.000Z',
        shippingAddress: address,
        currency: 'USD',
        payment: { token: 'tok_secret', last4: '4242', brand: 'visa', cardRisk: 'normal' },
      }),
    );
    expect(message).toEqual({
      id: 'event-42',
      occurredAt: recordedAt.toISOString(),
      correlationId: 'checkout-1',
      causationId: 'cause-1',
      contract: 'order.placed',
      payload: {
        orderId: 'order-1',
        customerId: 'customer-1',
        items: [{ productId: 'p-1', name: 'Blue Mug', quantity: 2, unitPrice: { amountMinor: 1_250, currency: 'USD' } }],
        total: { amountMinor: 2_500, currency: 'USD' },
        placedAt: '2026-12-01T10:00:00.000Z',
      },
    });
    expect(JSON.stringify(message)).not.toMatch(/tok_secret|cart-1/);
    expect(() => encode(names, message)).not.toThrow();
  });

  it("a shipment request, its cancellation, a payment and a cancellation, each valid against its contract", () => {
    const messages = [
      integrationEventOf(
        stored('ShipmentRequested', {
          orderId: 'order-1',
          lines: [{ productId: 'p-1', name: '  ', unitPriceCents: 100, quantity: 1 }],
          shippingAddress: address,
          requestedAt: '2026-12-01T10:00:00Z',
        }),
      ),
      integrationEventOf(stored('ShipmentCancellationRequested', { orderId: 'order-1', requestedAt: '2026-12-01T10:00:00.000Z' })),
      integrationEventOf(
        stored('PaymentCaptured', { orderId: 'order-1', idempotencyKey: 'charge-order-1', chargeId: 'ch_1', amountCents: 100, capturedAt: '2026-12-01T10:00:00.000Z' }),
      ),
      integrationEventOf(
        stored('OrderCancelled', { orderId: 'order-1', reason: 'Payment declined', cancelledAt: '2026-12-01T10:00:00.000Z', cancelledBy: 'system' }),
      ),
    ];
    for (const message of messages) expect(decode(names, encode(names, message)).ok).toBe(true);
    // A nameless product still ships, by its id; instants are normalised to UTC with milliseconds.
    expect(messages[0]!.payload).toMatchObject({ items: [{ productId: 'p-1', name: 'p-1', quantity: 1 }], requestedAt: '2026-12-01T10:00:00.000Z' });
    expect(messages[2]!.payload).toEqual({ orderId: 'order-1', paymentId: 'ch_1', amount: { amountMinor: 100, currency: 'USD' }, capturedAt: '2026-12-01T10:00:00.000Z' });
    // Outside the shop, its own process is simply "the shop".
    expect(messages[3]!.payload).toMatchObject({ cancelledBy: 'shop' });
  });
});

describe('what the shop takes in', () => {
  const received = (message: Pick<ReceivedMessage, 'contract' | 'payload'>): ReceivedMessage =>
    ({ ...message, id: 'm-1', subject: names.of(message.contract), occurredAt: null, correlationId: 'checkout-1', causationId: 'event-42' }) as ReceivedMessage;

  it("turns the warehouse's outcomes into the shipment events the process reacts to", () => {
    expect(
      shipmentEventOf(received({ contract: 'shipment.dispatched', payload: { orderId: 'o', carrier: 'Parcel Post', trackingNumber: 'PP1', dispatchedAt: '2026-12-01T10:00:00.000Z' } })),
    ).toEqual({ type: 'ShipmentDispatched', data: { orderId: 'o', carrier: 'Parcel Post', trackingNumber: 'PP1', dispatchedAt: '2026-12-01T10:00:00.000Z' } });
    expect(
      shipmentEventOf(
        received({
          contract: 'shipment.failed',
          payload: { orderId: 'o', reason: 'items-missing', missing: [{ productId: 'p', name: 'Mug', quantity: 1 }], reportedAt: '2026-12-01T10:00:00.000Z' },
        }),
      ),
    ).toEqual({ type: 'ShipmentItemsMissing', data: { orderId: 'o', missing: [{ productId: 'p', name: 'Mug', quantity: 1 }], reportedAt: '2026-12-01T10:00:00.000Z' } });
    expect(shipmentEventOf(received({ contract: 'shipment.cancelled', payload: { orderId: 'o', cancelledAt: '2026-12-01T10:00:00.000Z' } }))).toEqual({
      type: 'ShipmentCancelled',
      data: { orderId: 'o', cancelledAt: '2026-12-01T10:00:00.000Z' },
    });
  });

  it("ignores the shop's own contracts, should one reach it", () => {
    expect(shipmentEventOf(received({ contract: 'shipment.cancellation-requested', payload: { orderId: 'o', requestedAt: '2026-12-01T10:00:00.000Z' } }))).toBeNull();
  });
});
