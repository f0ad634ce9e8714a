import type { Line } from '@/domain';
import { defineBatchProjection } from '../runtime/projection';
import { RowSet } from '../runtime/row-set';
import { dailyProductSales, dailySales, dailySalesOrders } from './schema';

const productKey = (row: { day: string; productId: string }) => `${row.day}\u0000${row.productId}`;

/** A product's figures on a day change by one order's lines of it: `sign` 1 when placed, -1 when cancelled. */
function countLines(products: RowSet<typeof dailyProductSales>, day: string, lines: readonly Line[], sign: 1 | -1): void {
  // One order may hold a product in one line only (the cart merges them), but sum to be sure of the count.
  const byProduct = new Map<string, { name: string; quantity: number; revenueCents: number }>();
  for (const line of lines) {
    const seen = byProduct.get(line.productId) ?? { name: line.name, quantity: 0, revenueCents: 0 };
    byProduct.set(line.productId, {
      name: line.name,
      quantity: seen.quantity + line.quantity,
      revenueCents: seen.revenueCents + line.quantity * line.unitPriceCents,
    });
  }
  for (const [productId, sold] of byProduct) {
    const key = productKey({ day, productId });
    const row = products.get(key);
    if (row) {
      products.update(key, {
        // The name a product was last sold under that day; a cancellation leaves it as it was.
        name: sign === 1 ? sold.name : row.name,
        quantity: row.quantity + sign * sold.quantity,
        orderCount: row.orderCount + sign,
        revenueCents: row.revenueCents + sign * sold.revenueCents,
      });
    } else if (sign === 1) {
      products.insert({ day, productId, name: sold.name, quantity: sold.quantity, orderCount: 1, revenueCents: sold.revenueCents });
    }
  }
}

/**
 * Version 2 counts each product's share of a day too. The version is in the name, which is the checkpoint's
 * key: a new name starts from the beginning of the log, so the rows of version 1 (which knew no lines) are
 * rebuilt rather than added to; migration 0015 empties the tables and removes version 1's checkpoint.
 */
export const dailySalesProjection = defineBatchProjection({
  name: 'daily_sales_v2',
  tables: [dailySales, dailyProductSales, dailySalesOrders],
  handles: ['OrderPlaced', 'OrderCancelled'],
  async applyBatch(tx, events) {
    const orders = new RowSet(dailySalesOrders, (row) => row.orderId);
    const days = new RowSet(dailySales, (row) => row.day);
    const products = new RowSet(dailyProductSales, productKey);
    await orders.load(tx, dailySalesOrders.orderId, events.map((event) => event.data.orderId));
    // The days a batch touches: those it places orders on, and those of the earlier orders it cancels.
    const touched: string[] = [];
    for (const { type, data } of events) {
      if (type === 'OrderPlaced') touched.push(data.placedAt.slice(0, 10));
      const cancelled = type === 'OrderCancelled' ? orders.get(data.orderId) : undefined;
      if (cancelled) touched.push(cancelled.day);
    }
    await days.load(tx, dailySales.day, touched);
    await products.load(tx, dailyProductSales.day, touched);
    for (const { type, data } of events) {
      switch (type) {
        case 'OrderPlaced': {
          // An order counts once, on the day it was placed, even if its event were applied again.
          if (orders.get(data.orderId)) break;
          const day = data.placedAt.slice(0, 10);
          orders.insert({ orderId: data.orderId, day, totalCents: data.totalCents, lines: data.lines, cancelled: false });
          const sales = days.get(day);
          if (sales) days.update(day, { orderCount: sales.orderCount + 1, revenueCents: sales.revenueCents + data.totalCents });
          else days.insert({ day, orderCount: 1, revenueCents: data.totalCents });
          countLines(products, day, data.lines, 1);
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
          countLines(products, order.day, order.lines, -1);
          break;
        }
      }
    }
    await orders.write(tx);
    await days.write(tx);
    await products.write(tx);
  },
});
