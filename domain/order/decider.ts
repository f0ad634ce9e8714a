import { assertNever, type Decider } from '../decider';
import { IllegalStateError, NotFoundError, ValidationError } from '../errors';
import { linesTotalCents } from '../lines';
import { invalidPriceMessage, invalidQuantityMessage, requirePositiveInteger } from '../validation';
import type { OrderCommand } from './commands';
import { shopCurrency, type OrderEvent } from './events';
import { evolveOrder, initialOrderState, type ExistingOrder, type OrderState } from './state';

export const orderStreamId = (orderId: string): string => `order-${orderId}`;

/** Also what a command says of another customer's order: to them it does not exist. */
export const orderNotFound = (): NotFoundError => new NotFoundError('This order does not exist.');

const formatCents = (cents: number): string => (cents / 100).toFixed(2);

/** A cancelled order is final, so this check comes before every other state rule. */
function requireActive(state: OrderState): ExistingOrder {
  if (state.status === 'none') throw orderNotFound();
  if (state.status === 'cancelled') throw new IllegalStateError('This order was cancelled.');
  return state;
}

function decideOrder(command: OrderCommand, state: OrderState): OrderEvent[] {
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'PlaceOrder': {
      const { lines } = command.data;
      for (const line of lines) {
        requirePositiveInteger(line.quantity, invalidQuantityMessage);
        requirePositiveInteger(line.unitPriceCents, invalidPriceMessage);
      }
      if (state.status === 'cancelled') throw new IllegalStateError('This order was cancelled.');
      if (state.status !== 'none') throw new IllegalStateError('This order has already been placed.');
      if (lines.length === 0) throw new IllegalStateError('An order needs at least one item.');
      return [
        {
          type: 'OrderPlaced',
          data: { ...command.data, totalCents: linesTotalCents(lines), currency: shopCurrency, placedAt: at },
        },
      ];
    }
    case 'PayOrder': {
      const { orderId, amountCents, paymentReference } = command.data;
      if (!Number.isInteger(amountCents) || amountCents <= 0) {
        throw new ValidationError('The payment amount must be a whole number of cents greater than zero.');
      }
      const order = requireActive(state);
      if (order.status !== 'placed') throw new IllegalStateError('This order has already been paid.');
      if (amountCents !== order.totalCents) {
        throw new IllegalStateError(
          `A payment of ${formatCents(amountCents)} does not match the order total of ${formatCents(order.totalCents)}.`,
        );
      }
      return [{ type: 'OrderPaid', data: { orderId, amountCents, paymentReference, paidAt: at } }];
    }
    case 'ShipOrder': {
      const { orderId, carrier, trackingNumber } = command.data;
      const order = requireActive(state);
      if (order.status === 'placed') throw new IllegalStateError('This order cannot be shipped before it is paid.');
      if (order.status !== 'paid') throw new IllegalStateError('This order has already been shipped.');
      return [{ type: 'OrderShipped', data: { orderId, carrier, trackingNumber, shippedAt: at } }];
    }
    case 'DeliverOrder': {
      const order = requireActive(state);
      if (order.status === 'delivered') throw new IllegalStateError('This order has already been delivered.');
      if (order.status !== 'shipped') {
        throw new IllegalStateError('This order cannot be delivered before it is shipped.');
      }
      return [{ type: 'OrderDelivered', data: { orderId: command.data.orderId, deliveredAt: at } }];
    }
    case 'CancelOrder': {
      const { orderId, reason, cancelledBy } = command.data;
      const order = requireActive(state);
      if (order.status === 'shipped' || order.status === 'delivered') {
        throw new IllegalStateError('A shipped order can no longer be cancelled.');
      }
      return [{ type: 'OrderCancelled', data: { orderId, reason, cancelledBy, cancelledAt: at } }];
    }
    default:
      return assertNever(command);
  }
}

export const orderDecider: Decider<OrderState, OrderCommand, OrderEvent> = {
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
};
