import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** What the shopper is told happened to their order, step by step, in the order it happened. */
export const orderProgressSteps = [
  'placed',
  'fraud-check-passed',
  'fraud-check-rejected',
  'payment-retrying',
  'payment-authorised',
  'payment-declined',
  'handed-to-warehouse',
  'warehouse-delayed',
  'shipped',
  'delivered',
  'cancelled',
  'stock-released',
  'refund-requested',
  'refunded',
  'needs-attention',
] as const;
export type OrderProgressStep = (typeof orderProgressSteps)[number];

export const orderProgress = pgTable(
  'order_progress',
  {
    orderId: text().notNull(),
    /** The event that told of it: its place in the log orders the steps and makes applying it again a no-op. */
    globalPosition: bigint({ mode: 'number' }).notNull(),
    step: text().$type<OrderProgressStep>().notNull(),
    /** In the shopper's words. */
    message: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.globalPosition] })],
);

export type OrderProgressEntry = typeof orderProgress.$inferSelect;
