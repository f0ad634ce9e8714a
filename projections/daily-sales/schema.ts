import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { Line } from '@/domain';

/** Revenue and order count per calendar day (UTC) of placing; cancelled orders are taken back out. */
export const dailySales = pgTable('daily_sales', {
  day: date({ mode: 'string' }).primaryKey(),
  orderCount: integer().notNull(),
  revenueCents: bigint({ mode: 'number' }).notNull(),
});

/**
 * Each product's share of a day's sales: units, the orders it was in, and its revenue (price × quantity of
 * its lines). `name` is the name it was sold under, the latest of the day's orders.
 */
export const dailyProductSales = pgTable(
  'daily_product_sales',
  {
    day: date({ mode: 'string' }).notNull(),
    productId: text().notNull(),
    name: text().notNull(),
    quantity: integer().notNull(),
    orderCount: integer().notNull(),
    revenueCents: bigint({ mode: 'number' }).notNull(),
  },
  // The key leads with the day: the page reads a range of days, and a batch loads the days it touches.
  (table) => [primaryKey({ columns: [table.day, table.productId] })],
);

/**
 * This projection's own memory of each order's day, total and lines, so a cancellation can be subtracted from
 * the right day and products without reading another read model (each projection must be rebuildable on its own).
 */
export const dailySalesOrders = pgTable('daily_sales_orders', {
  orderId: text().primaryKey(),
  day: date({ mode: 'string' }).notNull(),
  totalCents: integer().notNull(),
  lines: jsonb().$type<Line[]>().notNull(),
  cancelled: boolean().notNull(),
});

export type DailySales = typeof dailySales.$inferSelect;
export type DailyProductSales = typeof dailyProductSales.$inferSelect;
