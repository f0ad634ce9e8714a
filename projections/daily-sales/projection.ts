import { and, eq, sql } from 'drizzle-orm';
import { defineProjection } from '../runtime/projection';
import { dailySales, dailySalesOrders } from './schema';

export const dailySalesProjection = defineProjection({
  name: 'daily_sales',
  tables: [dailySales, dailySalesOrders],
  handlers: {
    OrderPlaced: async (tx, { data }) => {
      const day = data.placedAt.slice(0, 10);
      const [remembered] = await tx
        .insert(dailySalesOrders)
        .values({ orderId: data.orderId, day, totalCents: data.totalCents, cancelled: false })
        .onConflictDoNothing()
        .returning();
      if (!remembered) return;
      await tx
        .insert(dailySales)
        .values({ day, orderCount: 1, revenueCents: data.totalCents })
        .onConflictDoUpdate({
          target: dailySales.day,
          set: {
            orderCount: sql`${dailySales.orderCount} + 1`,
            revenueCents: sql`${dailySales.revenueCents} + ${data.totalCents}`,
          },
        });
    },
    OrderCancelled: async (tx, { data }) => {
      const [order] = await tx
        .update(dailySalesOrders)
        .set({ cancelled: true })
        .where(and(eq(dailySalesOrders.orderId, data.orderId), eq(dailySalesOrders.cancelled, false)))
        .returning();
      if (!order) return;
      await tx
        .update(dailySales)
        .set({
          orderCount: sql`${dailySales.orderCount} - 1`,
          revenueCents: sql`${dailySales.revenueCents} - ${order.totalCents}`,
        })
        .where(eq(dailySales.day, order.day));
    },
  },
});
