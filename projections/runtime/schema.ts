import { bigint, index, integer, pgTable, serial, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/**
 * Documents a projection could never write (for instance, Elasticsearch rejected them as malformed), kept
 * where an operator can see them instead of dropping them silently. The projection moves on past them; the
 * admin area will offer a retry.
 */
export const projectionFailures = pgTable(
  'projection_failures',
  {
    id: serial().primaryKey(),
    projection: text().notNull(),
    documentId: text().notNull(),
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    globalPosition: bigint({ mode: 'number' }).notNull(),
    streamVersion: integer().notNull(),
    status: integer().notNull(),
    reason: text().notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('projection_failures_once').on(table.projection, table.documentId, table.eventId),
    index('projection_failures_projection_idx').on(table.projection, table.recordedAt),
  ],
);

export type ProjectionFailure = typeof projectionFailures.$inferSelect;
