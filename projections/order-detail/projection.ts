import { orderEventTypes } from '@/domain';
import { defineBatchProjection } from '../runtime/projection';
import { insertRowsIgnoringConflicts, RowSet } from '../runtime/row-set';
import { orderDetails, orderTimeline } from './schema';

/**
 * The order page's order: one row per order, and its timeline of the order stream's events. A refund is
 * recorded by the payment step, outside the order's stream: it sets the refunded amount but is not on the timeline.
 */
export const orderDetailProjection = defineBatchProjection({
  name: 'order_detail',
  tables: [orderDetails, orderTimeline],
  handles: [...orderEventTypes, 'PaymentRefunded'],
  async applyBatch(tx, events) {
    const details = new RowSet(orderDetails, (row) => row.orderId);
    await details.load(tx, orderDetails.orderId, events.map((event) => event.data.orderId));
    const timeline: (typeof orderTimeline.$inferInsert)[] = [];
    for (const event of events) {
      const { type, data } = event;
      switch (type) {
        case 'OrderPlaced':
          details.insert({
            orderId: data.orderId,
            customerId: data.customerId,
            status: 'placed',
            lines: data.lines,
            totalCents: data.totalCents,
            currency: data.currency,
            shippingAddress: data.shippingAddress,
            placedAt: new Date(data.placedAt),
            paidAt: null,
            paymentReference: null,
            shippedAt: null,
            carrier: null,
            trackingNumber: null,
            deliveredAt: null,
            cancelledAt: null,
            cancellationReason: null,
            cardBrand: data.payment?.brand ?? null,
            cardLast4: data.payment?.last4 ?? null,
            refundedCents: 0,
          });
          break;
        case 'OrderPaid':
          details.update(data.orderId, { status: 'paid', paidAt: new Date(data.paidAt), paymentReference: data.paymentReference });
          break;
        case 'OrderShipped':
          details.update(data.orderId, {
            status: 'shipped',
            shippedAt: new Date(data.shippedAt),
            carrier: data.carrier,
            trackingNumber: data.trackingNumber,
          });
          break;
        case 'OrderDelivered':
          details.update(data.orderId, { status: 'delivered', deliveredAt: new Date(data.deliveredAt) });
          break;
        case 'OrderCancelled':
          details.update(data.orderId, { status: 'cancelled', cancelledAt: new Date(data.cancelledAt), cancellationReason: data.reason });
          break;
        case 'PaymentRefunded':
          // An order is refunded at most once, in full, under one key: an answer repeated after a retry is that
          // same refund, so the amount is set rather than added.
          details.update(data.orderId, { refundedCents: data.amountCents });
          continue;
        default:
          continue;
      }
      // Every order event is on the timeline, as the log recorded it.
      timeline.push({
        orderId: data.orderId,
        streamVersion: event.streamVersion,
        globalPosition: event.globalPosition,
        eventType: event.type,
        recordedAt: event.recordedAt,
        correlationId: event.metadata.correlationId,
        actor: event.metadata.actor,
      });
    }
    await details.write(tx);
    await insertRowsIgnoringConflicts(tx, orderTimeline, timeline);
  },
});
