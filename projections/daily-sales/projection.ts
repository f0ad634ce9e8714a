import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { dailySales, dailySalesOrders } from './schema';

export const dailySalesProjection = defineBatchProjection({
  name: 'daily_sales',
  tables: [dailySales, dailySalesOrders],
  handles: ['OrderPlaced', 'OrderCancelled'],
  async applyBatch(tx, events) {
    const orders = new RowSet(dailySalesOrders, (row) => row.orderId);
    const days = new RowSet(dailySales, (row) => row.day);
    await orders.load(tx, dailySalesOrders.orderId, events.map((event) => event.data.orderId));
    // The days a batch touches: those it places orders on, and those of the earlier orders it cancels.
    const touched: string[] = [];
    for (const { type, data } of events) {
      if (type === 'OrderPlaced') touched.push(data.placedAt.slice(0, 10));
      const cancelled = type === 'OrderCancelled' ? orders.get(data.orderId) : undefined;
      if (cancelled) touched.push(cancelled.day);
    }
    await days.load(tx, dailySales.day, touched);
    for (const { type, data } of events) {
      switch (type) {
        case 'OrderPlaced': {
          // An order counts once, on the day it was placed, even if its event were applied again.
          if (orders.get(data.orderId)) break;
          const day = data.placedAt.slice(0, 10);
          orders.insert({ orderId: data.orderId, day, totalCents: data.totalCents, cancelled: false });
          const sales = days.get(day);
          if (sales) days.update(day, { orderCount: sales.orderCount + 1, revenueCents: sales.revenueCents + data.totalCents });
          else days.insert({ day, orderCount: 1, revenueCents: data.totalCents });
          break;
        }
        case 'OrderCancelled': {
          const order = orders.get(data.orderId);
          if (!order || order.cancelled) break;
          orders.update(data.orderId, { cancelled: true });
          const sales = days.get(order.day);
          if (sales) {
            days.update(order.day, { orderCount: sales.orderCount - 1, revenueCents: sales.revenueCents - order.totalCents });
          }
          break;
        }
      }
    }
    await orders.write(tx);
    await days.write(tx);
  },
});
