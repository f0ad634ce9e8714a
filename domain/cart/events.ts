import type { DomainEvent } from '../decider';
import type { Line } from '../lines';

export const cartEventTypes = [
  'CartItemAdded',
  'CartItemRemoved',
  'CartItemQuantityChanged',
  'CartCheckedOut',
] as const;

export type CartItemAdded = DomainEvent<
  'CartItemAdded',
  {
    cartId: string;
    customerId: string;
    productId: string;
    name: string;
    unitPriceCents: number;
    quantity: number;
    addedAt: string;
  }
>;

export type CartItemRemoved = DomainEvent<'CartItemRemoved', { cartId: string; productId: string; removedAt: string }>;

export type CartItemQuantityChanged = DomainEvent<
  'CartItemQuantityChanged',
  { cartId: string; productId: string; quantity: number; changedAt: string }
>;

export type CartCheckedOut = DomainEvent<
  'CartCheckedOut',
  { cartId: string; customerId: string; orderId: string; lines: Line[]; totalCents: number; checkedOutAt: string }
>;

export type CartEvent = CartItemAdded | CartItemRemoved | CartItemQuantityChanged | CartCheckedOut;
