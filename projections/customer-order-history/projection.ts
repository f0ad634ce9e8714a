import { eq } from 'drizzle-orm';
import type { OrderStatus } from '@/server/domain';
import { defineProjection, type ProjectionTx } from '../runtime/projection';
import { customerOrders } from './schema';

async function setStatus(tx: ProjectionTx, orderId: string, status: OrderStatus, at: string): Promise<void> {
  await tx
    .update(customerOrders)
    .set({ status, updatedAt: new Date(at) })
    .where(eq(customerOrders.orderId, orderId));
}

export const customerOrderHistoryProjection = defineProjection({
  name: 'customer_order_history',
  tables: [customerOrders],
  handlers: {
    OrderPlaced: async (tx, { data }) => {
      const [first, ...rest] = data.lines;
      const summary = rest.length > 0 ? `${first?.name} and ${rest.length} more` : (first?.name ?? '');
      await tx
        .insert(customerOrders)
        .values({
          orderId: data.orderId,
          customerId: data.customerId,
          status: 'placed',
          totalCents: data.totalCents,
          itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
          summary,
          placedAt: new Date(data.placedAt),
          updatedAt: new Date(data.placedAt),
        })
        .onConflictDoNothing();
    },
    OrderPaid: (tx, { data }) => setStatus(tx, data.orderId, 'paid', data.paidAt),
    OrderShipped: (tx, { data }) => setStatus(tx, data.orderId, 'shipped', data.shippedAt),
    OrderDelivered: (tx, { data }) => setStatus(tx, data.orderId, 'delivered', data.deliveredAt),
    OrderCancelled: (tx, { data }) => setStatus(tx, data.orderId, 'cancelled', data.cancelledAt),
  },
});
