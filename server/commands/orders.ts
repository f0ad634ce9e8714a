import type { EventStore } from '@/db/event-store';
import {
  orderDecider,
  orderNotFound,
  orderStreamId,
  productDecider,
  productStreamId,
  type OrderCommand,
} from '@/domain';
import { runCommand, type CommandEnvelope, type UnitOfWork } from './run-command';

type OrderAction =
  | { type: 'PayOrder'; data: { paymentReference: string } }
  | { type: 'ShipOrder'; data: { carrier: string; trackingNumber: string } }
  | { type: 'DeliverOrder'; data: Record<string, never> }
  | { type: 'CancelOrder'; data: { reason: string } };

/**
 * Moves an order along (pay, ship, deliver, cancel). Until sign-in and the fulfillment process manager
 * arrive, the shopper's own demo session may do each step, and only on their own orders.
 */
export async function actOnOrder(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { orderId: string; customerId: string; action: OrderAction },
) {
  return runCommand(store, envelope, async (unit, now) => {
    const order = await requireOwnOrder(unit, input.orderId, input.customerId);
    const { orderId } = input;
    const command = ((): OrderCommand => {
      const { action } = input;
      switch (action.type) {
        case 'PayOrder':
          // The demo pays the full amount; a payment gateway arrives with the fulfillment process manager.
          return { type: 'PayOrder', data: { orderId, amountCents: order.totalCents, ...action.data }, metadata: { now } };
        case 'ShipOrder':
          return { type: 'ShipOrder', data: { orderId, ...action.data }, metadata: { now } };
        case 'DeliverOrder':
          return { type: 'DeliverOrder', data: { orderId }, metadata: { now } };
        case 'CancelOrder':
          // The shopper's own session is the only one that can cancel today.
          return { type: 'CancelOrder', data: { orderId, ...action.data, cancelledBy: 'customer' }, metadata: { now } };
      }
    })();
    const events = await unit.decide(orderStreamId(orderId), orderDecider, command);
    // A cancelled order gives its reserved stock back, in the same transaction as the cancellation (the
    // fulfillment process manager will take this over together with refunds).
    if (events.some((event) => event.type === 'OrderCancelled')) {
      for (const line of order.lines) {
        await unit.decide(productStreamId(line.productId), productDecider, {
          type: 'ReleaseStock',
          data: { productId: line.productId, orderId, quantity: line.quantity },
          metadata: { now },
        });
      }
    }
    return { orderId };
  });
}

async function requireOwnOrder(unit: UnitOfWork, orderId: string, customerId: string) {
  const order = await unit.load(orderStreamId(orderId), orderDecider);
  if (order.status === 'none' || order.customerId !== customerId) throw orderNotFound();
  return order;
}
