import { z } from 'zod';
import type { DomainEvent } from '../decider';
import { lineSchema } from '../lines';
import { cents, count, id, instant, type EventVersions } from '../schema';

export const cartEventTypes = [
  'CartItemAdded',
  'CartItemRemoved',
  'CartItemQuantityChanged',
  'CartCheckedOut',
] as const;

const cartItemAddedV1 = z.strictObject({
  cartId: id,
  customerId: id,
  productId: id,
  name: z.string(),
  unitPriceCents: cents,
  quantity: count,
  addedAt: instant,
});

const cartItemRemovedV1 = z.strictObject({ cartId: id, productId: id, removedAt: instant });

const cartItemQuantityChangedV1 = z.strictObject({ cartId: id, productId: id, quantity: count, changedAt: instant });

const cartCheckedOutV1 = z.strictObject({
  cartId: id,
  customerId: id,
  orderId: id,
  lines: z.array(lineSchema),
  totalCents: cents,
  checkedOutAt: instant,
});

export type CartItemAdded = DomainEvent<'CartItemAdded', z.infer<typeof cartItemAddedV1>>;
export type CartItemRemoved = DomainEvent<'CartItemRemoved', z.infer<typeof cartItemRemovedV1>>;
export type CartItemQuantityChanged = DomainEvent<'CartItemQuantityChanged', z.infer<typeof cartItemQuantityChangedV1>>;
export type CartCheckedOut = DomainEvent<'CartCheckedOut', z.infer<typeof cartCheckedOutV1>>;

export type CartEvent = CartItemAdded | CartItemRemoved | CartItemQuantityChanged | CartCheckedOut;

/** Every stored version of each cart event (docs/event-versioning.md). */
export const cartEventSchemas = {
  CartItemAdded: [{ schema: cartItemAddedV1 }],
  CartItemRemoved: [{ schema: cartItemRemovedV1 }],
  CartItemQuantityChanged: [{ schema: cartItemQuantityChangedV1 }],
  CartCheckedOut: [{ schema: cartCheckedOutV1 }],
} as const satisfies Record<CartEvent['type'], EventVersions>;
