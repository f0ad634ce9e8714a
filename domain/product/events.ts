import type { DomainEvent } from '../decider';

export const productEventTypes = [
  'ProductListed',
  'ProductRepriced',
  'ProductRestocked',
  'StockReserved',
  'StockReleased',
] as const;

export type ProductListed = DomainEvent<
  'ProductListed',
  {
    productId: string;
    name: string;
    description: string;
    category: string;
    priceCents: number;
    stock: number;
    listedAt: string;
  }
>;

export type ProductRepriced = DomainEvent<
  'ProductRepriced',
  { productId: string; previousPriceCents: number; priceCents: number; repricedAt: string }
>;

/** `stock` is the level after the event, so read models can set it without re-adding. */
export type ProductRestocked = DomainEvent<
  'ProductRestocked',
  { productId: string; quantity: number; stock: number; restockedAt: string }
>;

export type StockReserved = DomainEvent<
  'StockReserved',
  { productId: string; orderId: string; quantity: number; stock: number; reservedAt: string }
>;

export type StockReleased = DomainEvent<
  'StockReleased',
  { productId: string; orderId: string; quantity: number; stock: number; releasedAt: string }
>;

export type ProductEvent = ProductListed | ProductRepriced | ProductRestocked | StockReserved | StockReleased;
export type ProductEventType = ProductEvent['type'];
