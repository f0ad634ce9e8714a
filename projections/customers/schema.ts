import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Registered customers, for the demo customer picker (real sign-in comes later). */
export const customers = pgTable('customers', {
  customerId: text().primaryKey(),
  name: text().notNull(),
  email: text().notNull(),
  registeredAt: timestamp({ withTimezone: true }).notNull(),
});

export type Customer = typeof customers.$inferSelect;
