import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The storefront's catalog: one row per listed product, with its current price and stock. */
export const catalogProducts = pgTable(
  'catalog_products',
  {
    productId: text().primaryKey(),
    name: text().notNull(),
    description: text().notNull(),
    category: text().notNull(),
    priceCents: integer().notNull(),
    stock: integer().notNull(),
    listedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index('catalog_products_category_name_idx').on(table.category, table.name)],
);

export type CatalogProduct = typeof catalogProducts.$inferSelect;
