import { assertNever, type Decider } from '../decider';
import { IllegalStateError, NotFoundError } from '../errors';
import { linesTotalCents, type Line } from '../lines';
import { invalidPriceMessage, invalidQuantityMessage, requireNonNegativeInteger, requirePositiveInteger } from '../validation';
import type { CartCommand } from './commands';
import type { CartEvent } from './events';
import { evolveCart, initialCartState, type CartState } from './state';

/** Caps a single line so a typo cannot turn one mug into a pallet of them. */
export const maxLineQuantity = 99;

export const cartStreamId = (cartId: string): string => `cart-${cartId}`;

/** Also what a command says of another customer's cart: to them it does not exist. */
export const cartNotFound = (): NotFoundError => new NotFoundError('This cart does not exist.');

type OpenCart = Extract<CartState, { status: 'open' }>;

function requireOpen(state: CartState): OpenCart {
  if (state.status === 'empty') throw cartNotFound();
  if (state.status === 'checkedOut') throw new IllegalStateError('This cart has already been checked out.');
  return state;
}

function requireLine(cart: OpenCart, productId: string): Line {
  const line = cart.lines.find((candidate) => candidate.productId === productId);
  if (!line) throw new IllegalStateError('That item is not in your cart.');
  return line;
}

function requireWithinLimit(quantity: number, name: string): void {
  if (quantity > maxLineQuantity) {
    throw new IllegalStateError(`You can have at most ${maxLineQuantity} of ${name} in your cart.`);
  }
}

function decideCart(command: CartCommand, state: CartState): CartEvent[] {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'AddItem': {
      const { cartId, customerId, productId, name, unitPriceCents, quantity } = command.data;
      requirePositiveInteger(quantity, invalidQuantityMessage);
      requirePositiveInteger(unitPriceCents, invalidPriceMessage);
      if (state.status === 'checkedOut') throw new IllegalStateError('This cart has already been checked out.');
      if (state.status === 'open' && state.customerId !== customerId) {
        throw new IllegalStateError('This cart belongs to another customer.');
      }
      const existing = state.status === 'open' ? state.lines.find((line) => line.productId === productId) : undefined;
      if (existing) {
        const summed = existing.quantity + quantity;
        requireWithinLimit(summed, existing.name);
        return [{ type: 'CartItemQuantityChanged', data: { cartId, productId, quantity: summed, changedAt: at } }];
      }
      requireWithinLimit(quantity, name);
      return [
        {
          type: 'CartItemAdded',
          data: { cartId, customerId, productId, name, unitPriceCents, quantity, addedAt: at },
        },
      ];
    }
    case 'RemoveItem': {
      const { cartId, productId } = command.data;
      requireLine(requireOpen(state), productId);
      return [{ type: 'CartItemRemoved', data: { cartId, productId, removedAt: at } }];
    }
    case 'ChangeItemQuantity': {
      const { cartId, productId, quantity } = command.data;
      requireNonNegativeInteger(quantity, 'The quantity must be a whole number of zero or more.');
      const line = requireLine(requireOpen(state), productId);
      if (quantity === 0) return [{ type: 'CartItemRemoved', data: { cartId, productId, removedAt: at } }];
      if (quantity === line.quantity) return [];
      requireWithinLimit(quantity, line.name);
      return [{ type: 'CartItemQuantityChanged', data: { cartId, productId, quantity, changedAt: at } }];
    }
    case 'CheckOut': {
      const { cartId, orderId } = command.data;
      const cart = requireOpen(state);
      if (cart.lines.length === 0) throw new IllegalStateError('Cannot check out an empty cart.');
      return [
        {
          type: 'CartCheckedOut',
          data: {
            cartId,
            customerId: cart.customerId,
            orderId,
            lines: cart.lines,
            totalCents: linesTotalCents(cart.lines),
            checkedOutAt: at,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const cartDecider: Decider<CartState, CartCommand, CartEvent> = {
  decide: decideCart,
  evolve: evolveCart,
  initialState: initialCartState,
};
