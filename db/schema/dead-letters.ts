import { bigint, check, index, integer, pgTable, serial, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** What an external consumer could not deliver: a search document, or a message to the broker. */
export const deadLetterKinds = ['document', 'message'] as const;
export type DeadLetterKind = (typeof deadLetterKinds)[number];

/** Open until staff retry it (and the retry succeeds) or skip it; a resolved one is kept, for the audit. */
export const deadLetterStatuses = ['open', 'retried', 'skipped'] as const;
export type DeadLetterStatus = (typeof deadLetterStatuses)[number];

/**
 * What an external consumer (db/consumers) could not deliver after its retries, and read past: a document
 * Elasticsearch refuses on its own merits (a mapping it does not fit), a message the broker or its contract
 * refuses. It is written in the transaction that moves the consumer's checkpoint past it, so a batch
 * repeated after a crash records it once (`dead_letters_once`). Staff retry or skip it in the back office;
 * either way the row stays, with who resolved it and when.
 *
 * A PostgreSQL read model never lands here: it stops at an event it cannot apply (docs/operations.md).
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: serial().primaryKey(),
    /** The consumer's name, as in its checkpoint row (`product_search_v1`, `integration_relay`). */
    consumer: text().notNull(),
    kind: text({ enum: deadLetterKinds }).notNull(),
    /** Which document (its id in the index) or which message (its contract, `order.placed`). */
    target: text().notNull(),
    /** The event whose delivery failed; for a message, also the message's id. */
    eventId: uuid().notNull(),
    eventType: text().notNull(),
    streamId: text().notNull(),
    streamVersion: integer().notNull(),
    globalPosition: bigint({ mode: 'number' }).notNull(),
    /** The refusal in a line an operator can act on (Elasticsearch's error type, the broker's description). */
    error: text().notNull(),
    /** The refusal in full (Elasticsearch's JSON), for the log and for whoever fixes the cause. */
    detail: text(),
    /** Deliveries tried: the consumer's before it read past, and each retry from the back office since. */
    attempts: integer().notNull().default(1),
    status: text({ enum: deadLetterStatuses }).notNull().default('open'),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Who retried or skipped it (`staff:<id>`) and when; null while it is open. */
    resolvedBy: text(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    unique('dead_letters_once').on(table.consumer, table.target, table.eventId),
    // The page lists the open ones first, newest first; the status page counts them.
    index('dead_letters_status_idx').on(table.status, table.recordedAt),
    check('dead_letters_resolved', sql`(${table.status} = 'open') = (${table.resolvedAt} is null)`),
  ],
);

export type DeadLetter = typeof deadLetters.$inferSelect;
export type NewDeadLetter = typeof deadLetters.$inferInsert;
