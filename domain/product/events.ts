import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { cents, count, id, instant, type EventVersions } from '../schema';

export const productEventTypes = [
  'ProductListed',
  'ProductRepriced',
  'ProductRestocked',
  'StockReserved',
  'StockReleased',
] as const;

const productListedV1 = z.strictObject({
  productId: id,
  name: z.string(),
  description: z.string(),
  category: z.string(),
  priceCents: cents,
  stock: count,
  listedAt: instant,
});

const productRepricedV1 = z.strictObject({ productId: id, previousPriceCents: cents, priceCents: cents, repricedAt: instant });

/** `stock` is the level after the event, so read models can set it without re-adding. */
const productRestockedV1 = z.strictObject({ productId: id, quantity: count, stock: count, restockedAt: instant });

const stockReservedV1 = z.strictObject({ productId: id, orderId: id, quantity: count, stock: count, reservedAt: instant });

const stockReleasedV1 = z.strictObject({ productId: id, orderId: id, quantity: count, stock: count, releasedAt: instant });

export type ProductListed = DomainEvent<'ProductListed', z.infer<typeof productListedV1>>;
export type ProductRepriced = DomainEvent<'ProductRepriced', z.infer<typeof productRepricedV1>>;
export type ProductRestocked = DomainEvent<'ProductRestocked', z.infer<typeof productRestockedV1>>;
export type StockReserved = DomainEvent<'StockReserved', z.infer<typeof stockReservedV1>>;
export type StockReleased = DomainEvent<'StockReleased', z.infer<typeof stockReleasedV1>>;

export type ProductEvent = ProductListed | ProductRepriced | ProductRestocked | StockReserved | StockReleased;
export type ProductEventType = ProductEvent['type'];

/** Every stored version of each product event (docs/event-versioning.md). */
export const productEventSchemas = {
  ProductListed: [{ schema: productListedV1 }],
  ProductRepriced: [{ schema: productRepricedV1 }],
  ProductRestocked: [{ schema: productRestockedV1 }],
  StockReserved: [{ schema: stockReservedV1 }],
  StockReleased: [{ schema: stockReleasedV1 }],
} as const satisfies Record<ProductEventType, EventVersions>;
