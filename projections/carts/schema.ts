import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The cart page's view: one row per cart and one per line in it. */
export const carts = pgTable(
  'carts',
  {
    cartId: text().primaryKey(),
    /** The customer's id, or a guest's (the guest cookie's) until the guest signs in. */
    customerId: text().notNull(),
    status: text({ enum: ['open', 'checked_out'] }).notNull(),
    orderId: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  // A shopper's open cart, found from any device (the cart follows the account, not the browser).
  (table) => [index('carts_customer_idx').on(table.customerId, table.status, table.updatedAt)],
);

export const cartLines = pgTable(
  'cart_lines',
  {
    cartId: text().notNull(),
    productId: text().notNull(),
    name: text().notNull(),
    unitPriceCents: integer().notNull(),
    quantity: integer().notNull(),
    /** Keeps lines in the order they were first added. */
    addedPosition: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.cartId, table.productId] })],
);

export type Cart = typeof carts.$inferSelect;
export type CartLineRow = typeof cartLines.$inferSelect;
