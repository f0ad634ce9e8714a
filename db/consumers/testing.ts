import { asc, eq, sql } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { Orm, OrmTx } from '../client';
import type { EventMetadata, EventStore, LogPosition } from '../event-store';
import type { TransactionalConsumer } from './consumer';

/**
 * Shared by the engine's spec and its crash fixture: events of the engine's own tests (the engine is generic,
 * so they use neither the shop's domain nor its read models) and a consumer that counts its applications.
 */
export type Noted = { type: 'Noted'; data: { key: string } };
export type Ignored = { type: 'Ignored'; data: { key: string } };
export type TestEvent = Noted | Ignored;

/** A scratch table that counts how often each event was applied: "exactly once" is a count of 1. */
export const applications = pgTable(
  'scratch_applications',
  { consumer: text().notNull(), key: text().notNull(), applied: integer().notNull() },
  (table) => [primaryKey({ columns: [table.consumer, table.key] })],
);

export const createApplicationsTable =
  'create table if not exists scratch_applications (consumer text, key text, applied integer not null, primary key (consumer, key))';

const metadata: EventMetadata = { correlationId: 'engine-test', causationId: 'engine-test', actor: 'test', source: 'test' };

/** Appends one `Noted` event per key, each in a stream of its own, in one transaction; returns the last's position. */
export async function note(store: EventStore, ...keys: string[]): Promise<LogPosition> {
  const outcome = await store.appendToStreams(
    keys.map((key) => ({ streamId: `note-${key}`, expectedVersion: 'no_stream' as const, events: [{ type: 'Noted', data: { key } }] })),
    { metadata },
  );
  if (outcome.kind !== 'appended' || !outcome.appended.last) throw new Error('nothing was appended');
  return outcome.appended.last;
}

export type CountingHooks = {
  /** Runs before the batch writes anything; throw to fail the batch untouched. */
  readonly beforeWrite?: (keys: string[]) => void;
  /** Runs after the batch's writes, inside its transaction, before the checkpoint moves. */
  readonly afterWrite?: (tx: OrmTx) => Promise<void>;
};

/** A transactional consumer that counts its applications of `Noted` events; `hooks` inject faults. */
export function countingConsumer(name: string, hooks: CountingHooks = {}): TransactionalConsumer<TestEvent, 'Noted'> {
  return {
    kind: 'transactional',
    name,
    handles: ['Noted'],
    async applyBatch(tx, events) {
      // Typed by `handles`: `data.key` needs no cast.
      const keys = events.map((event) => event.data.key);
      hooks.beforeWrite?.(keys);
      for (const key of keys) {
        await tx
          .insert(applications)
          .values({ consumer: name, key, applied: 1 })
          .onConflictDoUpdate({ target: [applications.consumer, applications.key], set: { applied: sql`${applications.applied} + 1` } });
      }
      await hooks.afterWrite?.(tx);
    },
  };
}

/** How often the consumer applied each event whose key starts with `prefix`. */
export async function applied(orm: Orm, consumer: string, prefix: string): Promise<Record<string, number>> {
  const rows = await orm.select().from(applications).where(eq(applications.consumer, consumer)).orderBy(asc(applications.key));
  return Object.fromEntries(rows.filter((row) => row.key.startsWith(prefix)).map((row) => [row.key, row.applied]));
}
