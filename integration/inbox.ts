import type { IntegrationTransport, ReceivedMessage, RunningSubscription, TransportProblem } from '@/contracts';
import type { EventStore } from '@/db/event-store';
import { shipmentStreamId, type ShipmentEvent } from '@/domain';

/** The shop's durable subscription to the warehouse's outcomes; its position lives in the broker. */
export const shipmentInboxName = 'shop-shipments';

/**
 * The shop's inbox for the warehouse's outcomes: each one becomes the shipment event the fulfillment process
 * reacts to (ShipmentDispatched, ShipmentItemsMissing, ShipmentCancelled in `shipment-<orderId>`), once.
 *
 * Once, because the append carries the idempotency key `inbox:<message id>`: the command-results table is
 * the inbox, written in the append's own transaction, so a message delivered again (the warehouse published
 * it twice, or the shop crashed before acknowledging) is refused as a repeat and only then acknowledged.
 * The broker's duplicate window cannot give that for ever; the key does.
 */
export function startShipmentInbox(
  transport: IntegrationTransport,
  store: EventStore,
  onProblem?: (problem: TransportProblem) => void,
): RunningSubscription {
  return transport.subscribe({
    name: shipmentInboxName,
    filter: transport.subjects.filter('warehouse', 'shipment'),
    keyOf: (message) => message.payload.orderId,
    onProblem,
    async handle(message) {
      const event = shipmentEventOf(message);
      if (!event) return;
      await store.append(shipmentStreamId(event.data.orderId), [event], {
        expectedVersion: 'any',
        metadata: {
          correlationId: message.correlationId ?? message.id,
          causationId: message.id,
          actor: 'system:warehouse',
          source: 'warehouse',
        },
        idempotency: { key: `inbox:${message.id}`, requestHash: 'warehouse', result: null },
      });
    },
  });
}

/** The anti-corruption layer on the way in: the warehouse's words, as the shop's shipment events. */
export function shipmentEventOf(message: ReceivedMessage): ShipmentEvent | null {
  switch (message.contract) {
    case 'shipment.dispatched':
      return { type: 'ShipmentDispatched', data: { ...message.payload } };
    case 'shipment.failed':
      return { type: 'ShipmentItemsMissing', data: { orderId: message.payload.orderId, missing: message.payload.missing, reportedAt: message.payload.reportedAt } };
    case 'shipment.cancelled':
      return { type: 'ShipmentCancelled', data: { ...message.payload } };
    default:
      // Another of the warehouse's contracts, added later: not one the shop acts on.
      return null;
  }
}
