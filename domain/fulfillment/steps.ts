import type { OrderCommand } from '../order/commands';
import type { ProductCommand } from '../product/commands';
import type { CompensationStep, FulfillmentEvent } from './events';
import type { ActiveFulfillment, FulfillmentStep } from './state';

/**
 * Compensation is data: each step the process has done names the step that undoes it. A failure undoes the
 * steps done, latest first. Stock is reserved and the order placed at checkout, so every process starts with
 * those two done.
 */
export const compensationOf: Record<FulfillmentStep, CompensationStep> = {
  'place-order': 'cancel-order',
  'reserve-stock': 'release-stock',
  'charge-payment': 'refund-payment',
  'request-shipment': 'cancel-shipment',
};

/**
 * The compensations to run for the steps done, latest first. An order its customer or staff already
 * cancelled needs no cancelling; a shipment the warehouse already answered (dispatched, or reported items
 * missing: `shipmentAnswered`) needs no stopping.
 */
export function compensationsFor(state: ActiveFulfillment, orderAlreadyCancelled: boolean, shipmentAnswered = false): CompensationStep[] {
  return [...state.done]
    .reverse()
    .map((step) => compensationOf[step])
    .filter((step) => !(step === 'cancel-order' && orderAlreadyCancelled))
    .filter((step) => !(step === 'cancel-shipment' && (shipmentAnswered || state.shipment !== 'requested')));
}

/** Distributes over a union, so that each command keeps its own data (a plain Omit would merge them). */
type WithoutMetadata<C> = C extends unknown ? Omit<C, 'metadata'> : never;

/** A command the process sends to an aggregate; the runtime adds the moment it is decided. */
export type ProcessCommand = WithoutMetadata<OrderCommand | ProductCommand>;

/**
 * The commands a recorded decision sends to the shop's aggregates, in the same transaction as the decision.
 * A pure function of the event and the state before it, so the decision alone says what was sent.
 */
export function commandsFor(event: FulfillmentEvent, state: ActiveFulfillment): ProcessCommand[] {
  const { orderId } = state;
  switch (event.type) {
    case 'PaymentSettled':
      // A capture that arrives while undoing the order is refunded, not paid: the order is cancelled.
      if (state.compensation) return [];
      return [{ type: 'PayOrder', data: { orderId, amountCents: event.data.amountCents, paymentReference: event.data.chargeId } }];
    case 'ShipmentConfirmed':
      return [{ type: 'ShipOrder', data: { orderId, carrier: event.data.carrier, trackingNumber: event.data.trackingNumber } }];
    case 'DeliveryConfirmed':
      return [{ type: 'DeliverOrder', data: { orderId } }];
    case 'CompensationStarted': {
      const commands: ProcessCommand[] = [];
      if (event.data.steps.includes('release-stock')) {
        for (const line of state.lines) {
          commands.push({ type: 'ReleaseStock', data: { productId: line.productId, orderId, quantity: line.quantity } });
        }
      }
      if (event.data.steps.includes('cancel-order')) {
        const cancelledBy = event.data.cause === 'cancelled-by-staff' ? 'staff' : 'system';
        commands.push({ type: 'CancelOrder', data: { orderId, reason: event.data.reason, cancelledBy } });
      }
      return commands;
    }
    default:
      return [];
  }
}
