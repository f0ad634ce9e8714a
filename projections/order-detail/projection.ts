import { eq } from 'drizzle-orm';
import type { StoredEvent } from '@/db/event-store';
import type { OrderEventType } from '@/server/domain';
import { defineProjection, type ProjectionTx } from '../runtime/projection';
import { orderDetails, orderTimeline } from './schema';

async function recordOnTimeline(tx: ProjectionTx, event: StoredEvent<OrderEventType, { orderId: string }>): Promise<void> {
  await tx
    .insert(orderTimeline)
    .values({
      orderId: event.data.orderId,
      streamVersion: event.streamVersion,
      globalPosition: event.globalPosition,
      eventType: event.type,
      recordedAt: event.recordedAt,
      correlationId: event.metadata.correlationId,
      actor: event.metadata.actor,
    })
    .onConflictDoNothing();
}

export const orderDetailProjection = defineProjection({
  name: 'order_detail',
  tables: [orderDetails, orderTimeline],
  handlers: {
    OrderPlaced: async (tx, event) => {
      const { data } = event;
      await tx
        .insert(orderDetails)
        .values({
          orderId: data.orderId,
          customerId: data.customerId,
          status: 'placed',
          lines: data.lines,
          totalCents: data.totalCents,
          placedAt: new Date(data.placedAt),
        })
        .onConflictDoNothing();
      await recordOnTimeline(tx, event);
    },
    OrderPaid: async (tx, event) => {
      const { data } = event;
      await tx
        .update(orderDetails)
        .set({ status: 'paid', paidAt: new Date(data.paidAt), paymentReference: data.paymentReference })
        .where(eq(orderDetails.orderId, data.orderId));
      await recordOnTimeline(tx, event);
    },
    OrderShipped: async (tx, event) => {
      const { data } = event;
      await tx
        .update(orderDetails)
        .set({
          status: 'shipped',
          shippedAt: new Date(data.shippedAt),
          carrier: data.carrier,
          trackingNumber: data.trackingNumber,
        })
        .where(eq(orderDetails.orderId, data.orderId));
      await recordOnTimeline(tx, event);
    },
    OrderDelivered: async (tx, event) => {
      const { data } = event;
      await tx
        .update(orderDetails)
        .set({ status: 'delivered', deliveredAt: new Date(data.deliveredAt) })
        .where(eq(orderDetails.orderId, data.orderId));
      await recordOnTimeline(tx, event);
    },
    OrderCancelled: async (tx, event) => {
      const { data } = event;
      await tx
        .update(orderDetails)
        .set({ status: 'cancelled', cancelledAt: new Date(data.cancelledAt), cancellationReason: data.reason })
        .where(eq(orderDetails.orderId, data.orderId));
      await recordOnTimeline(tx, event);
    },
  },
});
