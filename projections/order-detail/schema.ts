import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Line, OrderStatus, ShippingAddress } from '@/domain';

/** Everything the order page shows about one order, denormalised into one row. */
export const orderDetails = pgTable('order_details', {
  orderId: text().primaryKey(),
  customerId: text().notNull(),
  status: text().$type<OrderStatus>().notNull(),
  lines: jsonb().$type<Line[]>().notNull(),
  totalCents: integer().notNull(),
  /** An ISO 4217 code; every order before orders recorded one was in USD. */
  currency: text().notNull().default('USD'),
  /** Null for an order placed before the shop asked where to ship. */
  shippingAddress: jsonb().$type<ShippingAddress>(),
  placedAt: timestamp({ withTimezone: true }).notNull(),
  paidAt: timestamp({ withTimezone: true }),
  paymentReference: text(),
  shippedAt: timestamp({ withTimezone: true }),
  carrier: text(),
  trackingNumber: text(),
  deliveredAt: timestamp({ withTimezone: true }),
  cancelledAt: timestamp({ withTimezone: true }),
  cancellationReason: text(),
  /** The card it was paid with, as the gateway described it; null for an order from before cards. */
  cardBrand: text(),
  cardLast4: text(),
  refundedCents: integer().notNull().default(0),
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
  // Only the primary key: the page reads an order's timeline by it. An index on correlation_id, which no
  // query used, cost every timeline insert a random-key index entry (about a tenth of a rebuild).
  (table) => [primaryKey({ columns: [table.orderId, table.streamVersion] })],
);

export type OrderDetail = typeof orderDetails.$inferSelect;
export type OrderTimelineEntry = typeof orderTimeline.$inferSelect;
