import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Every fulfillment process and where it stands: for staff, and for the status page's "needs attention". */
export const fulfillmentProcesses = pgTable(
  'fulfillment_processes',
  {
    orderId: text().primaryKey(),
    customerId: text().notNull(),
    /** The process's status (domain/fulfillment/state.ts), or `parked`. */
    status: text().notNull(),
    totalCents: integer().notNull(),
    /** Why it parked, and since when; null while it runs. */
    parkedReason: text(),
    parkedSince: timestamp({ withTimezone: true }),
    /** Inputs kept while parked, decided when it resumes. */
    heldInputs: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index('fulfillment_processes_parked_idx').on(table.parkedSince)],
);

export type FulfillmentProcessRow = typeof fulfillmentProcesses.$inferSelect;
