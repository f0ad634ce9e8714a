import type { OrderStatus } from '@/domain';
import { defineSearchProjection } from '../runtime/elasticsearch/projection';
import { ordersIndex, type OrderDocument } from './index-definition';

const moved = (doc: OrderDocument | null, status: OrderStatus, at: string) => doc && { ...doc, status, updatedAt: at };

export function orderSearchProjection(prefix: string) {
  return defineSearchProjection({
    name: 'order_search',
    index: ordersIndex(prefix),
    documentId: (event) => event.data.orderId,
    reducers: {
      OrderPlaced: (_, { data }) => ({
        orderId: data.orderId,
        customerId: data.customerId,
        status: 'placed' as const,
        productNames: data.lines.map((line) => line.name),
        itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
        totalCents: data.totalCents,
        placedAt: data.placedAt,
        updatedAt: data.placedAt,
      }),
      OrderPaid: (doc, { data }) => moved(doc, 'paid', data.paidAt),
      OrderShipped: (doc, { data }) => moved(doc, 'shipped', data.shippedAt),
      OrderDelivered: (doc, { data }) => moved(doc, 'delivered', data.deliveredAt),
      OrderCancelled: (doc, { data }) => moved(doc, 'cancelled', data.cancelledAt),
    },
  });
}
