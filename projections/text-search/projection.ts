import { orderEventTypes, productEventTypes, type OrderStatus } from '@/domain';
import { applyProductEvent, isProductEvent } from '../product-catalog/projection';
import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { textSearchOrders, textSearchProducts } from './schema';

/** The PostgreSQL stand-in for both Elasticsearch read models, used when ELASTICSEARCH_URL is unset. */
export const textSearchProjection = defineBatchProjection({
  name: 'text_search',
  tables: [textSearchProducts, textSearchOrders],
  handles: [...productEventTypes, ...orderEventTypes],
  async applyBatch(tx, events) {
    const products = new RowSet(textSearchProducts, (row) => row.productId);
    const orders = new RowSet(textSearchOrders, (row) => row.orderId);
    const productEvents = events.filter(isProductEvent);
    const orderEvents = events.filter((event) => !isProductEvent(event));
    await products.load(tx, textSearchProducts.productId, productEvents.map((event) => event.data.productId));
    await orders.load(tx, textSearchOrders.orderId, orderEvents.map((event) => event.data.orderId));
    const moveOrder = (orderId: string, status: OrderStatus, at: string) =>
      orders.update(orderId, { status, updatedAt: new Date(at) });
    for (const event of events) {
      // Product rows have the catalog's columns, and fold the same way.
      if (isProductEvent(event)) {
        applyProductEvent(products, event);
        continue;
      }
      const { type, data } = event;
      switch (type) {
        case 'OrderPlaced': {
          const productNames = data.lines.map((line) => line.name);
          orders.insert({
            orderId: data.orderId,
            customerId: data.customerId,
            status: 'placed',
            productNames,
            namesText: productNames.join(' '),
            itemCount: data.lines.reduce((sum, line) => sum + line.quantity, 0),
            totalCents: data.totalCents,
            placedAt: new Date(data.placedAt),
            updatedAt: new Date(data.placedAt),
          });
          break;
        }
        case 'OrderPaid':
          moveOrder(data.orderId, 'paid', data.paidAt);
          break;
        case 'OrderShipped':
          moveOrder(data.orderId, 'shipped', data.shippedAt);
          break;
        case 'OrderDelivered':
          moveOrder(data.orderId, 'delivered', data.deliveredAt);
          break;
        case 'OrderCancelled':
          moveOrder(data.orderId, 'cancelled', data.cancelledAt);
          break;
      }
    }
    await products.write(tx);
    await orders.write(tx);
  },
});
