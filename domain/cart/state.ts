import { assertNever } from '../decider';
import type { Line } from '../lines';
import type { CartEvent } from './events';

/** An open cart whose last line was removed stays open with no lines. */
export type CartState =
  | { status: 'empty' }
  | { status: 'open'; cartId: string; customerId: string; lines: Line[] }
  | { status: 'checkedOut'; cartId: string; customerId: string; orderId: string };

export const initialCartState = (): CartState => ({ status: 'empty' });

export function evolveCart(state: CartState, event: CartEvent): CartState {
  switch (event.type) {
    case 'CartItemAdded': {
      const { cartId, customerId, productId, name, unitPriceCents, quantity } = event.data;
      const lines = state.status === 'open' ? state.lines : [];
      return { status: 'open', cartId, customerId, lines: [...lines, { productId, name, unitPriceCents, quantity }] };
    }
    case 'CartItemRemoved':
      if (state.status !== 'open') return state;
      return { ...state, lines: state.lines.filter((line) => line.productId !== event.data.productId) };
    case 'CartItemQuantityChanged': {
      if (state.status !== 'open') return state;
      const { productId, quantity } = event.data;
      return {
        ...state,
        lines: state.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)),
      };
    }
    case 'CartCheckedOut': {
      const { cartId, customerId, orderId } = event.data;
      return { status: 'checkedOut', cartId, customerId, orderId };
    }
    default:
      return assertNever(event);
  }
}
