import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The timers processes have scheduled: a read model of TimerScheduled, TimerCancelled and TimerElapsed,
 * which the timer service polls for the ones due. The events are the truth; this table is only how the due
 * ones are found without reading the log. docs/fulfillment.md explains why a timer fires exactly once.
 */
export const processTimers = pgTable(
  'process_timers',
  {
    timerId: text().primaryKey(),
    process: text().notNull(),
    processId: text().notNull(),
    name: text().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    state: text().$type<'scheduled' | 'cancelled' | 'elapsed'>().notNull(),
    /** The checkout the timer belongs to: its TimerElapsed carries it on. */
    correlationId: text().notNull(),
    /** The decision that scheduled it: the TimerElapsed's causation. */
    causationId: text().notNull(),
  },
  // The service asks only for scheduled timers by due time; the others never need finding.
  (table) => [index('process_timers_due_idx').on(table.dueAt).where(sql`${table.state} = 'scheduled'`)],
);

export type ProcessTimer = typeof processTimers.$inferSelect;
