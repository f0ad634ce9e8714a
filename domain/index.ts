import type { CartEvent } from './cart';
import type { CustomerEvent } from './customer';
import type { OrderEvent } from './order';
import type { ProductEvent } from './product';

export * from './cart';
export * from './customer';
export * from './decider';
export * from './errors';
export * from './lines';
export * from './order';
export * from './product';

export type ShopEvent = ProductEvent | CartEvent | OrderEvent | CustomerEvent;
export type ShopEventType = ShopEvent['type'];
