import { cardBrandName } from '@/common/card-brands';
import { declineMessages, shopCurrency } from '@/domain';
import { defineBatchProjection, type ShopStoredEvent } from '../runtime/projection';
import { insertRowsIgnoringConflicts } from '../runtime/row-set';
import { orderProgress, type OrderProgressStep } from './schema';

/** The events that tell the shopper something, from the order, the fraud check, the payment and the process. */
const progressEventTypes = [
  'OrderPlaced',
  'FraudCheckCompleted',
  'PaymentAttemptFailed',
  'OrderPaid',
  'PaymentDeclined',
  'ShipmentRequested',
  'FulfillmentDelayed',
  'OrderShipped',
  'OrderDelivered',
  'OrderCancelled',
  'CompensationStarted',
  'RefundRequested',
  'PaymentRefunded',
  'FulfillmentParked',
] as const;

type ProgressEvent = ShopStoredEvent<(typeof progressEventTypes)[number]>;

// Every amount the shop records is in its one currency; the payment and refund events carry none of their own.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: shopCurrency });
const amount = (cents: number) => money.format(cents / 100);

/** The gateway names a brand in lower case (`visa`, `amex`, `unknown`); the shopper reads it as printed on the card. */

/** The step an event tells of, in the shopper's words and at the event's own time; null when it tells them nothing. */
function stepOf(event: ProgressEvent): { step: OrderProgressStep; message: string; at: string } | null {
  const { type, data } = event;
  switch (type) {
    case 'OrderPlaced':
      // An order from before checkout took cards is moved along by hand: nothing runs for the shopper to follow.
      if (!data.payment) return null;
      return { step: 'placed', message: `Order placed, paying with ${cardBrandName(data.payment.brand)} •••• ${data.payment.last4}`, at: data.placedAt };
    case 'FraudCheckCompleted':
      return data.verdict === 'passed'
        ? { step: 'fraud-check-passed', message: 'Fraud check passed', at: data.checkedAt }
        : { step: 'fraud-check-rejected', message: 'Our fraud check could not approve this order', at: data.checkedAt };
    case 'PaymentAttemptFailed':
      return { step: 'payment-retrying', message: 'The payment service did not answer; trying again', at: data.failedAt };
    case 'OrderPaid':
      return { step: 'payment-authorised', message: `Payment authorised: ${amount(data.amountCents)}`, at: data.paidAt };
    case 'PaymentDeclined':
      return { step: 'payment-declined', message: `Payment declined: ${declineMessages[data.reason]}`, at: data.declinedAt };
    case 'ShipmentRequested':
      return { step: 'handed-to-warehouse', message: 'Handed to the warehouse', at: data.requestedAt };
    case 'FulfillmentDelayed':
      return { step: 'warehouse-delayed', message: 'Taking longer than usual at the warehouse', at: data.alertedAt };
    case 'OrderShipped':
      return { step: 'shipped', message: `Shipped with ${data.carrier}, tracking number ${data.trackingNumber}`, at: data.shippedAt };
    case 'OrderDelivered':
      return { step: 'delivered', message: 'Delivered', at: data.deliveredAt };
    case 'OrderCancelled':
      return { step: 'cancelled', message: `Order cancelled: ${data.reason}`, at: data.cancelledAt };
    case 'CompensationStarted':
      // Only the stock is news here: the refund and the cancellation have events of their own.
      if (!data.steps.includes('release-stock')) return null;
      return { step: 'stock-released', message: 'The items were put back in stock', at: data.startedAt };
    case 'RefundRequested':
      // A retry after a failed attempt is the same refund still on its way.
      if (data.attempt > 1) return null;
      return { step: 'refund-requested', message: `Refund of ${amount(data.amountCents)} on its way`, at: data.requestedAt };
    case 'PaymentRefunded':
      return { step: 'refunded', message: `Refunded ${amount(data.amountCents)} to your card`, at: data.refundedAt };
    case 'FulfillmentParked':
      // The reason is for staff; the shopper learns that someone is on it.
      return { step: 'needs-attention', message: 'We are looking into a problem with this order', at: data.parkedAt };
  }
}

/**
 * What the shopper is told happened to their order, one row per event that tells them something. A row is keyed
 * by its event's place in the log and only ever inserted, so applying an event again is a no-op and a batch
 * writes exactly what its events would one by one.
 */
export const orderProgressProjection = defineBatchProjection({
  name: 'order_progress',
  tables: [orderProgress],
  handles: progressEventTypes,
  async applyBatch(tx, events) {
    const rows: (typeof orderProgress.$inferInsert)[] = [];
    for (const event of events) {
      const told = stepOf(event);
      if (told) rows.push({ orderId: event.data.orderId, globalPosition: event.globalPosition, ...told, at: new Date(told.at) });
    }
    await insertRowsIgnoringConflicts(tx, orderProgress, rows);
  },
});
