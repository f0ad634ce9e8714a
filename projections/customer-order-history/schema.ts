import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { OrderStatus } from '@/domain';

/** One row per order, keyed for "this customer's orders, newest first, maybe of one status". */
export const customerOrders = pgTable(
  'customer_orders',
  {
    orderId: text().primaryKey(),
    customerId: text().notNull(),
    status: text().$type<OrderStatus>().notNull(),
    totalCents: integer().notNull(),
    itemCount: integer().notNull(),
    /** The first line's product name, so a list row can say what the order was. */
    summary: text().notNull(),
    placedAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index('customer_orders_customer_placed_idx').on(table.customerId, table.placedAt)],
);

export type CustomerOrder = typeof customerOrders.$inferSelect;
