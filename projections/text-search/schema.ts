import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { OrderStatus } from '@/domain';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Product search without Elasticsearch: PostgreSQL full text over name (weight A), category (B) and
 * description (C), English stemming, in a generated column with a GIN index.
 */
export const textSearchProducts = pgTable(
  'text_search_products',
  {
    productId: text().primaryKey(),
    name: text().notNull(),
    description: text().notNull(),
    category: text().notNull(),
    priceCents: integer().notNull(),
    stock: integer().notNull(),
    listedAt: timestamp({ withTimezone: true }).notNull(),
    document: tsvector().generatedAlwaysAs(
      sql`setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', category), 'B') || setweight(to_tsvector('english', description), 'C')`,
    ),
  },
  (table) => [index('text_search_products_document_idx').using('gin', table.document)],
);

/** Order search without Elasticsearch: the names of the products in each order, per customer. */
export const textSearchOrders = pgTable(
  'text_search_orders',
  {
    orderId: text().primaryKey(),
    customerId: text().notNull(),
    status: text().$type<OrderStatus>().notNull(),
    productNames: text().array().notNull(),
    /** The product names as one text, for the generated search document. */
    namesText: text().notNull(),
    itemCount: integer().notNull(),
    totalCents: integer().notNull(),
    placedAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
    document: tsvector().generatedAlwaysAs(sql`to_tsvector('english', names_text)`),
  },
  (table) => [
    index('text_search_orders_customer_placed_idx').on(table.customerId, table.placedAt),
    // The back office lists every customer's orders newest first, a page at a time: without this, each page
    // sorted the whole table. One entry per order, written when it is placed (a status change keeps it).
    index('text_search_orders_placed_idx').on(table.placedAt),
    index('text_search_orders_document_idx').using('gin', table.document),
  ],
);
