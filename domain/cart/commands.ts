import type { Command } from '../decider';

export type AddItem = Command<
  'AddItem',
  { cartId: string; customerId: string; productId: string; name: string; unitPriceCents: number; quantity: number }
>;

export type RemoveItem = Command<'RemoveItem', { cartId: string; productId: string }>;

/** A quantity of 0 removes the line. */
export type ChangeItemQuantity = Command<
  'ChangeItemQuantity',
  { cartId: string; productId: string; quantity: number }
>;

export type CheckOut = Command<'CheckOut', { cartId: string; orderId: string }>;

export type CartCommand = AddItem | RemoveItem | ChangeItemQuantity | CheckOut;
