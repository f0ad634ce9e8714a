import { orderEventTypes } from '@/domain';
import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { customerOrders } from './schema';

export const customerOrderHistoryProjection = defineBatchProjection({
  name: 'customer_order_history',
  tables: [customerOrders],
  handles: orderEventTypes,
  async applyBatch(tx, events) {
    const orders = new RowSet(customerOrders, (row) => row.orderId);
    await orders.load(tx, customerOrders.orderId, events.map((event) => event.data.orderId));
    for (const { type, data } of events) {
      switch (type) {
        case 'OrderPlaced': {
          const [first, ...rest] = data.lines;
          const summary = rest.length > 0 ? `${first?.name} and ${rest.length} more` : (first?.name ?? '');
          orders.insert({
            orderId: data.orderId,
            customerId: data.customerId,
            status: 'placed',
            totalCents: data.totalCents,
            itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
            summary,
            placedAt: new Date(data.placedAt),
            updatedAt: new Date(data.placedAt),
          });
          break;
        }
        case 'OrderPaid':
          orders.update(data.orderId, { status: 'paid', updatedAt: new Date(data.paidAt) });
          break;
        case 'OrderShipped':
          orders.update(data.orderId, { status: 'shipped', updatedAt: new Date(data.shippedAt) });
          break;
        case 'OrderDelivered':
          orders.update(data.orderId, { status: 'delivered', updatedAt: new Date(data.deliveredAt) });
          break;
        case 'OrderCancelled':
          orders.update(data.orderId, { status: 'cancelled', updatedAt: new Date(data.cancelledAt) });
          break;
      }
    }
    await orders.write(tx);
  },
});
