import type { Database } from '@/db/client';
import type { SqlClient } from '@/db/sql';
import { createEventStore, type EventStore, type EventStoreOptions } from '@/db/event-store';
import { openDatabase } from '@/db/open';
import { shopEventSchemas } from '@/domain';
import { env } from './env';
import { logger } from './logger';
import { measuredEventStore } from './telemetry/measured-store';

export type ServerDatabase = { db: Database; store: EventStore };

/**
 * One database per server process: a pool for a PostgreSQL server, or the embedded database when
 * DATABASE_URL is unset. Next.js re-evaluates modules in development on every change; keeping it on
 * globalThis stops each reload from opening another pool (or failing on the embedded database's lock).
 *
 * Only the connection is shared that way, never the event store over it. Next.js bundles
 * instrumentation.ts apart from the routes, each with its own copy of our modules, so an event store made
 * by one copy throws errors of its own classes: the other copy's `instanceof ConcurrencyError` (the
 * command retry, the error mapping of server/trpc/init.ts) would not recognise them, and a conflict would
 * answer 500. Each copy builds its own store, which costs nothing.
 */
const globalForDb = globalThis as unknown as { hindsightDatabase?: Promise<Database> };
let ownStore: Promise<ServerDatabase> | undefined;

/**
 * The web server's database when it opened the embedded one itself, on this thread or another (zero setup:
 * server/main/web.ts): set before the first request, so nothing here opens the folder a second time.
 */
export function rememberServerDatabase(database: Promise<Database>): void {
  globalForDb.hindsightDatabase = database;
}

export function serverDatabase(): Promise<ServerDatabase> {
  globalForDb.hindsightDatabase ??= openDatabase(
    { url: env.DATABASE_URL, embeddedDir: env.EMBEDDED_DATA_DIR },
    { max: 10, applicationName: 'hindsight-web' },
  );
  ownStore ??= globalForDb.hindsightDatabase.then((db) => ({ db, store: shopEventStore(db.sql) }));
  return ownStore;
}

/**
 * A server process's event store: the shop's event schemas, and what it survives reported to the log. The
 * worker and the scripts use the same.
 */
export const shopStoreOptions: EventStoreOptions = {
  schemas: shopEventSchemas,
  onNotifyFailure: (error) => logger.warn({ err: error }, 'could not notify the consumers; they will poll instead'),
  onSnapshotFailure: (streamId, error) =>
    logger.warn({ err: error, streamId }, 'could not store a snapshot; commands will fold its events instead'),
};

/** A server process's event store over `sql`, its appends measured and traced (server/telemetry/). */
export function shopEventStore(sql: SqlClient): EventStore {
  return measuredEventStore(createEventStore(sql, shopStoreOptions));
}
