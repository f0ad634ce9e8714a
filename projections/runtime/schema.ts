import { bigint, index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { xid8 } from '@/db/schema/event-store';

/**
 * Rebuilds of PostgreSQL read models beside the live ones (projections/runtime/rebuild/, docs/projections.md,
 * "Rebuilding without downtime"). One row per rebuild, which may cover several read models: rebuilding them
 * all reads the log once. The row is the rebuild's checkpoint too (`transactionId`, `position`), written in
 * the same transaction as each batch of its shadow tables, so a rebuild whose process died resumes where its
 * last batch committed.
 */
export const projectionRebuilds = pgTable(
  'projection_rebuilds',
  {
    id: serial().primaryKey(),
    /** The read models rebuilt (their consumer names), swapped together. */
    projections: text().array().notNull(),
    /** queued, running, swapped, cancelled or failed. */
    status: text().notNull(),
    /** Why it runs, in words: who asked (staff, the terminal) or a version bump (`version 1 → 2 of order_detail`). */
    reason: text().notNull(),
    /** The version each read model is rebuilt at, by name; recorded as the live version when it swaps. */
    versions: jsonb().$type<Record<string, number>>().notNull(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    /** The instance running it, renewed with every batch; a rebuild whose heartbeat stopped is taken over. */
    holder: text(),
    heartbeatAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    transactionId: xid8().notNull(),
    position: bigint({ mode: 'number' }).notNull(),
    eventsDone: bigint({ mode: 'number' }).notNull().default(0),
    /** Events done plus those still ahead in the log, re-counted as the log grows. */
    eventsTotal: bigint({ mode: 'number' }).notNull().default(0),
    cancelRequestedAt: timestamp({ withTimezone: true }),
    cancelRequestedBy: text(),
    /** Why it failed: the error, or the difference the verification found. */
    error: text(),
    /** Rows and content hash of every table, live and rebuilt, at the checkpoint where they were compared. */
    verification: jsonb().$type<RebuildVerification>(),
  },
  (table) => [index('projection_rebuilds_status_idx').on(table.status, table.requestedAt)],
);

export type RebuildVerification = {
  readonly at: string;
  readonly tables: readonly {
    readonly projection: string;
    readonly table: string;
    readonly live: { readonly rows: number; readonly hash: string };
    readonly rebuilt: { readonly rows: number; readonly hash: string };
  }[];
  /** Read models whose version changed: a difference there is stated, not a failure. */
  readonly changedOnPurpose: readonly string[];
};

export type ProjectionRebuildRow = typeof projectionRebuilds.$inferSelect;

/**
 * The version of its code each PostgreSQL read model's live tables were built with. A deploy that declares a
 * higher version starts a rebuild; the swap records the new one.
 */
export const readModelVersions = pgTable('read_model_versions', {
  projection: text().primaryKey(),
  version: integer().notNull(),
  builtAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
