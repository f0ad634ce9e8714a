import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { count, id, instant, type EventVersions } from '../schema';

/**
 * What the warehouse reported about an order's shipment, in the stream `shipment-<orderId>`. The warehouse
 * answers the fulfillment process's ShipmentRequested; it knows nothing of payments or mail.
 */
export const shipmentEventTypes = ['ShipmentDispatched', 'ShipmentItemsMissing', 'ShipmentCancelled'] as const;

const shipmentDispatchedV1 = z.strictObject({
  orderId: id,
  carrier: z.string().min(1).max(60),
  trackingNumber: z.string().min(1).max(60),
  dispatchedAt: instant,
});
const shipmentItemsMissingV1 = z.strictObject({
  orderId: id,
  missing: z.array(z.strictObject({ productId: id, name: z.string().max(200), quantity: count })).min(1),
  reportedAt: instant,
});
/** The process asked to stop a shipment before it left; nothing was dispatched. */
const shipmentCancelledV1 = z.strictObject({ orderId: id, cancelledAt: instant });

export type ShipmentDispatched = DomainEvent<'ShipmentDispatched', z.infer<typeof shipmentDispatchedV1>>;
export type ShipmentItemsMissing = DomainEvent<'ShipmentItemsMissing', z.infer<typeof shipmentItemsMissingV1>>;
export type ShipmentCancelled = DomainEvent<'ShipmentCancelled', z.infer<typeof shipmentCancelledV1>>;
export type ShipmentEvent = ShipmentDispatched | ShipmentItemsMissing | ShipmentCancelled;

export const shipmentStreamId = (orderId: string): string => `shipment-${orderId}`;

/** Every stored version of each shipment event (docs/event-versioning.md). */
export const shipmentEventSchemas = {
  ShipmentDispatched: [{ schema: shipmentDispatchedV1 }],
  ShipmentItemsMissing: [{ schema: shipmentItemsMissingV1 }],
  ShipmentCancelled: [{ schema: shipmentCancelledV1 }],
} as const satisfies Record<ShipmentEvent['type'], EventVersions>;
