import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { OrderLine, OrderStatus } from '@/server/domain';

/** Everything the order page shows about one order, denormalised into one row. */
export const orderDetails = pgTable('order_details', {
  orderId: text().primaryKey(),
  customerId: text().notNull(),
  status: text().$type<OrderStatus>().notNull(),
  lines: jsonb().$type<OrderLine[]>().notNull(),
  totalCents: integer().notNull(),
  placedAt: timestamp({ withTimezone: true }).notNull(),
  paidAt: timestamp({ withTimezone: true }),
  paymentReference: text(),
  shippedAt: timestamp({ withTimezone: true }),
  carrier: text(),
  trackingNumber: text(),
  deliveredAt: timestamp({ withTimezone: true }),
  cancelledAt: timestamp({ withTimezone: true }),
  cancellationReason: text(),
});

/** The order's history as the log recorded it: one row per event of the order's stream. */
export const orderTimeline = pgTable(
  'order_timeline',
  {
    orderId: text().notNull(),
    streamVersion: integer().notNull(),
    globalPosition: bigint({ mode: 'number' }).notNull(),
    eventType: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull(),
    correlationId: text().notNull(),
    actor: text().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.streamVersion] }),
    index('order_timeline_correlation_idx').on(table.correlationId),
  ],
);

export type OrderDetail = typeof orderDetails.$inferSelect;
export type OrderTimelineEntry = typeof orderTimeline.$inferSelect;
