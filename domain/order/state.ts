import { assertNever } from '../decider';
import type { Line } from '../lines';
import type { OrderEvent } from './events';

export const orderStatuses = ['placed', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type ExistingOrder = {
  status: OrderStatus;
  orderId: string;
  customerId: string;
  cartId: string;
  lines: Line[];
  totalCents: number;
  paidCents?: number;
  /** Paid by card at checkout: the fulfillment process moves it, and undoes it when it is cancelled. */
  fulfilledByProcess: boolean;
  /** Whether money was taken before cancelling tells a refund process if it has work to do. */
  cancelledFrom?: 'placed' | 'paid';
};

export type OrderState = { status: 'none' } | ExistingOrder;

export const initialOrderState = (): OrderState => ({ status: 'none' });

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, cartId, lines, totalCents, payment } = event.data;
    return { status: 'placed', orderId, customerId, cartId, lines, totalCents, fulfilledByProcess: payment !== null };
  }
  // Every later event presupposes a placed order; a stream that breaks this is left as it is.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'OrderPaid':
      return { ...state, status: 'paid', paidCents: event.data.amountCents };
    case 'OrderShipped':
      return { ...state, status: 'shipped' };
    case 'OrderDelivered':
      return { ...state, status: 'delivered' };
    case 'OrderCancelled':
      return { ...state, status: 'cancelled', cancelledFrom: state.status === 'paid' ? 'paid' : 'placed' };
    default:
      return assertNever(event);
  }
}
