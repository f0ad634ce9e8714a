import { bigint, boolean, date, integer, pgTable, text } from 'drizzle-orm/pg-core';

/** Revenue and order count per calendar day (UTC) of placing; cancelled orders are taken back out. */
export const dailySales = pgTable('daily_sales', {
  day: date({ mode: 'string' }).primaryKey(),
  orderCount: integer().notNull(),
  revenueCents: bigint({ mode: 'number' }).notNull(),
});

/**
 * This projection's own memory of each order's day and total, so a cancellation can be subtracted from the
 * right day without reading another read model (each projection must be rebuildable on its own).
 */
export const dailySalesOrders = pgTable('daily_sales_orders', {
  orderId: text().primaryKey(),
  day: date({ mode: 'string' }).notNull(),
  totalCents: integer().notNull(),
  cancelled: boolean().notNull(),
});

export type DailySales = typeof dailySales.$inferSelect;
