import type { OutgoingMessage } from '@/contracts';
import type { Handled } from '@/db/consumers';
import { shopCurrency, type ShopEvent } from '@/domain';

/** The domain events the shop publishes, each as one integration event. */
export const publishedEventTypes = [
  'OrderPlaced',
  'PaymentCaptured',
  'OrderCancelled',
  'ShipmentRequested',
  'ShipmentCancellationRequested',
] as const satisfies readonly ShopEvent['type'][];

export type PublishedEvent = Handled<ShopEvent, (typeof publishedEventTypes)[number]>;

/**
 * Translates a domain event into its integration event: the anti-corruption layer on the way out. Only what
 * another service needs crosses, in the contract's formats (money in minor units with its currency, instants
 * in UTC); the payment token, the cart, the fraud score and the process's bookkeeping stay in the shop.
 *
 * The message id is the event id: publishing the same event again (after a crash before the relay's
 * checkpoint moved) is the same message, which JetStream drops within its duplicate window and consumers'
 * inboxes drop for ever.
 */
export function integrationEventOf(event: PublishedEvent): OutgoingMessage {
  const envelope = {
    id: event.eventId,
    occurredAt: event.recordedAt.toISOString(),
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    // The trace of the append that recorded the event: the publish continues it (contracts/tracing.ts).
    ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
    ...(event.metadata.tracestate ? { tracestate: event.metadata.tracestate } : {}),
  };
  const money = (amountMinor: number, currency: string = shopCurrency) => ({ amountMinor, currency });
  const item = (line: { productId: string; name: string; quantity: number }) => ({
    productId: line.productId,
    // A product listed without a name still ships: the warehouse goes by the product id.
    name: line.name.trim().slice(0, 200) || line.productId,
    quantity: line.quantity,
  });
  const utc = (instant: string) => new Date(instant).toISOString();
  switch (event.type) {
    case 'OrderPlaced': {
      const { data } = event;
      return {
        ...envelope,
        contract: 'order.placed',
        payload: {
          orderId: data.orderId,
          customerId: data.customerId,
          items: data.lines.map((line) => ({ ...item(line), unitPrice: money(line.unitPriceCents, data.currency) })),
          total: money(data.totalCents, data.currency),
          placedAt: utc(data.placedAt),
        },
      };
    }
    case 'PaymentCaptured':
      return {
        ...envelope,
        contract: 'payment.captured',
        payload: { orderId: event.data.orderId, paymentId: event.data.chargeId, amount: money(event.data.amountCents), capturedAt: utc(event.data.capturedAt) },
      };
    case 'OrderCancelled':
      return {
        ...envelope,
        contract: 'order.cancelled',
        payload: {
          orderId: event.data.orderId,
          // "system" is the shop's own process; outside, the shop is one party.
          cancelledBy: event.data.cancelledBy === 'system' ? 'shop' : event.data.cancelledBy,
          reason: event.data.reason.slice(0, 500),
          cancelledAt: utc(event.data.cancelledAt),
        },
      };
    case 'ShipmentRequested':
      return {
        ...envelope,
        contract: 'shipment.requested',
        payload: {
          orderId: event.data.orderId,
          items: event.data.lines.map(item),
          shipTo: event.data.shippingAddress,
          requestedAt: utc(event.data.requestedAt),
        },
      };
    case 'ShipmentCancellationRequested':
      return {
        ...envelope,
        contract: 'shipment.cancellation-requested',
        payload: { orderId: event.data.orderId, requestedAt: utc(event.data.requestedAt) },
      };
  }
}
