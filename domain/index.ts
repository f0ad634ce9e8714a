import type { CartEvent } from './cart';
import { cartEventTypes } from './cart';
import type { CustomerEvent } from './customer';
import { customerEventTypes } from './customer';
import type { OrderEvent } from './order';
import { orderEventTypes } from './order';
import type { ProductEvent } from './product';
import { productEventTypes } from './product';

export * from './cart';
export * from './customer';
export * from './decider';
export * from './errors';
export * from './order';
export * from './product';

export type ShopEvent = ProductEvent | CartEvent | OrderEvent | CustomerEvent;
export type ShopEventType = ShopEvent['type'];
export type ShopEventOf<T extends ShopEventType> = Extract<ShopEvent, { type: T }>;

export const shopEventTypes = [
  ...productEventTypes,
  ...cartEventTypes,
  ...orderEventTypes,
  ...customerEventTypes,
] as const satisfies readonly ShopEventType[];
