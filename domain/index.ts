import { cartEventSchemas, type CartEvent } from './cart';
import { customerEventSchemas, type CustomerEvent } from './customer';
import { fraudEventSchemas, type FraudEvent } from './fraud';
import { fulfillmentEventSchemas, type FulfillmentEvent } from './fulfillment';
import { orderEventSchemas, type OrderEvent } from './order';
import { paymentEventSchemas, type PaymentEvent } from './payment';
import { productEventSchemas, type ProductEvent } from './product';
import type { EventVersions } from './schema';
import { shipmentEventSchemas, type ShipmentEvent } from './shipment';
import { timerEventSchemas, type TimerEvent } from './timers';

export * from './cart';
export * from './customer';
export * from './decider';
export * from './errors';
export * from './fraud';
export * from './fulfillment';
export * from './lines';
export * from './order';
export * from './payment';
export * from './product';
export * from './schema';
export * from './shipment';
export * from './timers';

export type ShopEvent =
  | ProductEvent
  | CartEvent
  | OrderEvent
  | CustomerEvent
  | FraudEvent
  | PaymentEvent
  | ShipmentEvent
  | FulfillmentEvent
  | TimerEvent;
export type ShopEventType = ShopEvent['type'];

/**
 * Every version ever stored of every shop event, for the event store to validate appends and upcast reads
 * with. Types are never removed from here, and a registered version's schema never changes: a change of
 * shape is a new version (docs/event-versioning.md; `event-schemas.unit.spec.ts` holds the lock).
 */
export const shopEventSchemas = {
  ...productEventSchemas,
  ...cartEventSchemas,
  ...orderEventSchemas,
  ...customerEventSchemas,
  ...fraudEventSchemas,
  ...paymentEventSchemas,
  ...shipmentEventSchemas,
  ...fulfillmentEventSchemas,
  ...timerEventSchemas,
} as const satisfies Record<ShopEventType, EventVersions>;
