import type { EventStore } from '@/db/event-store';
import { orderDecider, orderNotFound, orderStreamId, productDecider, productStreamId } from '@/domain';
import { runCommand, type CommandEnvelope } from './run-command';

/**
 * The customer cancels their own order, until it has shipped. An order paid by card is then undone by the
 * fulfillment process (refund, stock, timers), which reacts to the cancellation. An order from before
 * checkout took cards has no process: its stock goes back in this same transaction, as it always did.
 */
export async function cancelOrder(
  store: EventStore,
  envelope: CommandEnvelope,
  input: { orderId: string; customerId: string; reason: string },
) {
  return runCommand(store, envelope, async (unit, now) => {
    const { orderId } = input;
    const order = await unit.load(orderStreamId(orderId), orderDecider);
    if (order.status === 'none' || order.customerId !== input.customerId) throw orderNotFound();
    await unit.decide(orderStreamId(orderId), orderDecider, {
      type: 'CancelOrder',
      data: { orderId, reason: input.reason, cancelledBy: 'customer' },
      metadata: { now },
    });
    if (!order.fulfilledByProcess) {
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
