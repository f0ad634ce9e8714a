import { cartEventSchemas, type CartEvent } from './cart';
import { customerEventSchemas, type CustomerEvent } from './customer';
import { orderEventSchemas, type OrderEvent } from './order';
import { productEventSchemas, type ProductEvent } from './product';
import type { EventVersions } from './schema';

export * from './cart';
export * from './customer';
export * from './decider';
export * from './errors';
export * from './lines';
export * from './order';
export * from './product';
export * from './schema';

export type ShopEvent = ProductEvent | CartEvent | OrderEvent | CustomerEvent;
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
} as const satisfies Record<ShopEventType, EventVersions>;
